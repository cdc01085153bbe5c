"""Past one machine: estimate and aggregate on Dask DataFrame partitions, Parquet in, Parquet out.

An observatory comparing a country's productions, or a platform auditing its users, holds more
generations than one machine reads at once. The estimators are pure functions of a generation's
columns, so each partition is estimated on its own, by the same code as a production's report
(:func:`audit.estimate.footprint.estimate_table`), and only sums travel between workers. See
docs/scaling.md. Needs the ``scale`` extra: ``pip install 'empreinte[scale]'``.

The Parquet input holds the columns of :data:`audit.base.gentable.COLUMNS` (as
:func:`write_generations` writes them from a production), plus optional ``shot_id`` and ``kept``
(the linking of each row); the output holds the footprint table (``TABLE_COLUMNS``), one file per
partition.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from audit.base.columns import IMPACT_NAMES, STATUS, VALUE_COLUMNS, Impact, range_of
from audit.base.errors import ConfigError
from audit.base.gentable import COLUMNS, NUMBERS, GenTable, side_frame
from audit.base.production import Production
from audit.estimate.footprint import TABLE_COLUMNS, estimate_table
from estimators.ranges import Range

#: The groups the aggregate sums by (as the report's own aggregate does).
GROUPS = ("platform", "modality", "department", STATUS, "shot_id")
LINK_COLUMNS = ("shot_id", "kept")


def _dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError:
        raise ConfigError(
            "the scale extra is not installed: pip install 'empreinte[scale]'", field="dask"
        ) from None
    return dd


def table_frame(table: GenTable, shot_ids: np.ndarray, kept: np.ndarray) -> pd.DataFrame:
    """A production's generations as the columns the scale path reads (one row each)."""
    frame = pd.DataFrame({name: table.column(name) for name in COLUMNS})
    frame["shot_id"] = [None if _missing(v) else v for v in shot_ids.tolist()]
    frame["kept"] = np.asarray(kept, dtype=bool)
    return frame


def write_generations(frame: pd.DataFrame, target: Path, rows_per_partition: int) -> int:
    """Write ``frame`` (see :func:`table_frame`) as Parquet partitions; the number written."""
    dd = _dask()
    parts = max(1, -(-len(frame) // rows_per_partition))
    dd.from_pandas(_portable(frame), npartitions=parts).to_parquet(str(target), write_index=False)
    return parts


def _portable(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as text (Parquet stores a column in one type; attributes mix them)."""
    out = frame.copy()
    for name in out.columns:
        if name not in NUMBERS and out[name].dtype not in (np.int64, np.bool_):
            text = [None if _missing(v) else str(v) for v in out[name].tolist()]
            out[name] = pd.Series(text, index=out.index, dtype="string")
    return out


def gentable_of(frame: pd.DataFrame) -> GenTable:
    """A partition's rows as a table the estimators read (no list fields: not needed there)."""
    count = len(frame)
    cols: dict[str, np.ndarray] = {}
    for name in COLUMNS:
        values = frame[name].to_numpy() if name in frame else np.full(count, None, dtype=object)
        if name in NUMBERS:
            cols[name] = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64)
        elif name == "created_us":
            cols[name] = np.asarray(values, dtype=np.int64)
        elif name == "has_attributes":
            cols[name] = np.asarray(values, dtype=bool)
        else:
            cols[name] = np.asarray([None if _missing(v) else v for v in values], dtype=object)
    empty = side_frame([], {"value": []})
    inputs = side_frame([], {"uri": [], "role": []})
    rows = np.arange(count, dtype=np.int64)
    return GenTable(cols, empty, inputs, empty, [], np.zeros(count, dtype=np.int64), rows)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def estimate_partition(frame: pd.DataFrame, production: Production) -> pd.DataFrame:
    """The footprint table of one partition: the report's own estimation, row for row."""
    if not len(frame):
        return _empty_footprint()
    table = gentable_of(frame)
    shots = frame["shot_id"].to_numpy(dtype=object) if "shot_id" in frame else None
    shot_ids = shots if shots is not None else np.full(len(frame), None, dtype=object)
    kept = frame["kept"].to_numpy(dtype=bool) if "kept" in frame else np.zeros(len(frame), bool)
    result = estimate_table(table, shot_ids, kept, production).table
    return _typed_footprint(result)


def _empty_footprint() -> pd.DataFrame:
    return _typed_footprint(pd.DataFrame({name: [] for name in TABLE_COLUMNS}))


def _typed_footprint(frame: pd.DataFrame) -> pd.DataFrame:
    """One type per column, whatever the partition (Dask's metadata must hold for every one)."""
    out = frame.copy()
    for name in TABLE_COLUMNS:
        if name in VALUE_COLUMNS:
            out[name] = out[name].astype(np.float64)
        elif name == "outputs_count":
            out[name] = out[name].astype(np.int64)
        elif name == "kept":
            out[name] = out[name].astype(bool)
        else:
            text = ["" if _missing(v) else str(v) for v in out[name].tolist()]
            out[name] = pd.Series(text, index=out.index, dtype="string")
    return out[TABLE_COLUMNS]


@dataclass
class ScaleResult:
    """What the scale path returns: totals and the group sums (central, low, high of each)."""

    generations: int
    totals: dict[Impact, Range]
    groups: dict[str, pd.DataFrame]


def estimate_parquet(source: Path, target: Path, production: Production) -> ScaleResult:
    """Estimate every partition of ``source`` into ``target`` (Parquet), then aggregate.

    Runs on whatever Dask scheduler is active (a ``distributed.Client`` when one is made)."""
    dd = _dask()
    frame = dd.read_parquet(str(source))
    footprint = frame.map_partitions(estimate_partition, production, meta=_empty_footprint())
    footprint.to_parquet(str(target), write_index=False)
    written = dd.read_parquet(str(target))
    sums = written[VALUE_COLUMNS].sum().compute()
    totals = {impact: range_of(sums, impact) for impact in IMPACT_NAMES}
    groups = {
        key: written.groupby(key)[[*VALUE_COLUMNS, "outputs_count"]].sum().compute().sort_index()
        for key in GROUPS
    }
    return ScaleResult(int(written.shape[0].compute()), totals, groups)

"""Estimate stage: every generation's energy, carbon, water and ADPe, from the estimators library.

One path, on columns (:func:`estimate_table`): the rows of a :class:`~audit.base.gentable.GenTable` are
grouped by the columns an estimate depends on (:data:`audit.base.schema.ESTIMATE_COLUMNS`), each group's
:class:`~estimators.signature.Signature` is read once (:func:`audit.base.schema.signature_of`), each
distinct signature is estimated once and the results are joined back, so a million records cost a
few thousand estimator calls, never one EcoLogits call per row. Records in hand go through the same
path (:func:`estimate_generations` makes their table).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from audit.base.codes import factorized, first_rows
from audit.base.columns import IMPACT_NAMES, STATUS, VALUE_COLUMNS, columns
from audit.base.errors import DataError, InputError
from audit.base.gentable import GenTable, from_generations, object_columns
from audit.base.models import DEPARTMENT_BY_MODALITY, Generation
from audit.base.production import Production
from audit.base.resources import data_dir
from audit.base.schema import ESTIMATE_COLUMNS, ESTIMATE_INPUTS, signature_of
from audit.ingest.registry import with_hosting
from estimators.coefficients import Registry
from estimators.errors import EstimatorError
from estimators.impacts import Impacts, estimate_many
from estimators.loading import load_registry
from estimators.signature import Signature


def registry(folder: Path | None = None) -> Registry:
    """The coefficient registry shipped in data/ (our own data: a load error is a DataError).
    Loaded once per folder and process (``whatif`` and ``compare`` estimate several times)."""
    return _registry((folder or data_dir()).resolve())


@cache
def _registry(folder: Path) -> Registry:
    """The data folder's registry, plus the hosting profiles plugin adapters bring."""
    try:
        reg = load_registry(folder)
    except (EstimatorError, OSError) as exc:
        raise DataError(f"coefficient registry: {exc}") from exc
    return with_hosting(reg)


#: Signature fields no input of :mod:`audit.base.schema` gives: left empty, so that records differing only
#: in them share one estimate (a property test checks that emptying them never changes an estimate).
UNREAD_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(Signature)
    if f.name not in {e.param for _, e in ESTIMATE_INPUTS}
)


def signature(gen: Generation, production: Production) -> Signature:
    """What an estimate of ``gen`` depends on, and nothing else (see :data:`UNREAD_FIELDS`): the
    signature of its row, read as :func:`estimate_table` reads every row."""
    cols = object_columns([gen])
    row = {name: cols[name][0] for name in ESTIMATE_COLUMNS}
    row["region"] = production.compute_regions.get(gen.platform) or gen.region
    return signature_of(row)


@dataclass
class Footprint:
    """Per-generation impacts (one row per generation) and the impacts of each signature."""

    table: pd.DataFrame
    by_signature: dict[Signature, Impacts]
    registry: Registry
    #: per key column the aggregate groups by (platform, modality, department, estimate
    #: status): the code of each row (-1: none) and the value of each code
    groups: dict[str, tuple[np.ndarray, np.ndarray]] = dataclasses.field(default_factory=dict)

    def coefficient_ids(self) -> list[str]:
        """Every coefficient some estimate used, sorted: the ones the report cites."""
        ids = {cid for impacts in self.by_signature.values() for cid in impacts.coefficient_ids}
        return sorted(ids)


def _impact_row(impacts: Impacts) -> dict[str, object]:
    row: dict[str, object] = {}
    for impact in IMPACT_NAMES:  # each impact column is named after its Impacts attribute
        row.update(zip(columns(impact), getattr(impacts, impact).range.corners, strict=True))
    row.update(
        {STATUS: impacts.status.value},
        method=impacts.method,
        run=impacts.run,
        region=impacts.region,
        coefficient_ids=";".join(impacts.coefficient_ids),
        route_note=impacts.reason,
    )
    return row


#: Columns of the per-generation table, in order.
TABLE_COLUMNS = [
    "id", "platform", "model", "modality", "department", "outputs_count", "shot_id", "kept",
    "source_file", "source_locator", *VALUE_COLUMNS, STATUS, "method", "run", "region",
    "coefficient_ids", "route_note",
]  # fmt: skip


def check_platforms(
    platforms: list[str], files: list[str], locators: list[str], reg: Registry
) -> None:
    """Every platform key is one the registry knows (``empreinte platforms``): an unknown key is
    an input error naming the first record that carries it and the valid keys."""
    for platform, file, locator in zip(platforms, files, locators, strict=True):
        if reg.platform_key(platform) is None:
            raise InputError(
                "unknown platform key",
                file=file,
                locator=locator,
                field="platform",
                value=platform,
                choices=sorted(reg.platforms),
            )


def _regions(table: GenTable, production: Production) -> tuple[np.ndarray, np.ndarray]:
    """Where each generation ran: the production's setting for its platform, else its own; and
    a code per row (equal regions, equal codes; none: -1)."""
    codes, platforms = factorized(table, "platform")
    chosen = [production.compute_regions.get(p) or None for p in platforms.tolist()]
    region_codes, regions = factorized(table, "region")
    if not any(chosen):
        return table.column("region"), region_codes
    known = {value: k for k, value in enumerate(regions.tolist())}
    for value in chosen:
        if value is not None and value not in known:
            known[value] = len(known)
    chosen_codes = np.asarray([-2 if c is None else known[c] for c in chosen] + [-2])[codes]
    given = chosen_codes != -2  # the production's setting for the platform
    where = table.column("region").copy()
    where[given] = np.asarray([*chosen, None], dtype=object)[codes][given]
    where_codes = region_codes.copy()
    where_codes[given] = chosen_codes[given]
    return where, where_codes


def _signatures(table: GenTable, production: Production) -> tuple[list[Signature], np.ndarray]:
    """Distinct signatures, and for each row the position of its own among them."""
    regions, region_codes = _regions(table, production)
    columns = {name: table.column(name) for name in ESTIMATE_COLUMNS}
    columns["region"] = regions  # where it ran: the production's choice first
    codes = [
        region_codes if name == "region" else table.codes_of(name) for name in ESTIMATE_COLUMNS
    ]
    which = _combined(codes)
    first = first_rows(which)  # codes number the combinations in order of first appearance
    picked = {name: column[first].tolist() for name, column in columns.items()}
    distinct = [
        signature_of({name: values[k] for name, values in picked.items()})
        for k in range(len(first))
    ]
    return distinct, which


def _combined(codes: list[np.ndarray]) -> np.ndarray:
    """One code per distinct combination of the columns' codes, in order of first appearance."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for column in codes:
        radix = int(column.max()) + 2
        if radix == 1:  # a column empty throughout tells no row apart (an optional field)
            continue
        if span * radix >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
            span = int(key.max()) + 1
        key = key * radix + (column + 1)
        span *= radix
    return pd.factorize(key)[0].astype(np.int64)


def estimate_table(
    table: GenTable,
    shot_ids: np.ndarray,
    kept: np.ndarray,
    production: Production,
    reg: Registry | None = None,
) -> Footprint:
    """Estimate every row once per distinct signature and join the results back.

    ``shot_ids`` and ``kept`` are the linking of each row (None / False when not linked)."""
    reg = reg or registry()
    if not len(table):
        return Footprint(pd.DataFrame([], columns=TABLE_COLUMNS), {}, reg)
    platform_codes = table.codes_of("platform")
    first = first_rows(platform_codes)
    first = first[np.argsort(platform_codes[first])]  # as np.unique's return_index
    check_platforms(
        table.column("platform")[first].tolist(),
        table.column("source_file")[first].tolist(),
        table.column("source_locator")[first].tolist(),
        reg,
    )
    distinct, which = _signatures(table, production)
    modality = table.column("modality")
    codes, modalities = factorized(table, "modality")
    by_modality = np.asarray([DEPARTMENT_BY_MODALITY[m] for m in modalities], dtype=object)
    departments = by_modality[codes]
    department_codes, department_names = pd.factorize(by_modality)
    groups = {
        "platform": factorized(table, "platform"),
        "modality": (codes, modalities),
        "department": (department_codes[codes], np.asarray(department_names, dtype=object)),
    }
    model_codes, models = factorized(table, "model")
    shots = np.where(pd.notna(shot_ids), shot_ids, "")
    columns: dict[str, object] = {
        "id": table.column("id"),
        "platform": table.column("platform"),
        "model": np.append(np.asarray(models, dtype=object), "")[model_codes],  # none: ""
        "modality": modality,
        "department": departments,
        "outputs_count": table.column("outputs_count").astype(np.int64),
        "shot_id": shots,
        "kept": np.asarray(kept, dtype=bool),
        "source_file": table.column("source_file"),
        "source_locator": table.column("source_locator"),
    }
    return _footprint(columns, distinct, which, reg, groups)


def estimate_generations(
    generations: Iterable[Generation], production: Production, reg: Registry | None = None
) -> Footprint:
    """Estimate records in hand (``shot_id``/``kept`` as linking set them): their table, through
    :func:`estimate_table`, the one estimation path."""
    gens = list(generations)
    shot_ids = np.asarray([gen.shot_id for gen in gens], dtype=object)
    kept = np.asarray([bool(gen.kept) for gen in gens], dtype=bool)
    return estimate_table(from_generations(gens), shot_ids, kept, production, reg)


def _footprint(
    columns: dict[str, object],
    distinct: list[Signature],
    which: np.ndarray,
    reg: Registry,
    groups: dict[str, tuple[np.ndarray, np.ndarray]],
) -> Footprint:
    """Estimate each distinct signature once and join the impacts back to every row."""
    by_signature = estimate_many(distinct, reg)
    impacts = pd.DataFrame([_impact_row(by_signature[sig]) for sig in distinct])
    others = [name for name in impacts.columns if name not in VALUE_COLUMNS]
    columns.update({name: impacts[name].to_numpy()[which] for name in others})
    # The twelve impact columns as one block, filled row by row as pandas lays a block out (one
    # contiguous row per column, so sums add in the same order); the others as they are.
    values = np.empty((len(VALUE_COLUMNS), len(which)))
    for k, name in enumerate(VALUE_COLUMNS):
        values[k] = impacts[name].to_numpy(dtype=np.float64)[which]
    frame = pd.concat(
        [
            pd.DataFrame({name: _kept_as_is(columns[name]) for name in columns}, copy=False),
            pd.DataFrame(values.T, columns=VALUE_COLUMNS, copy=False),
        ],
        axis=1,
    )
    status_codes, statuses = pd.factorize(impacts[STATUS].to_numpy(dtype=object))
    groups[STATUS] = (status_codes[which], np.asarray(statuses, dtype=object))
    return Footprint(frame[TABLE_COLUMNS], by_signature, reg, groups)


def _kept_as_is(values: object) -> pd.Series:
    """A column as it is, without copy: text stays a NumPy object array (no conversion of a
    million cells to pandas' string type: the table is only read, grouped and written)."""
    array = np.asarray(values, dtype=object) if isinstance(values, list) else np.asarray(values)
    return pd.Series(array, dtype=array.dtype, copy=False)

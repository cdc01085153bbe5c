"""Aggregate stage: per generation → per shot, platform, modality, department, status → film.

Ranges add with full positive correlation: the film's low is the sum of the lows and its high the sum
of the highs. The coefficients behind every generation are shared (one band for all Kling clips), so
their errors do not cancel; see docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from audit.base import columns as col
from audit.base.columns import IMPACT_NAMES, VALUE_COLUMNS, Impact
from estimators.ranges import Range

IN_CUT_ROLES = ("kept", "ancestor")


@dataclass
class Aggregates:
    """Everything the report and audit.json print about the footprint."""

    totals: dict[Impact, Range]
    per_minute: dict[Impact, Range]
    per_kept_second: dict[Impact, Range]
    by_platform: pd.DataFrame
    by_modality: pd.DataFrame
    by_department: pd.DataFrame
    by_status: pd.DataFrame
    by_shot: pd.DataFrame
    generations: int
    outputs: int
    kept_outputs: int
    kept_seconds: float
    in_cut_share: dict[Impact, float] = field(default_factory=dict)

    @property
    def discard_ratio(self) -> float:
        """Outputs rendered per output kept in the final cut."""
        return self.outputs / self.kept_outputs if self.kept_outputs else float("nan")


def _totals(frame: pd.DataFrame) -> dict[Impact, Range]:
    sums = frame[VALUE_COLUMNS].sum() if len(frame) else pd.Series(0.0, index=VALUE_COLUMNS)
    return {impact: col.range_of(sums, impact) for impact in IMPACT_NAMES}


#: A key column's codes: per row its code (-1: none), and the value of each code.
Coded = tuple[np.ndarray, np.ndarray]


def _group(frame: pd.DataFrame, key: str, coded: Coded | None = None) -> pd.DataFrame:
    """Sums by ``key``, largest central energy first. With the key's codes, rows are grouped by
    them (ranked as the values sort) instead of hashing a million texts: the same groups, each
    summed over the same rows in the same order."""
    if coded is None:
        grouped = frame.groupby(key, sort=True)
        index = None
    else:
        codes, values = coded
        order = np.asarray(sorted(range(len(values)), key=values.__getitem__), dtype=np.int64)
        rank = np.append(np.argsort(order), -1)  # ranked as groupby sorts keys; -1 (none) stays
        grouped = frame.groupby(_labels(rank[codes], len(values), frame), sort=True, observed=True)
        index = np.asarray(values, dtype=object)[order]
    out = grouped[VALUE_COLUMNS].sum()
    out.insert(0, "outputs", grouped["outputs_count"].sum())
    out.insert(0, "generations", grouped.size())
    if index is not None:  # the ranks back to the key's values
        named = index[np.asarray(out.index, dtype=np.int64)]
        out.index = pd.Index(named, dtype=frame[key].dtype, name=key)
    return out.reset_index().sort_values([col.central(col.ENERGY), key], ascending=[False, True])


def _by_shot(table: pd.DataFrame, allocations: pd.DataFrame, shots: pd.DataFrame) -> pd.DataFrame:
    if allocations.empty:  # nothing linked: the same columns as below, every sum zero
        zeros = {col: 0.0 for col in [*VALUE_COLUMNS, "generations", "outputs"]}
        return shots.assign(**zeros, attempts=0, kept=0)
    sums = _shot_sums(table, allocations) if "row" in allocations else _id_sums(table, allocations)
    out = shots.merge(sums, left_on="shot_id", right_index=True, how="left")
    return out.fillna({col: 0.0 for col in [*VALUE_COLUMNS, "generations", "outputs"]})


def _id_sums(table: pd.DataFrame, allocations: pd.DataFrame) -> pd.DataFrame:
    """Per shot: the impacts weighted by each share, generations and outputs (allocations by
    generation id)."""
    merged = _joined(table, allocations, ["outputs_count", *VALUE_COLUMNS])
    weight = merged["weight"].to_numpy()
    for name in VALUE_COLUMNS:
        merged[name] = merged[name].to_numpy() * weight
    grouped = merged.groupby("shot_id", sort=True, observed=True)
    sums = grouped[VALUE_COLUMNS].sum()
    sums["generations"] = grouped["generation_id"].nunique()
    sums["outputs"] = grouped["outputs_count"].sum()
    sums.index = sums.index.astype(object)
    return sums


def _shot_sums(table: pd.DataFrame, allocations: pd.DataFrame) -> pd.DataFrame:
    """:func:`_id_sums` of allocations that carry each generation's ``row`` in ``table``: the
    weighted impacts laid out as one block and grouped by the shot's code (the same rows in the
    same order as grouping a merged frame by shot id: the same sums), without the merge."""
    rows = allocations["row"].to_numpy()
    weight = allocations["weight"].to_numpy()
    codes, names = _codes(allocations["shot_id"])
    if (codes < 0).any():  # a share of no shot is grouped nowhere, as groupby drops it
        rows, weight, codes = rows[codes >= 0], weight[codes >= 0], codes[codes >= 0]
    block = np.empty((len(VALUE_COLUMNS), len(rows)))
    for k, name in enumerate(VALUE_COLUMNS):
        np.multiply(table[name].to_numpy()[rows], weight, out=block[k])
    frame = pd.DataFrame(block.T, columns=VALUE_COLUMNS, copy=False)
    frame["outputs_count"] = table["outputs_count"].to_numpy()[rows]
    sums = frame.groupby(_labels(codes, len(names), frame), sort=True, observed=True).sum()
    present = np.asarray(sums.index, dtype=np.int64)
    generations = _distinct_rows(codes, rows, len(names))[present]
    out = sums[VALUE_COLUMNS].copy()
    out["generations"] = generations.astype(np.int64)
    out["outputs"] = sums["outputs_count"].to_numpy()
    out.index = pd.Index(names[present], dtype=object, name="shot_id")
    return out


def _labels(codes: np.ndarray, count: int, frame: pd.DataFrame) -> pd.Series:
    """Group labels of ``frame``'s rows from codes ``0..count-1`` (-1: no group), taken as they
    are (no hashing of the codes)."""
    labels = pd.Categorical.from_codes(codes, categories=pd.RangeIndex(count))
    return pd.Series(labels, index=frame.index, copy=False)


def _distinct_rows(codes: np.ndarray, rows: np.ndarray, count: int) -> np.ndarray:
    """Per code, how many distinct rows it has. Pairs sorted by row then code (as linking
    gives them) are distinct when they strictly increase; others are made distinct."""
    key = rows.astype(np.int64) * count + codes
    if len(key) > 1 and not (np.diff(key) > 0).all():
        key = pd.unique(key)
    return np.bincount(key % count, minlength=count)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, value per code) of a column, a categorical's own codes when it is one."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), np.asarray(values.cat.categories, dtype=object)
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    return codes, np.asarray(uniques, dtype=object)


def aggregate(
    table: pd.DataFrame,
    allocations: pd.DataFrame,
    shots: pd.DataFrame,
    runtime_s: float,
    kept_outputs: int,
    groups: dict[str, Coded] | None = None,
) -> Aggregates:
    """Roll the per-generation table up.

    ``allocations`` has columns generation_id (or the generation's ``row`` in ``table``),
    shot_id, role, weight; ``shots`` has one row per shot (shot_id, sequence, kind, duration_s,
    attempts, kept, platforms); ``groups``, the codes of key columns when known
    (:attr:`~audit.estimate.footprint.Footprint.groups`).
    """
    coded = groups or {}
    totals = _totals(table)
    kept_seconds = (
        float(shots.loc[shots["kind"] == "picture", "duration_s"].sum()) if len(shots) else 0.0
    )
    in_cut = (
        allocations[allocations["role"].isin(IN_CUT_ROLES)] if len(allocations) else allocations
    )
    share = _in_cut_share(table, in_cut, totals)
    return Aggregates(
        totals=totals,
        per_minute={k: v.per(runtime_s / 60.0) for k, v in totals.items()},
        per_kept_second={k: v.per(kept_seconds) for k, v in totals.items()},
        by_platform=_group(table, "platform", coded.get("platform")),
        by_modality=_group(table, "modality", coded.get("modality")),
        by_department=_group(table, "department", coded.get("department")),
        by_status=_group(table, col.STATUS, coded.get(col.STATUS)),
        by_shot=_by_shot(table, allocations, shots),
        generations=len(table),
        outputs=int(table["outputs_count"].sum()) if len(table) else 0,
        kept_outputs=kept_outputs,
        kept_seconds=kept_seconds,
        in_cut_share=share,
    )


def _in_cut_share(
    table: pd.DataFrame, in_cut: pd.DataFrame, totals: dict[Impact, Range]
) -> dict[Impact, float]:
    if in_cut.empty or not len(table):
        return dict.fromkeys(IMPACT_NAMES, 0.0)
    if "row" in in_cut:  # each in-cut share's central values, read by position
        rows = in_cut["row"].to_numpy()
        centrals = {name: table[col.central(name)].to_numpy()[rows] for name in IMPACT_NAMES}
    else:
        merged = _joined(table, in_cut, VALUE_COLUMNS)
        centrals = {name: merged[col.central(name)].to_numpy() for name in IMPACT_NAMES}
    weight = pd.Series(in_cut["weight"].to_numpy())
    share: dict[Impact, float] = {}
    for impact in IMPACT_NAMES:
        total = totals[impact].central
        part = float((pd.Series(centrals[impact]) * weight).sum())
        share[impact] = part / total if total else 0.0
    return share


def _joined(table: pd.DataFrame, allocations: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Each allocation with its generation's ``columns``: by position when the allocations carry
    the generation's ``row`` in ``table``, else by id."""
    if "row" not in allocations:
        values = table[["id", *columns]]
        return allocations.merge(values, left_on="generation_id", right_on="id", how="left")
    rows = allocations["row"].to_numpy()
    picked = {col: table[col].to_numpy()[rows] for col in columns}
    return allocations.reset_index(drop=True).assign(**picked)

"""The forecast footprint of a plan, and the forecast set against the final footprint.

The plan's rows become canonical records (:func:`audit.forecast.plan.records`) estimated by the final
report's own path (:func:`audit.estimate.footprint.estimate_table`) and rolled up by its own
:func:`audit.estimate.aggregate.aggregate`: the forecast and the final footprint share every estimator and
coefficient, so a plan that matches the logs gives the final figures (a test holds it).

The comparison splits each platform's gap into where it comes from: more or fewer attempts (at the
planned energy per generation), another energy per generation (model, size, duration, steps) and,
for carbon, another grid (region). The three parts add up to the gap exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from audit.base.columns import CARBON, ENERGY, central
from audit.base.errors import PlanError
from audit.base.gentable import NUMBERS, GenTable, from_generations
from audit.base.production import Production
from audit.estimate.aggregate import Aggregates, aggregate
from audit.estimate.footprint import Footprint, estimate_table
from audit.forecast.defaults import History, history_from
from audit.forecast.plan import Plan, find_plan, read_plan, records
from audit.ingest.registry import platforms

SHOT_COLUMNS = ["shot_id", "sequence", "kind", "duration_s", "kept", "ancestors", "attempts",
                "platforms"]  # fmt: skip
AUDIO_MODALITIES = ("music", "sound", "speech", "voice_clone")


@dataclass
class Forecast:
    """A plan, resolved, with its footprint per generation and its aggregates."""

    production: Production
    plan: Plan
    footprint: Footprint
    aggregates: Aggregates
    history_used: bool
    #: sha256 of the plan's records as estimated (the plan after its defaults)
    inputs_sha256: str = ""


def platform_keys() -> dict[str, str]:
    """Every platform key and alias (lower case) → its key, from the platform registry: ``veo``
    stays ``veo`` as Veo's records say (the estimators place it on Google's profile), so that a
    plan and the final records meet on one key."""
    index = platforms().platforms
    return {name.lower(): key for key, p in index.items() for name in (key, *p.aliases)}


def load_plan(root: Path) -> Plan:
    """The production's plan, read (cells not yet resolved); an error if there is none."""
    path = find_plan(root)
    if path is None:
        raise PlanError(
            "no plan: write plan.csv (see docs/production-folder.md) or draft one with "
            "`empreinte plan DIR --from-timeline --recipe …`",
            file=root,
        )
    plan = read_plan(path, platform_keys())
    if not plan.rows:
        raise PlanError("the plan has no row (one per shot or for the whole film)", file=path.name)
    return plan


def history_of(table: GenTable, shot_ids: np.ndarray) -> History:
    """The production's own history: its accepted generations and the shot each one served."""
    if not len(table):
        return History()
    names = ("platform", "modality", "model", "region", *NUMBERS)
    frame = pd.DataFrame({name: table.column(name) for name in names})
    frame["shot_id"] = shot_ids
    return history_from(frame)


def estimate_plan(
    production: Production,
    plan: Plan,
    as_of: date,
    durations: dict[str, float],
    history_used: bool = False,
) -> Forecast:
    """The plan's records (cells resolved) through the final report's estimation and
    aggregation; ``durations`` are the shots' lengths in the cut, when there is one."""
    gens = records(plan, as_of)
    if not gens:
        raise PlanError("the plan plans no generation (every attempts cell is 0)", file=plan.path)
    table = from_generations(gens)
    shot_ids = np.asarray([g.shot_id for g in gens], dtype=object)
    footprint = estimate_table(table, shot_ids, np.zeros(len(gens), dtype=bool), production)
    shots = _shots(plan, durations)
    allocations = _allocations(shot_ids, table.column("id"), shots)
    picture = int((shots["kind"] == "picture").sum())
    agg = aggregate(footprint.table, allocations, shots, production.runtime_s, picture)
    digest = hashlib.sha256("\n".join(g.model_dump_json() for g in gens).encode()).hexdigest()
    return Forecast(production, plan, footprint, agg, history_used, digest)


def _shots(plan: Plan, durations: dict[str, float]) -> pd.DataFrame:
    rows: dict[str, dict[str, Any]] = {}
    for row in plan.rows:
        if row.shot_id is None:
            continue
        entry = rows.setdefault(row.shot_id, {"attempts": 0, "platforms": set(), "audio": True})
        entry["attempts"] += row.attempts
        entry["platforms"].add(row.platform)
        entry["audio"] &= row.modality.value in AUDIO_MODALITIES
    return pd.DataFrame(
        [
            {
                "shot_id": shot,
                "sequence": "",
                "kind": "audio" if e["audio"] else "picture",
                "duration_s": durations.get(shot, 0.0),
                "kept": 1,
                "ancestors": 0,
                "attempts": e["attempts"],
                "platforms": ", ".join(sorted(e["platforms"])),
            }
            for shot, e in sorted(rows.items())
        ],
        columns=SHOT_COLUMNS,
    )


def _allocations(shot_ids: np.ndarray, ids: np.ndarray, shots: pd.DataFrame) -> pd.DataFrame:
    """Every planned record of a shot is one of its attempts (weight 1)."""
    rows = np.flatnonzero(pd.notna(shot_ids))
    units = pd.Index(shots["shot_id"].to_numpy(dtype=object))
    return pd.DataFrame(
        {
            "row": rows,
            "generation_id": ids[rows],
            "shot_id": pd.Categorical.from_codes(units.get_indexer(shot_ids[rows]), units),
            "role": np.full(len(rows), "attempt", dtype=object),
            "weight": np.ones(len(rows)),
        }
    )


@dataclass(frozen=True)
class Gap:
    """Forecast against final for one platform (or shot): counts, central energy and carbon, and
    the carbon gap split into attempts, energy per generation and grid."""

    key: str
    planned: int
    actual: int
    energy_planned_wh: float
    energy_actual_wh: float
    carbon_planned_g: float
    carbon_actual_g: float
    from_attempts_g: float
    from_per_generation_g: float
    from_grid_g: float

    @property
    def carbon_gap_g(self) -> float:
        """Actual minus planned carbon, in grams (positive: the production emitted more than
        planned)."""
        return self.carbon_actual_g - self.carbon_planned_g

    @property
    def energy_gap_wh(self) -> float:
        """Actual minus planned energy, in watt-hours."""
        return self.energy_actual_wh - self.energy_planned_wh


def split_gap(key: str, planned: tuple[int, float, float], actual: tuple[int, float, float]) -> Gap:
    """The carbon gap C_a − C_p as (n_a − n_p)·e_p·i_p + n_a·(e_a − e_p)·i_p + n_a·e_a·(i_a − i_p),
    with n generations, e energy per generation and i carbon per energy (sums exactly)."""
    (n_p, e_sum_p, c_sum_p), (n_a, e_sum_a, c_sum_a) = planned, actual
    if not n_p or not n_a or not e_sum_p or not e_sum_a:
        parts = (c_sum_a - c_sum_p, 0.0, 0.0)
    else:
        e_p, e_a = e_sum_p / n_p, e_sum_a / n_a
        i_p, i_a = c_sum_p / e_sum_p, c_sum_a / e_sum_a
        parts = ((n_a - n_p) * e_p * i_p, n_a * (e_a - e_p) * i_p, n_a * e_a * (i_a - i_p))
    return Gap(key, n_p, n_a, e_sum_p, e_sum_a, c_sum_p, c_sum_a, *parts)


def _sums(table: pd.DataFrame, key: str) -> dict[str, tuple[int, float, float]]:
    if not len(table):
        return {}
    grouped = table.groupby(key, sort=True)
    energy, carbon = central(ENERGY), central(CARBON)
    sums = grouped[[energy, carbon]].sum()
    counts = grouped.size()
    return {
        str(k): (int(counts[k]), float(sums.loc[k, energy]), float(sums.loc[k, carbon]))
        for k in counts.index
    }


def compare(planned: Forecast, final: pd.DataFrame, shot_ids: np.ndarray) -> dict[str, list[Gap]]:
    """Forecast against final, per platform and per shot: ``final`` is the final footprint table
    and ``shot_ids`` the shot each final generation served (None: none)."""
    served = final.assign(shot_id=np.where(pd.notna(shot_ids), shot_ids, ""))
    by = {}
    for name, key in (("platforms", "platform"), ("shots", "shot_id")):
        plan_side = _sums(planned.footprint.table, key)
        final_side = _sums(served if key == "shot_id" else final, key)
        keys = sorted((set(plan_side) | set(final_side)) - {""})
        zero = (0, 0.0, 0.0)
        by[name] = [split_gap(k, plan_side.get(k, zero), final_side.get(k, zero)) for k in keys]
    return by


def total_gap(gaps: list[Gap]) -> Gap:
    """The film's gap: the platforms' gaps added."""
    fields = ("planned", "actual", "energy_planned_wh", "energy_actual_wh", "carbon_planned_g",
              "carbon_actual_g", "from_attempts_g", "from_per_generation_g", "from_grid_g")  # fmt: skip
    return Gap("film", *(sum(getattr(g, f) for g in gaps) for f in fields))

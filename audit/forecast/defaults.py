"""Where an empty cell of the plan takes its value, in order: the production's own history (the
median of its logged generations of the same platform and modality, its generations per shot for
``attempts``), then ``data/plan_defaults.yaml`` (a published or stated practice, with its source),
else nothing, which the estimator's own rule then covers and the forecast names."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pandas as pd
import yaml

from audit.base.errors import DataError, PlanError
from audit.base.resources import data_file
from audit.forecast.plan import (
    COUNT_FIELDS,
    HISTORY_LOCATOR,
    MAX_RECORDS,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    Cell,
    Plan,
    PlanRow,
)


@cache
def plan_defaults() -> dict[str, Any]:
    """``data/plan_defaults.yaml``: per modality, then per platform, ``{value, source, locator}``."""
    path = data_file("plan_defaults.yaml")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc
    return {
        "modalities": document.get("modalities", {}),
        "platforms": document.get("platforms", {}),
    }


def data_default(row: PlanRow, name: str) -> Cell | None:
    """The sourced default of ``name`` for ``row`` (platform first, then modality), or None."""
    defaults = plan_defaults()
    for entry in (
        defaults["platforms"].get(row.platform, {}),
        defaults["modalities"].get(row.modality.value, {}),
    ):
        if name in entry:
            item = entry[name]
            return Cell(item["value"], "default", item["source"], item.get("locator"))
    return None


def resolve(plan: Plan, history: History) -> Plan:
    """Fill every empty cell: history, then ``data/plan_defaults.yaml``, else ``none``."""
    for row in plan.rows:
        for name in (*COUNT_FIELDS, *TEXT_FIELDS, *NUMBER_FIELDS):
            if name in row.cells:
                continue
            cell = history.cell(row, name) or data_default(row, name)
            row.cells[name] = cell or Cell(None, "none")
        if row.value("attempts") is None:
            row.cells["attempts"] = Cell(1, "none")
    if plan.records > MAX_RECORDS:
        raise PlanError(
            f"plans {plan.records:,} generations, more than {MAX_RECORDS:,}: "
            "check the attempts column",
            file=plan.path,
            field="attempts",
        )
    return plan


@dataclass
class History:
    """What the production's own logs say: per (platform, modality), the usual value of each field
    and the generations made per shot."""

    usual: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    per_shot: dict[tuple[str, str], int] = field(default_factory=dict)
    source: str = "logs/"

    def cell(self, row: PlanRow, name: str) -> Cell | None:
        """The production's own usual value for an empty cell of ``row`` (attempts per shot, or a
        field's usual value), cited to its logs; None when the logs do not tell."""
        key = (row.platform, row.modality.value)
        if name == "attempts":
            value = self.per_shot.get(key) if row.shot_id else None
        else:
            value = self.usual.get(key, {}).get(name)
        if value is None:
            return None
        return Cell(value, "history", self.source, HISTORY_LOCATOR)


def history_from(frame: pd.DataFrame) -> History:
    """History from logged records: a frame with the columns platform, modality, model, region,
    outputs_count, the numbers of :data:`NUMBER_FIELDS` and ``shot_id`` (None or empty when the
    generation served no shot)."""
    history = History()
    for (platform, modality), group in frame.groupby(["platform", "modality"], sort=True):
        key = (str(platform), str(modality))
        usual: dict[str, Any] = {"outputs": _median(group["outputs_count"], int)}
        for name, kind in NUMBER_FIELDS.items():
            if name != "measured_energy_wh":
                usual[name] = _median(group[name], kind)
        for name in ("model", "region"):
            values: pd.Series[Any] = group[name].dropna()
            usual[name] = str(values.mode().iloc[0]) if len(values) else None
        history.usual[key] = {k: v for k, v in usual.items() if v is not None}
        shots: pd.Series[Any] = group["shot_id"].dropna()
        shots = shots[shots != ""]
        if len(shots):
            history.per_shot[key] = max(1, round(float(shots.value_counts().median())))
    return history


def _median(values: Any, kind: type) -> Any:
    clean = values.dropna()
    if not len(clean):
        return None
    median = float(clean.median())
    return round(median) if kind is int else median

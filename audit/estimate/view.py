"""What ``empreinte estimate`` shows of each generation's estimate: method, coefficients, status."""

from __future__ import annotations

from typing import Any

import pandas as pd

from audit.base.columns import ENERGY, STATUS, central, columns

#: Columns naming how a generation was estimated.
METHOD_COLUMNS = ("method", STATUS, "run", "coefficient_ids", "route_note")
_GROUP = ["platform", "method", STATUS, "run", "coefficient_ids", "route_note"]
_ENERGY = central(ENERGY)


def by_method(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Generations grouped by platform, method, status, run and coefficients, with their count
    and central energy; sorted by platform then energy (largest first)."""
    if table.empty:
        return []
    grouped = (
        table.groupby(_GROUP, sort=False, dropna=False)
        .agg(generations=("id", "size"), **{_ENERGY: (_ENERGY, "sum")})
        .reset_index()
        .sort_values(
            ["platform", _ENERGY, "method"],
            ascending=[True, False, True],
            kind="stable",
        )
    )
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in grouped.to_dict(orient="records")
    ]


def per_generation(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Each generation's id, method, status, run, coefficient ids and central energy."""
    shown = ["id", "platform", "model", "region", *METHOD_COLUMNS, *columns(ENERGY)]
    rows = [{str(k): v for k, v in row.items()} for row in table[shown].to_dict(orient="records")]
    for row in rows:
        row["coefficient_ids"] = [c for c in str(row["coefficient_ids"]).split(";") if c]
    return rows


def main_ids(coefficient_ids: str) -> str:
    """The coefficient ids that name the route (model, band, EcoLogits PUE), for a table cell:
    grid, embodied and token-geometry ids are left to --json."""
    keep = [
        c
        for c in coefficient_ids.split(";")
        if c
        and not c.startswith(
            (
                "grid.",
                "embodied.",
                "video.tokens.",
                "video.ref.",
                "image.ref.",
                "gpu.power",
                "video.fps",
                "platform.",
                "overhead.",
            )
        )
        and not c.endswith((".width", ".height", ".steps", ".frames"))
    ]
    return " ".join(keep)

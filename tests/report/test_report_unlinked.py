"""A production whose generations serve no shot of its cut (nothing linked) still gets every output:
the shot table keeps its columns, with zero sums (seen with the realworld A1111 image beside a
one-shot shots.csv, where the workbook's shots sheet raised KeyError 'generations')."""

from __future__ import annotations

import pandas as pd

from audit.estimate.aggregate import aggregate
from audit.estimate.footprint import VALUE_COLUMNS
from audit.pipeline import SHOT_COLUMNS


def test_shot_table_keeps_its_columns_when_nothing_is_linked() -> None:
    table = pd.DataFrame({**{col: [1.0] for col in VALUE_COLUMNS}, "id": ["a1111:x"],
                          "platform": ["a1111"], "modality": ["image"], "department": ["image"],
                          "estimate_status": ["modelled"], "outputs_count": [1]})  # fmt: skip
    shots = pd.DataFrame([["SH010", "", "picture", 5.0, 0, 0, 0, ""]], columns=SHOT_COLUMNS)
    allocations = pd.DataFrame(columns=["row", "generation_id", "shot_id", "role", "weight"])
    by_shot = aggregate(table, allocations, shots, 60.0, 0).by_shot
    row = by_shot.iloc[0]
    assert row["generations"] == 0
    assert row["outputs"] == 0
    assert row["energy_wh_central"] == 0.0

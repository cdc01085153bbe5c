"""docs/classroom.md quotes the what-ifs of the bundled example: they must match what runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.pipeline import AuditRun
from audit.tools.whatif import WhatIf, deltas, variant

DOC = Path(__file__).resolve().parents[2] / "docs" / "classroom.md"
SPECS = {
    "--region FRA": WhatIf(region="FRA"),
    "--platform kling=veo": WhatIf(platforms=(("kling", "veo"),)),
    "--discard-ratio 0.5": WhatIf(discard_ratio=0.5),
    "--resolution 720p": WhatIf(resolution="720p"),
}
TOLD = {(): "none", ("carbon_g",): "carbon only", ("carbon_g", "energy_wh", "water_l"): "all three"}


def rows() -> dict[str, list[str]]:
    found = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| `(--[^`]+)` \| (.+) \|", line)
        if match and match.group(1) in SPECS:
            found[match.group(1)] = [cell.strip() for cell in match.group(2).split(" | ")]
    return found


@pytest.mark.parametrize("option", list(SPECS))
def test_classroom_table_matches_the_example(option: str, baseline: AuditRun) -> None:
    cells = rows()[option]
    changed, _ = variant(baseline, SPECS[option])
    per_minute = {d.quantity: d for d in deltas(baseline, changed) if d.scope == "per_minute"}
    for cell, quantity in zip(cells, ("energy_wh", "carbon_g", "water_l"), strict=False):
        percent = round(100 * (per_minute[quantity].relative or 0.0))
        shown = "±0 %" if percent == 0 else f"{percent:+d} %".replace("-", "−")
        assert cell.endswith(shown), f"{option} {quantity}: {cell!r}, computed {shown}"
    apart = tuple(q for q in ("carbon_g", "energy_wh", "water_l") if not per_minute[q].overlap)
    assert cells[3] == TOLD[apart]

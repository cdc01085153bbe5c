"""The house rule of docs/development.md: modules under 400 lines, so that each stays one topic
(split a module by topic when it grows past this, rather than squeezing lines with ``# fmt: skip``).
Issue 21 asked for no module over 400; the slack of 20 lines the test once gave is gone."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def test_every_module_stays_under_400_lines() -> None:
    modules = sorted([*(ROOT / "audit").rglob("*.py"), *(ROOT / "estimators").rglob("*.py")])
    assert len(modules) > 50  # the packages were found
    too_long = {
        path.relative_to(ROOT).as_posix(): count
        for path in modules
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}

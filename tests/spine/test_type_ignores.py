"""mypy runs strict on the whole package (issue 21), so each ``# type: ignore`` left is a place
where the types cannot say what the code knows. mypy itself requires its error code
(``ignore-without-code`` in pyproject.toml) and flags one no longer needed (``unused-ignore``);
this test asks that each also says why, in a comment on the line above it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IGNORE = re.compile(r"#\s*type:\s*ignore\b")


def unexplained(lines: list[str]) -> list[int]:
    """Line numbers (from 1) of ignores whose line above is not a comment."""
    return [
        number
        for number, line in enumerate(lines, 1)
        if IGNORE.search(line) and (number == 1 or not lines[number - 2].lstrip().startswith("#"))
    ]


def test_the_check_reads_the_line_above() -> None:
    explained = [
        "x = 1",
        "# the stub declares no such method",
        "y.f()  # type: ignore[attr-defined]",
    ]
    assert unexplained(explained) == []
    assert unexplained(["x = 1", "y.f()  # type: ignore[attr-defined]"]) == [2]


def test_every_type_ignore_says_why() -> None:
    modules = sorted([*(ROOT / "audit").rglob("*.py"), *(ROOT / "estimators").rglob("*.py")])
    missing = [
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for path in modules
        for number in unexplained(path.read_text(encoding="utf-8").splitlines())
    ]
    assert missing == []

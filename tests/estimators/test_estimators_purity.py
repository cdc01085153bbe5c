"""estimators is a pure library: no ``audit`` import, no numbers outside units.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "estimators"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_sources_found() -> None:
    assert len(SOURCES) >= 14


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_never_imports_audit(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n == "audit" or n.startswith("audit.") for n in names), (path, node.lineno)


@pytest.mark.parametrize("path", [p for p in SOURCES if p.name != "units.py"], ids=lambda p: p.name)
def test_no_numeric_literals(path: Path) -> None:
    """Every number is data; only 0 and 1 (indices, neutral elements) may appear in code."""
    found = [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and type(node.value) in (int, float, complex)
        and node.value not in (0, 1)
    ]
    assert found == []

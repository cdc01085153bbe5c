"""The house rule of docs/development.md: functions under about 40 lines, each doing one thing.
About: a function may run past 40 with its docstring or a table it lays out, but none passes 60
(issue 21 measured one at 82 lines, the ``estimate`` command, and split it). Counted on the source
with :mod:`ast`, from the ``def`` line to the last line of the body, docstring included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 60


def function_lengths(source: str) -> dict[str, int]:
    """Lines of every function and method of a module (nested ones too), by ``line:name``."""
    return {
        f"{node.lineno}:{node.name}": (node.end_lineno or node.lineno) - node.lineno + 1
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def test_lengths_count_from_def_to_the_end_of_the_body() -> None:
    source = "@cache\ndef f(\n    x: int,\n) -> int:\n    '''Doc.'''\n    return x\n"
    assert function_lengths(source) == {"2:f": 5}


def test_no_function_passes_60_lines() -> None:
    modules = sorted([*(ROOT / "audit").rglob("*.py"), *(ROOT / "estimators").rglob("*.py")])
    assert len(modules) > 50  # the packages were found
    too_long = {
        f"{path.relative_to(ROOT).as_posix()}:{where}": count
        for path in modules
        for where, count in function_lengths(path.read_text(encoding="utf-8")).items()
        if count > MAX_LINES
    }
    assert too_long == {}

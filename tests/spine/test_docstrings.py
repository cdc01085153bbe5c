"""Every public definition says what it is for (issue 21): each public module of ``audit/`` and
``estimators/``, and each class, function and method in it whose name does not start with ``_``,
has a docstring. Read on the source with :mod:`ast`, so nothing is imported; members of a private
class and functions nested in a function are the private detail of their owner and are not asked."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("audit", "estimators")
Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def public_modules() -> list[Path]:
    """Modules whose own name and folders are public (``__init__.py`` is its package's)."""
    found = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    return sorted(
        path
        for path in found
        if not any(part.startswith("_") for part in path.relative_to(ROOT).parts[:-1])
        and (path.name == "__init__.py" or not path.name.startswith("_"))
    )


def public_definitions(body: list[ast.stmt], owner: str = "") -> Iterator[tuple[str, Definition]]:
    """The public classes and functions of a module body, and the public methods of its classes."""
    for node in body:
        if isinstance(node, Definition) and not node.name.startswith("_"):
            yield owner + node.name, node
            if isinstance(node, ast.ClassDef):
                yield from public_definitions(node.body, f"{owner}{node.name}.")


def undocumented(path: Path) -> list[str]:
    """``file:line name`` of each public definition of ``path`` without a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(ROOT).as_posix()
    missing = [] if ast.get_docstring(tree) else [f"{where}:1 (module)"]
    for name, node in public_definitions(tree.body):
        if not ast.get_docstring(node):
            missing.append(f"{where}:{node.lineno} {name}")
    return missing


def test_the_walk_sees_modules_classes_and_methods() -> None:
    modules = public_modules()
    assert len(modules) > 100
    assert ROOT / "audit" / "__init__.py" in modules
    assert all(not p.name.startswith("_") or p.name == "__init__.py" for p in modules)
    tree = ast.parse(
        "class A:\n    def b(self): ...\n    def _c(self): ...\nclass _D:\n    def e(self): ..."
    )
    assert [name for name, _ in public_definitions(tree.body)] == ["A", "A.b"]


def test_every_public_definition_has_a_docstring() -> None:
    missing = [line for path in public_modules() for line in undocumented(path)]
    assert missing == [], f"{len(missing)} public definitions without a docstring:\n" + "\n".join(
        missing
    )

"""The house plan: the layers of the code, lowest first, and its import graph read from the source.

Each layer may import the layers below it, never one above; nothing imports in a cycle; and a
project import sits at the top of its module, except in :mod:`audit.cli`, whose commands import
their stage when they run so that ``empreinte --help`` starts fast (benchmark B4). A test holds
the code to this plan (``tests/spine/test_import_graph.py``), and ``docs/development.md`` draws it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: The layers, lowest first: (package or module, its job). A module belongs to the longest match.
LAYERS: tuple[tuple[str, str], ...] = (
    ("estimators", "pure formulas and the coefficient registry; never imports audit"),
    (
        "audit.base",
        "errors, canonical records and columns, limits, safe text, inputs, labels, i18n",
    ),
    ("audit.ingest", "stage 1: platform records, ledgers and provenance in, canonical records out"),
    ("audit.link", "stage 2: the cut read, generations joined to shots, cues and lineage"),
    ("audit.estimate", "stage 3: footprint of every generation, rolled up by platform and shot"),
    ("audit.forecast", "the plan before the first prompt, estimated by the same path"),
    ("audit.rights", "stage 4: rights, consent and disclosure rules over every generation"),
    ("audit.pipeline", "runs stages 1 to 4 and hands the AuditRun to the report"),
    ("audit.report", "stage 5: PDF/A-3b, HTML, CSV, workbook, audit.json and credits"),
    ("audit.tools", "over a finished audit: what-if, compare, exports"),
    ("audit.docgen", "generated documentation"),
    ("audit.cli", "the commands, in workflow order"),
    ("audit.__main__", "python -m audit"),
)
#: Packages whose functions may import project modules (start-up speed of the CLI, B4).
LAZY_IMPORTS_ALLOWED = ("audit.cli",)
#: Modules outside the layers: the package itself (version) and this plan.
UNLAYERED = ("audit", "audit.house")


@dataclass(frozen=True)
class Edge:
    """One project import: who imports whom, where, and whether inside a function."""

    source: str
    target: str
    line: int
    in_function: bool


@dataclass
class Graph:
    """Every project module (dotted name → file) and every import between them."""

    modules: dict[str, Path] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def targets(self, source: str) -> set[str]:
        """The modules ``source`` imports."""
        return {edge.target for edge in self.edges if edge.source == source}


def layer_of(module: str) -> int | None:
    """The rank of a module's layer (0 lowest), or None for an unlayered module."""
    if module in UNLAYERED:
        return None
    best: tuple[int, int] | None = None
    for rank, (prefix, _job) in enumerate(LAYERS):
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > best[1]
        ):
            best = (rank, len(prefix))
    return None if best is None else best[0]


def _module_names(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in ("audit", "estimators"):
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, is_package: bool, node: ast.AST, modules: dict[str, Path]) -> set[str]:
    """The project modules one import statement loads (a ``from pkg import sub`` loads ``sub``)."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = module.split(".")[: None if is_package else -1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, *([base] if base else [])])
        subs = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
        names = subs + ([base] if len(subs) < len(node.names) else [])
    resolved = {_resolve(name, modules) for name in names}
    return {name for name in resolved if name and name != module}


def _functions(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def import_graph(root: Path) -> Graph:
    """The import graph of ``audit`` and ``estimators`` under ``root``, read from the source
    (imports under ``if TYPE_CHECKING:`` count: a type is a dependency too)."""
    graph = Graph(modules=_module_names(root))
    for module, path in graph.modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inner = {
            id(node)
            for function in _functions(tree)
            for node in ast.walk(function)
            if isinstance(node, ast.Import | ast.ImportFrom)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in sorted(
                    _imported(module, path.name == "__init__.py", node, graph.modules)
                ):
                    graph.edges.append(Edge(module, target, node.lineno, id(node) in inner))
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.targets(node)):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def upward(graph: Graph) -> list[Edge]:
    """Imports from a lower layer into a higher one."""
    wrong = []
    for edge in graph.edges:
        source, target = layer_of(edge.source), layer_of(edge.target)
        if source is not None and target is not None and target > source:
            wrong.append(edge)
    return wrong


def lazy(graph: Graph) -> list[Edge]:
    """Project imports inside functions, outside the packages allowed them."""
    return [
        edge
        for edge in graph.edges
        if edge.in_function and not edge.source.startswith(LAZY_IMPORTS_ALLOWED)
    ]


def layer_imports(graph: Graph) -> dict[tuple[int, int], int]:
    """(importing layer, imported layer) → how many module pairs import across them (a module
    importing another twice counts once); imports within a layer and unlayered modules left out."""
    pairs = set()
    for edge in graph.edges:
        source, target = layer_of(edge.source), layer_of(edge.target)
        if source is not None and target is not None and source != target:
            pairs.add((source, target, edge.source, edge.target))
    counts: dict[tuple[int, int], int] = {}
    for source, target, _, _ in sorted(pairs):
        counts[(source, target)] = counts.get((source, target), 0) + 1
    return counts

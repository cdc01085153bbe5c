"""The house plan holds: no import cycle, no import up a layer, no lazy import outside the CLI."""

from pathlib import Path

import pytest

from audit.house import LAYERS, Edge, Graph, cycles, import_graph, layer_of, lazy, upward

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(ROOT)


def _lines(edges: list[Edge]) -> str:
    return "; ".join(f"{e.source}:{e.line} imports {e.target}" for e in edges)


def test_no_import_cycle(graph: Graph) -> None:
    assert cycles(graph) == []


def test_no_import_runs_up_a_layer(graph: Graph) -> None:
    assert not upward(graph), _lines(upward(graph))


def test_project_imports_sit_at_the_top_outside_the_cli(graph: Graph) -> None:
    assert not lazy(graph), _lines(lazy(graph))


def test_every_module_has_a_layer(graph: Graph) -> None:
    unplaced = [
        m for m in graph.modules if layer_of(m) is None and m not in {"audit", "audit.house"}
    ]
    assert unplaced == []
    # every layer holds code: a layer left empty by a move is a stale plan
    ranks = {layer_of(m) for m in graph.modules}
    assert ranks >= set(range(len(LAYERS)))


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """A cycle, an upward import and a lazy import, planted in a copy-shaped tree, are found."""
    (tmp_path / "estimators").mkdir()
    (tmp_path / "estimators" / "__init__.py").write_text("")
    pkg = tmp_path / "audit"
    for sub in ("base", "report"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "base" / "a.py").write_text("from audit.report.b import x\n")
    (pkg / "report" / "b.py").write_text(
        "from audit.base import a\n\ndef f():\n    import audit.base.a\n"
    )
    planted = import_graph(tmp_path)
    assert cycles(planted) == [["audit.base.a", "audit.report.b"]]
    assert [(e.source, e.target) for e in upward(planted)] == [("audit.base.a", "audit.report.b")]
    assert [(e.source, e.line) for e in lazy(planted)] == [("audit.report.b", 4)]

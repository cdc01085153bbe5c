"""Generated docs must match the code and the data."""

import re
from pathlib import Path

import pytest

from audit.base.errors import DataError
from audit.cli import app
from audit.docgen import (
    HOUSE_BEGIN,
    HOUSE_END,
    HOUSE_PAGE,
    REBUILD,
    render_all,
    render_house,
    splice_house,
)
from audit.house import LAYERS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_generated_docs_are_up_to_date() -> None:
    pages = render_all(app, DOCS)
    assert HOUSE_PAGE in pages  # the hand-written page with the house block is rebuilt too
    stale = [
        name for name, text in pages.items()
        if not (DOCS / name).is_file() or (DOCS / name).read_text(encoding="utf-8") != text
    ]  # fmt: skip
    why = " (its house picture: a module or an import between layers changed)"
    named = [name + (why if name == HOUSE_PAGE else "") for name in stale]
    assert not stale, f"generated docs drifted: {', '.join(named)} — run `{REBUILD}`"


def test_house_block_is_replaced_and_the_rest_kept() -> None:
    page = f"# Title\n\nbefore\n\n{HOUSE_BEGIN}\nold picture\n{HOUSE_END}\n\nafter\n"
    spliced = splice_house(page, "page.md")
    assert spliced.startswith(f"# Title\n\nbefore\n\n{HOUSE_BEGIN}\n```mermaid\nflowchart TD\n")
    assert spliced.endswith(f"```\n{HOUSE_END}\n\nafter\n".split("```")[-1])
    assert "old picture" not in spliced
    assert splice_house(spliced, "page.md") == spliced  # rebuilding is idempotent


def test_house_block_without_its_markers_names_the_page() -> None:
    with pytest.raises(DataError, match=r"^page\.md: the lines .* must be there"):
        splice_house("# Title\n\nno markers\n", "page.md")


def test_house_picture_is_a_well_formed_flowchart() -> None:
    """Every arrow joins two declared layers and no label holds a character that ends a Mermaid
    statement or label (the page was also parsed by mermaid 11.17's own parser when written)."""
    block = render_house()
    chart = block.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    assert chart[0] == "flowchart TD"
    nodes = [line.split("[", 1) for line in chart[1:] if "[" in line]
    declared = {node.strip() for node, _ in nodes}
    assert len(declared) == len(LAYERS)
    for _, written in nodes:
        label = re.sub(r"#\w+;", "", written)  # entity codes (#59; is a semicolon)
        assert label.startswith('"')
        assert label.endswith('"]')
        assert '"' not in label[1:-2]
        assert ";" not in label
    arrows = [line.split() for line in chart[1:] if "-->" in line]
    assert arrows
    for source, arrow, target in arrows:
        assert {source, target} <= declared
        assert arrow == "-->"

"""Generated docs must match the code and the data."""

from pathlib import Path

from audit.cli import app
from audit.docgen import REBUILD, render_all

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_generated_docs_are_up_to_date() -> None:
    stale = [
        name for name, text in render_all(app).items()
        if not (DOCS / name).is_file() or (DOCS / name).read_text(encoding="utf-8") != text
    ]  # fmt: skip
    assert not stale, f"generated docs drifted: {', '.join(stale)} — run `{REBUILD}`"

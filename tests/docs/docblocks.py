"""Read the fenced code blocks of a documentation page by their tag, so that a test can follow a
recipe's own code (the info string of a block is ``<language> <tag>``, e.g. ``python recipe-rule``)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
_FENCE = re.compile(
    r"^(?P<indent> *)```(?P<info>[^`\n]*)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)


def block(page: str, tag: str) -> str:
    """The one code block of ``docs/<page>`` tagged ``tag``, dedented; an AssertionError says
    which page lacks it (the recipe lost the code its test follows)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = [match for match in _FENCE.finditer(text) if tag in match["info"].split()[1:]]
    assert len(found) == 1, (
        f"docs/{page}: expected one code block tagged {tag!r}, found {len(found)}"
    )
    indent = len(found[0]["indent"])
    lines = found[0]["body"].splitlines(keepends=True)
    return "".join(line[indent:] if line.strip() else "\n" for line in lines)


def steps(page: str, heading: str) -> str:
    """The text of one section of ``docs/<page>`` (from its ``## heading`` to the next one)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def named_paths(section: str) -> list[str]:
    """The project paths a recipe names in backticks (``audit/…``, ``data/…``, ``tests/…``,
    ``report_templates/…``), placeholders (``<name>``) cut at the folder holding them."""
    paths = re.findall(r"`((?:audit|estimators|data|tests|report_templates)/[^`\s]*)`", section)
    return sorted(
        {path[: path.rfind("/", 0, path.find("<")) + 1] if "<" in path else path for path in paths}
    )

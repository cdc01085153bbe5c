"""Every message of the comparison report and the exports has a French translation in the
catalogue (the export lines' texts were merged there from a test-only fragment: issue 19)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from audit.base.resources import templates_dir

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ["compare.html.j2", "sections/compare_overview.html.j2",
             "sections/compare_figures.html.j2", "sections/compare_mix.html.j2"]  # fmt: skip
MODULES = ["audit/tools/compare_report.py", "audit/tools/export.py"]
JINJA = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
KEYWORDS = {"gettext": (2,), "N_": None, "_": None}


def message_ids() -> set[str]:
    ids: set[str] = set()
    for name in TEMPLATES:
        found = extract_from_file("jinja2.ext:babel_extract", templates_dir() / name, options=JINJA)
        ids.update(message for _, message, _, _ in found if isinstance(message, str))
    for module in MODULES:
        found = extract_from_file("python", ROOT / module, keywords=KEYWORDS)
        ids.update(message for _, message, _, _ in found if isinstance(message, str))
    return ids


def translated(path: Path) -> set[str]:
    with path.open("rb") as fh:
        return {str(m.id) for m in read_po(fh) if m.id and m.string}


def test_every_compare_message_has_a_french_translation() -> None:
    ids = message_ids()
    # 36 new (2 for the forecast line, 1 for the energy line), 17 shared with the report
    assert len(ids) == 53
    catalogue = translated(templates_dir() / "locales" / "fr" / "LC_MESSAGES" / "messages.po")
    assert not sorted(ids - catalogue)

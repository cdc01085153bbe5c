"""The French report prints the curated notes of data/ a finding quotes in French; the English
report, audit.json and findings.csv keep the English (machine-readable outputs stay stable)."""

from __future__ import annotations

import html
import json

from tests.report.conftest import Rendered

NBSP = "\u00a0"
ENGLISH = [
    "terms: Suno owns the songs; non-commercial use only",
    "note: French comics artist, died 2012",
    "note: The weights are under a non-commercial licence;",
    "note: Suno now operates under a label settlement (WMG)",
]
FRENCH = [
    f"conditions{NBSP}: Suno est propriétaire des morceaux{NBSP}; usage non commercial uniquement",
    f"note{NBSP}: Auteur de bande dessinée français, décès en 2012",
    f"note{NBSP}: Les poids relèvent d’une licence non commerciale{NBSP};",
    f"note{NBSP}: Suno opère désormais dans le cadre d’un accord transactionnel",
]


def _text(rendered: Rendered, name: str) -> str:
    return html.unescape((rendered.out / name).read_text(encoding="utf-8"))


def test_french_report_shows_the_french_notes(rendered: Rendered) -> None:
    french = _text(rendered, "report.html")
    for line in FRENCH:
        assert line in french
    for line in ENGLISH:
        assert line not in french


def test_english_report_and_machine_outputs_keep_the_english(rendered: Rendered) -> None:
    evidence = [
        line
        for f in json.loads(_text(rendered, "audit.json"))["findings"]
        for line in f["evidence"]
    ]
    for text in (_text(rendered, "report.en.html"), "\n".join(evidence)):
        for line in ENGLISH:
            assert line in text
        for line in FRENCH:
            assert line not in text
    csv_text = _text(rendered, "findings.csv")
    assert "terms: Suno owns the songs; non-commercial use only" in csv_text
    assert "propriétaire" not in csv_text

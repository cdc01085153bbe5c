"""``empreinte report --redact-prompts`` hides the names CLEAR001 finds in prompts (listed
artists, brands, public figures, unlisted "in the style of" names) in every output, as it hides
the prompts themselves: ``name #N`` in audit.json and findings.csv, ``nom n° N`` in French."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from audit.cli import app
from tests.report.report_support import (
    WEASYPRINT_ICC_LEAK,
    pdf_text,
    read_csv,
    squash,
    write_production,
)

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

NBSP = "\u00a0"
PROMPTS = (
    "Phare sous l'orage, art by Greg Rutkowski, a Coca Cola can on the rocks",
    "Vague contre la jetée, dans le style de Jeanne Marivaux",
)
#: Words of the names (and of the lists' notes on them) that must not be in any output.
HIDDEN = ("rutkowski", "coca", "marivaux", "soft drink")


def _production(root: Path) -> Path:
    generations = [
        {"platform": "midjourney", "modality": "image", "created_at": "2026-09-01T10:00:00Z",
         "model": "v7", "prompt": PROMPTS[0], "outputs": '["SC01_SH010_a.png"]'},
        {"platform": "midjourney", "modality": "image", "created_at": "2026-09-02T10:00:00Z",
         "model": "v7", "prompt": PROMPTS[1], "outputs": '["SC01_SH020_b.png"]'},
    ]  # fmt: skip
    shots = [
        {"shot_id": "SC01_SH010", "duration_s": "4", "media": "SC01_SH010_a.png"},
        {"shot_id": "SC01_SH020", "duration_s": "3", "media": "SC01_SH020_b.png"},
    ]
    return write_production(root, {"title": "Phare"}, {"generations.csv": generations}, shots)


def _report(root: Path, out: Path, *extra: str) -> None:
    args = ["report", str(root), "--out", str(out), "--as-of", "2026-11-20"]
    result = CliRunner().invoke(app, [*args, "--lang", "fr", "--lang", "en", *extra])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _production(tmp_path_factory.mktemp("names") / "film")


def _clear(out: Path) -> list[dict[str, object]]:
    findings = json.loads((out / "audit.json").read_bytes())["findings"]
    return [f for f in findings if f["code"] == "CLEAR001"]


def test_without_redaction_the_names_are_quoted(film: Path, tmp_path: Path) -> None:
    _report(film, tmp_path / "out")
    names = sorted(str(f["params"]["name"]) for f in _clear(tmp_path / "out"))  # type: ignore[index]
    assert names == ["Coca-Cola", "Greg Rutkowski", "Jeanne Marivaux"]


def test_redacted_report_hides_the_names_from_prompts(film: Path, tmp_path: Path) -> None:
    out = tmp_path / "redacted"
    _report(film, out, "--redact-prompts")
    clear = _clear(out)
    assert sorted(str(f["params"]["name"]) for f in clear) == ["name #1", "name #2", "name #3"]  # type: ignore[index]
    reader = pypdf.PdfReader(out / "report.pdf")
    texts = {
        "audit.json": (out / "audit.json").read_text(encoding="utf-8"),
        "findings.csv": (out / "findings.csv").read_text(encoding="utf-8"),
        "generations.csv": (out / "generations.csv").read_text(encoding="utf-8"),
        "report.html": (out / "report.html").read_text(encoding="utf-8"),
        "report.en.html": (out / "report.en.html").read_text(encoding="utf-8"),
        "attached audit.json": reader.attachments["audit.json"][0].decode("utf-8"),
        "PDF text (fr)": pdf_text(out / "report.pdf"),
        "PDF text (en)": pdf_text(out / "report.en.pdf"),
    }
    for name, text in texts.items():
        leaked = [word for word in HIDDEN if word in squash(text).lower()]
        assert leaked == [], f"{leaked} in {name}"
    assert [row["code"] for row in read_csv(out / "findings.csv")].count("CLEAR001") == 3
    assert f"«{NBSP}nom n°{NBSP}1{NBSP}»" in texts["report.html"]
    assert "“name #1”" in texts["report.en.html"]
    assert "“name #1”" in texts["audit.json"]

"""The 100-shot rule: a film of 105 picture shots prints the 100 with the largest carbon central
value, with the "truncated" note; audit.json keeps every shot."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from audit.pipeline import Options, run
from audit.report.context import MAX_SHOTS_IN_PDF
from audit.report.write import write_all
from tests.report.report_support import WEASYPRINT_ICC_LEAK, pdf_text, sections, write_production

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

SHOTS = 105
NOTE = "The table shows the shots with the largest footprint"


def _shot(number: int) -> str:
    return f"SC01_SH{number:03d}"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Kling video per shot, the n-th lasting 1 + n/20 s: footprint grows with n, so the
    five shots SC01_SH001…SC01_SH005 are the smallest and the ones left out of the table."""
    root = tmp_path_factory.mktemp("many-shots") / "film"
    generations = [
        {
            "platform": "kling",
            "modality": "video",
            "created_at": f"2026-09-01T{n // 60:02d}:{n % 60:02d}:00Z",
            "model": "kling-v2-1",
            "duration_s": f"{1 + n / 20:g}",
            "outputs": f'["{_shot(n)}_take1.mp4"]',
        }
        for n in range(1, SHOTS + 1)
    ]
    shots = [
        {"shot_id": _shot(n), "duration_s": "1", "media": f"{_shot(n)}_take1.mp4"}
        for n in range(1, SHOTS + 1)
    ]
    write_production(root, {"runtime_s": SHOTS}, {"kling.csv": generations}, shots)
    target = root.parent / "out"
    write_all(run(root, Options(as_of=date(2026, 11, 20))), target, ["en"], redact_prompts=False)
    return target


def test_audit_json_has_every_shot(out: Path) -> None:
    doc = json.loads((out / "audit.json").read_bytes())
    shots = {s["shot_id"]: s for s in doc["shots"]}
    assert sorted(shots) == [_shot(n) for n in range(1, SHOTS + 1)]
    assert {s["kind"] for s in shots.values()} == {"picture"}
    assert {s["kept"] for s in shots.values()} == {1}
    carbon = [shots[_shot(n)]["carbon_g_central"] for n in range(1, SHOTS + 1)]
    assert carbon == sorted(carbon)
    assert len(set(carbon)) == SHOTS


def test_html_table_shows_the_top_100_with_the_note(out: Path) -> None:
    shots = sections((out / "report.html").read_text(encoding="utf-8"))["shots"]
    assert MAX_SHOTS_IN_PDF == 100
    assert NOTE in shots
    rows = [row.split("</td>", 1)[0] for row in shots.split("<tr><td>")[1:]]
    assert rows == [_shot(n) for n in range(SHOTS, 5, -1)]  # largest first


def test_pdf_shows_the_top_100_with_the_note(out: Path) -> None:
    text = pdf_text(out / "report.pdf")
    assert NOTE in text
    assert [n for n in range(1, SHOTS + 1) if _shot(n) not in text] == [1, 2, 3, 4, 5]

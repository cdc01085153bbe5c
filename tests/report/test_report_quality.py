"""The data-quality box (issue 17): on page 2 of the example's report, and its counts on a
production holding an unreadable file, a rejected record and work in progress."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from audit.base.i18n import Formatter, gettext
from audit.cli import app
from audit.pipeline import Options, run
from audit.report.quality import data_quality
from tests.report.conftest import Rendered
from tests.report.report_support import WEASYPRINT_ICC_LEAK


@pytest.mark.slow
@WEASYPRINT_ICC_LEAK
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_box_is_on_page_two(rendered: Rendered, lang: str) -> None:
    page = pypdf.PdfReader(rendered.pdf(lang)).pages[1].extract_text()
    assert gettext(lang, "Data quality") in page
    assert (
        gettext(lang, "Share of the energy measured / estimated per model / from a fallback band")
        in page
    )


def test_counts_of_a_production_with_gaps(tmp_path: Path) -> None:
    assert CliRunner().invoke(app, ["init", str(tmp_path)]).exit_code == 0
    logs = tmp_path / "logs"
    (logs / "journal.csv").write_text(
        "platform,modality,created_at,width,height\n"
        "kling,video,2026-09-01T10:00:00Z,1280,720\n"
        "kling,photo,2026-09-01T10:01:00Z,1280,720\n",
        encoding="utf-8",
    )
    (logs / "x.json").write_text('{"code": 0, "data": {}}', encoding="utf-8")
    (logs / "create.json").write_text(json.dumps({
        "code": 0, "data": {"task_id": "9", "task_status": "processing",
                            "created_at": 1788256800000},
    }), encoding="utf-8")  # fmt: skip
    (logs / ".DS_Store").write_bytes(b"\x00")
    done = run(tmp_path, Options(as_of=date(2026, 11, 20), lenient=True, require_timeline=False))
    box = data_quality(done, Formatter("en"))
    assert (box.files_read, box.unclaimed, box.skipped) == ("5", "1", "2")
    assert (box.rejected, box.pending) == ("1", "1")
    assert box.pending_energy.endswith("Wh")
    assert box.filtered == ""  # none blocked: no row
    assert box.unread_lines == ["logs/x.json: JSON of no known shape (keys: code, data)"]
    assert box.incomplete is True
    shares = [box.measured, box.model, box.band]
    assert all(share.endswith("%") for share in shares)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_generations_blocked_by_a_safety_filter_are_counted(tmp_path: Path, lang: str) -> None:
    """A platform refusing a prompt (status ``filtered``: OpenAI's ``content_filter``, Runway's
    moderation failures) still ran: the box says how many such generations were estimated as
    runs without output, in the report's language; the row is absent when there are none."""
    from audit.report.write import render_html

    assert CliRunner().invoke(app, ["init", str(tmp_path)]).exit_code == 0
    (tmp_path / "logs" / "journal.csv").write_text(
        "platform,modality,created_at,width,height,status\n"
        "kling,video,2026-09-01T10:00:00Z,1280,720,succeeded\n"
        "kling,video,2026-09-01T10:01:00Z,1280,720,filtered\n"
        "kling,video,2026-09-01T10:02:00Z,1280,720,filtered\n",
        encoding="utf-8",
    )
    done = run(tmp_path, Options(as_of=date(2026, 11, 20), require_timeline=False))
    assert data_quality(done, Formatter(lang)).filtered == "2"
    row = gettext(
        lang, "Generations blocked by a platform's safety filter, estimated as runs without output"
    )
    html = render_html(done, lang)
    assert row in html.replace("&#39;", "'")
    assert lang == "en" or "filtre de sécurité" in row

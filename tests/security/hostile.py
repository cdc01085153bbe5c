"""Hostile production folders for the security corpus (tests/security/): a small valid production
written by ``write_production``, then planted with what a stranger could put in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from audit.cli import app
from tests.report.report_support import write_production

AS_OF = "2026-11-20"


def small_film(root: Path, **production: Any) -> Path:
    """Two Midjourney images cut into two shots; ``production`` overrides production.yaml."""
    generations = [
        {"platform": "midjourney", "modality": "image", "created_at": "2026-09-01T10:00:00Z",
         "model": "v7", "prompt": "Phare sous l'orage", "outputs": '["SC01_SH010_a.png"]'},
        {"platform": "midjourney", "modality": "image", "created_at": "2026-09-02T10:00:00Z",
         "model": "v7", "prompt": "Vague contre la jetée", "outputs": '["SC01_SH020_b.png"]'},
    ]  # fmt: skip
    shots = [
        {"shot_id": "SC01_SH010", "duration_s": "4", "media": "SC01_SH010_a.png"},
        {"shot_id": "SC01_SH020", "duration_s": "3", "media": "SC01_SH020_b.png"},
    ]
    fields = {"title": "Phare", **production}
    return write_production(root, fields, {"generations.csv": generations}, shots)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def report(film: Path, *extra: str) -> Result:
    return invoke("report", str(film), "--as-of", AS_OF, *extra)


def one_line_error(result: Result, code: int = 2) -> str:
    """The result is exit ``code`` with exactly one ``empreinte: error:`` line and no traceback."""
    assert result.exit_code == code, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("empreinte: error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]

"""``compare`` reads audit.json files from anyone: deep nesting, ``1e999`` and an emoji title are
one line (exit 2) or a correct comparison, never a traceback (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report.report_support import WEASYPRINT_ICC_LEAK
from tests.security.hostile import invoke, one_line_error, report, small_film

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]


@pytest.fixture(scope="module")
def audit_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    film = small_film(tmp_path_factory.mktemp("cmp") / "film")
    assert report(film, "--lang", "en").exit_code == 0
    return film / "out" / "audit.json"


def _variant(audit_json: Path, tmp_path: Path, edit: str, value: str) -> Path:
    """audit.json with ``production[edit]`` replaced by the raw JSON text ``value``."""
    doc = json.loads(audit_json.read_text("utf-8"))
    doc["production"][edit] = "@@VALUE@@"
    path = tmp_path / f"{edit}.json"
    path.write_text(json.dumps(doc).replace('"@@VALUE@@"', value), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("runtime_s", "1e999", "/production/runtime_s: expected a finite number (got inf)"),
     ("runtime_s", "9" * 400, "/production/runtime_s: expected a finite number"),
     ("notes", "[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply (100002 levels")],
    ids=["1e999", "huge-integer", "deep"],
)  # fmt: skip
def test_hostile_audit_json_is_one_line(
    audit_json: Path, tmp_path: Path, field: str, value: str, message: str
) -> None:
    hostile = _variant(audit_json, tmp_path, field, value)
    line = one_line_error(invoke("compare", str(audit_json), str(hostile)))
    assert message in line


def test_emoji_and_cjk_title_is_compared(audit_json: Path, tmp_path: Path) -> None:
    other = _variant(audit_json, tmp_path, "title", json.dumps("Phare 🎬 灯台"))
    result = invoke("compare", str(audit_json), str(other), "--out", str(tmp_path / "cmp"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cmp" / "compare.pdf").read_bytes().startswith(b"%PDF")

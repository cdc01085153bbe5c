"""Nothing silent on real records (issue 17), end to end through the command line: no report of
zeros, rights ledgers kept as workbooks, every file of rights/ accounted for, work in progress
counted in a strict run. Test data is written here, by hand."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from audit.base.errors import LedgerError
from audit.cli import app
from audit.ingest.ledgers import load_ledgers
from audit.pipeline import Options, run

runner = CliRunner()
AS_OF = "2026-11-20"


def _film(tmp_path: Path) -> Path:
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    return tmp_path


def _journal(film: Path) -> None:
    (film / "logs" / "journal.csv").write_text(
        "platform,modality,created_at,width,height\nkling,video,2026-09-01T10:00:00Z,1280,720\n",
        encoding="utf-8",
    )


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())


@pytest.mark.parametrize("command", ["estimate", "report"])
def test_no_accepted_generation_is_exit_2_not_a_zero_report(tmp_path: Path, command: str) -> None:
    film = _film(tmp_path)
    (film / "logs" / "m.csv").write_text(
        "platform,modalty,created_at\nkling,video,2026-09-01T10:00:00Z\n", encoding="utf-8"
    )
    result = runner.invoke(app, [command, str(film), "--as-of", AS_OF, "--lenient"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert result.output.startswith(
        "empreinte: error: logs/: no generation accepted (1 files in logs/, 1 unclaimed, 0 records "
        "rejected, 1 skipped): nothing to report; --allow-empty writes it anyway — logs/m.csv: "
        "header has unknown column 'modalty' (did you mean 'modality'?)"
    )


def test_a_cut_without_any_record_is_reported_as_not_computed(tmp_path: Path) -> None:
    """A folder holding only its cut (as a cinematographer checks an editor's export before any
    record is gathered, or the pre-stop hook checks a real timeline): the report covers the cut and
    says its footprint was not computed, where records given but none accepted stay exit 2."""
    film = _film(tmp_path)
    (film / "timeline" / "shots.csv").write_text("shot_id,duration_s\nSH010,5\n", "utf-8")
    out = film / "out"
    result = runner.invoke(app, ["report", str(film), "--as-of", AS_OF, "--out", str(out),
                                 "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    audit = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert audit["timeline"]["duration_s"] == 5.0
    assert "Its footprint was not computed (it is not zero)" in (out / "report.html").read_text()
    _journal(film)  # now a record is given, in a file no adapter reads as a generation
    (film / "logs" / "journal.csv").write_text("nothing,useful\n1,2\n", encoding="utf-8")
    refused = runner.invoke(app, ["report", str(film), "--as-of", AS_OF, "--out", str(out)])
    assert refused.exit_code == 2


def test_allow_empty_makes_the_estimate_anyway(tmp_path: Path) -> None:
    film = _film(tmp_path)
    args = ["estimate", str(film), "--as-of", AS_OF, "--allow-empty", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["records"]["accepted"] == 0
    assert data["skipped"] == ["logs/README.txt: skipped: notes beside the records"]


def test_strict_estimate_completes_with_work_in_progress(tmp_path: Path) -> None:
    """A Kling create response (task still ``submitted``) beside a finished record: the strict
    run completes and counts it; its energy is that of a full run of its kind."""
    film = _film(tmp_path)
    _journal(film)
    (film / "logs" / "kling-create.json").write_text(json.dumps({
        "code": 0, "message": "SUCCEED", "request_id": "r-1",
        "data": {"task_id": "871", "task_status": "submitted", "task_info": {},
                 "created_at": 1788256800000, "updated_at": 1788256800000},
    }), encoding="utf-8")  # fmt: skip
    result = runner.invoke(app, ["estimate", str(film), "--as-of", AS_OF, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["records"]["accepted"], data["records"]["pending"]) == (2, 1)
    done = run(film, Options(as_of=date(2026, 11, 20), require_timeline=False))
    table = done.footprint.table.set_index("id")
    assert table.loc["kling:871", "energy_wh_central"] > 0


def test_ledger_kept_as_a_workbook_is_read_with_cell_locators(tmp_path: Path) -> None:
    film = _film(tmp_path)
    (film / "rights" / "sources.csv").unlink()
    rows: list[list[object]] = [
        ["asset", "kind", "licence", "holder"],
        ["stills/pier.png", "photo", "own work", "the production"],
    ]
    _workbook(film / "rights" / "sources.xlsx", {"Feuil1": rows})
    ledgers = load_ledgers(film)
    (source,) = ledgers.sources
    assert (source.asset, source.kind.value, source.where) == (
        "stills/pier.png", "photo", "rights/sources.xlsx:Feuil1!2",
    )  # fmt: skip
    assert "rights/sources.xlsx" in ledgers.files
    rows.append(["stills/cliff.png", "painting", "own work", ""])
    _workbook(film / "rights" / "sources.xlsx", {"Notes": [["x"]], "Sources": rows})
    with pytest.raises(LedgerError) as caught:
        load_ledgers(film)
    assert str(caught.value).startswith(
        "rights/sources.xlsx:Sources!B3: kind: not an allowed value (got 'painting'); allowed:"
    )


def test_two_files_for_one_ledger_are_refused(tmp_path: Path) -> None:
    film = _film(tmp_path)
    _workbook(film / "rights" / "plans.xlsx", {"plans": [["platform", "tier"], ["suno", "pro"]]})
    with pytest.raises(LedgerError, match=r"two files for one ledger \(rights/plans\.csv and"):
        load_ledgers(film)


def test_every_file_of_rights_is_accounted_for(tmp_path: Path) -> None:
    film = _film(tmp_path)
    _journal(film)
    (film / "timeline" / "shots.csv").write_text("shot_id,duration_s\nSH010,5\n", encoding="utf-8")
    (film / "rights" / "licences.csv").write_text("asset,licence\nx.png,CC-BY\n", "utf-8")
    (film / "rights" / "contrat.pdf").write_bytes(b"%PDF-1.7\n")
    strict = runner.invoke(app, ["audit", str(film), "--as-of", AS_OF])
    assert strict.exit_code == 2
    assert "rights/licences.csv: not a ledger" in strict.output
    lenient = runner.invoke(app, ["audit", str(film), "--as-of", AS_OF, "--lenient"])
    assert lenient.exit_code == 0, lenient.output
    assert "unread: rights/contrat.pdf: not read: no ledger row names it" in lenient.output
    assert "unread: rights/licences.csv: not a ledger: the ledgers are" in lenient.output


def test_one_workbook_with_a_sheet_per_ledger(tmp_path: Path) -> None:
    film = _film(tmp_path)
    for name in ("sources.csv", "consents.csv", "plans.csv"):
        (film / "rights" / name).unlink()
    _workbook(film / "rights" / "droits.xlsx", {
        "Sources": [["asset", "kind", "licence"], ["stills/pier.png", "photo", "own work"]],
        "Plans": [["platform", "tier", "from"], ["suno", "Pro", "2026-09-01"]],
        "Consents": [["person", "kind"]],
    })  # fmt: skip
    ledgers = load_ledgers(film)
    assert ledgers.files == ("rights/droits.xlsx",)
    assert [row.where for row in (*ledgers.sources, *ledgers.plans)] == [
        "rights/droits.xlsx:Sources!2", "rights/droits.xlsx:Plans!2",
    ]  # fmt: skip
    assert ledgers.consents == ()
    (film / "rights" / "plans.csv").write_text("platform,tier\nsuno,Pro\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"two files for one ledger \(rights/plans\.csv and"):
        load_ledgers(film)

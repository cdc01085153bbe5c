"""report.xlsx, read back with openpyxl as a producer's spreadsheet would open it: sheets and
headers in the report's language, typed cells, number and date formats, frozen header row,
filters, formulas never written from text, and the same bytes from one run to the next."""

from __future__ import annotations

import datetime as dt
import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from audit.base import columns as col
from audit.base.i18n import Formatter, gettext
from audit.base.labels import MODALITY_LABELS, STATUS_LABELS
from audit.base.resources import example_dir
from audit.base.safetext import neutralise_csv_cell
from audit.ingest.registry import platforms
from audit.pipeline import AuditRun, Options, run
from audit.report import sheetxml, workbook
from audit.report.generations import generations_frame
from audit.report.workbook import workbook_bytes
from tests.report.conftest import Rendered

SHEETS = {
    "fr": ["Générations", "Plans", "Constats", "Plateformes", "Sources"],
    "en": ["Generations", "Shots", "Findings", "Platforms", "Sources"],
}


def _book(rendered: Rendered, lang: str) -> openpyxl.Workbook:
    name = "report.xlsx" if lang == "fr" else f"report.{lang}.xlsx"
    return openpyxl.load_workbook(io.BytesIO((rendered.out / name).read_bytes()))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sheets_in_the_report_language(rendered: Rendered, lang: str) -> None:
    book = _book(rendered, lang)
    assert book.sheetnames == SHEETS[lang]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B2"
        assert sheet.auto_filter.ref is not None
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.b for cell in sheet[1])


def test_generations_sheet_is_french_and_typed(rendered: Rendered, example_run: AuditRun) -> None:
    sheet = _book(rendered, "fr")["Générations"]
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Génération", "Plateforme", "Modèle", "Modalité", "Créée le (UTC)"]
    assert "Énergie, centrale (Wh)" in header
    assert sheet.max_row == len(example_run.link.table) + 1
    column = {name: index for index, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2))
    first = rows[0]
    assert isinstance(first[column["Créée le (UTC)"]].value, dt.datetime)
    assert first[column["Créée le (UTC)"]].number_format == "dd/mm/yyyy hh:mm"
    widths = [r[column["Largeur (px)"]].value for r in rows]
    assert 1456 in widths  # Midjourney 16:9, an integer cell
    assert {type(r[column["Retenue au montage"]].value) for r in rows} == {bool}
    energy = [r[column["Énergie, centrale (Wh)"]] for r in rows]
    assert all(isinstance(c.value, int | float) for c in energy)
    assert {c.number_format for c in energy} == {"#,##0.00"}
    total_wh = sum(c.value for c in energy)
    assert total_wh == pytest.approx(example_run.aggregates.totals["energy_wh"].central)
    assert {r[column["État"]].value for r in rows} <= {"réussie", "échouée", "annulée",
                                                       "en attente", "filtrée"}  # fmt: skip


def test_findings_sheet_in_french(rendered: Rendered, example_run: AuditRun) -> None:
    sheet = _book(rendered, "fr")["Constats"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(example_run.findings)
    assert {r[0] for r in rows} <= {"Bloquant", "Avertissement", "Information"}
    consent = next(r for r in rows if r[1] == "CONSENT003")
    assert "prend fin le 31 janvier 2027" in consent[3]


def test_sound_cues_are_named(rendered: Rendered) -> None:
    names = [row[0].value for row in _book(rendered, "fr")["Plans"].iter_rows(min_row=2)]
    assert not [n for n in names if str(n).startswith("cue:")]
    assert any(str(n).startswith("Voix — ") for n in names)


def test_text_never_becomes_a_formula(tmp_path: Path) -> None:
    """A prompt written as a formula (OWASP CSV injection) is a text cell with a leading '."""
    example = example_dir()
    audit_run = run(example, Options(as_of=date(2026, 11, 20)))
    frame = generations_frame(audit_run, redact_prompts=False)
    frame.loc[frame.index[0], "prompt"] = '=HYPERLINK("http://x.example","clic")'
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(audit_run, "en", frame)))
    sheet = book["Generations"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Prompt") + 1)
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x.example","clic")'
    again = workbook_bytes(audit_run, "en", frame)
    assert again == workbook_bytes(audit_run, "en", frame)


EDGES = [
    " leading space",
    "trailing space ",
    "   ",
    "",
    "a <b> & c",
    "#N/A",
    "line\nbreak\ttab",
    "=SUM(A1)",
    "-12.5",
    "ünïcödé ✓ 🎬",
]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_fast_rows_are_the_bytes_openpyxl_writes(example_run: AuditRun, lang: str) -> None:
    """audit/report/sheetxml.py writes the rows openpyxl would: the same workbook, byte for byte,
    on the example and on text at the edges (spaces kept, escaped characters, an error code,
    empty text); text longer than a cell holds sends the sheet through openpyxl."""
    frame = generations_frame(example_run, redact_prompts=False)
    rows = [["x" * 40_000, 1.5], [None, float("nan")]]
    assert sheetxml.handles(rows[1:], [None, "#,##0"])
    assert not sheetxml.handles(rows, [None, "#,##0"])
    assert workbook_bytes(example_run, lang, frame) == workbook_bytes(
        example_run, lang, frame, fast=False
    )
    edged = frame.copy()
    edged["prompt"] = [EDGES[k % len(EDGES)] for k in range(len(frame))]
    edged["source_locator"] = [EDGES[(k + 3) % len(EDGES)] for k in range(len(frame))]
    edged.loc[edged.index[:5], "width"] = float("nan")
    fast = workbook_bytes(example_run, lang, edged, total=len(edged) + 7)
    assert fast == workbook_bytes(example_run, lang, edged, total=len(edged) + 7, fast=False)
    sheet = openpyxl.load_workbook(io.BytesIO(fast)).worksheets[0]
    assert sheetxml.handles([[neutralise_csv_cell(v)] for v in EDGES], [None])  # the fast way
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert {" leading space", "trailing space ", "a <b> & c", "#N/A", "'=SUM(A1)"} <= values


def _rows_by_record(fmt: Formatter, frame: pd.DataFrame) -> list[list[Any]]:
    """The generations sheet's rows built a record at a time, as workbook.py built them before
    it read the frame column by column."""
    return [
        [
            r["id"],
            platforms().title(r["platform"], fmt.lang),
            r["model"],
            gettext(fmt.lang, MODALITY_LABELS.get(r["modality"], r["modality"])),
            workbook._timestamp(r["created_at"]),
            r["shot_id"] or None,
            bool(r["kept"]),
            workbook._status(fmt, r["status"]),
            *(workbook._number(r[k]) for k in ("outputs_count", "width", "height", "duration_s")),
            *workbook._impacts(r),
            gettext(fmt.lang, STATUS_LABELS.get(r[col.STATUS], r[col.STATUS])),
            r["grid_region"],
            r["prompt"] or None,
            r["source_file"],
            r["source_locator"],
        ]
        for r in frame.to_dict("records")
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_generation_columns_are_the_records_cells(example_run: AuditRun, lang: str) -> None:
    """Column by column, the same cells (values and types) as a record at a time, missing
    values and an unknown platform, modality and status included."""
    fmt = Formatter(lang)
    frame = generations_frame(example_run, redact_prompts=False)
    edged = frame.copy()
    edged.loc[edged.index[:3], ["width", "duration_s"]] = float("nan")
    edged.loc[edged.index[3], ["shot_id", "prompt"]] = ""
    edged.loc[edged.index[4], ["platform", "modality", "status"]] = "unheard-of"
    for table in (frame, edged):
        columns = workbook._generation_columns(fmt, table)
        rows = [list(row) for row in zip(*columns, strict=True)]
        assert repr(rows) == repr(_rows_by_record(fmt, table))
    # no generation at all: the frame has no columns either (a cut without any record)
    assert workbook._generations(example_run, fmt, pd.DataFrame(), 0).rows == []

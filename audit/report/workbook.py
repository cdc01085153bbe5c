"""report.xlsx: the audit as a workbook for people (``report`` writes one per language, beside the
CSV files, which stay the machine format).

Five sheets — generations, shots, findings, platforms, sources — with headers in the report's
language, typed cells (numbers as numbers, dates as dates, kept as a boolean), number formats, a
frozen header row and filters. Spreadsheets show the numbers the reader's way (``1 234,5`` in a
French Excel or LibreOffice); every text cell goes through :func:`neutralise_csv_cell` first, so
that a prompt starting with ``=`` stays text (openpyxl would write it as a formula). The file is
the same byte for byte from one run to the next: document dates are ``--as-of`` and the zip
entries are stamped with it too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from audit.base import columns as col
from audit.base.i18n import N_, Formatter, gettext
from audit.base.labels import MODALITY_LABELS, SEVERITIES, STATUS_LABELS
from audit.base.safetext import neutralise_csv_cell
from audit.ingest.registry import platforms
from audit.report import context, sheetxml
from audit.report.cues import cue_label, cue_labels
from audit.report.render import REDACTED
from audit.report.sections import grids, methodology
from audit.rights.base import redact_text

if TYPE_CHECKING:
    import pandas as pd

    from audit.pipeline import AuditRun
    from audit.report.contract_method import Methodology

INTEGER = "#,##0"
DECIMAL = "#,##0.00"
FINE = "#,##0.000"
DATES = {"fr": "dd/mm/yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}
MG_PER_KG = 1e6


@dataclass(frozen=True)
class Column:
    """One column of a workbook sheet: its header (a message id, translated when written), number
    format and width."""

    header: str  # message id
    number_format: str | None = None
    width: int = 14


def _impact_columns() -> list[Column]:
    """Central value then low and high of energy and carbon; water and ADPe central."""
    return [
        Column(N_("Energy, central (Wh)"), DECIMAL),
        Column(N_("Energy, low (Wh)"), DECIMAL),
        Column(N_("Energy, high (Wh)"), DECIMAL),
        Column(N_("Carbon, central (g CO₂e)"), DECIMAL),
        Column(N_("Carbon, low (g CO₂e)"), DECIMAL),
        Column(N_("Carbon, high (g CO₂e)"), DECIMAL),
        Column(N_("Water, central (L)"), FINE),
        Column(N_("ADPe, central (mg Sb eq.)"), FINE),
    ]


def _impacts(row: Any) -> list[float]:
    """Energy and carbon (central, low, high), water and ADPe (central) of a row."""
    energy, carbon = col.range_of(row, col.ENERGY), col.range_of(row, col.CARBON)
    return [
        *(energy.central, energy.low, energy.high),
        *(carbon.central, carbon.low, carbon.high),
        float(row[col.central(col.WATER)]),
        float(row[col.central(col.ADPE)]) * MG_PER_KG,
    ]


def _timestamp(text: Any) -> dt.datetime | None:
    """An ISO date-time as a naive UTC datetime (spreadsheets hold no time zone)."""
    if not isinstance(text, str) or not text:
        return None
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _number(value: Any) -> Any:
    """A whole or decimal number as itself, a missing one as an empty cell."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


def _generations(run: AuditRun, fmt: Formatter, frame: pd.DataFrame, total: int) -> Sheet:
    columns = [
        Column(N_("Generation"), width=28), Column(N_("Platform")),
        Column(N_("Model"), width=18), Column(N_("Modality")),
        Column(N_("Created (UTC)"), DATES[fmt.lang], 17), Column(N_("Shot"), width=16),
        Column(N_("Kept in the cut")), Column(N_("Status")),
        Column(N_("Outputs"), INTEGER, 10), Column(N_("Width (px)"), INTEGER, 10),
        Column(N_("Height (px)"), INTEGER, 10), Column(N_("Duration (s)"), DECIMAL, 10),
        *_impact_columns(),
        Column(N_("Method"), width=30), Column(N_("Electricity grid"), width=10),
        Column(N_("Prompt"), width=40), Column(N_("Source file"), width=34),
        Column(N_("Line or pointer"), width=14),
    ]  # fmt: skip
    rows = (
        [list(r) for r in zip(*_generation_columns(fmt, frame), strict=True)] if len(frame) else []
    )
    return Sheet(N_("Generations"), columns, rows, _capped(fmt, len(rows), total))


_SIZES = ("outputs_count", "width", "height", "duration_s")  #: numbers; missing ones left empty


def _generation_columns(fmt: Formatter, frame: pd.DataFrame) -> list[list[Any]]:
    """The sheet's cells column by column, as ``frame.to_dict("records")`` rows gave them."""

    def values(name: str) -> list[Any]:
        return frame[name].tolist()

    def labelled(name: str, label: Callable[[Any], Any]) -> list[Any]:
        done: dict[Any, Any] = {}
        return [done[v] if v in done else done.setdefault(v, label(v)) for v in values(name)]

    def floats(name: str, scale: float = 1.0) -> list[float]:  # x * 1.0 is x, exactly
        return [float(v) * scale for v in values(name)]

    impacts = (col.columns(col.ENERGY), col.columns(col.CARBON))
    return [
        values("id"),
        labelled("platform", lambda key: platforms().title(key, fmt.lang)),
        values("model"),
        labelled("modality", lambda m: gettext(fmt.lang, MODALITY_LABELS.get(m, m))),
        [_timestamp(v) for v in values("created_at")],
        [v or None for v in values("shot_id")],
        [bool(v) for v in values("kept")],
        labelled("status", lambda status: _status(fmt, status)),
        *([_number(v) for v in values(name)] for name in _SIZES),
        *(floats(names[k]) for names in impacts for k in (1, 0, 2)),  # central, low, high
        floats(col.central(col.WATER)),
        floats(col.central(col.ADPE), MG_PER_KG),
        labelled(col.STATUS, lambda s: gettext(fmt.lang, STATUS_LABELS.get(s, s))),
        values("grid_region"),
        [v or None for v in values("prompt")],
        values("source_file"),
        values("source_locator"),
    ]


def _capped(fmt: Formatter, shown: int, total: int) -> str | None:
    """The line under a generations sheet that holds only the first rows (docs/performance.md:
    a workbook is for people; generations.csv holds every row)."""
    if total <= shown:
        return None
    text = gettext(
        fmt.lang,
        "The first %(shown)s of %(total)s generations, by creation date: every generation is in "
        "generations.csv.",
    )
    return text % {"shown": fmt.number(shown, 0), "total": fmt.number(total, 0)}


STATUS_WORDS = {
    "succeeded": N_("succeeded"), "failed": N_("failed"), "cancelled": N_("cancelled"),
    "pending": N_("pending"), "filtered": N_("filtered"),
}  # fmt: skip


def _status(fmt: Formatter, status: Any) -> str:
    text = str(status or "")
    return gettext(fmt.lang, STATUS_WORDS[text]) if text in STATUS_WORDS else text


def _shots(run: AuditRun, fmt: Formatter) -> Sheet:
    labels = cue_labels(run, fmt.lang)
    columns = [
        Column(N_("Shot or cue"), width=30), Column(N_("Sequence"), width=10),
        Column(N_("Duration (s)"), DECIMAL, 10), Column(N_("Kept"), INTEGER, 8),
        Column(N_("Ancestors"), INTEGER, 10), Column(N_("Other attempts"), INTEGER, 10),
        Column(N_("Generations"), INTEGER, 10), *_impact_columns(),
        Column(N_("Platforms"), width=26),
    ]  # fmt: skip
    rows = [
        [
            cue_label(labels, r["shot_id"]),
            r["sequence"] or None,
            _number(r["duration_s"]),
            int(r["kept"]),
            int(r["ancestors"]),
            int(r["attempts"]),
            int(r["generations"]),
            *_impacts(r),
            r["platforms"],
        ]
        for r in run.aggregates.by_shot.to_dict("records")  # Python values, as iterrows gave
    ]
    return Sheet(N_("Shots"), columns, rows)


def _findings(run: AuditRun, fmt: Formatter) -> Sheet:
    columns = [
        Column(N_("Severity"), width=14), Column(N_("Code"), width=12),
        Column(N_("Rule"), width=28), Column(N_("Finding"), width=70),
        Column(N_("Evidence"), width=50), Column(N_("How to fix"), width=60),
    ]  # fmt: skip
    labels = {severity: gettext(fmt.lang, label) for severity, label in SEVERITIES}
    rows = []
    for item in run.findings:
        shown = context.finding_card(item, fmt)
        evidence = context._LIST_SEPARATOR.get(fmt.lang, "; ").join(item.local_evidence(fmt))
        rows.append(
            [labels[item.severity], item.code, item.name, shown.message, evidence, shown.fix]
        )
    return Sheet(N_("Findings"), columns, rows)


def _platforms(run: AuditRun, fmt: Formatter) -> Sheet:
    regions = {p: ", ".join(f"{fmt.territory(c)} ({c})" for c in g) for p, g in grids(run).items()}
    columns = [
        Column(N_("Platform"), width=16), Column(N_("Generations"), INTEGER, 12),
        Column(N_("Outputs"), INTEGER, 10), *_impact_columns(),
        Column(N_("Electricity grid"), width=12),
    ]  # fmt: skip
    rows = [
        [
            platforms().title(r["platform"], fmt.lang),
            int(r["generations"]),
            int(r["outputs"]),
            *_impacts(r),
            regions.get(r["platform"], ""),
        ]
        for _, r in run.aggregates.by_platform.iterrows()
    ]
    return Sheet(N_("Platforms"), columns, rows)


def _sources(run: AuditRun, fmt: Formatter, method: Methodology) -> Sheet:
    entries = {entry.ref: entry for entry in method.bibliography}
    registry = run.footprint.registry
    columns = [
        Column(N_("Coefficient"), width=30), Column(N_("Low"), "General", 10),
        Column(N_("Central"), "General", 10), Column(N_("High"), "General", 10),
        Column(N_("Unit"), width=14), Column(N_("Reference"), INTEGER, 8),
        Column(N_("Source"), width=60), Column(N_("Link"), width=40),
        Column(N_("Where in the source"), width=50),
    ]  # fmt: skip
    rows = []
    for c in method.coefficients:
        value = registry.get(c.id)
        entry = entries[c.ref]
        rows.append(
            [
                c.id,
                value.low,
                value.value,
                value.high,
                c.unit,
                c.ref,
                entry.citation,
                entry.url or entry.document,
                c.locator,
            ]
        )
    return Sheet(N_("Sources"), columns, rows)


@dataclass(frozen=True)
class Sheet:
    """One sheet of report.xlsx: its title (a message id), columns and rows of cell values."""

    title: str  # message id
    columns: list[Column]
    rows: list[list[Any]]
    #: a line of text under the rows (the generations sheet when it holds only the first rows)
    note: str | None = None


def _cell(value: Any) -> Any:
    """A text cell neutralised (no formula), and under ``--redact`` without the consent
    subjects' names (:data:`audit.report.render.REDACTED`, set by ``write_all``)."""
    if not isinstance(value, str):
        return value
    names = REDACTED.get()
    if names:
        value = redact_text(value, names)
    return neutralise_csv_cell(value)


def _fill(ws: Any, sheet: Sheet, lang: str, fast: bool = True) -> str | None:
    """One sheet in openpyxl's write-only mode: widths, frozen header, filters, the header row;
    then the rows, as XML to splice into the sheet (:mod:`audit.report.sheetxml`, the bytes
    openpyxl writes, several times faster), or through openpyxl for a sheet holding a value
    that module does not handle (or when not ``fast``)."""
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(1, len(sheet.rows) + 1)}"
    bold = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=gettext(lang, column.header))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    formats = [column.number_format for column in sheet.columns]
    rows = [[_cell(v) if isinstance(v, str) else v for v in row] for row in sheet.rows]
    notes = [[], [sheet.note]] if sheet.note is not None else []
    if fast and sheetxml.handles(rows, formats):
        styles = sheetxml.register_styles(ws, rows, formats)
        parts = [*sheetxml.rows_xml(rows, styles, 2), *sheetxml.rows_xml(notes, [], len(rows) + 2)]
        return "".join(parts)
    for row in rows:
        ws.append([_typed_cell(ws, v, f) for v, f in zip(row, formats, strict=True)])
    for note in notes:
        ws.append(note)
    return None


def _typed_cell(ws: Any, value: Any, number_format: str | None) -> Any:
    """The value, or a cell carrying its number format when the column has one."""
    if number_format is None or value is None:
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def workbook_bytes(
    run: AuditRun,
    lang: str,
    generations: pd.DataFrame,
    total: int | None = None,
    fast: bool = True,
    method: Methodology | None = None,
) -> bytes:
    """report.xlsx for ``lang``; ``generations`` is generations.csv's frame (prompts redacted
    when asked), or its first rows of ``total``. ``fast=False``: every row through openpyxl
    (the reference the tests hold the fast rows to); ``method``: the report's methodology
    section, when it is built already."""
    fmt = Formatter(lang)
    sheets = [
        _generations(run, fmt, generations, len(generations) if total is None else total),
        _shots(run, fmt),
        _findings(run, fmt),
        _platforms(run, fmt),
        _sources(run, fmt, method or methodology(run, fmt)),
    ]
    book = Workbook(write_only=True)
    rows: dict[str, str] = {}
    for number, sheet in enumerate(sheets, start=1):
        xml = _fill(book.create_sheet(gettext(lang, sheet.title)), sheet, lang, fast)
        if xml:  # openpyxl numbers the sheets' files in order when it saves
            rows[f"xl/worksheets/sheet{number}.xml"] = xml
    stamp = dt.datetime.combine(run.options.as_of, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "Empreinte"
    book.properties.title = run.production.title
    book.properties.language = lang
    buffer = io.BytesIO()
    book.save(buffer)
    return _stamped(buffer.getvalue(), run.options.as_of, rows)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _stamped(data: bytes, day: dt.date, rows: dict[str, str]) -> bytes:
    """The zip again, every entry dated ``day`` (openpyxl stamps the entries and the document's
    "modified" property with the current time when it saves), and the rows of ``rows`` (entry
    name → XML) at the end of their sheet's ``sheetData``."""
    out = io.BytesIO()
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(
                info.filename, date_time=(day.year, day.month, day.day, 0, 0, 0)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            if info.filename in rows:
                head, tail = content.split(b"</sheetData>", 1)
                content = b"".join((head, rows[info.filename].encode(), b"</sheetData>", tail))
            target.writestr(entry, content)
    return out.getvalue()


SHEETS = (N_("Generations"), N_("Shots"), N_("Findings"), N_("Platforms"), N_("Sources"))

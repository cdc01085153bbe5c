"""Spreadsheets as users keep them: one sheet of an ``.xlsx`` workbook read as rows of text cells,
each row with its number and each column with its letter, so that a message points at the cell
(``rights/sources.xlsx:Feuil1!B7``).

The sheet read is the one named like the ledger or log (``sources``, case and accents aside) when
there is one, else the first. Values are what Excel last computed (``data_only``); a formula never
computed by Excel reads as empty. The header is the first non-empty row; empty rows are skipped.
openpyxl is imported when a workbook is read (``--help`` stays fast).
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from audit.base.errors import InputError

XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Sheet:
    """One sheet: its title, header (stripped), rows ``(row number, {column: text})`` and the
    letter of each column."""

    title: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)

    def cell(self, row: int | str, column: str | None = None) -> str:
        """``Feuil1!B7`` for a cell of a known column, ``Feuil1!7`` for the row."""
        return f"{self.title}!{self.letters.get(column or '', '')}{row}"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def pick_sheet(titles: list[str], wanted: str | None) -> str:
    """The sheet named ``wanted`` (case and accents aside), else the first."""
    if wanted:
        for title in titles:
            if _fold(title) == _fold(wanted):
                return title
    return titles[0]


def cell_text(value: Any) -> str:
    """A cell as the text a CSV export would hold: dates ISO, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(path: Path, shown: str, wanted: str | None = None) -> Sheet:
    """The sheet ``wanted`` (else the first) of the workbook at ``path``; ``shown`` names it in
    messages. An unreadable workbook is one InputError line."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        reason = f"not a workbook Excel can open ({type(exc).__name__}: {exc})"[:160]
        raise InputError(reason, file=shown) from exc
    try:
        title = pick_sheet(book.sheetnames, wanted)
        sheet: Sheet | None = None
        for number, values in enumerate(book[title].iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if not any(cells):
                continue
            if sheet is None:
                sheet = Sheet(title, cells)
                sheet.letters = {
                    name: get_column_letter(k + 1) for k, name in enumerate(cells) if name
                }
                continue
            sheet.rows.append((number, _row(sheet.header, cells, shown, title, number)))
    finally:
        book.close()
    return sheet or Sheet(title, [])


def _row(
    header: list[str], cells: list[str], shown: str, title: str, number: int
) -> dict[str, str]:
    extra = [value for k, value in enumerate(cells) if k >= len(header) or not header[k]]
    if any(extra):
        raise InputError(
            "a cell beyond the header columns", file=shown, locator=f"{title}!{number}"
        )
    return {name: cells[k] if k < len(cells) else "" for k, name in enumerate(header) if name}


def header_of(path: Path, wanted: str | None = None) -> list[str] | None:
    """The header row of the sheet :func:`read_sheet` would read (cheap: stops there), or None
    when the file is no workbook (for sniffing)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    try:
        for values in book[pick_sheet(book.sheetnames, wanted)].iter_rows(values_only=True):
            cells = [cell_text(v) for v in values]
            if any(cells):
                return cells
        return []
    finally:
        book.close()


def sheet_named(path: Path, wanted: str) -> bool:
    """Whether the workbook at ``path`` has a sheet named ``wanted`` (case and accents aside);
    False for a file that is no workbook."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return False
    try:
        return any(_fold(title) == _fold(wanted) for title in book.sheetnames)
    finally:
        book.close()

"""The rows of a workbook sheet as openpyxl's write-only mode writes them (``<row>`` and ``<c>``
elements of ``sheetData``), several times faster: one f-string per cell instead of a cell object,
an element tree and an incremental XML writer (about 16 µs a cell on this machine).

openpyxl still writes the workbook — sheet headers, widths, frozen panes, filters, styles — and
registers each cell style in the order its own rows would have (:func:`register_styles`), so
that the style ids and ``styles.xml`` are the same; :func:`rows_xml` then gives the rows that go
inside the sheet's ``sheetData`` (audit/report/workbook.py splices them into the zip). Cells are
written as openpyxl writes them: text inline (``&``, ``<``, ``>`` escaped; ``xml:space`` kept
when the text has leading or trailing space), numbers ``%.16g`` (NaN and infinities as an empty
value), booleans ``1``/``0``, naive datetimes as Excel serial numbers, error codes typed ``e``,
missing values left out. A sheet holding any other value (another type, text openpyxl would
refuse, truncate or take for a formula) is not handled here: :func:`handles` says so, and its
rows go through openpyxl. Tests compare both ways byte for byte.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

#: Longest text openpyxl writes as it is (it truncates longer text).
MAX_TEXT = 32767


def _text_ok(value: str) -> bool:
    if len(value) > MAX_TEXT or (len(value) > 1 and value.startswith("=")):
        return False
    return ILLEGAL_CHARACTERS_RE.search(value) is None


def handles(rows: Sequence[Sequence[Any]], formats: list[str | None]) -> bool:
    """Whether every value of ``rows`` is one :func:`rows_xml` writes as openpyxl does (a date
    only in a column with a number format: openpyxl gives a bare one a format of its own)."""
    for row in rows:
        for value, number_format in zip(row, formats, strict=True):
            kind = type(value)
            if value is None or kind in (bool, int, float):
                continue
            if kind is str:
                if not _text_ok(value):
                    return False
            elif kind is not datetime or value.tzinfo is not None or number_format is None:
                return False
    return True


def register_styles(ws: Any, rows: Sequence[Sequence[Any]], formats: list[str | None]) -> list[str]:
    """Each column's ``s`` attribute (``""`` for none), registering the styles in the workbook in
    the order openpyxl's writer would meet them: the first value of each formatted column, in
    row then column order (a date's own time format first, as binding it does)."""
    first: dict[int, tuple[int, Any]] = {}
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            if formats[column] is not None and value is not None and column not in first:
                first[column] = (index, value)
        if len(first) == sum(f is not None for f in formats):
            break
    attributes = [""] * len(formats)
    for column in sorted(first, key=lambda c: (first[c][0], c)):
        cell = WriteOnlyCell(ws, value=first[column][1])
        cell.number_format = str(formats[column])
        if cell.has_style:  # "General" is the default style: openpyxl writes no ``s``
            attributes[column] = f' s="{cell.style_id}"'
    return attributes


def _number(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return "<v />"
    return f"<v>{value:.16g}</v>"


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _cell(ref: str, style: str, value: Any) -> str:
    kind = type(value)
    if kind is float:  # the most frequent (impacts), first
        return f'<c r="{ref}"{style} t="n">{_number(value)}</c>'
    if kind is str:
        if value in ERROR_CODES:
            return f'<c r="{ref}"{style} t="e"><v>{value}</v></c>'
        if not value:
            return f'<c r="{ref}"{style} t="inlineStr" />'
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    if kind is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if kind is datetime:
        # types-openpyxl declares to_excel without annotations, so strict mypy calls it untyped
        return f'<c r="{ref}"{style} t="n">{_number(to_excel(value))}</c>'  # type: ignore[no-untyped-call]
    return f'<c r="{ref}"{style} t="n">{_number(value)}</c>'


def rows_xml(rows: Sequence[Sequence[Any]], styles: list[str], first_row: int) -> Iterator[str]:
    """The ``<row>`` elements of ``rows``, numbered from ``first_row`` (cells beyond ``styles``
    unstyled: the note under a sheet)."""
    width = max(len(styles), 1, *map(len, rows))
    letters = [get_column_letter(k + 1) for k in range(width)]
    padded = [*styles, *[""] * (width - len(styles))]
    for number, row in enumerate(rows, start=first_row):
        cells = "".join(
            [
                _cell(f"{letters[k]}{number}", padded[k], value)
                for k, value in enumerate(row)
                if value is not None
            ]
        )
        yield f'<row r="{number}">{cells}</row>'

"""Empreinte's own canonical format: CSV (``generations.csv`` columns) or JSON Lines.

This is how anything without an export gets logged by hand. A CSV saved by a French Excel works:
``;`` separator, decimal commas, BOM or cp1252. Only ``platform``, ``modality`` and ``created_at``
are required; ``id`` defaults to ``<platform>:<file stem>-<line>``.

A large CSV (an archive of a million rows) is read column by column
(:func:`~audit.ingest.canonical_columns.split_columns`): rows whose every cell converted are built
from the converted columns, the others go through the row-by-row reader, which stays the
reference. Both give the same records and the same rejects (tests compare them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from audit.base.dumps import Dumped, json_values
from audit.base.errors import DataError, InputError
from audit.base.gentable import FramePart
from audit.base.models import COLUMNS, Generation
from audit.base.sheets import XLSX_SUFFIXES, header_of, read_sheet
from audit.base.textio import did_you_mean, iter_jsonl, read_csv_rows
from audit.ingest.base import Adapter, Batch, Item, Merged, Reject, Source, build, head_text
from audit.ingest.canonical_arrow import converted, dump_columns
from audit.ingest.canonical_columns import cell
from audit.ingest.canonical_frame import read_frame

_REQUIRED = ("platform", "modality", "created_at")
_SET_BY_US = frozenset({"source_file", "source_locator", "adapter"})
OUT_OF_RANGE = "date out of the years 1-9999 once in UTC"
#: Smaller CSV files are read row by row (the column reader pays off on large files only).
COLUMN_READER_MIN_BYTES = 256 * 1024
#: The sheet of a workbook read when there is one of this name (else the first sheet).
SHEET = "generations"
Maker = Callable[[pd.DataFrame, list[str]], FramePart]


class CanonicalAdapter(Adapter):
    """Empreinte's own table (the columns of generations.csv) as CSV, JSON Lines or a workbook
    sheet: what a production fills in by hand or exports from another tool."""

    name = "canonical"
    platform = "*"
    title = "Empreinte canonical CSV / JSONL"
    suffixes = (".csv", ".tsv", ".txt", ".jsonl", *XLSX_SUFFIXES)
    formats = (
        "CSV (``,`` ``;`` or tab; UTF-8, UTF-16 with BOM or cp1252), the first sheet (or the "
        "sheet named generations) of an .xlsx workbook, or JSON Lines, with the columns of "
        "generations.csv (any subset that holds platform, modality, created_at)"
    )
    reads = ", ".join(COLUMNS)
    cannot_know = "whatever the person logging left empty"

    def sniff(self, path: Path) -> bool:
        """A CSV, JSON Lines or workbook whose header (first line, first object, first row) names
        platform, modality and created_at."""
        suffix = path.suffix.lower()
        if suffix in XLSX_SUFFIXES:
            names = [name.strip().lower() for name in header_of(path, SHEET) or []]
            return all(col in names for col in _REQUIRED)
        if suffix in (".csv", ".tsv", ".txt"):
            header = head_text(path).split("\n", 1)[0].lower()
            return all(col in header for col in _REQUIRED)
        if path.suffix.lower() == ".jsonl":
            first = head_text(path).split("\n", 1)[0]
            return all(f'"{col}"' in first for col in _REQUIRED)
        return False

    def read(self, source: Source) -> Iterator[Item]:
        """Rows as generations: a workbook sheet, JSON Lines object by object, or a CSV column by
        column (a large file as one Batch)."""
        if source.path.suffix.lower() in XLSX_SUFFIXES:
            yield from self._read_sheet(source)
            return
        if source.path.suffix.lower() == ".jsonl":
            stem = Path(source.name).stem
            for line, obj in iter_jsonl(source.path):
                yield self._record(source, line, obj if isinstance(obj, dict) else {}, stem)
            return
        read = None
        if source.path.stat().st_size >= COLUMN_READER_MIN_BYTES:
            read = read_frame(source.path, source.name, self._maker(source))
        if read is None:
            yield from self.read_rows(source, read_csv_rows(source.path))
            return
        if len(read.table) or read.for_rows:
            _check_columns(source, read.names)
        yield from self.read_rows(source, read.for_rows)
        yield Batch(source.name, read.table)

    def _read_sheet(self, source: Source) -> Iterator[Item]:
        """A workbook's sheet through the row reader; locators name the sheet and the cell
        (``Feuil1!C7``), ids default to ``<platform>:<file stem>-<row>``."""
        sheet = read_sheet(source.path, source.name, SHEET)
        if sheet.header:
            _check_columns(source, [name for name in sheet.header if name], sheet.cell(1))
        for item in self.read_rows(source, sheet.rows):
            if isinstance(item, Reject):
                yield replace(item, locator=sheet.cell(item.locator, item.field))
            elif isinstance(item, Generation):
                locator = sheet.cell(item.source_locator)
                yield item.model_copy(update={"source_locator": locator})
            else:
                yield item

    def read_rows(
        self, source: Source, rows: Iterable[tuple[int, dict[str, str]]]
    ) -> Iterator[Item]:
        """The reference reader, one row at a time: the first bad cell rejects the row."""
        stem = Path(source.name).stem
        for line, row in rows:
            _check_columns(source, row)
            fields: dict[str, Any] = {}
            for name, raw in row.items():
                try:
                    fields[name] = cell(name, raw)
                except ValueError:
                    yield Reject(source.name, str(line), name, "not a number or JSON", repr(raw))
                    break
            else:
                yield self._record(source, line, fields, stem)

    def read_by_columns(self, source: Source) -> list[Item] | None:
        """Every item of a CSV read column-wise, records built, in line order (for tests
        comparing both readers); None when the file is left to the row reader."""
        read = read_frame(source.path, source.name, self._maker(source))
        if read is None:
            return None
        if len(read.table) or read.for_rows:
            _check_columns(source, read.names)
        items: list[Item] = [*self.read_rows(source, read.for_rows), *read.table.generations()]
        return sorted(items, key=_line)

    def _maker(self, source: Source) -> Maker:
        """How rows of a column-wise read become records: the row reader's own conversions,
        column by column, then the same validation; or, for generations.csv, the same fields
        as those records would dump them (:func:`_dumped`; as Arrow columns:
        :func:`~audit.ingest.canonical_arrow.dump_columns`), without the records."""
        stem = Path(source.name).stem

        def maker(frame: pd.DataFrame, names: list[str]) -> FramePart:
            wanted = [name for name in names if name not in _SET_BY_US]

            def make(rows: np.ndarray) -> list[Generation]:
                columns = [converted(name, frame[name].take(rows).to_numpy()) for name in wanted]
                out = []
                for k, values in zip(rows.tolist(), zip(*columns, strict=True), strict=True):
                    fields = {n: v for n, v in zip(wanted, values, strict=True) if v is not None}
                    item = self._finish(source, k + 2, fields, stem)
                    if not isinstance(item, Generation):
                        raise DataError(
                            f"column reader accepted a row the row reader rejects: {item}"
                        )
                    out.append(item)
                return out

            def dump(rows: np.ndarray) -> Dumped:
                given = {
                    name: converted(name, frame[name].take(rows).to_numpy()) for name in wanted
                }
                return _dumped(given, rows, (source.name, stem, self.name))

            coded: dict[Any, Any] = {}

            def columns(rows: np.ndarray) -> dict[str, Any]:
                return dump_columns(frame, wanted, rows, (source.name, stem, self.name), coded)

            return FramePart(make, dump, columns)

        return maker

    def _record(self, source: Source, line: int, fields: dict[str, Any], stem: str) -> Item:
        clean = {k: v for k, v in fields.items() if v is not None and k not in _SET_BY_US}
        return self._finish(source, line, clean, stem)

    def _finish(self, source: Source, line: int, clean: dict[str, Any], stem: str) -> Item:
        for col in _REQUIRED:
            if col not in clean:
                return Reject(source.name, str(line), col, "required")
        clean.setdefault("id", f"{clean['platform']}:{stem}-{line}")
        clean["created_at"] = day_first(clean["created_at"])
        try:
            return build(source, str(line), self.name, **clean)
        except OverflowError:  # an offset pushes the date out of years 1-9999 once in UTC
            value = repr(clean["created_at"])[:80]
            return Reject(source.name, str(line), "created_at", OUT_OF_RANGE, value)


_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def day_first(value: Any) -> Any:
    """``19/09/2026 10:00`` (as people type dates in France, day first) → ``2026-09-19T10:00:00``,
    then read like any ISO time without offset (UTC); other values unchanged."""
    match = _DAY_FIRST.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return value
    day, month, year, hour, minute, second = match.groups()
    return (
        f"{year}-{int(month):02d}-{int(day):02d}"
        f"T{int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    )


def _dumped(given: dict[str, list[Any]], rows: np.ndarray, names: tuple[str, str, str]) -> Dumped:
    """The fields of records made of ``given`` (a file's converted cells of ``rows``) as
    ``model_dump(mode="json")`` writes them: what :meth:`CanonicalAdapter._finish` would give
    each (an id made of the line when none, a day-first date read), converted by kind."""
    source_name, stem, adapter = names
    lines = (rows + 2).tolist()
    empty: list[Any] = [None] * len(lines)
    ids = [
        found if found is not None else f"{platform}:{stem}-{line}"
        for found, platform, line in zip(
            given.get("id", empty), given["platform"], lines, strict=True
        )
    ]
    dates = [day_first(value) for value in given["created_at"]]
    fixed = {
        "id": ids,
        "created_at": json_values("created_at", dates),
        "source_file": [source_name] * len(lines),
        "source_locator": list(map(str, lines)),
        "adapter": [adapter] * len(lines),
    }
    return {
        name: fixed[name] if name in fixed else json_values(name, given.get(name, empty))
        for name in COLUMNS
    }


def _line(item: Item) -> int:
    if isinstance(item, Generation):
        return int(item.source_locator)
    return int(item.locator) if isinstance(item, Reject | Merged) else 0


def _check_columns(source: Source, names: Iterable[str], header: str | int = 1) -> None:
    unknown = sorted(set(names) - set(COLUMNS))
    if unknown:
        raise InputError(
            f"unknown column{did_you_mean(unknown[0], COLUMNS)}",
            file=source.name,
            locator=header,
            field=unknown[0],
            choices=COLUMNS,
        )

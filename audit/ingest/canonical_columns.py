"""Cells of the canonical CSV, and the column reader that converts a large file column by column.

:func:`cell` is what one stripped cell becomes in a record. :func:`split_columns` parses a whole
file with pandas' C parser (every cell as text), strips and converts each column at once, and marks
the rows that need the row-by-row reader (a cell that does not convert). It returns None — and the
caller reads row by row — whenever the file is not one the two readers are known to split alike:
a quoted cell holding a line break, a lone carriage return, a header pandas would rename, a row
with more cells than the header, or a cell longer than the csv module accepts.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from audit.models import JSON_COLUMNS, Generation
from audit.textio import parse_number, sniff_delimiter

NUMERIC = frozenset(
    name
    for name, info in Generation.model_fields.items()
    if info.annotation in (int, float, int | None, float | None)
)
BOOL = frozenset({"kept"})
TRUE_WORDS = frozenset({"1", "true", "yes", "oui", "vrai"})
#: Characters parse_number removes or rewrites; without them it is plain ``float``.
_NUMBER_SPECIALS = (",", " ", "\xa0", "\u202f")
_LONE_CR = re.compile(r"\r(?!\n)")


def number(raw: str) -> float:
    """A cell as a finite number (``1 234,5`` or ``1234.5``); ValueError otherwise."""
    value = parse_number(raw)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {raw!r}")
    return value


def split_list(name: str, raw: str) -> list[Any]:
    """A list cell written ``a|b``; an ``inputs`` item becomes ``{"uri": item}``."""
    items = [part.strip() for part in raw.split("|") if part.strip()]
    return [{"uri": item} for item in items] if name == "inputs" else items


def json_cell(raw: str) -> Any:
    """A JSON cell; ValueError when invalid (or nested too deeply to parse)."""
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def cell(name: str, raw: str) -> Any:
    """One stripped CSV cell as the value the record takes (None when empty)."""
    if raw == "":
        return None
    if name in NUMERIC:
        return number(raw)
    if name in BOOL:
        return raw.lower() in TRUE_WORDS
    if name in JSON_COLUMNS:
        if raw.startswith(("[", "{")):
            return json_cell(raw)
        return split_list(name, raw)
    return raw


@dataclass
class Columns:
    """A CSV split into stripped text columns and converted value columns (None = empty cell).

    Row ``k`` is on line ``k + 2``; ``bad`` holds the rows with a cell that does not convert;
    ``nonempty[k]`` is False for rows whose every cell is empty (skipped, as the csv reader does).
    """

    names: list[str]
    text: dict[str, list[str]]
    values: dict[str, list[Any]]
    bad: set[int]
    nonempty: list[bool]

    def row(self, k: int) -> dict[str, str]:
        return {name: self.text[name][k] for name in self.names}

    def records(self, names: list[str]) -> list[dict[str, Any]]:
        """Row ``k``'s non-empty values of ``names`` as a dict, for every row. Rows are grouped
        by which cells they fill, so each group's dicts are zipped from whole columns."""
        count = len(self.nonempty)
        filled = [np.array(self.text[name], dtype=object) != "" for name in names]
        pattern = np.zeros(count, dtype=np.uint64)
        for bit, mask in enumerate(filled):
            pattern |= mask.astype(np.uint64) << np.uint64(bit)
        kinds, which = np.unique(pattern, return_inverse=True)
        arrays = [np.array(self.values[name], dtype=object) for name in names]
        out: list[dict[str, Any]] = [{} for _ in range(count)] if 0 in kinds else [{}] * count
        for i, kind in enumerate(kinds.tolist()):
            rows = np.flatnonzero(which == i)
            bits = [bit for bit in range(len(names)) if kind >> bit & 1]
            if not bits:
                continue  # rows with none of these cells filled: each keeps its own empty dict
            keys = [names[bit] for bit in bits]
            cells = zip(*(arrays[bit][rows].tolist() for bit in bits), strict=True)
            for k, values in zip(rows.tolist(), cells, strict=True):
                out[k] = dict(zip(keys, values, strict=True))
        return out


def _parse(text: str, delimiter: str) -> pd.DataFrame | None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(
                io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                na_filter=False, skip_blank_lines=False, index_col=False, engine="c",
            )  # fmt: skip
        except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError):
            return None


def _header(first_line: str, delimiter: str) -> list[str]:
    return [name.strip() for name in next(csv.reader([first_line], delimiter=delimiter), [])]


def split_columns(text: str) -> Columns | None:
    """The file's columns, stripped and converted; None when the row reader must read it."""
    first = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first)
    if _LONE_CR.search(text):
        return None
    frame = _parse(text, delimiter)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if frame is None or len(frame) + 1 != lines:
        return None
    names = [str(name).strip() for name in frame.columns]
    if names != _header(first.rstrip("\r"), delimiter) or len(set(names)) != len(names):
        return None
    limit = csv.field_size_limit()
    if len(text) >= limit and max(map(len, text.split("\n"))) >= limit:
        return None  # a cell may be longer than the csv module's limit (its error is the reference)
    raw = [frame[column].tolist() for column in frame.columns]
    text_columns = {name: _stripped(cells) for name, cells in zip(names, raw, strict=True)}
    del frame, raw
    values: dict[str, list[Any]] = {}
    bad: set[int] = set()
    for name in names:
        values[name], failed = convert(name, text_columns[name])
        bad |= failed
    return Columns(names, text_columns, values, bad, _nonempty(names, text_columns))


def _stripped(cells: list[str]) -> list[str]:
    return list(map(str.strip, cells))


def _nonempty(names: list[str], columns: dict[str, list[str]]) -> list[bool]:
    if not names:
        return []
    flags = [bool(c) for c in columns[names[0]]]
    todo = [k for k, flag in enumerate(flags) if not flag]
    for name in names[1:]:
        if not todo:
            break
        cells = columns[name]
        still = []
        for k in todo:
            if cells[k]:
                flags[k] = True
            else:
                still.append(k)
        todo = still
    return flags


def convert(name: str, cells: list[str]) -> tuple[list[Any], set[int]]:
    """A column's values (what :func:`cell` gives each cell) and the rows where it failed."""
    if name in NUMERIC:
        return _numbers(cells)
    if name in BOOL:
        return [None if c == "" else c.lower() in TRUE_WORDS for c in cells], set()
    if name in JSON_COLUMNS:
        return _lists(name, cells)
    return [c or None for c in cells], set()


def _numbers(cells: list[str]) -> tuple[list[Any], set[int]]:
    values: list[Any] = [None] * len(cells)
    filled = [k for k, c in enumerate(cells) if c]
    texts = [cells[k] for k in filled]
    joined = "\x00".join(texts)
    if texts and not any(special in joined for special in _NUMBER_SPECIALS):
        try:
            array = np.array(texts, dtype=object).astype(np.float64)
        except ValueError:
            pass  # some cell is not a number: the loop below finds which
        else:
            finite = np.isfinite(array)
            for k, value, ok in zip(filled, array.tolist(), finite.tolist(), strict=True):
                values[k] = value if ok else None
            return values, {k for k, ok in zip(filled, finite.tolist(), strict=True) if not ok}
    bad: set[int] = set()
    for k in filled:
        try:
            values[k] = number(cells[k])
        except ValueError:
            bad.add(k)
    return values, bad


def _lists(name: str, cells: list[str]) -> tuple[list[Any], set[int]]:
    values: list[Any] = [None] * len(cells)
    bad: set[int] = set()
    inputs = name == "inputs"
    for k, c in enumerate(cells):
        if not c:
            continue
        if c.startswith(("[", "{")):
            try:
                values[k] = json_cell(c)
            except ValueError:
                bad.add(k)
        elif "|" not in c:
            values[k] = [{"uri": c}] if inputs else [c]
        else:
            values[k] = split_list(name, c)
    return values, bad

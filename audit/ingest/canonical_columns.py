"""Cells of the canonical CSV: what one stripped cell becomes in a record (:func:`cell`), and the
same conversions for a whole column at once, on the Arrow arrays pandas reads text into (used by
the column reader, :mod:`audit.ingest.canonical_frame`): text stripped and coded
(:func:`coded`), number columns pandas could not type (:func:`numbers`), dates
(:func:`date_micros`)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.base.models import JSON_COLUMNS
from audit.base.schema import NUMERIC
from audit.base.textio import parse_number

BOOL = frozenset({"kept"})
#: Columns whose cells :func:`cell` converts (the others are text as written, stripped).
CONVERTED = NUMERIC | BOOL | frozenset(JSON_COLUMNS)
TRUE_WORDS = frozenset({"1", "true", "yes", "oui", "vrai"})
#: Characters parse_number removes or rewrites; without them it is plain ``float``.
_NUMBER_SPECIALS = (",", " ", "\xa0", "\u202f")
#: What :meth:`str.strip` removes: every character whose ``isspace()`` is true (a test checks).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


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


def numbers(cells: list[str]) -> tuple[list[float | None], set[int]]:
    """A number column's values (what :func:`cell` gives each stripped cell, None when empty)
    and the rows whose cell is not a finite number."""
    values: list[float | None] = [None] * len(cells)
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


# --- Whole columns, on Arrow arrays (null: an empty cell) ---------------------------------------


#: A text column as read: an Arrow ``Array`` or ``ChunkedArray`` of strings (null: an empty
#: cell). pyarrow ships no types, hence Any.
Cells: TypeAlias = Any


@lru_cache(maxsize=4)
def empty_column(count: int, kind: str = "object") -> np.ndarray:
    """A column with no value (None, NaN or code -1 per ``kind``: object, float, code), one
    read-only array shared by every such column of a read: a file without attributes leaves
    a dozen columns empty, a million rows each."""
    fill: Any = {"object": None, "float": np.nan, "code": -1}[kind]
    dtype = {"object": object, "float": np.float64, "code": np.int64}[kind]
    column = np.full(count, fill, dtype=dtype)
    column.flags.writeable = False
    return column


def stripped(cells: Cells) -> Cells:
    """Cells as :meth:`str.strip` leaves them, null when nothing is left."""
    trimmed = pc.utf8_trim(cells, characters=WHITESPACE)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, trimmed.type), trimmed)


@dataclass
class Coded:
    """A text column as objects (None when empty; each distinct value one shared string) and
    integer codes (equal values, equal codes, in order of first appearance; -1 when empty)."""

    values: np.ndarray
    codes: np.ndarray
    uniques: list[str]

    def isin(self, allowed: frozenset[str]) -> np.ndarray:
        """Rows whose value is one of ``allowed`` (an empty cell is not)."""
        known = np.asarray([value in allowed for value in self.uniques] + [False], dtype=bool)
        found: np.ndarray = known[self.codes]
        return found

    def filled(self, default: str) -> Coded:
        """The column with ``default`` where empty."""
        uniques = self.uniques if default in self.uniques else [*self.uniques, default]
        codes = np.where(self.codes < 0, uniques.index(default), self.codes)
        return Coded(np.asarray(uniques, dtype=object)[codes], codes, uniques)


def distinct(cells: Cells) -> tuple[list[Any], np.ndarray]:
    """The distinct values of a column in order of first appearance, and each row's index
    among them (``len(values)`` for a null): Arrow's dictionary encoding."""
    encoded = pc.dictionary_encode(cells)
    if isinstance(encoded, pa.ChunkedArray):  # chunks share one dictionary once unified
        encoded = encoded.unify_dictionaries()
        chunks = encoded.chunks or [pa.array([], pa.dictionary(pa.int32(), cells.type))]
        dictionary = chunks[0].dictionary
        indices = pa.chunked_array([chunk.indices for chunk in chunks], pa.int32())
    else:
        dictionary, indices = encoded.dictionary, encoded.indices
    values: list[Any] = dictionary.to_pylist()
    rows: np.ndarray = indices.fill_null(len(values)).to_numpy()
    return values, rows


def coded(cells: Cells, strip: bool = True) -> Coded:
    """A text column coded (stripped unless ``strip`` is false), each distinct cell converted
    once: few distinct values are shared, not one string per row."""
    if cells.null_count == len(cells):  # no such column, or every cell empty
        return Coded(empty_column(len(cells)), empty_column(len(cells), "code"), [])
    uniques, raw = distinct(cells)
    if strip:  # stripped, two distinct cells may become one value
        clean = [*(text.strip() or None for text in uniques), None]
        kept, final = pd.factorize(np.asarray(clean, dtype=object))
        codes = kept[raw].astype(np.int64, copy=False)
        uniques = final.tolist()
    else:  # as read: the distinct cells are the values (prompts: often one per row)
        codes = np.where(raw == len(uniques), -1, raw).astype(np.int64)
    values = np.asarray([*uniques, None], dtype=object)[codes]
    return Coded(values, codes, uniques)


def objects(cells: Cells) -> np.ndarray:
    """A text column of mostly distinct cells (ids, file names) as objects, None when null."""
    out: np.ndarray = cells.to_numpy(zero_copy_only=False)
    return out


#: ``created_at`` as this reader converts it: ``YYYY-MM-DD``, ``THH:MM:SS``, then ``Z`` or an
#: offset ``±HH:MM`` (each part's distinct values read once; any other cell is left to the row
#: reader, which takes more: a day-first date, a one-digit month, a 60th second…).
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])")
_ZONE = re.compile(r"Z|([+-])([01][0-9]|2[0-3]):([0-5][0-9])")
_SECOND_US = 1_000_000
_DAY_US = 86_400 * _SECOND_US
_EPOCH = date(1970, 1, 1).toordinal()


def _day(text: str) -> int | None:
    if _DAY.fullmatch(text) is None:
        return None
    try:  # the calendar: Python's own (no 30 February, no year 0)
        return (date.fromisoformat(text).toordinal() - _EPOCH) * _DAY_US
    except ValueError:
        return None


def _time(text: str) -> int | None:
    found = _TIME.fullmatch(text)
    if found is None:
        return None
    hour, minute, second = map(int, found.groups())
    return (hour * 3600 + minute * 60 + second) * _SECOND_US


def _zone(text: str) -> int | None:
    """What to add to a local time to make it UTC."""
    found = _ZONE.fullmatch(text)
    if found is None:
        return None
    if text == "Z":
        return 0
    sign, hours, minutes = found.groups()
    offset = (int(hours) * 3600 + int(minutes) * 60) * _SECOND_US
    return offset if sign == "-" else -offset


def date_micros(cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """``created_at`` cells as microseconds since 1970 in UTC, and the rows converted here (the
    shape of :data:`_DAY`, :data:`_TIME`, :data:`_ZONE`, a real calendar day); the others are
    left to the row reader. A day, a time of day, an offset: each part's few distinct values
    are read once, then added up for every row."""
    micros = np.zeros(len(cells), dtype=np.int64)
    sure = np.ones(len(cells), dtype=bool)
    parts = ((0, 10, _day), (10, 19, _time), (19, None, _zone))
    for start, stop, read in parts:
        texts, rows = distinct(pc.utf8_slice_codeunits(cells, start, stop))
        found = [read(text) for text in texts]
        micros += np.asarray([value or 0 for value in found] + [0], dtype=np.int64)[rows]
        sure &= np.asarray([value is not None for value in found] + [False])[rows]
    return micros, sure

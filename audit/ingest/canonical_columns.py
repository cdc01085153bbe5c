"""Cells of the canonical CSV: what one stripped cell becomes in a record (:func:`cell`), and the
same conversions for a whole column at once, on the Arrow arrays pandas reads text into (used by
the column reader, :mod:`audit.ingest.canonical_frame`): text stripped and coded
(:func:`coded`), number columns pandas could not type (:func:`numbers`), dates
(:func:`date_micros`)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
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


def coded(cells: Cells, strip: bool = True) -> Coded:
    """A text column coded (stripped unless ``strip`` is false), each distinct cell converted
    once: few distinct values are shared, not one string per row."""
    if cells.null_count == len(cells):  # no such column, or every cell empty
        return Coded(empty_column(len(cells)), empty_column(len(cells), "code"), [])
    encoded = pc.dictionary_encode(cells)
    if isinstance(encoded, pa.ChunkedArray):  # chunks share one dictionary once unified
        encoded = encoded.unify_dictionaries()
        chunks = encoded.chunks or [pa.array([], pa.dictionary(pa.int32(), pa.large_string()))]
        dictionary = chunks[0].dictionary
        indices = pa.chunked_array([chunk.indices for chunk in chunks], pa.int32())
    else:
        dictionary, indices = encoded.dictionary, encoded.indices
    uniques: list[Any] = dictionary.to_pylist()
    if strip:
        uniques = [text.strip() or None for text in uniques]
    kept, final = pd.factorize(np.asarray([*uniques, None], dtype=object))
    raw = indices.fill_null(len(uniques)).to_numpy()
    codes = kept[raw].astype(np.int64, copy=False)
    values = np.asarray([*final.tolist(), None], dtype=object)[codes]
    return Coded(values, codes, final.tolist())


def objects(cells: Cells) -> np.ndarray:
    """A text column of mostly distinct cells (ids, file names) as objects, None when null."""
    out: np.ndarray = cells.to_numpy(zero_copy_only=False)
    return out


#: ``YYYY-MM-DDTHH:MM:SS`` then ``Z`` or ``±HH:MM``, time fields in range (RE2, whole cell).
_DATE_SHAPE = (
    r"^[0-9]{4}-[01][0-9]-[0-3][0-9]T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_SECOND_US = 1_000_000
_DAY_S = 86_400


def date_micros(cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """``created_at`` cells as microseconds since 1970 in UTC, and the rows converted here: only
    cells of the exact shape :data:`_DATE_SHAPE` with a real calendar day (the record takes more
    — a day-first date, a one-digit month — and refuses some: those rows are left to it)."""
    shaped = pc.fill_null(pc.match_substring_regex(cells, _DATE_SHAPE), False)
    rows = np.flatnonzero(shaped.to_numpy(zero_copy_only=False))
    micros = np.zeros(len(cells), dtype=np.int64)
    sure = np.zeros(len(cells), dtype=bool)
    if not len(rows):
        return micros, sure
    texts = cells.filter(shaped)
    stamp = _fixed(pc.utf8_slice_codeunits(texts, 0, 19), 19)  # YYYY-MM-DDTHH:MM:SS
    year, month, day = _number(stamp, 0, 4), _number(stamp, 5, 2), _number(stamp, 8, 2)
    seconds = _number(stamp, 11, 2) * 3600 + _number(stamp, 14, 2) * 60 + _number(stamp, 17, 2)
    del stamp
    zone = pc.utf8_slice_codeunits(texts, 19, 25)  # Z or ±HH:MM
    zoned = pc.not_equal(zone, "Z")
    offset = _fixed(zone.filter(zoned), 6)
    sign = np.where(offset[:, 0] == ord("-"), -1, 1)
    zoned_rows = np.flatnonzero(zoned.to_numpy(zero_copy_only=False))
    seconds[zoned_rows] -= sign * (_number(offset, 1, 2) * 3600 + _number(offset, 4, 2) * 60)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _MONTH_DAYS[np.clip(month, 0, 12)] + (leap & (month == 2))
    real = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= last_day)
    micros[rows] = (_days(year, month, day) * _DAY_S + seconds) * _SECOND_US
    sure[rows] = real
    return micros, sure


def _fixed(texts: Cells, width: int) -> np.ndarray:
    """ASCII cells of ``width`` bytes each as a (rows, width) matrix of bytes."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if not len(texts):
        return np.zeros((0, width), dtype=np.uint8)
    texts = pc.cast(texts, pa.large_string())
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset :][: len(texts) + 1]
    data = np.frombuffer(texts.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.reshape(len(texts), width)


def _number(matrix: np.ndarray, first: int, width: int) -> np.ndarray:
    """The decimal number written in columns ``first`` to ``first + width`` of each row."""
    value = matrix[:, first].astype(np.int64)
    for column in range(first + 1, first + width):
        value *= 10
        value += matrix[:, column]
    value -= int("1" * width) * ord("0")  # every digit's code was added as if it were 0
    return value


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's ``days_from_civil``)."""
    year = year - (month <= 2)
    era = year // 400
    of_era = year - era * 400
    of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    of_cycle = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    days: np.ndarray = era * 146097 + of_cycle - 719468
    return days

"""CSV cells of typed Arrow columns, vectorised: the bytes :func:`audit.report.csvout.csv_bytes`
writes for the same values, without a Python object per cell (generations.csv at archive scale).

Each column becomes its cells as text (null: an empty cell), then the cells of a row are joined:

- floats as ``repr`` prints them. Arrow's own float-to-text cast gives the same shortest
  round-trip digits but another layout (``5`` for ``5.0``, ``1e-7`` for ``1e-07``, ``0.00001``
  for ``1e-05``, ``1e+15`` for ``1000000000000000.0``): the layout is fixed where it can be
  (``.0`` added, the exponent padded to two digits) and the few values Arrow writes in the other
  notation than ``repr`` are formatted by Python (a mask). Each distinct value is formatted once
  (by bit pattern: ``-0.0`` is not ``0.0``); NaN is an empty cell;
- integers as ``str``, booleans as ``True``/``False``;
- dates as pydantic writes a UTC datetime (``2026-01-05T09:00:00Z``; microseconds when there are);
- text neutralised against spreadsheet formulas (:func:`~audit.base.safetext.neutralise_csv_cell`,
  Python on the few cells starting with a formula character) and quoted as the csv module quotes
  (a cell holding a character of :data:`~audit.report.csvout.UNSAFE`, its quotes doubled).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.base.arrowtext import bytes_of, rows_holding, rows_starting
from audit.base.safetext import FORMULA_STARTS, neutralise_csv_cell
from audit.report.csvout import UNSAFE

_NULL_TEXT = pa.scalar(None, pa.string())
#: Below this magnitude (not zero) or from the upper one, ``repr`` writes an exponent.
_REPR_LOW, _REPR_HIGH = 1e-4, 1e16


def python_cells(values: pa.Array, format_one: Callable[[str], str | None]) -> pa.Array:
    """``format_one`` of each distinct non-null text of ``values`` (once each), as text."""
    encoded = pc.dictionary_encode(values)
    distinct = encoded.dictionary.to_pylist()
    done = pa.array([format_one(value) for value in distinct], pa.string())
    return done.take(encoded.indices)


def _replaced(cells: pa.Array, mask: np.ndarray, format_one: Callable[[str], str]) -> pa.Array:
    """``cells`` with those of ``mask`` replaced by ``format_one`` of them."""
    if not mask.any():
        return cells
    picked = cells.filter(pa.array(mask))
    fixed = python_cells(picked, format_one)
    return pc.replace_with_mask(cells, pa.array(mask), fixed)


def _flag(result: pa.Array) -> np.ndarray:
    """A boolean kernel's result as a NumPy mask (null: False)."""
    return np.asarray(pc.fill_null(result, False), dtype=bool)


def float_texts(values: np.ndarray) -> pa.Array:
    """Float64 ``values`` as ``repr`` writes each (NaN: null), one pass of Arrow kernels."""
    text = pc.cast(pa.array(values, from_pandas=True), pa.string())
    finite = np.isfinite(values)
    size = np.abs(values)
    positional = ((size >= _REPR_LOW) & (size < _REPR_HIGH)) | (values == 0)
    exponent = _flag(pc.match_substring(text, "e"))
    point = _flag(pc.match_substring(text, "."))
    whole = positional & finite & ~exponent & ~point
    if whole.any():  # 5 -> 5.0, -0 -> -0.0
        text = pc.if_else(pa.array(whole), pc.binary_join_element_wise(text, ".0", ""), text)
    short = ~positional & finite & exponent
    if short.any():  # 1e-7 -> 1e-07
        padded = pc.replace_substring_regex(text, r"e([+-])(\d)$", r"e\10\2")
        text = pc.if_else(pa.array(short), padded, text)
    other = (finite & (positional == exponent)) | np.isinf(values)
    if other.any():
        fixed = [repr(v) for v in values[other].tolist()]
        text = pc.replace_with_mask(text, pa.array(other), pa.array(fixed, pa.string()))
    return text


def float_cells(values: np.ndarray) -> pa.Array:
    """Float64 cells: each distinct value (by bit pattern) formatted once."""
    codes, distinct = pd.factorize(values.view(np.int64))
    if len(distinct) * 2 > len(values):
        return float_texts(values)
    return float_texts(np.asarray(distinct).view(np.float64)).take(pa.array(codes))


def date_cells(stamps: pa.Array) -> pa.Array:
    """UTC timestamps (µs) as pydantic dumps them: ``…T09:00:00Z`` (digits written by NumPy),
    ``…T09:00:00.123000Z`` when there are microseconds (Arrow's ``strftime``)."""
    micros = np.asarray(pc.fill_null(stamps.cast(pa.int64()), 0))
    seconds = micros // 1_000_000
    day = seconds.astype("datetime64[s]").astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    clock = seconds - day.astype("datetime64[s]").astype(np.int64)
    fields = (
        (month.astype("datetime64[Y]").astype(np.int64) + 1970, 4),
        (month.astype(np.int64) % 12 + 1, 2),
        ((day - month.astype("datetime64[D]")).astype(np.int64) + 1, 2),
        (clock // 3600, 2),
        (clock // 60 % 60, 2),
        (clock % 60, 2),
    )
    text = np.empty((len(micros), 20), dtype=np.uint8)
    text[:, [4, 7]], text[:, 10], text[:, [13, 16]], text[:, 19] = (
        ord("-"),
        ord("T"),
        ord(":"),
        ord("Z"),
    )
    at = (0, 5, 8, 11, 14, 17)
    for (values, width), start in zip(fields, at, strict=True):
        for digit in range(width):
            text[:, start + width - 1 - digit] = values // 10**digit % 10 + ord("0")
    offsets = pa.py_buffer(np.arange(0, 20 * len(micros) + 1, 20, dtype=np.int32))
    cells = pa.StringArray.from_buffers(len(micros), offsets, pa.py_buffer(text))
    cells = pc.if_else(pc.is_valid(stamps), cells, _NULL_TEXT)
    fraction = micros % 1_000_000 != 0
    if fraction.any():
        exact = pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%SZ")
        cells = pc.if_else(pa.array(fraction), exact, cells)
    return cells


def text_cells(values: pa.Array) -> pa.Array:
    """Text cells neutralised (:func:`neutralise_csv_cell` on those starting with a formula
    character) and quoted; a dictionary's texts formatted once each."""
    if pa.types.is_dictionary(values.type):
        return text_cells(values.dictionary).take(values.indices)
    values = values.cast(pa.string())
    if not len(values):
        return values
    return quoted(_replaced(values, rows_starting(values, FORMULA_STARTS), neutralise_csv_cell))


def quoted(cells: pa.Array) -> pa.Array:
    """Cells as the csv writer writes them: quoted, quotes doubled, when they hold a character
    of :data:`UNSAFE`."""
    need = rows_holding(cells, UNSAFE)
    if need is None:
        return cells
    everywhere = bool(need.all())  # prompts with commas, JSON lists: no row to pick
    picked = cells if everywhere else cells.filter(pa.array(need))
    if b'"' in bytes_of(picked)[1].tobytes():
        picked = pc.replace_substring(picked, '"', '""')
    wrapped = pc.binary_join_element_wise('"', picked, '"', "")
    return wrapped if everywhere else pc.replace_with_mask(cells, pa.array(need), wrapped)


def cells_of(values: pa.Array) -> pa.Array:
    """A typed column's CSV cells (null: empty)."""
    kind = values.type
    if pa.types.is_dictionary(kind):
        return text_cells(values)
    if pa.types.is_floating(kind):
        return float_cells(values.to_numpy(zero_copy_only=False))
    if pa.types.is_integer(kind):
        return pc.cast(values, pa.string())
    if pa.types.is_boolean(kind):
        return pc.if_else(values, "True", "False")
    if pa.types.is_timestamp(kind):
        return date_cells(values)
    if pa.types.is_null(kind):
        return pa.nulls(len(values), pa.string())
    return text_cells(values)


#: A column's cells by code: ``texts.take(codes)``, code 0 an empty cell (``texts[0] == ""``).
Coded = tuple[np.ndarray, pa.Array]
_EMPTY_TEXT = pa.array([""], pa.string())
#: Numbers looked at first to tell a column of few distinct numbers.
_PEEK = 2_000
#: Codes of two columns are combined through a dense table up to this many pairs.
_DENSE = 1 << 20


def _identity(values: pa.Array) -> tuple[int, ...]:
    """Where an array's data lives (its buffers' addresses, offset, length)."""
    buffers = tuple(b.address if b is not None else 0 for b in values.buffers())
    return (*buffers, values.offset, len(values))


def coded_cells(values: pa.Array, done: dict[tuple[int, ...], Any] | None = None) -> Coded | None:
    """The cells of a column of few distinct values by code (a dictionary array, booleans, a
    column of nulls); None for others. ``done``: dictionaries already formatted (by id)."""
    kind = values.type
    if pa.types.is_dictionary(kind):
        codes = pc.fill_null(values.indices, -1).to_numpy().astype(np.int64) + 1
        key = _identity(values.dictionary)
        found = done.get(key) if done is not None else None
        if found is None:
            texts = pa.concat_arrays([_EMPTY_TEXT, text_cells(values.dictionary)])
            found = (values.dictionary, texts)
            if done is not None:  # the dictionary kept: its buffers' addresses stay its own
                done[key] = found
        return codes, found[1]
    if pa.types.is_boolean(kind):
        codes = np.asarray(pc.fill_null(values.cast(pa.int64()), -1)) + 1
        return codes, pa.array(["", "False", "True"], pa.string())
    if values.null_count == len(values):
        return np.zeros(len(values), dtype=np.int64), _EMPTY_TEXT
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return _coded_numbers(values)
    return None


def _factorized(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's code and the distinct values (small whole numbers through a dense table,
    in order of value; others by hashing, in order of appearance)."""
    if keys.dtype.kind == "i" and len(keys):
        low, high = int(keys.min()), int(keys.max())
        if low >= 0 and high < 4 * len(keys):
            used = np.zeros(high + 1, dtype=bool)
            used[keys] = True
            return (np.cumsum(used) - 1)[keys], np.flatnonzero(used)
    codes, distinct = pd.factorize(keys)
    return np.asarray(codes), np.asarray(distinct)


def _coded_numbers(values: pa.Array) -> Coded | None:
    """Integer or float cells by code when the column holds few distinct numbers (each
    formatted once; by bit pattern for floats)."""
    filled = pc.fill_null(values, 0).to_numpy()
    floats = filled.dtype.kind == "f"
    keys = filled.view(np.int64) if floats else filled
    if len(np.unique(keys[:_PEEK])) * 8 > min(len(keys), _PEEK):
        return None  # seeds, ids: as many numbers as rows
    codes, distinct = _factorized(keys)
    if len(distinct) * 8 > len(filled):
        return None
    texts = (
        float_texts(distinct.view(np.float64))
        if floats
        else pc.cast(pa.array(distinct), pa.string())
    )
    codes = codes.astype(np.int64) + 1
    if values.null_count:
        codes[~np.asarray(values.is_valid())] = 0
    return codes, pa.concat_arrays([_EMPTY_TEXT, pc.fill_null(texts, "")])


def pairs_of(
    left: Coded, right: Coded, rows: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The distinct pairs of codes of two columns: each row's pair number, and each pair's code
    on the left and on the right; None when the pairs are too many to gain (more than one in
    eight of ``rows``, by default the columns' length)."""
    (codes_a, texts_a), (codes_b, texts_b) = left, right
    width = len(texts_b)
    key = codes_a.astype(np.int64) * width + codes_b
    if len(texts_a) * width <= min(_DENSE, 4 * len(key)):
        used = np.zeros(len(texts_a) * width, dtype=bool)
        used[key] = True
        pairs = np.flatnonzero(used)
        codes = (np.cumsum(used) - 1)[key]
    else:
        codes, pairs = pd.factorize(key)
    if len(pairs) * 8 > (len(key) if rows is None else rows):
        return None
    pairs = np.asarray(pairs)
    return np.asarray(codes), pairs // width, pairs % width


def combined(left: Coded, right: Coded) -> Coded | None:
    """Two adjacent coded columns as one (their cells joined by a comma, each distinct pair
    joined once); None when the pairs are too many to gain."""
    found = pairs_of(left, right)
    if found is None:
        return None
    codes, first, second = found
    texts = pc.binary_join_element_wise(
        left[1].take(pa.array(first)), right[1].take(pa.array(second)), ","
    )
    return codes, texts


def csv_lines(columns: Sequence[pa.Array | Coded | None]) -> pa.Array:
    """Each row's line (cells joined by commas, ``\\n`` at the end) from its columns' cells:
    text arrays (null: empty) or coded cells, adjacent coded ones joined per distinct pair
    (None: a column whose cells the one before already holds)."""
    pieces: list[pa.Array | Coded] = []
    for column in columns:
        if column is None:
            continue
        last = pieces[-1] if pieces else None
        if isinstance(column, tuple) and isinstance(last, tuple):
            joined = combined(last, column)
            if joined is not None:
                pieces[-1] = joined
                continue
        pieces.append(column)
    cells = [p[1].take(pa.array(p[0])) if isinstance(p, tuple) else p for p in pieces]
    cells[-1] = pc.binary_join_element_wise(pc.fill_null(cells[-1], ""), "\n", "")
    if len(cells) == 1:
        return cells[0]
    return pc.binary_join_element_wise(*cells, ",", null_handling="replace", null_replacement="")


def line_bytes(lines: pa.Array) -> memoryview:
    """The bytes of string array ``lines`` end to end (no copy)."""
    lines = lines.cast(pa.string())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    start, stop = offsets[lines.offset], offsets[lines.offset + len(lines)]
    data = lines.buffers()[2]
    if data is None:
        return memoryview(b"")
    return memoryview(data)[start:stop]

"""Integer codes of a table's columns, computed once per table and shared by the stages.

Linking, estimation and the rights rules group a million rows by the same columns (platform,
prompt, shot tag, account…): each column is factorized once per :class:`~audit.base.gentable.GenTable`
(8 MB of codes each), reusing the codes the reader already had; and rows are put in order of
their codes by a radix sort when the codes are small.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


class Coded(Protocol):
    """A table of columns (:class:`~audit.base.gentable.GenTable`): its columns, the codes its
    reader had, and a cache of what is computed once per table."""

    cols: dict[str, np.ndarray]
    codes: dict[str, np.ndarray]
    _cache: dict[str, Any]


def factorized(table: Coded, name: str, keep: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row, the distinct values by code) of a column: equal values, equal codes;
    an empty cell -1. Codes the reader had are reused (their values looked up at each code's
    first row); others are ``pd.factorize``'s, computed once per table and kept, unless ``keep``
    is False (a column only the estimate groups by: 8 MB a million rows, not kept)."""
    key = f"factorized:{name}"
    cache = table._cache
    if key in cache:
        found: tuple[np.ndarray, np.ndarray] = cache[key]
        return found
    column = table.cols[name]
    if name in table.codes:
        codes = table.codes[name]
        first = first_rows(codes)
        first = first[codes[first] >= 0]
        uniques = np.empty(int(codes.max(initial=-1)) + 1, dtype=column.dtype)
        uniques[codes[first]] = column[first]
    else:
        codes, uniques = _factorize(column)
    if keep or name in table.codes:
        cache[key] = (codes, uniques)
    return codes, uniques


def _factorize(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(column)``; a large text column of many distinct cells that repeat (prompts,
    shot tags) is dictionary-encoded by Arrow instead, twice as fast, to the same codes (in order
    of first appearance, empty -1) and values."""
    if _all_missing(column):  # an optional field nobody gave: no value to hash
        return np.full(len(column), -1, dtype=np.int64), column[:0].copy()
    sample = len(pd.unique(column[:4096])) if column.dtype == object else 0
    if len(column) >= _LARGE and 256 < sample < 3600:  # ids, all distinct, are pandas' faster
        try:
            arrow = pa.array(column, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError, UnicodeError):
            pass  # not all text: pandas compares the objects themselves
        else:
            encoded = pc.dictionary_encode(arrow)
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            values = encoded.dictionary.to_numpy(zero_copy_only=False)
            return codes.astype(np.int64), np.asarray(values, dtype=object)
    codes, found = pd.factorize(column)
    return codes, np.asarray(found, dtype=column.dtype)


_LARGE = 1 << 16


def _all_missing(column: np.ndarray) -> bool:
    """Every cell empty (NaN, None): what ``pd.factorize`` codes -1 throughout."""
    if column.dtype.kind == "f":
        return bool(np.isnan(column).all())
    return column.dtype == object and bool(pd.isna(column[:64]).all() and pd.isna(column).all())


def first_rows(codes: np.ndarray) -> np.ndarray:
    """The position of the first occurrence of each distinct value of ``codes``, ascending."""
    return np.flatnonzero(~pd.Series(codes, copy=False).duplicated().to_numpy())


def stable_order(codes: np.ndarray) -> np.ndarray:
    """``np.argsort(codes, kind="stable")`` for non-negative integer codes, by a radix sort of
    16-bit digits (NumPy sorts 16-bit integers by radix, larger ones by comparison)."""
    top = int(codes.max(initial=0))
    if len(codes) < 1024 or codes.min(initial=0) < 0 or top >= 1 << 48:
        return np.argsort(codes, kind="stable")
    order = np.argsort((codes & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while top >> shift:
        digit = ((codes[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def unique_rows(rows: np.ndarray, count: int) -> np.ndarray:
    """``np.unique(rows)`` for row positions in ``0..count-1``, by a mask instead of a sort."""
    seen = np.zeros(count, dtype=bool)
    seen[rows] = True
    return np.flatnonzero(seen)

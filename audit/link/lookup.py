"""A lookup from keys to the rows that hold them, built column by column (linear time).

Keys are grouped with ``pandas.factorize`` when first consulted, so a lookup nobody consults
costs nothing; a query is then a hash lookup and a slice (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.base.codes import stable_order


class Lookup:
    """key → rows holding it (row order, each row once), over parallel arrays of keys and rows.

    Keys are grouped (``pandas.factorize``) on the first query, so a lookup nobody consults costs
    nothing; a query is then a hash lookup of the key and a slice.
    """

    def __init__(
        self,
        keys: np.ndarray | Callable[[slice], np.ndarray] | None,
        rows: np.ndarray,
        factorized: tuple[np.ndarray, Any] | Callable[[], tuple[np.ndarray, Any]] | None = None,
    ) -> None:
        """``keys`` are the keys of ``rows``, or a function giving those of ``rows[part]`` (made
        only when needed, a block at a time when :meth:`prepare` is used); with ``factorized``
        (codes of each row, distinct keys; or a function making them when first needed), keys
        may be None."""
        self._keys, self._rows = keys, rows
        self._factorized = factorized
        self._built = False
        self._only: set[str] | None = None
        self._deferred: list[str] | None = None

    def defer(self, queries: Iterable[str]) -> None:
        """:meth:`prepare` with ``queries`` when the lookup is first consulted (never, if it is
        not: a key tried last costs nothing when earlier keys explain every clip)."""
        self._deferred = [q for q in queries if q]

    def _keys_of(self, part: slice) -> np.ndarray | pa.Array:
        keys = self._keys
        if keys is None:
            raise ValueError("a Lookup without keys needs its factorization")
        return keys(part) if callable(keys) else keys[part]

    def prepare(self, queries: Iterable[str]) -> None:
        """Group only the keys among ``queries`` (the others are grouped if ever asked for):
        a million platform ids are matched against a few thousand clip names, a block of rows
        at a time, without keeping the million keys."""
        if self._built:
            return
        wanted = pd.Index(list(dict.fromkeys(q for q in queries if q)), dtype=object)
        keys, rows = [_OBJECTS], [_EMPTY]
        for start in range(0, len(self._rows) if len(wanted) else 0, _PART):
            part = slice(start, start + _PART)
            block = self._keys_of(part)
            if isinstance(block, pa.Array):  # matched in Arrow: only the few kept are converted
                mask = pc.fill_null(pc.is_in(block, value_set=pa.array(wanted, pa.string())), False)
                keep = mask.to_numpy(zero_copy_only=False)
                keys.append(block.filter(mask).to_numpy(zero_copy_only=False).astype(object))
            else:
                keep = wanted.get_indexer(pd.Index(block, dtype=object)) >= 0
                keys.append(block[keep])
            rows.append(self._rows[part][keep])
        self._group(np.concatenate(keys), np.concatenate(rows), None)
        self._only = set(wanted.tolist())

    def _build(self) -> None:
        if callable(self._factorized):
            self._factorized = self._factorized()
        keys = None if self._factorized is not None else _objects(self._keys_of(slice(None)))
        self._group(keys, self._rows, self._factorized)
        self._only = None

    def _group(
        self, keys: np.ndarray | None, rows: np.ndarray, factorized: tuple[np.ndarray, Any] | None
    ) -> None:
        if factorized is not None:
            codes, uniques = factorized
            given = codes >= 0
            codes, rows = codes[given], rows[given]
        else:
            if keys is None:
                raise ValueError("a Lookup without keys needs its factorization")
            given = pd.notna(keys)
            if not given.all():
                keys, rows = keys[given], rows[given]
            codes, uniques = pd.factorize(keys)
        order = stable_order(codes)
        self.rows = rows[order]
        self.starts = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))])
        self.keys = pd.Index(uniques, dtype=object)
        self._positions: dict[Any, int] | None = None
        self.codes = codes
        self._repeats = _repeated(codes, rows)
        self._built = True

    def code(self, key: str | None) -> int:
        """The code of ``key`` for :meth:`rows_of` (built on first use), or -1 when the key is empty
        or absent."""
        if not self._built and self._deferred is not None:
            self.prepare(self._deferred)
        if not self._built or (self._only is not None and key and key not in self._only):
            self._build()
        if not key:
            return -1
        if self._positions is None and len(self.keys) <= _DICT_KEYS:  # a dict answers faster
            self._positions = dict(zip(self.keys.tolist(), range(len(self.keys)), strict=True))
        if self._positions is not None:
            return self._positions.get(key, -1)
        try:
            found = self.keys.get_loc(key)
        except KeyError:
            return -1
        return int(found)

    def get(self, key: str | None) -> list[int]:
        """The rows of one key, in row order."""
        rows: list[int] = self.rows_of(self.code(key)).tolist()
        return rows

    def rows_of(self, code: int) -> np.ndarray:
        """Rows of a code given by :meth:`code` (or of the factorization given at init)."""
        if not self._built:
            self._build()
        if code < 0:
            return _EMPTY
        found = self.rows[self.starts[code] : self.starts[code + 1]]
        return _unique_in_order(found) if code in self._repeats else found

    def all_keys(self) -> list[str]:
        """Every key held, in code order (the whole lookup is built)."""
        if not self._built or self._only is not None:
            self._build()
        keys: list[str] = [str(key) for key in self.keys.tolist()]
        return keys


_EMPTY = np.zeros(0, dtype=np.int64)
_OBJECTS = np.zeros(0, dtype=object)
#: Lookups of at most this many keys answer from a dict (a million keys stay a pandas Index).
_DICT_KEYS = 1 << 16
#: Rows per block when keys are made a block at a time.
_PART = 1 << 17


def _objects(keys: np.ndarray | pa.Array) -> np.ndarray:
    """Keys as a NumPy object array (an Arrow array's nulls as None)."""
    if isinstance(keys, pa.Array):
        return np.asarray(keys.to_numpy(zero_copy_only=False), dtype=object)
    return keys


def _repeated(codes: np.ndarray, rows: np.ndarray) -> set[int]:
    """Codes under which one row appears more than once (a record naming a key twice)."""
    if not len(rows):
        return set()
    per_row = np.bincount(rows)
    if per_row.max() < 2:
        return set()
    several = per_row[rows] > 1
    pairs = pd.DataFrame({"code": codes[several], "row": rows[several]})
    return set(pairs[pairs.duplicated()]["code"].tolist())


def _unique_in_order(rows: np.ndarray) -> np.ndarray:
    return np.asarray(list(dict.fromkeys(rows.tolist())), dtype=np.int64)

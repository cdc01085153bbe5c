"""The generations the rules read: the linked table's columns, row numbers in place of objects.

A rule groups rows by the keys it needs (platform, account and day, voice, prompt, input…) and
hands a finding the rows it is about as :class:`Gens`; :func:`~audit.rights.base.finding` reads
their ids, record locations and shots from the columns. No :class:`~audit.models.Generation` is
built for a rule: a million records are audited as columns (docs/performance.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from audit.base.codes import factorized, stable_order, unique_rows
from audit.base.gentable import GenTable, from_generations
from audit.base.models import Generation
from audit.link.model import USE_NAMES

_DAY_US = 86_400_000_000
_EPOCH_DAY = date(1970, 1, 1)
#: A record's attributes (JSON object of scalars), as :class:`~audit.models.Generation` holds them.
Attributes = dict[str, Any]


def day_of(number: int) -> date:
    """A day number (days since 1970-01-01, UTC) as a date."""
    return _EPOCH_DAY + timedelta(days=number)


@dataclass(eq=False)
class RightsTable:
    """The linked generations: the table, and per row its first shot, whether it is in the cut
    and (when linking gave one) its use status name."""

    table: GenTable
    kept: np.ndarray
    shot_ids: np.ndarray
    #: per row: the use status code (:data:`~audit.link.model.USE_NAMES`); None: not computed
    use: np.ndarray | None = None
    #: per row the code of its first shot (-1: none) and the shot ids by code, when linking
    #: gave them (its units); else the shot ids are factorized when first needed
    shot_units: tuple[np.ndarray, np.ndarray] | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def of_generations(cls, gens: Sequence[Generation]) -> RightsTable:
        """The table of objects (a test's, or a caller's that has them), ``kept`` and
        ``shot_id`` as they hold them."""
        shots = np.empty(len(gens), dtype=object)
        shots[:] = [gen.shot_id for gen in gens]
        kept = np.asarray([bool(gen.kept) for gen in gens], dtype=bool)
        return cls(from_generations(gens), kept, shots)

    def __len__(self) -> int:
        return len(self.table)

    def column(self, name: str) -> np.ndarray:
        """A column of the table (every row)."""
        return self.table.column(name)

    def memo(self, name: str, make: Callable[[], Any]) -> Any:
        """``make()`` computed once per table (the passes of one run share it)."""
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    @property
    def days(self) -> np.ndarray:
        """Per row: the day it was made (days since 1970-01-01, UTC)."""
        days: np.ndarray = self.memo("days", lambda: self.column("created_us") // _DAY_US)
        return days

    def attributes(self, row: int) -> Attributes:
        """A row's attributes ({} when it has none), each distinct text read once."""
        text = self.column("attributes")[row]
        if text is None:
            return {}
        parsed: dict[str, Attributes] = self._cache.setdefault("attributes", {})
        if text not in parsed:
            parsed[text] = json.loads(text)
        return parsed[text]

    def attribute(self, rows: np.ndarray, key: str) -> list[Any]:
        """One attribute of ``rows`` (None when absent)."""
        texts = self.column("attributes")[rows]
        return [
            None if t is None else self.attributes(int(r)).get(key)
            for r, t in zip(rows.tolist(), texts.tolist(), strict=True)
        ]

    def with_attributes(self, rows: np.ndarray) -> np.ndarray:
        """Those of ``rows`` that have attributes."""
        has: np.ndarray = rows[self.column("has_attributes")[rows]]
        return has

    def inputs(self, rows: np.ndarray) -> pd.DataFrame:
        """The inputs (row, uri, role) of ``rows``, in row then list order."""
        side = self.table.inputs
        mask = np.zeros(len(self), dtype=bool)
        mask[rows] = True
        picked: pd.DataFrame = side[mask[side["row"].to_numpy()]]
        return picked

    def id_order(self) -> np.ndarray:
        """The rows in order of their ids (equal ids in row order; sorted once, for large
        findings)."""
        order: np.ndarray = self.memo("id_order", lambda: sorted_positions(self.column("id")))
        return order

    def id_ranks(self) -> np.ndarray:
        """Per row: the rank of its id among all ids (the inverse of :meth:`id_order`)."""

        def ranks() -> np.ndarray:
            found = np.empty(len(self), dtype=np.int64)
            found[self.id_order()] = np.arange(len(self))
            return found

        ranked: np.ndarray = self.memo("id_ranks", ranks)
        return ranked

    def shot_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """(per row the code of its first shot, -1 for none; the shot ids by code)."""
        if self.shot_units is not None:
            return self.shot_units
        found: tuple[np.ndarray, np.ndarray] = self.memo(
            "shot_codes", lambda: pd.factorize(self.shot_ids)
        )
        return found

    def platforms(self) -> tuple[np.ndarray, np.ndarray]:
        """(per row a code, the platform names by code)."""
        return factorized(self.table, "platform")

    def in_tiers(self, tiers: set[str]) -> np.ndarray:
        """Rows whose use status is one of ``tiers`` (a status missing counts as not_in_film)."""
        wanted = np.zeros(len(USE_NAMES), dtype=bool)
        wanted[[USE_NAMES.index(name) for name in tiers]] = True
        if self.use is None:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(wanted[self.use])

    def gens(self, rows: np.ndarray | Sequence[int]) -> Gens:
        """These rows as a selection a rule hands a finding."""
        return Gens(self, np.asarray(rows, dtype=np.int64))


@dataclass(frozen=True, eq=False)
class Gens:
    """Some rows of a :class:`RightsTable`: the generations a finding is about."""

    source: RightsTable
    rows: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return len(self.rows) > 0

    def column(self, name: str) -> np.ndarray:
        """``name`` of these rows."""
        values: np.ndarray = self.source.column(name)[self.rows]
        return values

    def where(self, mask: np.ndarray) -> Gens:
        """Those of these rows where ``mask`` (one flag each) is true."""
        return Gens(self.source, self.rows[mask])

    def first(self) -> int:
        """The row of the smallest id (the first generation a reader sees)."""
        ids = self.column("id")
        return int(self.rows[min(range(len(ids)), key=ids.__getitem__)])

    def days(self) -> np.ndarray:
        """The day each of these rows was made (days since 1970-01-01, UTC)."""
        days: np.ndarray = self.source.days[self.rows]
        return days

    def day_span(self) -> str:
        """The day (or ``first..last`` days, ISO) these rows were made."""
        days = self.days()
        first, last = day_of(int(days.min())).isoformat(), day_of(int(days.max())).isoformat()
        return first if first == last else f"{first}..{last}"

    def joined(self, parts: list[np.ndarray]) -> Gens:
        """The rows of ``parts`` (some of these rows) as one selection."""
        return Gens(self.source, np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64))

    def by_day_and_account(self) -> Iterator[tuple[date, str | None, Gens]]:
        """These rows grouped by the day they were made and their account (a plan is held by
        an account over days): (day, account, rows), days then accounts ascending."""
        if not self:
            return
        days = self.days()
        codes, accounts = _local_codes(self.source.table, "account", self.rows)
        first, width = int(days.min()), len(accounts) + 1
        for code, rows in group_rows(self.rows, (days - first) * width + codes + 1):
            day, account = divmod(code, width)
            name = str(accounts[account - 1]) if account else None
            yield day_of(first + day), name, Gens(self.source, rows)

    def __or__(self, other: Gens) -> Gens:
        return Gens(self.source, np.union1d(self.rows, other.rows))


def group_rows(rows: np.ndarray, codes: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """``rows`` split by ``codes`` (one int per row, same length): (code, its rows in the given
    order), codes ascending."""
    if not len(rows):
        return []
    order = stable_order(codes)
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    bounds = [*starts.tolist(), len(order)]
    return [(int(sorted_codes[a]), rows[order[a:b]]) for a, b in pairwise(bounds)]


def group_by(rows: np.ndarray, values: np.ndarray) -> dict[Any, np.ndarray]:
    """``rows`` split by ``values`` (one hashable per row): value → its rows, in first-seen
    order of the values."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return {uniques[code]: part for code, part in group_rows(rows, codes)}


#: Above this many rows, a finding's ids are put in order by the table's id ranks (sorted once).
_RANKED = 20_000


def evidence_of(gens: Gens | None, shown: int) -> tuple[list[str], list[str], list[str]]:
    """(ids sorted, ``id (file:line)`` lines of the first ``shown`` and ``… and N more``, shots
    sorted) of ``gens``: what a finding says of its generations, read from the columns."""
    if gens is None or not gens:
        return [], [], []
    source = gens.source
    column = source.column("id")
    if len(gens.rows) > _RANKED:  # marked at their id's rank, read back in id order
        given = np.zeros(len(source), dtype=bool)
        given[source.id_ranks()[gens.rows]] = True
        rows = source.id_order()[np.flatnonzero(given)]
    else:
        rows = np.unique(gens.rows)
        rows = rows[sorted(range(len(rows)), key=column[rows].__getitem__)]
    ids = column[rows]
    if not source.table.id_index().is_unique and len(ids) > 1:  # one record per id
        keep = np.r_[True, ids[1:] != ids[:-1]]
        rows, ids = rows[keep], ids[keep]
    ids = ids.tolist()
    files, locators = source.column("source_file"), source.column("source_locator")
    lines = [f"{ids[k]} ({files[row]}:{locators[row]})" for k, row in enumerate(rows[:shown])]
    if len(ids) > shown:
        lines.append(f"… and {len(ids) - shown} more")
    codes, names = source.shot_codes()
    found = unique_rows(codes[rows] + 1, len(names) + 1)  # code -1 (no shot) at 0
    shots = sorted({shot for shot in names[found[found > 0] - 1].tolist() if shot})
    return ids, lines, shots


def sorted_positions(values: np.ndarray) -> np.ndarray:
    """Positions of ``values`` (text) in sorted order, equal values in position order: as
    ``sorted(range(n), key=values.__getitem__)``. ASCII text without NUL (ids, as platforms
    write them) is sorted by NumPy as bytes, in the same order (:func:`_byte_order`); other
    text by Python."""
    if _plain_ascii(values):
        return _byte_order(values.astype(np.bytes_))
    listed = values.tolist()
    return np.asarray(sorted(range(len(listed)), key=listed.__getitem__), dtype=np.int64)


def _plain_ascii(values: np.ndarray) -> bool:
    """Every value is text of bytes 1-127 (no NUL, nothing beyond ASCII), read from its UTF-8."""
    try:
        arrow = pa.array(values, type=pa.string())
    except (pa.ArrowException, TypeError, ValueError, UnicodeError):
        return False
    if arrow.null_count or not len(arrow):
        return False
    offsets = np.frombuffer(arrow.buffers()[1], dtype=np.int32)[: len(arrow) + 1]
    data = np.frombuffer(arrow.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return not len(data) or (int(data.min()) > 0 and int(data.max()) < 128)


def _byte_order(cells: np.ndarray) -> np.ndarray:
    """Stable order of fixed-width bytes (shorter cells padded with NUL, which they do not hold:
    a prefix comes first). Short cells are sorted two bytes at a time from the last (a stable
    radix sort: NumPy sorts 16-bit keys by counting), long ones by comparison."""
    width = cells.dtype.itemsize
    if width > 48 or len(cells) < 4096:
        return np.argsort(cells, kind="stable")
    padded = cells.astype(f"S{width + width % 2}")
    digits = padded.view(">u2").reshape(len(cells), -1)
    order = np.arange(len(cells))
    for k in range(digits.shape[1] - 1, -1, -1):
        digit = digits[:, k].astype(np.uint16)[order]
        if (digit != digit[0]).any():  # a digit equal in every cell orders nothing
            order = order[np.argsort(digit, kind="stable")]
    return order


def _local_codes(table: GenTable, name: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of column ``name`` at ``rows`` (codes in order of first appearance among
    them), from the table's codes of the whole column."""
    codes, uniques = factorized(table, name)
    picked = codes[rows]
    local, which = pd.factorize(np.where(picked < 0, np.nan, picked))
    return local, uniques[which.astype(np.int64)]

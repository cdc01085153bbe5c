"""The columnar hand-off between stages: every accepted generation as one row of arrays.

Linking and estimation read only a dozen facts of each generation (id, platform, prompt, outputs,
parents, size, duration…). :class:`GenTable` holds those facts as columns, in the canonical order
of generations (``created_at``, then ``id``), and builds a :class:`~audit.base.models.Generation`
object only when one is asked for (:meth:`GenTable.generations`): the rights rules, the report and
``whatif`` get the same objects as before, while a million-record archive is linked and estimated
without a million objects (docs/performance.md).

Rows come from two kinds of parts: objects an adapter already built (:class:`ObjectPart`), and
large canonical CSV files read column by column (a :class:`FramePart`, which knows how to build
the record of any of its rows exactly as the row-by-row reader would).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain
from operator import itemgetter
from typing import Any, cast

import numpy as np
import pandas as pd

from audit.base.codes import factorized
from audit.base.dumps import Dumped
from audit.base.models import Generation
from audit.base.schema import ATTRIBUTES, FIELDS, SPECS, record_value

#: Numeric fields linking or estimation read, as float columns (NaN = not given): the number
#: fields declared ``table=True`` in :mod:`audit.base.schema`.
NUMBERS = tuple(spec.name for spec in FIELDS if spec.table and spec.numeric)
#: Text fields linking, estimation or the rights rules read (None = not given). ``prompt`` and
#: ``shot_tag`` are kept as read (a large CSV's cells unstripped, possibly NaN): their readers
#: normalise them.
TEXTS = tuple(spec.name for spec in FIELDS if spec.table and spec.kind in ("text", "enum"))
#: Attributes the estimators read (raw values, as the record holds them).
SIGNATURE_ATTRIBUTES = tuple(attr.name for attr in ATTRIBUTES if attr.estimate is not None)
#: Attributes that may identify an output (lower-cased text, as linking compares it).
KEY_ATTRIBUTES = tuple(attr.name for attr in ATTRIBUTES if attr.identifies)
COLUMNS = (
    *TEXTS, *NUMBERS, "created_us", "has_attributes",
    *(f"attr_{name}" for name in (*SIGNATURE_ATTRIBUTES, *KEY_ATTRIBUTES)),
    "attributes",  # compact JSON text (None: none), read by the rights rules
)  # fmt: skip
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(value: datetime) -> int:
    """A UTC datetime as whole microseconds since 1970 (exact, any year 1–9999)."""
    return (value - _EPOCH) // _MICROSECOND


def attributes_text(attrs: dict[str, Any]) -> str | None:
    """A record's attributes as the ``attributes`` column holds them: compact JSON (keys in the
    record's order), None when there are none. The rights rules read it back with
    :func:`json.loads`, once per distinct text."""
    return json.dumps(attrs, ensure_ascii=False, separators=(",", ":")) if attrs else None


def attribute_values(table: GenTable, name: str, rows: np.ndarray) -> list[Any]:
    """Attribute ``name`` of ``rows`` (None when absent), each distinct attributes text read
    once: what a page reads of a few records' attributes without building them."""
    texts = table.column("attributes")[rows].tolist()
    parsed = {text: json.loads(text).get(name) for text in set(texts) if text is not None}
    return [None if text is None else parsed[text] for text in texts]


def key_text(value: object) -> str | None:
    """An identifying attribute as linking compares it: non-empty text, lower-cased."""
    return value.lower() if isinstance(value, str) and value else None


class Part:
    """Rows of one origin; ``build(positions)`` makes their Generation objects."""

    def build(self, positions: np.ndarray) -> list[Generation]:
        """The Generation objects of the rows at ``positions`` (positions within this part)."""
        raise NotImplementedError


@dataclass
class ObjectPart(Part):
    """Rows an adapter already built as objects."""

    objects: list[Generation]

    def build(self, positions: np.ndarray) -> list[Generation]:
        """The adapter's own objects at ``positions``."""
        return [self.objects[k] for k in positions.tolist()]


@dataclass
class FramePart(Part):
    """Rows of a canonical CSV read column by column; ``make(rows)`` builds their records,
    ``dump(rows)`` gives their fields as the records would dump them, without building them."""

    make: Callable[[np.ndarray], list[Generation]]
    dump: Callable[[np.ndarray], Dumped]
    #: the same fields as typed Arrow arrays (JSON fields as their text), without ``created_at``
    columns: Callable[[np.ndarray], dict[str, Any]] | None = None

    def build(self, positions: np.ndarray) -> list[Generation]:
        """The records of the rows at ``positions``, made from the columns."""
        return self.make(positions) if len(positions) else []


@dataclass
class EditedPart(Part):
    """Rows of another table some of whose columns were given new values (``whatif``): their
    records are the other table's, copied with the new values where a row changed."""

    base: GenTable
    columns: dict[str, np.ndarray]
    changed: np.ndarray

    def build(self, positions: np.ndarray) -> list[Generation]:
        """The base table's records of ``positions``, with the new values where they changed."""
        out = self.base.build(positions)
        for at in np.flatnonzero(self.changed[positions]).tolist():
            k = int(positions[at])
            update = {name: record_value(name, column[k]) for name, column in self.columns.items()}
            out[at] = out[at].model_copy(update=update)
        return out


@dataclass
class GenTable:
    """Accepted generations as columns (``cols``, one row each) and three side tables.

    ``outputs`` (row, value), ``inputs`` (row, uri, role) and ``parents`` (row, value) hold the
    list fields, item by item, in row order then list order. ``part``/``pos`` say where each row's
    record comes from.
    """

    cols: dict[str, np.ndarray]
    outputs: pd.DataFrame
    inputs: pd.DataFrame
    parents: pd.DataFrame
    parts: list[Part]
    part: np.ndarray
    pos: np.ndarray
    #: factorize codes of some text columns, when the reader already had them (-1: empty)
    codes: dict[str, np.ndarray] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.part)

    def column(self, name: str) -> np.ndarray:
        """A column as a NumPy array (object arrays for text, float64 for numbers)."""
        return self.cols[name]

    def id_index(self) -> pd.Index:
        """The ids as a pandas Index (hashed once; the walk's duplicate check made it)."""
        if "id_index" not in self._cache:
            self._cache["id_index"] = pd.Index(self.cols["id"], dtype=object)
        index: pd.Index = self._cache["id_index"]
        return index

    def codes_of(self, name: str) -> np.ndarray:
        """Integer codes of a column (equal values, equal codes; empty: -1). Codes the reader
        already had are reused; others are computed and not kept (a million rows, 8 MB each),
        unless a stage asked for them to be kept (:func:`audit.base.codes.factorized`)."""
        return factorized(self, name, keep=False)[0]

    def generations(self) -> list[Generation]:
        """Every row's Generation, in row order (built once, then cached)."""
        if "generations" not in self._cache:
            self._cache["generations"] = self.build(np.arange(len(self)))
        cached: list[Generation] = self._cache["generations"]
        return cached

    def build(self, rows: np.ndarray) -> list[Generation]:
        """The Generation objects of ``rows`` (positions in this table), in that order."""
        out: list[Generation | None] = [None] * len(rows)
        parts = self.part[rows]
        for p in np.unique(parts).tolist():
            where = np.flatnonzero(parts == p)
            built = self.parts[p].build(self.pos[rows[where]])
            for k, gen in zip(where.tolist(), built, strict=True):
                out[k] = gen
        return [gen for gen in out if gen is not None]

    def records(self, rows: np.ndarray) -> list[Generation]:
        """The Generation objects of ``rows``: those :meth:`generations` already built, else
        built for these rows only and not kept (a report writes a large table a block at a
        time)."""
        built: list[Generation] | None = self._cache.get("generations")
        if built is not None:
            return [built[k] for k in rows.tolist()]
        return self.build(rows)

    def dumped(self, rows: np.ndarray) -> Dumped | None:
        """The fields of ``rows`` as their records would dump them (``model_dump(mode="json")``),
        read from the files' columns; None when a row is not of a canonical CSV read column-wise."""
        parts = self.part[rows]
        found = np.unique(parts).tolist()
        if not all(isinstance(self.parts[p], FramePart) for p in found):
            return None
        if len(found) == 1:
            return cast(FramePart, self.parts[found[0]]).dump(self.pos[rows])
        out: Dumped = {}
        for p in found:
            where = np.flatnonzero(parts == p)
            for name, values in cast(FramePart, self.parts[p]).dump(self.pos[rows[where]]).items():
                column = out.setdefault(name, [None] * len(rows))
                for k, value in zip(where.tolist(), values, strict=True):
                    column[k] = value
        return out

    def take(self, rows: np.ndarray) -> GenTable:
        """A table of ``rows`` only, in that order (side tables renumbered)."""
        new_index = np.full(len(self), -1, dtype=np.int64)
        new_index[rows] = np.arange(len(rows))
        cols = {name: column[rows] for name, column in self.cols.items()}
        codes = {name: column[rows] for name, column in self.codes.items()}
        return GenTable(
            cols,
            _renumber(self.outputs, new_index),
            _renumber(self.inputs, new_index),
            _renumber(self.parents, new_index),
            self.parts,
            self.part[rows],
            self.pos[rows],
            codes,
        )


def _renumber(side: pd.DataFrame, new_index: np.ndarray) -> pd.DataFrame:
    rows = new_index[side["row"].to_numpy()]
    kept = side.assign(row=rows)[rows >= 0]
    out: pd.DataFrame = kept.sort_values("row", kind="stable").reset_index(drop=True)
    return out


def edited(table: GenTable, columns: dict[str, np.ndarray]) -> GenTable:
    """``table`` with ``columns`` replaced (same rows, same order): what the stages read is the
    new columns, and a record built from a changed row carries the new values."""
    changed = np.zeros(len(table), dtype=bool)
    for name, column in columns.items():
        old = table.cols[name]
        changed |= ~((old == column) | (pd.isna(old) & pd.isna(column)))
    codes = {name: found for name, found in table.codes.items() if name not in columns}
    return GenTable(
        {**table.cols, **columns},
        table.outputs,
        table.inputs,
        table.parents,
        [EditedPart(table, columns, changed)],
        np.zeros(len(table), dtype=np.int64),
        np.arange(len(table), dtype=np.int64),
        codes,
    )


def side_frame(rows: Sequence[int] | np.ndarray, values: dict[str, Any]) -> pd.DataFrame:
    """A side table: ``row`` (int64) and object columns."""
    data: dict[str, Any] = {"row": np.asarray(rows, dtype=np.int64)}
    for name, column in values.items():
        data[name] = pd.Series(np.asarray(column, dtype=object), dtype=object, copy=False)
    return pd.DataFrame(data)


#: Record fields the table keeps as they are (read together from each record's ``__dict__``).
_PLAIN = tuple(name for name in COLUMNS if name in TEXTS or name in NUMBERS)


def object_columns(gens: Sequence[Generation]) -> dict[str, Any]:
    """The table columns of objects, one list (or float array) per column. Fields are read
    from each record's ``__dict__`` (pydantic keeps them there) in one itemgetter, then
    transposed: faster than one pass per column."""
    fields = [vars(gen) for gen in gens]
    attrs: list[dict[str, Any]] = list(map(itemgetter("attributes"), fields))
    cols: dict[str, Any] = _attribute_columns(attrs)
    plain = zip(*map(itemgetter(*_PLAIN), fields), strict=True) if fields else ((),) * len(_PLAIN)
    cols.update(zip(_PLAIN, map(list, plain), strict=True))
    for name in ("modality", "status"):  # the enum's text, looked up once per member
        values = {member: member.value for member in SPECS[name].enum or ()}
        cols[name] = list(map(values.__getitem__, cols[name]))
    for name in NUMBERS:  # None becomes NaN
        cols[name] = np.asarray(cols[name], dtype=np.float64)
    cols["created_us"] = [micros(value) for value in map(itemgetter("created_at"), fields)]
    cols["has_attributes"] = list(map(bool, attrs))
    cols["attributes"] = [attributes_text(a) for a in attrs]
    return cols


_KEPT_ATTRIBUTES = frozenset((*SIGNATURE_ATTRIBUTES, *KEY_ATTRIBUTES))


def _attribute_columns(attrs: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The ``attr_`` columns, in one pass over the records that have attributes."""
    cols: dict[str, list[Any]] = {f"attr_{name}": [None] * len(attrs) for name in _KEPT_ATTRIBUTES}
    for k, found in enumerate(attrs):
        if not found:
            continue
        for name in _KEPT_ATTRIBUTES.intersection(found):
            value = found[name]
            cols[f"attr_{name}"][k] = key_text(value) if name in KEY_ATTRIBUTES else value
    return cols


def typed_columns(cols: dict[str, Any], count: int) -> dict[str, np.ndarray]:
    """The ``cols`` as NumPy arrays: float64 numbers, int64 times, bool flags, objects."""
    data: dict[str, np.ndarray] = {}
    for name in COLUMNS:
        values = cols[name]
        if name in NUMBERS:
            data[name] = np.asarray(values, dtype=np.float64)
        elif name == "created_us":
            data[name] = np.asarray(values, dtype=np.int64)
        elif name == "has_attributes":
            data[name] = np.asarray(values, dtype=bool)
        elif isinstance(values, np.ndarray) and values.dtype == object:
            data[name] = values
        else:
            array = np.empty(count, dtype=object)
            array[:] = values
            data[name] = array
    return data


def from_generations(gens: Sequence[Generation]) -> GenTable:
    """A table of objects (kept in the order given)."""
    gens = list(gens)
    cols = typed_columns(object_columns(gens), len(gens))
    rows = np.arange(len(gens), dtype=np.int64)
    outputs = [gen.outputs for gen in gens]
    inputs = [gen.inputs for gen in gens]
    parents = [gen.parent_ids for gen in gens]
    refs = list(chain.from_iterable(inputs))
    out_rows, in_rows, par_rows = (
        np.repeat(rows, np.fromiter(map(len, lists), dtype=np.int64, count=len(gens)))
        for lists in (outputs, inputs, parents)
    )
    out_values = list(chain.from_iterable(outputs))
    par_values = list(chain.from_iterable(parents))
    uris, roles = [ref.uri for ref in refs], [ref.role for ref in refs]
    return GenTable(
        cols,
        side_frame(out_rows, {"value": out_values}),
        side_frame(in_rows, {"uri": uris, "role": roles}),
        side_frame(par_rows, {"value": par_values}),
        [ObjectPart(gens)],
        np.zeros(len(gens), dtype=np.int64),
        np.arange(len(gens), dtype=np.int64),
    )


def concat(tables: Sequence[GenTable]) -> GenTable:
    """One table of several (rows in the order given; parts renumbered)."""
    if len(tables) == 1:
        return tables[0]
    if not tables:
        return from_generations([])
    offsets = np.cumsum([0, *(len(t) for t in tables)])
    part_offsets = np.cumsum([0, *(len(t.parts) for t in tables)])
    sides = {}
    for name in ("outputs", "inputs", "parents"):
        frames = [
            getattr(t, name).assign(row=getattr(t, name)["row"].to_numpy() + offsets[k])
            for k, t in enumerate(tables)
        ]
        sides[name] = pd.concat(frames, ignore_index=True)
    return GenTable(
        {name: np.concatenate([t.cols[name] for t in tables]) for name in COLUMNS},
        sides["outputs"],
        sides["inputs"],
        sides["parents"],
        [p for t in tables for p in t.parts],
        np.concatenate([t.part + part_offsets[k] for k, t in enumerate(tables)]),
        np.concatenate([t.pos for t in tables]),
    )


def canonical_order(table: GenTable) -> np.ndarray:
    """Row positions sorted by (created_at, id), as generations are listed everywhere."""
    created = table.column("created_us")
    ids = table.column("id")
    step = np.diff(created)
    if (step >= 0).all():
        ties = np.flatnonzero(step == 0).tolist()
        if all(ids[k] < ids[k + 1] for k in ties):
            return np.arange(len(table))
    frame = pd.DataFrame({"created": created, "id": ids})
    return frame.sort_values(["created", "id"], kind="mergesort").index.to_numpy()


def sorted_table(table: GenTable) -> GenTable:
    """The table in canonical order (created_at then id); itself when already in order."""
    order = canonical_order(table)
    if (order == np.arange(len(table))).all():
        return table
    return table.take(order)

"""generations.csv and generations.parquet from columns, end to end (archive scale).

A block of rows of a production read from canonical CSV files column-wise is built as typed
Arrow arrays straight from the files' columns (:func:`audit.ingest.canonical_arrow.dump_columns`),
the table's ``created_us``, the estimate frame, the linking's ``shot_id``/``kept`` and the use
status — no Python object per row or cell. Its CSV cells are formatted by Arrow kernels
(:mod:`audit.report.arrowcsv`) and its Parquet row group is written from the same arrays. The
bytes are those of :func:`audit.report.generations.generation_blocks`' frames through
:func:`audit.report.csvout.csv_bytes`, and the Parquet holds the same typed values (tests compare
both). Rows built by other adapters (objects) have no file columns: :meth:`ArrowBlocks.block`
gives None and the writer takes the frame path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.base.gentable import FramePart, GenTable
from audit.base.models import COLUMNS
from audit.link.model import USE_NAMES
from audit.report.arrowcsv import (
    Coded,
    cells_of,
    coded_cells,
    float_texts,
    pairs_of,
    python_cells,
    text_cells,
)
from audit.report.audit_json import redact_prompt

if TYPE_CHECKING:
    from audit.pipeline import AuditRun

#: Fields ``--redact-prompts`` replaces by their length and hash.
PROMPTS = ("prompt", "negative_prompt", "lyrics")


@dataclass
class Column:
    """One column of a block: its values as generations.parquet types them, its CSV cells
    (text, or by code: :data:`~audit.report.arrowcsv.Coded`)."""

    name: str
    values: pa.Array
    cells: pa.Array | Coded | None


def column(name: str, values: pa.Array, done: dict[tuple[int, ...], Any] | None = None) -> Column:
    """A column of ``values`` and their cells (``done``: dictionaries already formatted)."""
    coded = coded_cells(values, done)
    return Column(name, values, coded if coded is not None else cells_of(values))


def dumped_columns(table: GenTable, rows: np.ndarray) -> dict[str, pa.Array] | None:
    """The canonical fields of ``rows`` as typed Arrow arrays, read from the files' columns
    (``created_at`` from the table); None when a row is not of a canonical CSV read
    column-wise."""
    parts = table.part[rows]
    found = np.unique(parts).tolist()
    makers = [getattr(table.parts[p], "columns", None) for p in found]
    pieces, where = [], []
    for p, maker in zip(found, makers, strict=True):
        if not isinstance(table.parts[p], FramePart) or maker is None:
            return None
        at = np.flatnonzero(parts == p) if len(found) > 1 else np.arange(len(rows))
        pieces.append(maker(table.pos[rows[at]]))
        where.append(at)
    out = pieces[0]
    if len(pieces) > 1:
        back = np.empty(len(rows), dtype=np.int64)
        back[np.concatenate(where)] = np.arange(len(rows))
        order = pa.array(back)
        out = {name: _joined([p[name] for p in pieces]).take(order) for name in out}
    stamps = pa.array(table.column("created_us")[rows], pa.timestamp("us", tz="UTC"))
    return {**out, "created_at": stamps}


def _joined(arrays: list[pa.Array]) -> pa.Array:
    """One array of several (dictionary arrays decoded)."""
    plain = [a.dictionary.take(a.indices) if pa.types.is_dictionary(a.type) else a for a in arrays]
    return pa.concat_arrays(plain)


class _Estimate:
    """One column of the estimate, prepared once for the whole table: a float or text column
    of few distinct values has its cells by code (0: empty), each distinct value formatted
    once."""

    def __init__(self, name: str, series: pd.Series, key: _Key | None = None) -> None:
        self.name = name
        self.kind = "T" if isinstance(series.dtype, pd.StringDtype) else series.dtype.kind
        self.values = series.to_numpy()
        self.coded: Coded | None = None
        if self.kind == "f" and self.values.dtype == np.float64:
            codes, distinct = _bit_codes(self.values, key)
            if len(distinct) * 4 < len(codes):
                texts = float_texts(np.asarray(distinct).view(np.float64))
                self.coded = (codes.astype(np.int32) + 1, _with_empty(texts))
        elif self.kind in "OT":
            codes, distinct = _text_codes(series.to_numpy(dtype=object), key)
            if all(isinstance(value, str) for value in distinct.tolist()):
                self.kind = "T"
                self.dictionary = pa.array([None, *distinct], pa.string())
                self.coded = (
                    codes.astype(np.int32) + 1,
                    _with_empty(text_cells(self.dictionary[1:])),
                )

    def column(self, rows: np.ndarray, codes: np.ndarray | None) -> Column | None:
        """Its values of ``rows`` (``codes``: theirs, when its cells are by code), cells left
        to its run; None for a dtype left to the frame path."""
        if self.kind == "T" and codes is not None:
            values = pa.DictionaryArray.from_arrays(pa.array(codes), self.dictionary)
            return Column(self.name, values, None)
        if self.kind == "f" and self.values.dtype == np.float64:
            values = pa.array(self.values[rows], from_pandas=True)
            return Column(self.name, values, None if codes is not None else cells_of(values))
        if self.kind in "iub":
            return column(self.name, pa.array(self.values[rows]))
        return None


@dataclass
class _Run:
    """Adjacent estimate columns whose cells are by code, joined once for the whole table:
    each row's code of the run, the run's cells by code, and each member's code by run code."""

    members: list[_Estimate]
    codes: np.ndarray
    texts: pa.Array
    lookups: list[np.ndarray]


#: Each row's code of the estimate's float columns together (about its signature), and the
#: first row of each code.
_Key = tuple[np.ndarray, np.ndarray]


def _bit_codes(values: np.ndarray, key: _Key | None) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize of float64 ``values`` by bit pattern (``-0.0`` is not ``0.0``), through
    ``key`` (each of the estimate's float columns is a function of it): the first row of each
    signature factorized, in the order of first appearance as the whole column's would be."""
    if key is None:
        codes, distinct = pd.factorize(values.view(np.int64))
        return np.asarray(codes), np.asarray(distinct)
    rows, first = key
    small, distinct = pd.factorize(values[first].view(np.int64))
    return np.asarray(small)[rows], np.asarray(distinct)


def _key(impacts: pd.DataFrame) -> _Key | None:
    """Each row's code of the estimate's float columns taken together (its signature) and the
    first row of each code: a hash of each row's bits factorized, then checked (a hash two
    signatures share, more codes than a row in eight, no float column: None)."""
    floats = [impacts[n].to_numpy() for n in impacts.columns[1:] if impacts[n].dtype == np.float64]
    if not floats or not len(impacts):
        return None
    mixed = np.zeros(len(impacts), dtype=np.uint64)
    for values in floats:  # FNV-like, wrapping around
        mixed *= np.uint64(0x100000001B3)
        mixed ^= values.view(np.uint64)
    codes, distinct = pd.factorize(mixed)
    if len(distinct) * 8 > len(codes):
        return None
    first = np.full(len(distinct), -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    for values in floats:
        bits = values.view(np.int64)
        if not np.array_equal(bits[first][codes], bits):
            return None
    return np.asarray(codes), first


def _text_codes(values: np.ndarray, key: _Key | None) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize of an object column; through ``key`` when the column is a function of it
    (each key's text the same object or an equal one: the estimate of one signature)."""
    if key is not None and len(values):
        codes, first = key
        picked = values[first]
        if bool((picked[codes] == values).all()):
            small, distinct = pd.factorize(picked)
            return small[codes], np.asarray(distinct)
    found, distinct = pd.factorize(values)
    return found, np.asarray(distinct)


def _runs(estimates: list[_Estimate], key: _Key | None = None) -> list[_Run | _Estimate]:
    """The estimate's columns, adjacent coded ones in runs (their codes dropped after); joined
    on the first row of each signature of ``key`` when every coded column is a function of it
    (checked), then spread to every row."""
    rows = len(key[0]) if key is not None else 0
    if key is not None and not all(_of_key(e.coded, key) for e in estimates):
        key = None
    out: list[_Run | _Estimate] = []
    for estimate in estimates:
        coded, last = estimate.coded, out[-1] if out else None
        estimate.coded = None
        if coded is None:
            out.append(estimate)
            continue
        if key is not None:
            coded = (coded[0][key[1]], coded[1])
        found = (
            pairs_of((last.codes, last.texts), coded, rows or None)
            if isinstance(last, _Run)
            else None
        )
        if isinstance(last, _Run) and found is not None:
            codes, left, right = found
            texts = pc.binary_join_element_wise(
                last.texts.take(pa.array(left)), coded[1].take(pa.array(right)), ","
            )
            lookups = [lookup[left] for lookup in last.lookups] + [right]
            out[-1] = _Run([*last.members, estimate], codes.astype(np.int32), texts, lookups)
        else:
            out.append(_Run([estimate], coded[0], coded[1], [np.arange(len(coded[1]))]))
    if key is not None:
        for run in out:
            if isinstance(run, _Run):
                run.codes = run.codes[key[0]]
    return out


def _of_key(coded: Coded | None, key: _Key) -> bool:
    """Whether a column's codes are a function of the signatures of ``key``."""
    if coded is None:
        return True
    rows, first = key
    return bool(np.array_equal(coded[0][first][rows], coded[0]))


def _with_empty(texts: pa.Array) -> pa.Array:
    """Cells by code: the empty cell first, then ``texts`` (null: empty)."""
    return pa.concat_arrays([pa.array([""], pa.string()), pc.fill_null(texts, "")])


class ArrowBlocks:
    """generations.csv's blocks as :class:`Column` lists (``impacts``: the estimate of each
    table row, in table order, ``id`` first)."""

    def __init__(self, run: AuditRun, impacts: pd.DataFrame, redact_prompts: bool) -> None:
        self.link, self.redact_prompts = run.link, redact_prompts
        key = _key(impacts)
        self.estimate = _runs(
            [_Estimate(name, impacts[name], key) for name in impacts.columns[1:]], key
        )
        self.shots = pa.array([unit.shot_id for unit in run.link.units], pa.string())
        self.uses = pa.array(USE_NAMES, pa.string())
        self.done: dict[tuple[int, ...], Any] = {}

    def block(self, rows: np.ndarray) -> list[Column] | None:
        """The block of ``rows`` (generations.csv's order), or None: rows of objects, or an
        estimate column of a dtype the frame path formats."""
        link = self.link
        dumped = dumped_columns(link.table, rows)
        if dumped is None:
            return None
        first = link.first_unit[rows]
        at = pa.array(first, mask=first < 0)
        dumped["shot_id"] = pa.DictionaryArray.from_arrays(at, self.shots)
        dumped["kept"] = pa.array(np.asarray(link.kept[rows], dtype=bool))
        if self.redact_prompts:
            for name in PROMPTS:
                dumped[name] = _redacted(dumped[name])
        columns = [column(name, dumped[name], self.done) for name in COLUMNS]
        estimate = self._estimate(rows)
        if estimate is None:
            return None
        columns.extend(estimate)
        if link.use is not None:
            uses = pa.array(link.use[rows].astype(np.int32))
            names = pa.DictionaryArray.from_arrays(uses, self.uses)
            columns.append(column("use_status", names))
        return columns

    def _estimate(self, rows: np.ndarray) -> list[Column] | None:
        out: list[Column] = []
        for part in self.estimate:
            if isinstance(part, _Estimate):
                found = part.column(rows, None)
                if found is None:
                    return None
                out.append(found)
                continue
            codes = part.codes[rows]
            for k, (member, lookup) in enumerate(zip(part.members, part.lookups, strict=True)):
                found = member.column(rows, lookup[codes])
                if found is None:
                    return None
                out.append(replace(found, cells=(codes, part.texts)) if k == 0 else found)
        return out


def _redacted(prompts: pa.Array) -> pa.Array:
    """Each prompt redacted (:func:`redact_prompt`), each distinct one hashed once."""
    prompts = prompts.cast(pa.string())
    valid = pc.is_valid(prompts)
    if not pc.any(valid).as_py():
        return prompts
    done = python_cells(prompts.filter(valid), redact_prompt)
    return pc.replace_with_mask(prompts, valid, done)

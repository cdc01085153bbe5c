"""A large canonical CSV read straight into a :class:`~audit.base.gentable.GenTable`, column by column.

pandas' C parser reads the file once: numbers typed, text into Arrow arrays (no Python object
per cell). Each column is then checked at once, with Arrow and NumPy, against what
:class:`~audit.base.models.Generation` accepts. A row any check is unsure of — a cell that is not a
number, a date that is not ``YYYY-MM-DDTHH:MM:SS`` with ``Z`` or an offset, an unknown modality,
a bound crossed, an implausible size (bounds and plausibility as :mod:`audit.base.schema`
declares them), a JSON cell of an unexpected shape, a missing required cell — is handed back by
line to the row-by-row reader, which stays the reference (its record or its reject). The other
rows become table rows; their records are built only when asked for, by the same code as the
row reader's. Files the two parsers could split differently are refused here (None): a quoted
line break, a lone CR, a cell longer than the csv module's limit, a repeated header name.
"""

from __future__ import annotations

import csv
import mmap
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.base.gentable import (
    COLUMNS as TABLE_COLUMNS,
)
from audit.base.gentable import (
    NUMBERS,
    FramePart,
    GenTable,
    typed_columns,
)
from audit.base.gentable import micros as micros_of
from audit.base.models import Modality, Status
from audit.base.schema import NUMERIC, SPECS, WHOLE, lower_bound
from audit.base.textio import sniff_delimiter
from audit.ingest.canonical_columns import (
    Cells,
    Coded,
    coded,
    date_micros,
    empty_column,
    numbers,
    objects,
    stripped,
)
from audit.ingest.canonical_sides import attribute_columns, lists_of, side_tables

#: Whole numbers beyond this are left to the row reader (float and int stop agreeing).
MAX_EXACT_INT = 2.0**53
_MODALITIES = frozenset(m.value for m in Modality)
#: Statuses a table row may keep; a pending row goes to the row reader (the walk flags it as a
#: full run estimated ahead of its result).
_STATUSES = frozenset(s.value for s in Status if s != Status.pending)
FIRST_US = micros_of(datetime(1, 1, 1, tzinfo=UTC))
LAST_US = micros_of(datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
#: Text columns are read into Arrow (pandas' C parser fills them without a Python object per
#: cell), then handed on as pandas' "str" dtype (missing: NaN).
_ARROW_TEXT = pd.ArrowDtype(pa.large_string())
#: Text columns kept as codes (the stages group rows by them), values shared.
_CODED = ("platform", "modality", "model", "region", "hardware", "account", "status", "lyrics")


@dataclass
class FrameRead:
    """A file read column-wise: its table (good rows, file order) and the rows left to the row
    reader (line, stripped cells), in line order."""

    names: list[str]
    table: GenTable
    for_rows: list[tuple[int, dict[str, str]]]


def _lines_ok(path: Path, rows: int) -> bool:
    """The csv module would see the same rows: no lone CR, no quoted line break, no cell over
    its size limit (no line longer than the limit). The file is mapped, not copied."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b"\r") >= 0 and _count(data, b"\r") != _count(data, b"\r\n"):
            return False
        lines = _count(data, b"\n") + (0 if data[-1:] == b"\n" else 1)
        last = _line_starts_ok(data, 0, csv.field_size_limit())
        return rows + 1 == lines and last is not None and len(data) - last < csv.field_size_limit()


def _count(data: mmap.mmap, pattern: bytes) -> int:
    """Occurrences of a one- or two-byte ``pattern`` in ``data``, a block at a time."""
    found = 0
    for at in range(0, len(data), _BLOCK):
        size = min(_BLOCK + len(pattern) - 1, len(data) - at)  # a pair may straddle blocks
        block = np.frombuffer(data, dtype=np.uint8, count=size, offset=at)
        hits = block[: len(block) - len(pattern) + 1] == pattern[0]
        if len(pattern) == 2:
            hits &= block[1:] == pattern[1]
        found += int(np.count_nonzero(hits))
        del block, hits  # no view of the map left when it closes
    return found


def _line_starts_ok(data: mmap.mmap | bytes, start: int, limit: int) -> int | None:
    """The offset of the start of the last line of ``data`` from a line starting at ``start``;
    None when a line (with its line feed) is longer than ``limit`` bytes. Each search finds the
    last line feed of a stretch of ``limit`` bytes: a few thousand for a large file."""
    while True:
        stop = start + limit
        if stop > len(data):  # the rest is shorter than a line may be
            found = data.rfind(b"\n", start)
            return found + 1 if found >= 0 else start
        found = data.rfind(b"\n", start, stop)
        if found < 0:
            return None
        start = found + 1


_BLOCK = 1 << 24


def _parse(path: Path, delimiter: str, header: list[str]) -> pd.DataFrame | None:
    """The file parsed by pandas, text columns (by their header cell as written) into Arrow."""
    text_columns = {name: _ARROW_TEXT for name in header if name.strip() not in NUMERIC}
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(
                path,
                memory_map=True,
                sep=delimiter,
                dtype=text_columns,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                index_col=None,
                engine="c",
                encoding="utf-8-sig",
            )
        except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError):
            return None
        except UnicodeDecodeError:
            return None


def read_frame(
    path: Path,
    name: str,
    make: Callable[[pd.DataFrame, list[str]], FramePart],
) -> FrameRead | None:
    """The canonical CSV at ``path`` as a table, or None when the row reader must read it.

    ``make(frame, names)`` gives the part that builds row ``k``'s record (the adapter's); the
    frame holds the cells as read, text as pandas' Arrow-backed "str" (missing: NaN), numbers
    as pandas typed them."""
    with path.open("rb") as handle:
        head = handle.readline()
    if not head:
        return None  # an empty file (which cannot be mapped): the row reader says so
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 (Excel's "Unicode text"): the row reader decodes it
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    delimiter = sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter), [])
    names = [n.strip() for n in header]
    if len(set(names)) != len(names):
        return None
    frame = _parse(path, delimiter, header)
    if frame is None or not isinstance(frame.index, pd.RangeIndex):
        return None  # unreadable here, or more cells than the header on every row
    if [str(c).strip() for c in frame.columns] != names or not _lines_ok(path, len(frame)):
        return None
    frame.columns = pd.Index(names)
    frame = frame.astype({n: "str" for n in names if isinstance(frame[n].dtype, pd.ArrowDtype)})

    def rows_for(rows: np.ndarray) -> list[tuple[int, dict[str, str]]]:
        return _for_rows(path, delimiter, names, rows)

    return _checked(frame, names, name, rows_for, make)


def _cells(frame: pd.DataFrame, name: str) -> Cells:
    """A text column's cells as Arrow (null: empty; all null when the file has no such
    column)."""
    if name not in frame:
        return pa.nulls(len(frame), pa.large_string())
    found: Cells = pa.array(frame[name].array)
    return found


def _coded(frame: pd.DataFrame, name: str, strip: bool = True) -> Coded:
    """A text column coded (stripped unless ``strip`` is false)."""
    return coded(_cells(frame, name), strip)


def _numbers(frame: pd.DataFrame, name: str, bad: np.ndarray) -> np.ndarray:
    """A numeric column as float64 (NaN empty); rows breaking a bound are marked bad."""
    if name not in frame:
        return empty_column(len(frame), "float")
    column = frame[name]
    if column.dtype.kind in "if":  # a float column: the frame's own array, read-only
        values = column.to_numpy(dtype=np.float64)
    else:
        cells = [_cell_text(c) for c in column.to_numpy(dtype=object)]  # e.g. True: not a number
        converted, failed = numbers(cells)
        values = np.array([np.nan if v is None else v for v in converted], dtype=np.float64)
        bad[list(failed)] = True
    # comparisons with NaN (an empty cell) are false: no mask of given cells needed
    bad |= np.isinf(values)
    low, strict = lower_bound(name)
    if low is not None:
        bad |= (values <= low) if strict else (values < low)
    if name in WHOLE:
        bad |= np.abs(values) >= MAX_EXACT_INT
        if column.dtype.kind != "i":
            with np.errstate(invalid="ignore"):  # inf - inf: already bad
                bad |= values - np.floor(values) > 0
    plausible = SPECS[name].plausible
    if plausible is not None:  # the walk rejects it (audit.base.schema): the row reader names why
        bad |= values > plausible.most
    return values


def _dates(frame: pd.DataFrame, bad: np.ndarray) -> np.ndarray:
    """created_at as microseconds since 1970 (UTC); rows the conversion is unsure of (any cell
    not of the one shape it reads, a day not in the calendar, a year out of 1-9999 once in UTC)
    are marked bad."""
    micros, sure = date_micros(_cells(frame, "created_at"))
    bad |= ~sure | (micros < FIRST_US) | (micros > LAST_US)
    return micros


def _checked(
    frame: pd.DataFrame,
    names: list[str],
    source_name: str,
    rows_for: Callable[[np.ndarray], list[tuple[int, dict[str, str]]]],
    make: Callable[[pd.DataFrame, list[str]], FramePart],
) -> FrameRead:
    """Every column checked; the table of the rows all checks are sure of, the other rows
    left to the row reader. Columns the table holds as the same stripped strings replace the
    cells as read in ``frame`` (one copy of each id), before ``make`` is given it."""
    bad = np.zeros(len(frame), dtype=bool)
    found = {name: _coded(frame, name) for name in (*_CODED, "model_version")}
    found.update({name: _coded(frame, name, strip=False) for name in ("prompt", "shot_tag")})
    bad |= (found["platform"].codes < 0) | ~found["modality"].isin(_MODALITIES)
    status = found["status"]
    bad |= ~(status.isin(_STATUSES) | (status.codes < 0))
    found["status"] = status.filled(Status.succeeded.value)
    cols: dict[str, Any] = {name: column.values for name, column in found.items()}
    codes = {name: column.codes for name, column in found.items() if name != "model_version"}
    for name in NUMBERS:
        cols[name] = _numbers(frame, name, bad)
    for name in sorted(NUMERIC - set(NUMBERS)):
        if name in frame:
            _numbers(frame, name, bad)  # checked only: the table does not keep them
    cols["outputs_count"] = np.where(np.isnan(cols["outputs_count"]), 1.0, cols["outputs_count"])
    cols["created_us"] = _dates(frame, bad)
    cols.update(attribute_columns(_cells(frame, "attributes"), bad))
    lists = {
        name: lists_of(_cells(frame, name), name, bad)
        for name in ("outputs", "inputs", "parent_ids")
    }
    ids = objects(stripped(_cells(frame, "id")))
    cols["id"] = _ids(ids, cols["platform"], source_name)
    shared = {name: items.column for name, items in lists.items() if items.column is not None}
    for name, column in {"id": ids, **shared}.items():
        if name in frame:
            frame[name] = pd.Series(column, index=frame.index, dtype=object, copy=False)
    good = np.flatnonzero(~bad)
    return FrameRead(
        names,
        _table(cols, codes, lists, good, source_name, make(frame, names)),
        rows_for(np.flatnonzero(bad)),
    )


def _ids(ids: np.ndarray, platform: np.ndarray, source_name: str) -> np.ndarray:
    """Ids (stripped); an empty one is ``<platform>:<file stem>-<line>``, as the row reader
    makes it."""
    empty = np.flatnonzero(pd.isna(ids))
    if not len(empty):
        return ids
    stem = PurePosixPath(source_name).stem
    filled = ids.copy()
    filled[empty] = [f"{platform[k]}:{stem}-{k + 2}" for k in empty.tolist()]
    return filled


def _table(
    cols: dict[str, Any],
    codes: dict[str, np.ndarray],
    lists: dict[str, Any],
    good: np.ndarray,
    source_name: str,
    make: FramePart,
) -> GenTable:
    every = len(good) == len(cols["id"])  # no row left to the row reader: no copy
    picked: dict[str, Any] = {}
    for name in TABLE_COLUMNS:
        if name in cols:
            picked[name] = cols[name] if every else cols[name][good]
    picked["source_file"] = np.full(len(good), source_name, dtype=object)
    picked["source_locator"] = objects(pc.cast(pa.array(good + 2), pa.string()))
    table = typed_columns(picked, len(good))
    outputs, inputs, parents = side_tables(lists, good)
    part = np.zeros(len(good), dtype=np.int64)
    kept_codes = {
        name: column if every else _renumbered(column[good]) for name, column in codes.items()
    }
    return GenTable(
        table, outputs, inputs, parents, [make], part, good.astype(np.int64), kept_codes
    )


def _renumbered(codes: np.ndarray) -> np.ndarray:
    """Codes of some rows numbered again in order of first appearance among them (-1 kept), as
    ``pd.factorize`` of their values would number them."""
    found: np.ndarray = pd.factorize(np.where(codes < 0, np.nan, codes))[0]
    return found


def _for_rows(
    path: Path, delimiter: str, names: list[str], rows: np.ndarray
) -> list[tuple[int, dict[str, str]]]:
    """Rows left to the row reader, read again from their own lines of the file (cells as
    written, e.g. ``1e400`` rather than the infinity pandas made of it); empty rows skipped."""
    if not len(rows):
        return []
    data = path.read_bytes()
    ends = _line_ends(data)
    out = []
    for k in rows.tolist():
        line = k + 2  # row k of the table is on line k + 2 (no cell spans lines: checked)
        start = int(ends[line - 2]) + 1
        stop = int(ends[line - 1]) if line - 1 < len(ends) else len(data)
        text = data[start:stop].decode("utf-8").rstrip("\r")
        values = next(csv.reader([text], delimiter=delimiter), [])
        cells = {n: (values[j] if j < len(values) else "").strip() for j, n in enumerate(names)}
        if any(cells.values()):
            out.append((line, cells))
    return out


def _line_ends(data: bytes) -> np.ndarray:
    """Offsets of every line feed, block by block."""
    found = [
        np.flatnonzero(
            np.frombuffer(data, dtype=np.uint8, count=min(_BLOCK, len(data) - at), offset=at) == 10
        )
        + at
        for at in range(0, len(data), _BLOCK)
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _cell_text(value: object) -> str:
    """A parsed cell back as the stripped text the csv module would give."""
    if isinstance(value, str):
        return value.strip()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)

"""A large canonical CSV read straight into a :class:`~audit.base.gentable.GenTable`, column by column.

pandas' C parser reads the file once (numbers typed, text as objects); each column is then checked
at once against what :class:`~audit.base.models.Generation` accepts. A row any check is unsure of —
a cell that is not a number, a date that is not ``YYYY-MM-DDTHH:MM:SS`` with ``Z`` or an offset,
an unknown modality, a bound crossed, an implausible size (bounds and plausibility as
:mod:`audit.base.schema` declares them), a JSON cell of an unexpected shape,
a missing required cell — is handed back by line to the row-by-row reader, which stays the
reference (its record or its reject). The other rows become table rows; their records are built
only when asked for, by the same code as the row reader's. Files the two parsers could split
differently are refused here (None), as in :mod:`audit.ingest.canonical_columns`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from audit.base.gentable import (
    COLUMNS as TABLE_COLUMNS,
)
from audit.base.gentable import (
    KEY_ATTRIBUTES,
    NUMBERS,
    SIGNATURE_ATTRIBUTES,
    FramePart,
    GenTable,
    key_text,
    typed_columns,
)
from audit.base.gentable import micros as micros_of
from audit.base.models import Modality, Status
from audit.base.schema import NUMERIC, SPECS, WHOLE, lower_bound
from audit.base.textio import sniff_delimiter
from audit.ingest.canonical_columns import numbers
from audit.ingest.canonical_sides import lists_of, side_tables

#: Whole numbers beyond this are left to the row reader (float and int stop agreeing).
MAX_EXACT_INT = 2.0**53
_MODALITIES = frozenset(m.value for m in Modality)
#: Statuses a table row may keep; a pending row goes to the row reader (the walk flags it as a
#: full run estimated ahead of its result).
_STATUSES = frozenset(s.value for s in Status if s != Status.pending)
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
#: ``YYYY-MM-DDTHH:MM:SS`` then ``Z`` or ``±HH:MM``, fields in range (the calendar is pandas').
_DATE_SHAPE = re.compile(
    r"\d{4}-[01]\d-[0-3]\dT(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)
_FIRST_US = micros_of(datetime(1, 1, 1, tzinfo=UTC))
_LAST_US = micros_of(datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))


@dataclass
class FrameRead:
    """A file read column-wise: its table (good rows, file order) and the rows left to the row
    reader (line, stripped cells), in line order."""

    names: list[str]
    table: GenTable
    for_rows: list[tuple[int, dict[str, str]]]


def _lines_ok(data: bytes, rows: int) -> bool:
    """The csv module would see the same rows: no lone CR, no quoted line break, no cell over
    its size limit (no line longer than the limit, checked block by block)."""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if rows + 1 != lines:
        return False
    limit = csv.field_size_limit()
    if len(data) <= limit:
        return True
    last = -1
    for start in range(0, len(data), _BLOCK):
        count = min(_BLOCK, len(data) - start)
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8, count=count, offset=start) == 10)
        if len(ends):
            ends += start
            if ends[0] - last > limit or (len(ends) > 1 and np.diff(ends).max() > limit):
                return False
            last = int(ends[-1])
    return len(data) - last <= limit


_BLOCK = 1 << 24


def _parse(data: bytes, delimiter: str, header: list[str]) -> pd.DataFrame | None:
    """The file parsed by pandas, text columns (by their header cell as written) as objects."""
    text_columns = {name: object for name in header if name.strip() not in NUMERIC}
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(
                io.BytesIO(data),
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

    ``make(frame, names)`` gives the part that builds row ``k``'s record (the adapter's)."""
    with path.open("rb") as handle:
        head = handle.readline()
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
    data = path.read_bytes()
    frame = _parse(data, delimiter, header)
    if frame is None or not isinstance(frame.index, pd.RangeIndex):
        return None  # unreadable here, or more cells than the header on every row
    if [str(c).strip() for c in frame.columns] != names or not _lines_ok(data, len(frame)):
        return None
    del data
    frame.columns = pd.Index(names)

    def rows_for(rows: np.ndarray) -> list[tuple[int, dict[str, str]]]:
        return _for_rows(path, delimiter, names, rows)

    return _checked(frame, names, name, rows_for, make(frame, names))


def _text(frame: pd.DataFrame, name: str, codes: dict[str, np.ndarray]) -> np.ndarray:
    """A text column stripped, None for empty cells (each distinct cell stripped once); its
    codes go to ``codes``."""
    if name not in frame:
        codes[name] = np.full(len(frame), -1, dtype=np.int64)
        return np.full(len(frame), None, dtype=object)
    raw_codes, uniques = pd.factorize(frame[name].to_numpy(dtype=object))
    clean = [(u.strip() or None) if isinstance(u, str) else None for u in uniques]
    kept, final = pd.factorize(np.asarray([*clean, None], dtype=object))
    codes[name] = kept[raw_codes]
    return np.asarray([*final.tolist(), None], dtype=object)[kept][raw_codes]


def _strip_all(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A text column of mostly distinct cells (ids) stripped, None for empty cells."""
    if name not in frame:
        return np.full(len(frame), None, dtype=object)
    cells = frame[name].to_numpy(dtype=object)
    out = np.empty(len(cells), dtype=object)
    out[:] = [(c.strip() or None) if c.__class__ is str else None for c in cells]
    return out


def _numbers(frame: pd.DataFrame, name: str, bad: np.ndarray) -> np.ndarray:
    """A numeric column as float64 (NaN empty); rows breaking a bound are marked bad."""
    if name not in frame:
        return np.full(len(frame), np.nan)
    column = frame[name]
    if column.dtype.kind in "if":
        values = column.to_numpy(dtype=np.float64, copy=True)
    else:
        cells = [_cell_text(c) for c in column.to_numpy(dtype=object)]  # e.g. True: not a number
        converted, failed = numbers(cells)
        values = np.array([np.nan if v is None else v for v in converted], dtype=np.float64)
        bad[list(failed)] = True
    given = ~np.isnan(values)
    bad |= np.isinf(values)
    low, strict = lower_bound(name)
    if low is not None:
        bad |= given & ((values <= low) if strict else (values < low))
    if name in WHOLE:
        bad |= given & ((np.abs(values) >= MAX_EXACT_INT) | (values != np.round(values)))
    plausible = SPECS[name].plausible
    if plausible is not None:  # the walk rejects it (audit.base.schema): the row reader names why
        bad |= given & (values > plausible.most)
    return values


def _dates(frame: pd.DataFrame, bad: np.ndarray) -> np.ndarray:
    """created_at as microseconds since 1970 (UTC). Only cells of the exact shape
    :data:`_DATE_SHAPE` are converted here (pandas' parser takes more than the record does, e.g.
    a 60th second or a one-digit month); any other cell is left to the row reader."""
    cells = frame["created_at"] if "created_at" in frame else pd.Series([None] * len(frame))
    match = _DATE_SHAPE.fullmatch
    shaped = np.fromiter(
        (c.__class__ is str and match(c) is not None for c in cells.to_numpy(dtype=object)),
        dtype=bool,
        count=len(cells),
    )
    micros = np.zeros(len(cells), dtype=np.int64)
    bad |= ~shaped
    if shaped.any():
        parsed = pd.to_datetime(cells[shaped], format=_DATE_FORMAT, utc=True, errors="coerce")
        naive = parsed.dt.tz_convert(None).to_numpy(dtype="datetime64[us]")
        micros[shaped] = naive.view(np.int64)
        bad[np.flatnonzero(shaped)[parsed.isna().to_numpy()]] = True  # e.g. 30 February
    bad |= (micros < _FIRST_US) | (micros > _LAST_US)  # out of years 1-9999 once in UTC
    return micros


def _attributes(frame: pd.DataFrame, bad: np.ndarray) -> dict[str, np.ndarray]:
    """The attribute columns the table keeps, from JSON object cells (others: row reader)."""
    count = len(frame)
    out = {f"attr_{n}": np.full(count, None, dtype=object) for n in SIGNATURE_ATTRIBUTES}
    out.update({f"attr_{n}": np.full(count, None, dtype=object) for n in KEY_ATTRIBUTES})
    out["has_attributes"] = np.zeros(count, dtype=bool)
    out["attributes"] = np.full(count, None, dtype=object)
    if "attributes" not in frame:
        return out
    cells = frame["attributes"].to_numpy(dtype=object)
    for k in np.flatnonzero(pd.notna(cells)).tolist():
        text = cells[k].strip()
        attrs = _attribute_cell(text)
        if attrs is None:
            bad[k] = True
            continue
        out["has_attributes"][k] = bool(attrs)
        out["attributes"][k] = text if attrs else None
        for n in SIGNATURE_ATTRIBUTES:
            out[f"attr_{n}"][k] = attrs.get(n)
        for n in KEY_ATTRIBUTES:
            out[f"attr_{n}"][k] = key_text(attrs.get(n))
    return out


_SCALARS = (str, int, float, bool, type(None))


def _attribute_cell(raw: str) -> dict[str, Any] | None:
    if not raw:
        return {}
    if not raw.startswith("{"):
        return None
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or not all(isinstance(v, _SCALARS) for v in value.values()):
        return None
    return value


def _checked(
    frame: pd.DataFrame,
    names: list[str],
    source_name: str,
    rows_for: Callable[[np.ndarray], list[tuple[int, dict[str, str]]]],
    make: FramePart,
) -> FrameRead:
    count = len(frame)
    bad = np.zeros(count, dtype=bool)
    codes: dict[str, np.ndarray] = {}
    cols: dict[str, Any] = {
        name: _text(frame, name, codes)
        for name in ("platform", "modality", "model", "region", "hardware")
    }
    cols["status"] = _text(frame, "status", codes)
    cols["account"] = _text(frame, "account", codes)
    cols["model_version"] = _text(frame, "model_version", {})
    cols["lyrics"] = _strip_all(frame, "lyrics")
    bad |= pd.isna(cols["platform"]) | ~pd.Series(cols["modality"]).isin(_MODALITIES).to_numpy()
    status = cols["status"]
    status[pd.isna(status)] = Status.succeeded.value
    bad |= ~pd.Series(status).isin(_STATUSES).to_numpy()
    for name in NUMBERS:
        cols[name] = _numbers(frame, name, bad)
    for name in sorted(NUMERIC - set(NUMBERS)):
        if name in frame:
            _numbers(frame, name, bad)  # checked only: the table does not keep them
    if "outputs_count" not in frame:
        cols["outputs_count"][:] = 1.0
    cols["outputs_count"][np.isnan(cols["outputs_count"])] = 1.0
    cols["created_us"] = _dates(frame, bad)
    cols.update(_attributes(frame, bad))
    lists = {name: lists_of(frame, name, bad) for name in ("outputs", "inputs", "parent_ids")}
    cols["id"] = _ids(frame, cols["platform"], source_name)
    cols["prompt"] = frame["prompt"].to_numpy(dtype=object) if "prompt" in frame else None
    cols["shot_tag"] = frame["shot_tag"].to_numpy(dtype=object) if "shot_tag" in frame else None
    good = np.flatnonzero(~bad)
    return FrameRead(
        names,
        _table(cols, codes, lists, good, source_name, make),
        rows_for(np.flatnonzero(bad)),
    )


def _ids(frame: pd.DataFrame, platform: np.ndarray, source_name: str) -> np.ndarray:
    ids = _strip_all(frame, "id")
    empty = np.flatnonzero(pd.isna(ids))
    if len(empty):
        stem = PurePosixPath(source_name).stem
        ids[empty] = [f"{platform[k]}:{stem}-{k + 2}" for k in empty.tolist()]
    return ids


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
        column = cols.get(name)
        picked[name] = column if column is None or every else column[good]
    for name in ("prompt", "shot_tag"):
        if picked[name] is None:
            picked[name] = np.full(len(good), None, dtype=object)
    picked["source_file"] = np.full(len(good), source_name, dtype=object)
    picked["source_locator"] = np.asarray(list(map(str, (good + 2).tolist())), dtype=object)
    table = typed_columns(picked, len(good))
    outputs, inputs, parents = side_tables(lists, good)
    part = np.zeros(len(good), dtype=np.int64)
    kept_codes = {
        name: column if every else column[good]
        for name, column in codes.items()
        if name != "status"
    }
    return GenTable(
        table, outputs, inputs, parents, [make], part, good.astype(np.int64), kept_codes
    )


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

"""List cells of a canonical CSV (``outputs``, ``inputs``, ``parent_ids``) as side-table items,
and its ``attributes`` cells (JSON objects) as the table's attribute columns.

A cell is ``a|b`` (items stripped, empty ones dropped), one item, or JSON: a list of strings
(``outputs``, ``parent_ids``) or of ``{"uri": …, "role": …}`` objects (``inputs``). Plain and
``a|b`` cells are split for the whole column at once (Arrow); a JSON cell is read by itself, and
one of any other shape marks its row for the row-by-row reader, whose reject is the reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.base.gentable import KEY_ATTRIBUTES, SIGNATURE_ATTRIBUTES, key_text, side_frame
from audit.ingest.canonical_columns import Cells, coded, empty_column, json_cell, objects, stripped

_INPUT_KEYS = frozenset({"uri", "role"})
#: Attributes the table keeps as columns (``attr_<name>``).
_KEPT = (*SIGNATURE_ATTRIBUTES, *KEY_ATTRIBUTES)
_COLUMNS = (*(f"attr_{name}" for name in _KEPT), "attributes")


@dataclass
class Items:
    """Items of one list column: file row, value (and role, for inputs), in row then list order."""

    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    values: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    roles: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    #: every cell stripped (None when empty), when each is its one item: the same strings as
    #: ``values``, for the frame to hold instead of the cells as read
    column: np.ndarray | None = None


def _json_items(name: str, raw: str) -> list[tuple[str, str]] | None:
    try:
        value = json_cell(raw)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    if name != "inputs":
        return [(v, "") for v in value] if all(isinstance(v, str) for v in value) else None
    out = []
    for item in value:
        if not isinstance(item, dict) or not _INPUT_KEYS.issuperset(item):
            return None
        uri, role = item.get("uri"), item.get("role", "input")
        if not isinstance(uri, str) or not isinstance(role, str):
            return None
        out.append((uri, role))
    return out


def lists_of(cells: Cells, name: str, bad: np.ndarray) -> Items:
    """The items of list column ``name`` (its Arrow cells as read); rows with a malformed JSON
    cell are marked in ``bad``."""
    role = "input" if name == "inputs" else ""
    if cells.null_count == len(cells):
        return Items()
    clean = stripped(cells)
    if not pc.any(pc.match_substring_regex(clean, r"^[\[{]|\|")).as_py():
        column = objects(clean)  # one item a cell, the stripped cell (the usual case)
        if not clean.null_count:
            rows = np.arange(len(column))
            return Items(rows, column, np.full(len(rows), role, dtype=object), column)
        rows = np.flatnonzero(pc.is_valid(clean).to_numpy(zero_copy_only=False))
        return Items(rows, column[rows], np.full(len(rows), role, dtype=object), column)
    is_json = pc.fill_null(pc.match_substring_regex(clean, r"^[\[{]"), False)
    json_rows = np.flatnonzero(is_json.to_numpy(zero_copy_only=False))
    rows, values = _split(clean, pc.and_not(pc.is_valid(clean), is_json))
    more_rows: list[int] = []
    more_values: list[str] = []
    more_roles: list[str] = []
    texts = clean.take(pa.array(json_rows)).to_pylist()
    for row, text in zip(json_rows.tolist(), texts, strict=True):
        parsed = _json_items(name, text)
        if parsed is None:
            bad[row] = True
            continue
        for value, its_role in parsed:
            more_rows.append(row)
            more_values.append(value)
            more_roles.append(its_role)
    roles = np.full(len(rows), role, dtype=object)
    if not more_rows:
        return Items(rows, values, roles)
    all_rows = np.concatenate([rows, np.asarray(more_rows, dtype=np.int64)])
    order = np.argsort(all_rows, kind="stable")  # row order; list order kept within a row
    return Items(
        all_rows[order],
        np.concatenate([values, _objects(more_values)])[order],
        np.concatenate([roles, _objects(more_roles)])[order],
    )


def _split(clean: Cells, plain: Cells) -> tuple[np.ndarray, np.ndarray]:
    """(row, item) of the ``plain`` cells, each split at ``|`` as :func:`split_list` does:
    parts stripped, empty ones dropped."""
    rows = np.flatnonzero(plain.to_numpy(zero_copy_only=False))
    cells = clean.take(pa.array(rows))
    parts = pc.split_pattern(cells, "|")
    items = stripped(pc.list_flatten(parts))
    owners = rows[pc.list_parent_indices(parts).to_numpy(zero_copy_only=False)]
    given = pc.is_valid(items)
    return owners[given.to_numpy(zero_copy_only=False)], objects(items.filter(given))


def _objects(values: list[str]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def side_tables(
    lists: dict[str, Items], good: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """outputs (row, value), inputs (row, uri, role), parents (row, value) of the good rows,
    renumbered to their positions in ``good``."""
    size = max(
        [
            int(good.max()) + 1 if len(good) else 0,
            *(int(items.rows.max()) + 1 for items in lists.values() if len(items.rows)),
        ]
    )
    new_index = np.full(size, -1, dtype=np.int64)
    new_index[good] = np.arange(len(good))
    every = size == len(good)  # every row kept: no renumbering, no copy

    def kept(items: Items) -> tuple[np.ndarray, np.ndarray | slice]:
        if every:
            return items.rows, slice(None)
        rows = new_index[items.rows]
        mask = rows >= 0
        return rows[mask], mask

    out_rows, mask = kept(lists["outputs"])
    outputs = side_frame(out_rows, {"value": lists["outputs"].values[mask]})
    in_rows, mask = kept(lists["inputs"])
    inputs = side_frame(
        in_rows, {"uri": lists["inputs"].values[mask], "role": lists["inputs"].roles[mask]}
    )
    par_rows, mask = kept(lists["parent_ids"])
    parents = side_frame(par_rows, {"value": lists["parent_ids"].values[mask]})
    return outputs, inputs, parents


_SCALARS = (str, int, float, bool, type(None))


def attribute_columns(cells: Cells, bad: np.ndarray) -> dict[str, np.ndarray]:
    """The attribute columns the table keeps, from JSON object cells of scalars (a row with any
    other cell is marked in ``bad``), each distinct cell read once."""
    texts = coded(cells)
    if not texts.uniques:
        return {
            **{name: empty_column(len(cells)) for name in _COLUMNS},
            "has_attributes": np.zeros(len(cells), dtype=bool),
        }
    size = len(texts.uniques) + 1  # the last: an empty cell (code -1)
    wrong = np.zeros(size, dtype=bool)
    kept = {f"attr_{name}": np.full(size, None, dtype=object) for name in _KEPT}
    kept["attributes"] = np.full(size, None, dtype=object)
    kept["has_attributes"] = np.zeros(size, dtype=bool)
    for code, text in enumerate(texts.uniques):
        attrs = _attribute_cell(text)
        if attrs is None:
            wrong[code] = True
            continue
        kept["has_attributes"][code] = bool(attrs)
        kept["attributes"][code] = text if attrs else None
        for name in _KEPT:
            value = attrs.get(name)
            kept[f"attr_{name}"][code] = key_text(value) if name in KEY_ATTRIBUTES else value
    bad |= wrong[texts.codes]
    return {name: column[texts.codes] for name, column in kept.items()}


def _attribute_cell(raw: str) -> dict[str, Any] | None:
    """A stripped attributes cell as a dict of scalars, None when it is not one."""
    if not raw.startswith("{"):
        return None
    try:
        value = json_cell(raw)
    except ValueError:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, _SCALARS) for v in value.values()):
        return None
    return value

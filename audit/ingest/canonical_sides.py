"""List cells of a canonical CSV (``outputs``, ``inputs``, ``parent_ids``) as side-table items.

A cell is ``a|b`` (items stripped, empty ones dropped), one item, or JSON: a list of strings
(``outputs``, ``parent_ids``) or of ``{"uri": …, "role": …}`` objects (``inputs``). A JSON cell of
any other shape marks its row for the row-by-row reader, whose reject is the reference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from audit.gentable import side_frame

_INPUT_KEYS = frozenset({"uri", "role"})


@dataclass
class Items:
    """Items of one list column: file row, value (and role, for inputs), in row then list order."""

    rows: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


def _json_items(name: str, raw: str) -> list[tuple[str, str]] | None:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
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


def lists_of(frame: pd.DataFrame, name: str, bad: np.ndarray) -> Items:
    """The items of column ``name``; rows with a malformed JSON cell are marked in ``bad``.

    Cells holding one plain item (the usual case) are taken as whole columns; only the others
    (``a|b``, JSON) are split one by one."""
    items = Items()
    if name not in frame:
        return items
    cells = frame[name].to_numpy(dtype=object)
    filled = np.flatnonzero(pd.notna(cells))
    texts = [cell.strip() for cell in cells[filled].tolist()]
    special = np.fromiter(
        (not t or t[0] in "[{" or "|" in t for t in texts), dtype=bool, count=len(texts)
    )
    role = "input" if name == "inputs" else ""
    plain = np.flatnonzero(~special)
    rows = filled[plain].tolist()
    values = [texts[k] for k in plain.tolist()]
    for k in np.flatnonzero(special).tolist():
        row, text = int(filled[k]), texts[k]
        parsed = _special(name, text, role)
        if parsed is None:
            bad[row] = True
            continue
        for value, its_role in parsed:
            items.rows.append(row)
            items.values.append(value)
            items.roles.append(its_role)
    if items.rows:  # merge both, in row order (stable: list order kept within a row)
        rows += items.rows
        values += items.values
        roles = [role] * len(plain) + items.roles
        order = np.argsort(np.asarray(rows, dtype=np.int64), kind="stable").tolist()
        return Items(
            [rows[k] for k in order], [values[k] for k in order], [roles[k] for k in order]
        )
    return Items(rows, values, [role] * len(rows))


def _special(name: str, text: str, role: str) -> list[tuple[str, str]] | None:
    """Items of a cell that is empty, JSON or ``a|b`` (None: a JSON cell of the wrong shape)."""
    if not text:
        return []
    if text[0] in "[{":
        return _json_items(name, text)
    return [(part.strip(), role) for part in text.split("|") if part.strip()]


def side_tables(
    lists: dict[str, Items], good: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """outputs (row, value), inputs (row, uri, role), parents (row, value) of the good rows,
    renumbered to their positions in ``good``."""
    size = int(good.max()) + 1 if len(good) else 0
    for items in lists.values():
        if items.rows:
            size = max(size, max(items.rows) + 1)
    new_index = np.full(size, -1, dtype=np.int64)
    new_index[good] = np.arange(len(good))

    def keep(items: Items) -> tuple[np.ndarray, np.ndarray]:
        rows = new_index[np.asarray(items.rows, dtype=np.int64)]
        mask = rows >= 0
        return rows[mask], mask

    out_rows, mask = keep(lists["outputs"])
    outputs = side_frame(out_rows, {"value": _masked(lists["outputs"].values, mask)})
    in_rows, mask = keep(lists["inputs"])
    inputs = side_frame(
        in_rows,
        {
            "uri": _masked(lists["inputs"].values, mask),
            "role": _masked(lists["inputs"].roles, mask),
        },
    )
    par_rows, mask = keep(lists["parent_ids"])
    parents = side_frame(par_rows, {"value": _masked(lists["parent_ids"].values, mask)})
    return outputs, inputs, parents


def _masked(values: list[Any], mask: np.ndarray) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    picked: np.ndarray = array[mask]
    return picked

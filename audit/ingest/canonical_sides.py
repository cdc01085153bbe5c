"""List cells of a canonical CSV (``outputs``, ``inputs``, ``parent_ids``) as side-table items.

A cell is ``a|b`` (items stripped, empty ones dropped), one item, or JSON: a list of strings
(``outputs``, ``parent_ids``) or of ``{"uri": …, "role": …}`` objects (``inputs``). A JSON cell of
any other shape marks its row for the row-by-row reader, whose reject is the reference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from audit.base.gentable import side_frame

_INPUT_KEYS = frozenset({"uri", "role"})


@dataclass
class Items:
    """Items of one list column: file row, value (and role, for inputs), in row then list order."""

    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    values: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    roles: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))


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
    if name not in frame:
        return Items()
    cells = frame[name].to_numpy(dtype=object)
    filled = np.flatnonzero(pd.notna(cells))
    stripped = [cell.strip() for cell in cells[filled].tolist()]
    texts = _objects(stripped)
    special = _special_cells(stripped)
    role = "input" if name == "inputs" else ""
    plain = ~special
    rows, values = filled[plain], texts[plain]
    more_rows: list[int] = []
    more_values: list[str] = []
    more_roles: list[str] = []
    for k in np.flatnonzero(special).tolist():
        row, text = int(filled[k]), texts[k]
        parsed = _special(name, text, role)
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


def _special_cells(texts: list[str]) -> np.ndarray:
    """Cells that are empty, JSON or ``a|b``; one search of the joined column first, since most
    columns hold none."""
    joined = "\x00".join(texts)
    if not ("|" in joined or "[" in joined or "{" in joined or "" in texts):
        return np.zeros(len(texts), dtype=bool)
    return np.fromiter(
        (not t or t[0] in "[{" or "|" in t for t in texts), dtype=bool, count=len(texts)
    )


def _objects(values: list[str]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


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
    size = max(
        [
            int(good.max()) + 1 if len(good) else 0,
            *(int(items.rows.max()) + 1 for items in lists.values() if len(items.rows)),
        ]
    )
    new_index = np.full(size, -1, dtype=np.int64)
    new_index[good] = np.arange(len(good))

    def kept(items: Items) -> tuple[np.ndarray, np.ndarray]:
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

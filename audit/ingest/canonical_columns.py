"""Cells of the canonical CSV: what one stripped cell becomes in a record (:func:`cell`), and the
same conversion for a whole number column at once (:func:`numbers`), used by the column reader
(:mod:`audit.ingest.canonical_frame`) for number columns pandas could not type."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from audit.base.models import JSON_COLUMNS
from audit.base.schema import NUMERIC
from audit.base.textio import parse_number

BOOL = frozenset({"kept"})
#: Columns whose cells :func:`cell` converts (the others are text as written, stripped).
CONVERTED = NUMERIC | BOOL | frozenset(JSON_COLUMNS)
TRUE_WORDS = frozenset({"1", "true", "yes", "oui", "vrai"})
#: Characters parse_number removes or rewrites; without them it is plain ``float``.
_NUMBER_SPECIALS = (",", " ", "\xa0", "\u202f")


def number(raw: str) -> float:
    """A cell as a finite number (``1 234,5`` or ``1234.5``); ValueError otherwise."""
    value = parse_number(raw)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {raw!r}")
    return value


def split_list(name: str, raw: str) -> list[Any]:
    """A list cell written ``a|b``; an ``inputs`` item becomes ``{"uri": item}``."""
    items = [part.strip() for part in raw.split("|") if part.strip()]
    return [{"uri": item} for item in items] if name == "inputs" else items


def json_cell(raw: str) -> Any:
    """A JSON cell; ValueError when invalid (or nested too deeply to parse)."""
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def cell(name: str, raw: str) -> Any:
    """One stripped CSV cell as the value the record takes (None when empty)."""
    if raw == "":
        return None
    if name in NUMERIC:
        return number(raw)
    if name in BOOL:
        return raw.lower() in TRUE_WORDS
    if name in JSON_COLUMNS:
        if raw.startswith(("[", "{")):
            return json_cell(raw)
        return split_list(name, raw)
    return raw


def numbers(cells: list[str]) -> tuple[list[float | None], set[int]]:
    """A number column's values (what :func:`cell` gives each stripped cell, None when empty)
    and the rows whose cell is not a finite number."""
    values: list[float | None] = [None] * len(cells)
    filled = [k for k, c in enumerate(cells) if c]
    texts = [cells[k] for k in filled]
    joined = "\x00".join(texts)
    if texts and not any(special in joined for special in _NUMBER_SPECIALS):
        try:
            array = np.array(texts, dtype=object).astype(np.float64)
        except ValueError:
            pass  # some cell is not a number: the loop below finds which
        else:
            finite = np.isfinite(array)
            for k, value, ok in zip(filled, array.tolist(), finite.tolist(), strict=True):
                values[k] = value if ok else None
            return values, {k for k, ok in zip(filled, finite.tolist(), strict=True) if not ok}
    bad: set[int] = set()
    for k in filled:
        try:
            values[k] = number(cells[k])
        except ValueError:
            bad.add(k)
    return values, bad

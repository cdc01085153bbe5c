"""Rows of an Arrow string array found by their bytes: which hold, or start with, one of a few
ASCII characters. In UTF-8 a byte below 0x80 is always that character (never part of another),
so one NumPy pass over the array's bytes answers for every row at once. Used by the canonical
CSV's dump (ingest) and the CSV cells of the per-generation file (report)."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pyarrow as pa


def bytes_of(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's offsets (one per row and one past) and its bytes (views, no copy)."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)
    offsets = offsets[values.offset : values.offset + len(values) + 1]
    data = values.buffers()[2]
    found = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return offsets, found


def rows_holding(
    values: pa.Array, chars: Collection[str], *, controls: bool = False
) -> np.ndarray | None:
    """Rows of string array ``values`` holding one of the ASCII ``chars`` (or, with
    ``controls``, a character below U+0020); None when no row does."""
    offsets, data = bytes_of(values)
    region = data[offsets[0] : offsets[-1]]
    if not controls:
        found = region.tobytes()
        if not any(char.encode() in found for char in chars):
            return None
    hits = region < 0x20 if controls else np.zeros(len(region), dtype=bool)
    for char in chars:
        hits |= region == ord(char)
    at = np.flatnonzero(hits)
    if not len(at):
        return None
    mask = np.zeros(len(values), dtype=bool)
    mask[np.searchsorted(offsets, at + offsets[0], side="right") - 1] = True
    rows: np.ndarray = mask & np.asarray(values.is_valid(), dtype=bool)
    return rows


def rows_starting(values: pa.Array, chars: Collection[str]) -> np.ndarray:
    """Rows of string array ``values`` whose first character is one of the ASCII ``chars``."""
    offsets, data = bytes_of(values)
    starts = offsets[:-1]
    filled = (np.diff(offsets) > 0) & np.asarray(values.is_valid(), dtype=bool)
    first = np.zeros(len(values), dtype=np.uint8)
    first[filled] = data[starts[filled]]
    hits = np.zeros(len(values), dtype=bool)
    for char in chars:
        hits |= first == ord(char)
    found: np.ndarray = filled & hits
    return found

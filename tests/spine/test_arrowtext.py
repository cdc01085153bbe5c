"""audit.base.arrowtext against Python's own string tests, on sliced arrays with nulls and
non-ASCII text (a multi-byte character never reads as one of the ASCII characters sought)."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa

from audit.base.arrowtext import rows_holding, rows_starting

PARTS = ["a", "é", "=", "+", ",", '"', "\n", "\x1f", "\t", "\u3000", "\u2028", "€", "-"]


def _cells(seed: int) -> list[str | None]:
    rnd = random.Random(seed)
    return [
        None if rnd.random() < 0.1 else "".join(rnd.choices(PARTS, k=rnd.randint(0, 4)))
        for _ in range(2000)
    ]


def _holds(cell: str | None, chars: str, controls: bool) -> bool:
    if cell is None:
        return False
    return any(ch in chars or (controls and ch < " ") for ch in cell)


def test_rows_holding_as_python_finds_them() -> None:
    cells = _cells(3)
    text = pa.array(["pad=", *cells, ",pad"], pa.string()).slice(1, len(cells))
    for chars, controls in ((',"\n', False), ("=", True), ("+", False)):
        expected = np.asarray([_holds(c, chars, controls) for c in cells])
        found = rows_holding(text, chars, controls=controls)
        assert found is not None
        assert (found == expected).all()
    assert rows_holding(pa.array(["abc", None, "é"], pa.string()), ",") is None


def test_rows_starting_as_python_finds_them() -> None:
    cells = _cells(5)
    text = pa.array(["=pad", *cells], pa.string()).slice(1)
    expected = np.asarray([c is not None and c[:1] in {"=", "+", "-"} for c in cells])
    found = rows_starting(text, "=+-")
    assert (found == expected).all()
    assert expected.any()

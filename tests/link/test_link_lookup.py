"""The column lookups the linker uses: grouping, lazy building, preparing for a few keys."""

from __future__ import annotations

import numpy as np

from audit.link.keys import Lookup


def _lookup() -> Lookup:
    keys = np.asarray(["b", None, "a", "b", "a", "c"], dtype=object)
    rows = np.asarray([0, 1, 2, 2, 2, 5], dtype=np.int64)
    return Lookup(keys, rows)


def test_rows_of_a_key_in_row_order_each_once() -> None:
    lookup = _lookup()
    assert lookup.get("b") == [0, 2]
    assert lookup.get("a") == [2]  # row 2 names "a" twice: listed once
    assert lookup.get("zzz") == []
    assert lookup.get(None) == []
    assert lookup.get("") == []


def test_prepared_for_some_keys_answers_the_others_too() -> None:
    lookup = _lookup()
    lookup.prepare(["b"])
    assert lookup.get("b") == [0, 2]
    assert lookup.get("c") == [5]  # outside the prepared keys: grouped in full, same answer
    assert lookup.get("a") == [2]


def test_prepared_for_nothing() -> None:
    lookup = _lookup()
    lookup.prepare([])
    assert lookup.get("c") == [5]
    assert sorted(lookup.all_keys()) == ["a", "b", "c"]

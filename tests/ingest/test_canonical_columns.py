"""The column reader's whole-column conversions (Arrow) give what the row reader gives cell by
cell: :meth:`str.strip`, codes of equal values, and ``created_at`` as the record reads it (the
dates the conversion is unsure of are exactly those it leaves to the row reader)."""

from __future__ import annotations

import csv
import io
import itertools
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from audit.base.gentable import micros
from audit.ingest import canonical_frame
from audit.ingest.base import Source
from audit.ingest.canonical import CanonicalAdapter
from audit.ingest.canonical_columns import WHITESPACE, coded, date_micros, objects, stripped
from audit.ingest.canonical_frame import FIRST_US, LAST_US, read_frame
from bench.generate import generate

_DATETIME = TypeAdapter(datetime)


def test_whitespace_is_what_str_strip_removes() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert every == WHITESPACE


def test_stripped_is_str_strip() -> None:
    cells = [" a ", "\x1c\x1fb\u3000", "\u200bc\u200b", "\x85\xa0", "", None, "d\te", "\u202fé"]
    got = objects(stripped(pa.array(cells, pa.large_string())))
    assert got.tolist() == [(c.strip() or None) if c is not None else None for c in cells]


def test_codes_follow_first_appearance_of_the_stripped_value() -> None:
    cells = ["kling", " kling", None, "veo", "", "kling ", "veo"]
    found = coded(pa.chunked_array([cells[:3], cells[3:]], pa.large_string()))
    assert found.values.tolist() == ["kling", "kling", None, "veo", None, "kling", "veo"]
    assert found.codes.tolist() == [0, 0, -1, 1, -1, 0, 1]
    assert found.isin(frozenset({"veo"})).tolist() == [False] * 3 + [True, False, False, True]
    unstripped = coded(pa.array(cells, pa.large_string()), strip=False)
    assert unstripped.values.tolist() == cells  # prompts are kept as written


def _record_micros(text: str) -> int | None:
    """created_at as the record takes it (pydantic), None when refused or out of years 1-9999."""
    try:
        return micros(_DATETIME.validate_python(text))
    except (ValidationError, OverflowError):
        return None


def _cases() -> tuple[list[str], int]:
    """Every month's last days in common and leap years, offsets to ±23:59, years 1 and 9999
    at the edges of UTC, and shapes the conversion does not read."""
    start = datetime(2023, 1, 1)
    days = [(start + timedelta(days=k)).strftime("%Y-%m-%dT%H:%M:%S") for k in range(0, 800, 3)]
    zones = ["Z", "+00:00", "+05:30", "-23:59", "+23:59", "-01:00"]
    cells = [day + zones[k % len(zones)] for k, day in enumerate(days)]
    # seen in hand-made logs and in the fuzz cases of tests/robustness/test_fuzz.py
    cells += ["2023-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "1900-02-29T10:00:00Z",
              "2000-02-29T10:00:00Z", "2026-04-31T10:00:00Z", "2026-00-10T10:00:00Z",
              "2026-13-10T10:00:00Z", "2026-01-00T10:00:00Z", "0000-01-01T00:00:00Z",
              "0001-01-01T00:30:00+01:00", "0001-01-01T00:30:00-01:00",
              "9999-12-31T23:30:00-01:00", "9999-12-31T23:30:00+01:00",
              "2026-01-05T09:00:60Z", "2026-1-05T09:00:00Z", "2026-01-05T09:00:00z",
              " 2026-01-05T09:00:00Z", "2026-01-05 09:00:00Z", "19/09/2026 10:00", ""]  # fmt: skip
    return cells, len(days)


@pytest.mark.parametrize("chunks", [1, 3])
def test_dates_agree_with_the_record(chunks: int) -> None:
    """A date converted here is the record's (or out of years 1-9999 in UTC: the reader leaves
    it to the row reader too); a date the record refuses is never converted; every cell of the
    usual shape is."""
    cells, usual = _cases()
    parts = np.array_split(np.array(cells, dtype=object), chunks)
    given = pa.chunked_array([list(part) for part in parts], pa.large_string())
    found, sure = date_micros(given)
    inside = (found >= FIRST_US) & (found <= LAST_US)
    for cell, value, ok in zip(cells, found.tolist(), (sure & inside).tolist(), strict=True):
        if ok:
            assert value == _record_micros(cell), cell
    refused = np.array([_record_micros(cell) is None for cell in cells])
    assert not (sure & inside & refused).any()
    assert sure[:usual].all()


@pytest.mark.parametrize("bad_rows", [0, 3])
def test_table_codes_are_those_of_its_columns(tmp_path: Path, bad_rows: int) -> None:
    """The codes the reader hands on (the stages group rows by them) number each column's values
    as ``pd.factorize`` of the table's column would, also when rows were left to the row reader
    (a generated archive, some rows given an unknown modality)."""
    log = generate(tmp_path / "bench", 3000, 40)
    rows = list(csv.reader(io.StringIO(log.read_text(encoding="utf-8"))))
    for k in range(1, 1 + bad_rows):
        rows[k * 7][rows[0].index("modality")] = "painting"
    with log.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    source = Source(log, "logs/generations.csv")
    read = read_frame(log, source.name, CanonicalAdapter()._maker(source))
    assert read is not None
    assert len(read.for_rows) == bad_rows
    table = read.table
    assert {"platform", "modality", "status", "prompt", "shot_tag"} <= set(table.codes)
    for name, codes in table.codes.items():
        assert codes.tolist() == pd.factorize(table.cols[name])[0].tolist(), name


def _longest_ok(data: bytes, limit: int) -> bool:
    """No line (with its line feed) longer than ``limit``: the csv module's field limit."""
    ends = [-1, *(k for k, byte in enumerate(data) if byte == 10), len(data)]
    return all(b - a <= limit for a, b in itertools.pairwise(ends))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60).map(lambda b: bytes(10 if x % 3 == 0 else 97 for x in b)),
       st.integers(2, 9))  # fmt: skip
def test_line_lengths_are_those_the_csv_module_takes(data: bytes, limit: int) -> None:
    """The last line feed of each stretch of ``limit`` bytes is enough to find a long line."""
    last = canonical_frame._line_starts_ok(data, 0, limit)
    assert (last is not None and len(data) - last < limit) == _longest_ok(data, limit)

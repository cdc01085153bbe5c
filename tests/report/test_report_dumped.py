"""generations.csv's canonical columns are read from a canonical CSV's own columns, without a
record per row (``GenTable.dumped``, audit/base/dumps.py): each field's values are those of the
records' ``model_dump(mode="json")``, and the frame and its CSV bytes those of the records.

The file below is Empreinte's own canonical format (docs/input-formats.md), written by hand with
the cells that convert: dates with an offset or ``Z``, an empty id, an empty status, whole numbers
written as decimals, JSON and ``a|b`` lists, JSON attributes of every scalar type, padded and
formula-like text, and a row the column checks leave to the row reader."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit.base.gentable import GenTable, concat, from_generations, sorted_table
from audit.base.models import Generation
from audit.ingest.base import Source
from audit.ingest.canonical import CanonicalAdapter
from audit.ingest.canonical_frame import read_frame
from audit.report.audit_json import canonical_frame, dumped_frame, whole_numbers
from audit.report.csvout import csv_bytes
from bench.generate import generate

HEADER = [
    "id", "platform", "account", "model", "modality", "task", "created_at", "operator", "prompt",
    "negative_prompt", "seed", "width", "height", "duration_s", "fps", "frames", "steps",
    "outputs_count", "tokens_in", "tokens_out", "inputs", "outputs", "parent_ids", "shot_tag",
    "status", "credits", "region", "measured_energy_wh", "attributes", "shot_id", "kept",
]  # fmt: skip
ROWS = [
    ["kling:1", "kling", "studio", "kling-v2.6", "video", "image_to_video",
     "2026-01-05T09:00:00+02:00", "Ana", "  a, quoted \"prompt\"  ", "blur", "42", "1280", "720",
     "5.0", "24", "", "", "1", "", "", '[{"uri":"in.png","role":"image"}]', "a.mp4|b.mp4",
     "kling:0", "SC01_SH010", "", "1.5", "FRA", "", '{"with_audio":true,"mode":"pro","n":2,'
     '"x":0.5,"z":null,"é":"ü"}', "SC01_SH010", "yes"],
    ["", "midjourney", "", "7", "image", "", "2026-01-05T09:02:41Z", "", "=SUM(1,2)", "", "",
     "1456", "816", "", "", "", "30.0", "4", "12", "", "ref.png", '["x.png","y.png"]', "", "",
     "succeeded", "", "", "0.25", "", "", ""],
    ["suno:3", "suno", "acct", "", "music", "", "2026-01-05T23:30:00-05:00", "", "", "", "-7",
     "", "", "120.5", "", "", "", "", "", "300", "a|b", "", "", "", "failed", "", "", "", "{}",
     "", "no"],
    ["suno:4", "suno", "acct", "", "music", "", "not a date", "", "", "", "", "", "", "", "",
     "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
]  # fmt: skip


def _table(path: Path) -> GenTable:
    source = Source(path, "logs/" + path.name)
    read = read_frame(path, source.name, CanonicalAdapter()._maker(source))
    assert read is not None
    return read.table


def _written(tmp_path: Path) -> Path:
    path = tmp_path / "generations.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    return path


def _same(table: GenTable, redact: bool) -> None:
    rows = np.arange(len(table))[::-1].copy()  # any order of rows
    dumped = table.dumped(rows)
    assert dumped is not None
    records = table.records(rows)
    for name, values in dumped.items():
        assert values == [gen.model_dump(mode="json")[name] for gen in records], name
    by_columns = whole_numbers(dumped_frame(dumped, redact))
    by_records = whole_numbers(canonical_frame(records, redact))
    pd.testing.assert_frame_equal(by_columns, by_records)
    assert csv_bytes(by_columns) == csv_bytes(by_records)


@pytest.mark.parametrize("redact", [False, True])
def test_hand_written_cells_dump_as_their_records(tmp_path: Path, redact: bool) -> None:
    table = _table(_written(tmp_path))
    assert len(table) == 3  # the row without a date is the row reader's
    _same(table, redact)


def test_a_generated_archive_dumps_as_its_records(tmp_path: Path) -> None:
    table = _table(generate(tmp_path / "bench", 3000, 60))
    assert len(table) == 3000
    _same(table, redact=False)


def test_rows_of_two_files_in_time_order(tmp_path: Path) -> None:
    """A production's table joins its files' tables, rows in time order (parts interleaved)."""
    table = sorted_table(
        concat([_table(generate(tmp_path / "b", 500, 20)), _table(_written(tmp_path))])
    )
    assert len(np.unique(table.part)) == 2
    _same(table, redact=True)


def test_records_an_adapter_built_are_dumped_from_themselves(tmp_path: Path) -> None:
    """A table of objects (adapters other than the canonical CSV's, ``whatif``) has no file
    columns to dump: generations.csv reads its records as before."""
    records: list[Generation] = _table(_written(tmp_path)).generations()
    assert from_generations(records).dumped(np.arange(len(records))) is None

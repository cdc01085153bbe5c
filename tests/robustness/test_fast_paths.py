"""The speed-ups of docs/performance.md change nothing: the canonical column reader gives the row
reader's records, signatures without the fields no method reads give the same estimates, the
per-signature join gives every generation its own estimate, and the collector pause is undone."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.base.models import Generation
from audit.base.production import load_production
from audit.base.textio import read_csv_rows
from audit.estimate.footprint import (
    TABLE_COLUMNS,
    UNREAD_FIELDS,
    estimate_generations,
    estimate_table,
    registry,
    signature,
)
from audit.ingest.base import Source
from audit.ingest.canonical import CanonicalAdapter
from audit.ingest.canonical_frame import read_frame
from audit.ingest.walk import ingest_files, paused_gc
from bench.generate import generate
from estimators.impacts import estimate
from estimators.signature import Signature

REGISTRY = registry()
PLATFORMS = sorted(REGISTRY.platforms)
MODELS = [None, "kling-v2.6", "veo-3.1", "wan2.1", "gpt-4o-mini", "flux1-dev", "sdxl", "7"]
MODALITIES = ["image", "image_edit", "video", "video_edit", "lipsync", "upscale", "music",
              "sound", "speech", "voice_clone", "text"]  # fmt: skip
SMALL = st.one_of(st.none(), st.integers(1, 4000))
SIGNATURES = st.builds(
    Signature,
    platform=st.sampled_from(PLATFORMS),
    modality=st.sampled_from(MODALITIES),
    model=st.sampled_from(MODELS),
    task=st.sampled_from([None, "text_to_video", "tts", "upscale"]),
    width=SMALL, height=SMALL, duration_s=st.one_of(st.none(), st.floats(0.5, 300)),
    fps=st.one_of(st.none(), st.sampled_from([12.0, 24.0, 30.0])), steps=st.one_of(st.none(), st.integers(1, 80)),
    outputs_count=st.integers(1, 4), characters=SMALL, tokens_in=SMALL, tokens_out=SMALL,
    measured_energy_wh=st.one_of(st.none(), st.floats(0.1, 900)),
    mode=st.sampled_from([None, "std", "pro"]), with_audio=st.sampled_from([None, True, False]),
    scale_factor=st.one_of(st.none(), st.sampled_from([2.0, 4.0])),
    creativity=st.one_of(st.none(), st.floats(0, 1)),
    region=st.sampled_from([None, "FRA", "USA"]),
    step_pixels=st.one_of(st.none(), st.floats(1, 1e10)),
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SIGNATURES)
def test_unread_signature_fields_never_change_an_estimate(sig: Signature) -> None:
    """If an estimator starts reading task, tokens_in or mode, this fails: remove the field from
    ``audit.estimate.footprint.UNREAD_FIELDS``."""
    blank = dataclasses.replace(sig, **dict.fromkeys(UNREAD_FIELDS))  # type: ignore[arg-type]
    assert estimate(blank, REGISTRY) == estimate(sig, REGISTRY)


def test_signature_leaves_the_unread_fields_empty(tmp_path: Path) -> None:
    root = tmp_path / "bench"
    generate(root, 300, 20)
    production = load_production(root)
    gens = ingest_files(root, [root / "logs" / "generations.csv"]).generations
    assert None not in {gen.task for gen in gens}  # the records do carry a task
    assert all(getattr(signature(g, production), f) is None for g in gens for f in UNREAD_FIELDS)


def test_bench_generator_is_seeded(tmp_path: Path) -> None:
    one, two = generate(tmp_path / "a", 500, 30), generate(tmp_path / "b", 500, 30)
    assert one.read_bytes() == two.read_bytes()
    assert one.read_text(encoding="utf-8").count("\n") == 501
    shots = (tmp_path / "a" / "timeline" / "shots.csv").read_text(encoding="utf-8")
    assert shots.count("\n") == 31


def test_column_reader_equals_row_reader_on_an_archive(tmp_path: Path) -> None:
    """5,000 generated rows (quoted prompts with commas, lists, empty cells)."""
    log = generate(tmp_path / "bench", 5000, 100)
    source = Source(log, "logs/generations.csv")
    adapter = CanonicalAdapter()
    read = read_frame(log, source.name, adapter._maker(source))
    assert read is not None
    assert not read.for_rows  # every row went through the column checks
    assert len(read.table) == 5000
    by_columns = adapter.read_by_columns(source)
    assert by_columns is not None
    by_rows = list(CanonicalAdapter().read_rows(source, read_csv_rows(log)))
    assert len(by_columns) == 5000
    assert by_columns == by_rows
    assert all(isinstance(g, Generation) for g in by_rows)
    sets = [[g.model_fields_set for g in items if isinstance(g, Generation)]
            for items in (by_columns, by_rows)]  # fmt: skip
    assert sets[0] == sets[1]


def test_every_generation_gets_its_own_signature_estimate(tmp_path: Path) -> None:
    """The one estimation path (estimate_table on the columns the canonical reader made): each
    row's impacts are those of its own record's signature, its linking as given, in row order."""
    root = tmp_path / "bench"
    generate(root, 2000, 40)
    production = load_production(root)
    ingested = ingest_files(root, [root / "logs" / "generations.csv"])
    gens = ingested.generations
    shots = np.full(len(gens), None, dtype=object)
    shots[::7] = "SC01_SH010"
    kept = np.zeros(len(gens), dtype=bool)
    kept[::14] = True
    footprint = estimate_table(ingested.table, shots, kept, production)
    table = footprint.table
    assert list(table.columns) == TABLE_COLUMNS
    assert list(table["id"]) == [g.id for g in gens]
    assert list(table["shot_id"]) == [shot or "" for shot in shots]
    assert list(table["kept"]) == kept.tolist()
    for gen, row in zip(gens, table.itertuples(index=False), strict=True):
        impacts = estimate(signature(gen, production), REGISTRY)
        assert row.energy_wh_central == impacts.energy_wh.central
        assert row.carbon_g_high == impacts.carbon_g.high
        assert row.method == impacts.method
    assert len(footprint.by_signature) < len(gens) / 2


def test_records_in_hand_take_the_same_path(tmp_path: Path) -> None:
    """estimate_generations only makes the records' table (their shot_id/kept as the linking):
    the footprint of records read one by one is that of the columns read at once."""
    root = tmp_path / "bench"
    generate(root, 600, 20)
    production = load_production(root)
    ingested = ingest_files(root, [root / "logs" / "generations.csv"])
    gens = [gen.model_copy(update={"shot_id": "SC01_SH010", "kept": True})
            for gen in ingested.generations[:300]] + ingested.generations[300:]  # fmt: skip
    kept = np.arange(len(gens)) < 300
    shots = np.where(kept, "SC01_SH010", None)
    by_records = estimate_generations(gens, production)
    by_columns = estimate_table(ingested.table, shots, kept, production)
    pd.testing.assert_frame_equal(by_records.table, by_columns.table)
    assert estimate_generations([], production).table.empty


def test_paused_gc_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_column_reader_on_cells_pandas_types_itself(tmp_path: Path) -> None:
    """pandas reads a column of True/False as booleans and of 1e400 as infinity: the column
    reader must still reject what the row reader rejects, naming the same line and field."""
    log = tmp_path / "journal.csv"
    rows = ["platform,modality,created_at,width,duration_s"]
    rows += [f"kling,video,2026-09-01T10:{k % 60:02d}:00Z,True,5" for k in range(3)]
    rows += ["kling,video,2026-09-01T11:00:00Z,False,1e400"]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    source = Source(log, "journal.csv")
    adapter = CanonicalAdapter()
    by_rows = list(adapter.read_rows(source, read_csv_rows(log)))
    by_columns = adapter.read_by_columns(source)
    assert by_columns is not None
    assert [(r.locator, r.field) for r in by_columns] == [(r.locator, r.field) for r in by_rows]
    assert [r.field for r in by_rows] == ["width"] * 4


def test_column_reader_keeps_text_under_a_spaced_header(tmp_path: Path) -> None:
    """A header written ` id , platform` still makes its columns text: id 007 stays 007."""
    log = tmp_path / "journal.csv"
    rows = [" id , platform ,modality,created_at"]
    rows += [f"00{k},kling,video,2026-09-01T10:0{k}:00Z" for k in range(5)]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    source = Source(log, "journal.csv")
    adapter = CanonicalAdapter()
    by_columns = adapter.read_by_columns(source)
    assert by_columns == list(adapter.read_rows(source, read_csv_rows(log)))
    assert [g.id for g in by_columns if isinstance(g, Generation)][:2] == ["000", "001"]


def test_column_reader_dates_agree_with_the_row_reader(tmp_path: Path) -> None:
    """Dates pandas would take but the record refuses (a 60th second, year 0) are rejects."""
    log = tmp_path / "journal.csv"
    dates = ["2026-01-05T09:00:60+00:00", "0000-01-01T00:00:00Z", "2026-01-05T09:00:00-23:59",
             "2024-02-29T09:00:00Z", "2026-02-29T09:00:00Z", "2026-01-05T09:00:00z"]  # fmt: skip
    rows = ["platform,modality,created_at", *(f"kling,video,{d}" for d in dates)]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    source = Source(log, "journal.csv")
    adapter = CanonicalAdapter()
    by_columns = adapter.read_by_columns(source)
    assert by_columns == list(adapter.read_rows(source, read_csv_rows(log)))
    kinds = [type(item).__name__ for item in by_columns or []]
    assert kinds == ["Reject", "Reject", "Generation", "Generation", "Reject", "Generation"]


def test_trim_heap_gives_free_pages_back_where_glibc_is() -> None:
    """``malloc_trim`` is called where the C library has it (glibc, as on Debian 12), and the
    call is a no-op, reported False, where it has not (macOS, musl)."""
    import platform

    from audit.base import gc as heap

    assert heap.trim_heap() is (platform.libc_ver()[0] == "glibc")


def test_trim_heap_without_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    from audit.base import gc as heap

    monkeypatch.setattr(heap, "_malloc_trim", lambda: None)
    assert heap.trim_heap() is False

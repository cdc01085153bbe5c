"""A canonical CSV typed by hand (issue 19): ``created_at`` written day first, as people in
France write a date (``19/09/2026 10:00``, ``3/10/2026``), is read like ISO without offset (UTC),
by the row reader and by the column reader of large files alike."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from audit.ingest.canonical import COLUMN_READER_MIN_BYTES, day_first
from audit.ingest.walk import ingest_files

HEAD = "platform,modality,created_at,model,outputs_count,prompt\n"


def _ingest(path: Path) -> list[datetime]:
    result = ingest_files(path.parent, [path], adapter_name="canonical", lenient=False)
    assert result.rejects == []
    return [g.created_at for g in result.generations]


def test_day_first_forms() -> None:
    assert day_first("19/09/2026 10:00") == "2026-09-19T10:00:00"
    assert day_first("3/10/2026") == "2026-10-03T00:00:00"
    assert day_first("19/09/2026 10:00:30") == "2026-09-19T10:00:30"
    assert day_first("2026-09-19T10:00:00Z") == "2026-09-19T10:00:00Z"


def test_small_file_read_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "hand.csv"
    path.write_text(HEAD + "comfyui,image,19/09/2026 10:00,flux1-dev,1,a lighthouse\n", "utf-8")
    assert _ingest(path) == [datetime(2026, 9, 19, 10, 0, tzinfo=UTC)]


def test_large_file_read_by_columns(tmp_path: Path) -> None:
    path = tmp_path / "hand.csv"
    row = "comfyui,image,2026-09-19T11:00:00Z,flux1-dev,1," + "a stormy sea at dusk " * 10 + "{}\n"
    rows = [row.format(i) for i in range(1200)]
    rows[7] = "comfyui,image,19/09/2026 10:00,flux1-dev,1,typed by hand\n"
    path.write_text(HEAD + "".join(rows), "utf-8")
    assert path.stat().st_size >= COLUMN_READER_MIN_BYTES
    times = _ingest(path)
    assert len(times) == 1200
    assert datetime(2026, 9, 19, 10, 0, tzinfo=UTC) in times

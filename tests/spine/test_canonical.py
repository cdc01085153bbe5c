"""The canonical CSV/JSONL adapter, including what a French Excel writes."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import InputError, RecordError
from audit.ingest.walk import ingest_files

FRENCH_EXCEL = (
    "platform;modality;created_at;model;duration_s;outputs_count;prompt;measured_energy_wh\r\n"
    "comfyui;video;2026-09-20T14:00:00+02:00;wan2.1-i2v-14b;5,06;1;Phare sous l’orage;412,5\r\n"
    "comfyui;image;2026-09-20T15:00:00Z;flux1-dev;;4;Gardien à la lampe;\r\n"
)


def _ingest(tmp_path: Path, name: str, data: bytes, lenient: bool = False):
    path = tmp_path / name
    path.write_bytes(data)
    return ingest_files(tmp_path, [path], lenient=lenient)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_french_excel_csv(tmp_path: Path, encoding: str) -> None:
    result = _ingest(tmp_path, "journal.csv", FRENCH_EXCEL.encode(encoding))
    video, image = result.generations
    assert video.id == "comfyui:journal-2"
    assert video.created_at == datetime(2026, 9, 20, 12, 0, tzinfo=UTC)
    assert video.duration_s == pytest.approx(5.06)
    assert video.measured_energy_wh == pytest.approx(412.5)
    assert video.prompt == "Phare sous l’orage"
    assert image.outputs_count == 4
    assert image.source_locator == "3"
    assert image.adapter == "canonical"
    assert result.totals()["accepted"] == 2


def test_jsonl_and_duplicates_merge(tmp_path: Path) -> None:
    row = {
        "id": "suno:abc",
        "platform": "suno",
        "modality": "music",
        "created_at": "2026-09-02T10:00:00Z",
        "duration_s": 120,
    }
    more = dict(row, model="chirp-v4-5")
    data = "\n".join(json.dumps(r) for r in (row, more)).encode()
    result = _ingest(tmp_path, "manual.jsonl", data)
    assert len(result.generations) == 1
    assert result.generations[0].model == "chirp-v4-5"
    assert (result.files[0].accepted, result.files[0].merged) == (1, 1)


def test_bad_value_strict_raises_one_line(tmp_path: Path) -> None:
    data = b"platform,modality,created_at\nkling,hologram,2026-09-01T00:00:00Z\n"
    with pytest.raises(RecordError) as info:
        _ingest(tmp_path, "bad.csv", data)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("bad.csv:2: modality: ")
    assert "hologram" in message


def test_lenient_collects_every_reject_and_counts_add_up(tmp_path: Path) -> None:
    data = (
        b"platform,modality,created_at,width\n"
        b"kling,video,2026-09-01T00:00:00Z,1920\n"
        b"kling,hologram,2026-09-01T00:00:00Z,\n"
        b"kling,video,,\n"
        b"kling,video,2026-09-01T00:00:00Z,large\n"
    )
    result = _ingest(tmp_path, "mixed.csv", data, lenient=True)
    assert [r.locator for r in result.rejects] == ["3", "4", "5"]
    assert [r.field for r in result.rejects] == ["modality", "created_at", "width"]
    totals = result.totals()
    assert (totals["accepted"], totals["rejected"], totals["records"]) == (1, 3, 4)


def test_unknown_column_lists_the_valid_ones(tmp_path: Path) -> None:
    data = b"platform,modality,created_at,colour\nkling,video,2026-09-01T00:00:00Z,red\n"
    with pytest.raises(
        RecordError, match=r"bad.csv:1: colour: unknown column; allowed: .*modality"
    ):
        _ingest(tmp_path, "bad.csv", data)


def test_unclaimed_files_are_listed_not_dropped(tmp_path: Path) -> None:
    """Lenient mode lists an unclaimed CSV with its reason; strict mode stops on it (exit 2)."""
    result = _ingest(tmp_path, "notes.csv", b"what,ever\n1,2\n", lenient=True)
    assert result.unclaimed == ["notes.csv"]
    assert result.totals()["unclaimed_files"] == 1
    assert result.unclaimed_lines() == [
        "notes.csv: table of no known shape (columns: what, ever); a canonical one needs "
        "platform, modality, created_at"
    ]
    with pytest.raises(InputError, match=r"^notes\.csv: table of no known shape"):
        _ingest(tmp_path, "notes.csv", b"what,ever\n1,2\n")


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    paths = []
    for index in range(3):
        path = tmp_path / f"log{index}.csv"
        path.write_bytes(b"platform,modality,created_at\nkling,video,2026-09-01T00:00:00Z\n")
        paths.append(path)
    seen: list[tuple[int, int]] = []
    ingest_files(tmp_path, paths, progress=lambda done, total: seen.append((done, total)))
    assert seen[:3] == [(1, 6), (2, 6), (3, 6)]
    assert seen[-1] == (6, 6)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_date_at_the_edge_of_the_calendar_is_a_reject_not_a_crash(tmp_path: Path) -> None:
    data = b"platform,modality,created_at\nkling,video,0001-01-01T00:00:00+05:00\n"
    result = _ingest(tmp_path, "edge.csv", data, lenient=True)
    assert [(r.locator, r.field) for r in result.rejects] == [("2", "created_at")]

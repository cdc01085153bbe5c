"""Udio: song JSON of community clients; extensions as parents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from audit.ingest._util import mtime_utc
from audit.ingest.walk import IngestResult, ingest_files
from audit.models import Modality

FILES = ("udio/songs.json", "udio/song.json")


def _ingest(fixtures: Path) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=True)


def test_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {"udio/songs.json": ("udio", 3, 0, 0), "udio/song.json": ("udio", 1, 0, 0)}
    assert not result.rejects
    unfinished = [g for g in result.generations if g.source_locator == "/songs/2"]
    assert [g.status for g in unfinished] == ["pending"]


def test_song_and_extension(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    song = found["udio:u-0001"]
    assert song.created_at == datetime(2026, 9, 25, 10, 0, tzinfo=UTC)
    assert (song.modality, song.task, song.seed, song.duration_s) == (
        Modality.music, "text_to_music", 1234, 32.7,
    )  # fmt: skip
    assert song.prompt == "sea shanty, accordion, male choir\nHisse la voile"
    assert song.outputs == ["https://storage.udio.example/u-0001.mp3"]
    assert song.attributes == {"title": "Phare"}
    extension = found["udio:u-0002"]
    assert (extension.task, extension.seed, extension.parent_ids) == (
        "continuation", None, ["udio:u-0001"],
    )  # fmt: skip
    assert extension.attributes == {
        "title": "Phare (extended)", "audio_conditioning_type": "continuation",
        "crop_start_time": 30,
    }  # fmt: skip


def test_song_without_time(fixtures: Path) -> None:
    song = {g.id: g for g in _ingest(fixtures).generations}["udio:u-0004"]
    assert song.created_at == mtime_utc(fixtures / "udio/song.json")
    assert song.attributes == {"title": "Brume", "created_at_source": "file_mtime"}

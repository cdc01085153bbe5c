"""Pika: status objects joined with the request log by video id."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import RecordError
from audit.base.models import AssetRef, Generation, Modality, Status
from audit.ingest._util import mtime_utc
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader

FILES = ("pika/requests.jsonl", "pika/status.json")


def _ingest(fixtures: Path, *, lenient: bool = True) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=lenient)


def test_join_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "pika/requests.jsonl": ("pika", 0, 2, 1),
        "pika/status.json": ("pika", 3, 0, 0),
    }
    assert [r.line() for r in result.rejects] == [
        "pika/requests.jsonl:3: task_id: request without result: fetch GET /videos/<video_id> "
        "into logs/pika/ (got 'pk-0009')"
    ]


def test_strict_mode_raises(fixtures: Path) -> None:
    with pytest.raises(RecordError, match=r"^pika/requests\.jsonl:3: task_id: request without"):
        _ingest(fixtures, lenient=False)


def test_image_to_video_joined(fixtures: Path) -> None:
    video = {g.id: g for g in _ingest(fixtures).generations}["pika:pk-0001"]
    assert video.created_at == datetime(2026, 9, 22, 9, 0, tzinfo=UTC)
    assert (video.model, video.modality, video.task) == (
        "pika-2.2",
        Modality.video,
        "image_to_video",
    )
    assert (video.width, video.height, video.duration_s, video.seed) == (1920, 1080, 5.0, 12)
    assert (video.prompt, video.negative_prompt) == ("the lamp starts to turn", "blur")
    assert video.inputs == [AssetRef(uri="stills/lamp.png", role="image")]
    assert video.outputs == ["https://cdn.pika.example/pk-0001.mp4"]
    assert video.attributes == {"resolution": "1080p", "aspect_ratio": 1.7777777777777777}


def test_failed_scenes_and_status_alone(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    scenes = found["pika:pk-0002"]
    assert (scenes.task, scenes.status, scenes.outputs_count) == ("scenes", Status.failed, 0)
    assert (scenes.width, scenes.height) == (720, 1280)
    assert scenes.inputs == [
        AssetRef(uri="cast/keeper.png", role="image_prompt"),
        AssetRef(uri="props/gull.png", role="image_prompt"),
    ]
    alone = found["pika:pk-0003"]
    assert (alone.model, alone.task, alone.prompt) == (None, None, None)
    assert alone.created_at == mtime_utc(Path(__file__).parent / "fixtures" / "pika/status.json")
    assert alone.attributes == {"created_at_source": "file_mtime"}


def test_unfinished_status_is_pending(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "s.json").write_text('{"id": "pk-1", "status": "started", "progress": 10}')
    (item,) = read("pika", "s.json", root=tmp_path)
    assert isinstance(item, Generation)
    assert (item.id, item.status) == ("pika:pk-1", "pending")

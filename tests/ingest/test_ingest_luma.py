"""Luma: generation objects with the request echoed (keyframes, references, parents)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from audit.base.models import AssetRef, Modality, Status
from audit.ingest.base import Reject
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader

GEN = "luma:d1e2f3a4-0000-4000-8000-00000000000"
FILES = ("luma/generations.json", "luma/generation.json")


def _ingest(fixtures: Path) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=True)


def test_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "luma/generations.json": ("luma", 3, 0, 0),
        "luma/generation.json": ("luma", 1, 0, 0),
    }
    assert result.rejects == []


def test_video_with_image_and_generation_keyframes(fixtures: Path) -> None:
    video = {g.id: g for g in _ingest(fixtures).generations}[f"{GEN}1"]
    assert video.created_at == datetime(2026, 9, 22, 8, 0, tzinfo=UTC)
    assert (video.model, video.modality, video.task) == ("ray-2", Modality.video, "image_to_video")
    assert (video.width, video.height, video.duration_s) == (1280, 720, 5.0)
    assert video.outputs == ["https://storage.cdn-luma.example/0001.mp4"]
    assert video.inputs == [
        AssetRef(uri="https://cdn.example/lamp-room.png", role="image"),
        AssetRef(uri=f"gen:{GEN}0", role="parent"),
    ]
    assert video.parent_ids == [f"{GEN}0"]
    assert video.attributes == {
        "generation_type": "video", "aspect_ratio": "16:9", "resolution": "720p", "loop": False,
        "concepts": "orbit_left",
    }  # fmt: skip
    assert video.source_locator == "/generations/0"


def test_image_with_character_reference(fixtures: Path) -> None:
    image = {g.id: g for g in _ingest(fixtures).generations}[f"{GEN}2"]
    assert (image.model, image.modality, image.task) == (
        "photon-1",
        Modality.image,
        "image_to_image",
    )
    assert (image.width, image.height, image.duration_s) == (None, None, None)
    assert image.outputs == ["https://storage.cdn-luma.example/0002.jpg"]
    assert image.inputs == [
        AssetRef(uri="https://cdn.example/coat.jpg", role="image_prompt"),
        AssetRef(uri="https://cdn.example/etching.jpg", role="sref"),
        AssetRef(uri="https://cdn.example/actor-face-1.jpg", role="character_ref"),
        AssetRef(uri="https://cdn.example/actor-face-2.jpg", role="character_ref"),
    ]


def test_failed_video_and_modify(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    failed = found[f"{GEN}3"]
    assert (failed.status, failed.outputs, failed.outputs_count) == (Status.failed, [], 0)
    assert (failed.width, failed.height, failed.duration_s) == (1080, 1920, 9.0)
    assert failed.attributes["failure_reason"] == "400: prompt not allowed"
    modify = found[f"{GEN}4"]
    assert (modify.modality, modify.task) == (Modality.image_edit, "modify_image")
    assert modify.inputs == [
        AssetRef(uri="https://storage.cdn-luma.example/0002.jpg", role="image")
    ]


def test_dreaming_and_bad_duration(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "g.jsonl").write_text(
        '{"id": "a", "state": "dreaming", "generation_type": "video", "created_at": "2026-09-22"}\n'
        '{"id": "b", "state": "completed", "generation_type": "video", "created_at": '
        '"2026-09-22T08:00:00Z", "assets": {}, "request": {"duration": "long"}}\n'
    )
    items = read("luma", "g.jsonl", root=tmp_path)
    assert [i.line() for i in items if isinstance(i, Reject)] == [
        "g.jsonl:2: request.duration: expected seconds like '5s' (got 'long')",
    ]


def test_earlier_form_without_generation_type_is_claimed(tmp_path: Path) -> None:
    """The API's earlier Generation: no generation_type nor model, a ``version`` (fields of
    lumalabs/lumaai-python src/lumaai/types/generation.py as of September 2024); values are ours."""
    generations = [
        {
            "id": "d5a9a8c4-1b2e-4f3a-9c7d-000000000101",
            "state": "completed",
            "failure_reason": None,
            "created_at": "2024-09-12T18:04:31.425Z",
            "assets": {
                "video": "https://storage.cdn-luma.example/dream_machine/101/watermarked_video.mp4"
            },
            "version": "v1.6",
            "request": {
                "prompt": "a lighthouse keeper climbs the stairs",
                "aspect_ratio": "16:9",
                "loop": False,
                "camera_motion": "Orbit Left",
                "keyframes": {"frame0": {"type": "image", "url": "https://cdn.example/keeper.jpg"}},
            },
        },
        {
            "id": "d5a9a8c4-1b2e-4f3a-9c7d-000000000102",
            "state": "dreaming",
            "created_at": "2024-09-12T18:06:00Z",
            "assets": None,
            "version": "v1.6",
            "request": {"prompt": "gulls", "aspect_ratio": "9:16", "loop": True},
        },
    ]
    path = tmp_path / "luma-2024.json"
    path.write_text(json.dumps(generations), encoding="utf-8")
    result = ingest_files(tmp_path, [path])  # strict
    assert [(f.adapter, f.accepted) for f in result.files] == [("luma", 2)]
    found = {g.id: g for g in result.generations}
    done = found["luma:d5a9a8c4-1b2e-4f3a-9c7d-000000000101"]
    assert (done.modality, done.task, done.model_version) == (
        Modality.video, "image_to_video", "v1.6",
    )  # fmt: skip
    assert done.prompt == "a lighthouse keeper climbs the stairs"
    assert done.outputs == [
        "https://storage.cdn-luma.example/dream_machine/101/watermarked_video.mp4"
    ]
    assert done.attributes["camera_motion"] == "Orbit Left"
    assert done.attributes["loop"] is False
    running = found["luma:d5a9a8c4-1b2e-4f3a-9c7d-000000000102"]
    assert running.status == Status.pending

"""OpenAI: Images API call logs (request beside response), Sora video objects joined with their
create call, characters as evidence."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from audit.base.models import AssetRef, Generation, Modality, Status
from audit.ingest.base import Reject
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader, one

FILES = ("openai/calls.jsonl", "openai/videos.json", "openai/image-response.json")


def _ingest(fixtures: Path, *, lenient: bool = True) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=lenient)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    # calls.jsonl: 3 image calls, 1 character (evidence: no record), 1 create call merged into
    # its finished video, 1 create call never fetched (still queued: work in progress).
    assert counts == {
        "openai/calls.jsonl": ("openai", 4, 1, 0),
        "openai/videos.json": ("openai", 2, 0, 0),
        "openai/image-response.json": ("openai", 1, 0, 0),
    }
    assert not result.rejects


def test_strict_mode_completes_with_a_queued_video(fixtures: Path) -> None:
    queued = {g.id: g for g in _ingest(fixtures, lenient=False).generations}["openai:video_0009"]
    assert (queued.status, queued.model, queued.source_locator) == ("pending", "sora-2", "6")
    assert (queued.outputs, queued.outputs_count) == ([], 1)
    assert queued.attributes["estimated_as_run"] is True


def test_image_generation_with_inline_images(fixtures: Path) -> None:
    image = {g.id: g for g in _ingest(fixtures).generations}["openai:req_img_0001"]
    assert image.created_at == datetime(2026, 9, 20, 8, 0, tzinfo=UTC)
    assert (image.model, image.modality, image.task) == (
        "gpt-image-1",
        Modality.image,
        "text_to_image",
    )
    assert (image.width, image.height, image.outputs_count) == (1536, 1024, 2)
    assert (image.tokens_in, image.tokens_out) == (50, 6240)
    assert image.outputs == [f"sha256:{_sha(b'PNG-ONE')[:16]}", f"sha256:{_sha(b'PNG-TWO')[:16]}"]
    assert image.attributes == {
        "quality": "high", "output_format": "png", "n": 2, "request_id": "req_img_0001",
    }  # fmt: skip
    assert image.source_locator == "1"


def test_edit_and_url_image(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    (edit,) = [g for g in found.values() if g.task == "image_edit"]
    assert edit.id.startswith("openai:img-")
    assert len(edit.id) == len("openai:img-") + 16
    assert edit.modality == Modality.image_edit
    assert edit.inputs == [AssetRef(uri="stills/sc01.png", role="image")]
    assert edit.attributes["output_sha256"] == _sha(b"PNG-EDIT")
    (dalle,) = [g for g in found.values() if g.model == "dall-e-3"]
    assert dalle.outputs == ["https://oaidalle.example/gull.png"]
    assert dalle.attributes == {"revised_prompt": "A single herring gull gliding over grey water."}


def test_bare_response_has_no_model(fixtures: Path) -> None:
    (bare,) = [g for g in _ingest(fixtures).generations if g.source_file.endswith("response.json")]
    assert (bare.model, bare.prompt, bare.task, bare.width, bare.height) == (
        None, None, None, 1024, 1536,
    )  # fmt: skip
    assert bare.created_at == datetime(2026, 9, 21, 9, 0, tzinfo=UTC)


def test_sora_video_joined_with_create_call_and_character(fixtures: Path) -> None:
    video = {g.id: g for g in _ingest(fixtures).generations}["openai:video_0001"]
    assert (video.model, video.task, video.status) == (
        "sora-2-pro",
        "image_to_video",
        Status.succeeded,
    )
    assert (video.width, video.height, video.duration_s) == (1280, 720, 8.0)
    assert video.created_at == datetime(2026, 9, 20, 9, 0, tzinfo=UTC)
    assert video.inputs == [
        AssetRef(uri="stills/pier.png", role="image"),
        AssetRef(uri="openai-character:char_0001", role="character_ref"),
    ]
    assert video.attributes == {
        "sora_characters": "char_0001", "sora_character_names": "Yann", "elapsed_s": 90.0,
    }  # fmt: skip
    assert video.source_locator == "/data/0"


def test_sora_remix_failed(fixtures: Path) -> None:
    remix = {g.id: g for g in _ingest(fixtures).generations}["openai:video_0002"]
    assert (remix.task, remix.status, remix.outputs_count) == ("remix", Status.failed, 0)
    assert remix.parent_ids == ["openai:video_0001"]
    assert remix.attributes == {
        "error_code": "moderation_blocked", "error_message": "blocked by moderation",
    }  # fmt: skip


def test_video_object_without_call_has_no_task(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "v.json").write_text(
        '{"id": "video_9", "object": "video", "model": "sora-2", "status": "completed", '
        '"prompt": "x", "seconds": "4", "size": "720x1280", "created_at": 1789894800}'
    )
    video = one(read("openai", "v.json", root=tmp_path))
    assert (video.task, video.inputs, video.outputs) == (None, [], ["video_9.mp4"])


def test_unfinished_video_and_bad_base64(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "v.jsonl").write_text(
        '{"id": "video_8", "object": "video", "status": "in_progress", "created_at": 1}\n'
        '{"endpoint": "/v1/images/generations", "request": {"model": "gpt-image-1"}, '
        '"response": {"created": 1, "data": [{"b64_json": "not base64!"}]}}\n'
    )
    items = read("openai", "v.jsonl", root=tmp_path)
    assert [i.line() for i in items if isinstance(i, Reject)] == [
        "v.jsonl:2: response.data.0.b64_json: invalid base64",
    ]
    assert [(g.id, g.status, g.outputs) for g in items if isinstance(g, Generation)] == [
        ("openai:video_8", "pending", [])
    ]

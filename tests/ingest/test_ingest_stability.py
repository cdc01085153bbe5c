"""Stability AI: v2beta call logs (sync responses, async jobs joined by id), Stable Audio; the base64
payload is never kept."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.models import AssetRef, Generation, Modality, Status
from audit.ingest.base import Reject
from audit.ingest.registry import get
from audit.ingest.stability import kind_of
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader, one


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ingest(fixtures: Path, *, lenient: bool = True) -> IngestResult:
    return ingest_files(fixtures, [fixtures / "stability/calls.jsonl"], lenient=lenient)


def test_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    (report,) = result.files
    assert (report.adapter, report.accepted, report.merged, report.rejected) == (
        "stability",
        5,
        1,
        0,
    )
    assert not result.rejects


def test_strict_mode_completes_with_a_job_in_progress(fixtures: Path) -> None:
    """Line 6 is an async start never polled: work in progress, not a fatal reject."""
    found = {g.id: g for g in _ingest(fixtures, lenient=False).generations}
    started = found["stability:upscale-job-0009"]
    assert (started.status, started.source_locator, started.outputs_count) == ("pending", "6", 1)


def test_sd3_sync_call(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}["stability:st-req-0001"]
    assert gen.created_at == datetime(2026, 9, 24, 8, 0, tzinfo=UTC)
    assert (gen.model, gen.modality, gen.task) == ("sd3.5-large", Modality.image, "text_to_image")
    assert (gen.prompt, gen.negative_prompt, gen.seed) == (
        "an old lighthouse lens",
        "text",
        3141592,
    )
    assert gen.outputs == [f"sha256:{_sha(b'SD3-IMAGE')[:16]}"]
    assert gen.attributes == {
        "aspect_ratio": "3:2", "output_format": "png", "finish_reason": "SUCCESS",
        "output_sha256": _sha(b"SD3-IMAGE"), "request_id": "st-req-0001",
    }  # fmt: skip
    assert "U0QzLUlNQUdF" not in gen.model_dump_json()


def test_filtered_ultra_and_async_upscale(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    ultra = found[f"stability:{_sha(b'ULTRA-IMAGE')[:16]}"]
    assert (ultra.model, ultra.task, ultra.status) == (
        "stable-image-ultra", "image_to_image", Status.filtered,
    )  # fmt: skip
    assert (ultra.outputs, ultra.outputs_count) == ([], 1)  # a blurred image, not the output
    assert ultra.inputs == [AssetRef(uri="stills/keeper.png", role="image")]
    assert ultra.attributes["finish_reason"] == "CONTENT_FILTERED"
    upscale = found["stability:upscale-job-0001"]
    assert (upscale.model, upscale.modality, upscale.seed) == (
        "upscale-creative",
        Modality.upscale,
        5,
    )
    assert upscale.created_at == datetime(2026, 9, 24, 8, 10, tzinfo=UTC)
    assert upscale.prompt == "crisp details"
    assert upscale.source_locator == "4"


def test_stable_audio(fixtures: Path) -> None:
    (audio,) = [g for g in _ingest(fixtures).generations if g.modality == Modality.music]
    assert (audio.model, audio.task, audio.duration_s, audio.steps, audio.seed) == (
        "stable-audio-2.5", "text_to_audio", 20.0, 8, 7,
    )  # fmt: skip
    assert audio.attributes["output_sha256"] == _sha(b"AUDIO-WAV")


@pytest.mark.parametrize(
    ("endpoint", "request_body", "kind"),
    [
        ("/v2beta/stable-image/generate/core", {}, ("image", "text_to_image", "stable-image-core")),
        ("/v2beta/stable-image/generate/sd3", {}, ("image", "text_to_image", None)),
        ("/v2beta/stable-image/upscale/fast", {}, ("upscale", "upscale", "upscale-fast")),
        ("/v2beta/stable-image/edit/search-and-replace", {}, ("image_edit", "search_and_replace", None)),
        ("/v2beta/stable-image/control/sketch", {"image": "a.png"}, ("image", "control_sketch", None)),
        ("/v2beta/audio/stable-audio-2/audio-to-audio", {}, ("music", "audio_to_audio", "stable-audio-2")),
    ],
)  # fmt: skip
def test_kind_of(endpoint: str, request_body: dict[str, str], kind: tuple[str, ...]) -> None:
    assert kind_of(endpoint, request_body) == kind


def test_bare_response_with_large_payload_is_sniffed_from_its_end(
    tmp_path: Path, read: Reader
) -> None:
    payload = base64.b64encode(bytes(range(256)) * 64).decode()  # 21,848 characters
    path = tmp_path / "result.json"
    path.write_text(f'{{"image": "{payload}", "finish_reason": "SUCCESS", "seed": 1}}')
    assert get("stability").sniff(path)
    gen = one(read("stability", "result.json", root=tmp_path))
    digest = _sha(bytes(range(256)) * 64)
    assert (gen.id, gen.model, gen.task, gen.seed) == (f"stability:{digest[:16]}", None, None, 1)


def test_running_job_and_unknown_finish(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "c.jsonl").write_text(
        '{"endpoint": "/v2beta/results/j1", "response": {"id": "j1", "status": "in-progress"}}\n'
        '{"endpoint": "/v2beta/stable-image/generate/core", "request": {}, '
        '"response": {"image": "eA==", "finish_reason": "MAYBE", "seed": 1}}\n'
    )
    items = read("stability", "c.jsonl", root=tmp_path)
    (running,) = (i for i in items if isinstance(i, Generation))
    assert (running.id, running.status, running.outputs) == ("stability:j1", Status.pending, [])
    assert [i.line() for i in items if isinstance(i, Reject)] == [
        "c.jsonl:2: response.finish_reason: unknown finish reason (allowed: CONTENT_FILTERED, "
        "ERROR, SUCCESS) (got 'MAYBE')",
    ]
    running = [i for i in items if isinstance(i, Generation)]
    assert [(g.id, g.status, g.outputs) for g in running] == [("stability:j1", "pending", [])]


def test_async_start_without_result_is_pending(tmp_path: Path, read: Reader) -> None:
    """The start answer ``{id}`` logged beside its request, no poll yet: work in progress."""
    (tmp_path / "c.jsonl").write_text(
        '{"endpoint": "/v2beta/image-to-video", "created_at": "2026-09-20T08:00:00Z", '
        '"request": {"seed": 7}, "response": {"id": "a1b2"}}\n'
    )
    (gen,) = read("stability", "c.jsonl", root=tmp_path)
    assert isinstance(gen, Generation)
    assert (gen.id, gen.status, gen.source_locator) == ("stability:a1b2", "pending", "1")

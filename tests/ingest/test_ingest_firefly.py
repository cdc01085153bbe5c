"""Adobe Firefly: call logs (request beside response) and bare responses."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from audit.base.models import AssetRef, Generation, Modality, Status
from audit.ingest._util import mtime_utc
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader, one

FILES = ("firefly/calls.jsonl", "firefly/response.json")


def _ingest(fixtures: Path) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=True)


def test_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "firefly/calls.jsonl": ("firefly", 2, 0, 1),
        "firefly/response.json": ("firefly", 1, 0, 0),
    }
    assert [r.line() for r in result.rejects] == [
        "firefly/calls.jsonl:3: response: request without its response: log both"
    ]


def test_two_variations_with_style_reference(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}["firefly:ff-req-0001"]
    assert gen.created_at == datetime(2026, 9, 23, 8, 0, tzinfo=UTC)
    assert (gen.modality, gen.task, gen.model) == (Modality.image, "text_to_image", None)
    assert (gen.width, gen.height, gen.outputs_count, gen.seed) == (2048, 2048, 2, None)
    assert gen.outputs == [
        "https://pre-signed-firefly.example/1.jpg",
        "https://pre-signed-firefly.example/2.jpg",
    ]
    assert gen.inputs == [AssetRef(uri="https://cdn.example/style.jpg", role="sref")]
    assert gen.attributes == {
        "content_class": "art", "seeds": "101|202", "num_variations": 2,
        "style_presets": "muted_color|watercolor", "request_id": "ff-req-0001",
    }  # fmt: skip


def test_structure_reference_without_request_id(fixtures: Path) -> None:
    (gen,) = [g for g in _ingest(fixtures).generations if g.source_locator == "2"]
    line = json.loads((fixtures / "firefly/calls.jsonl").read_text().splitlines()[1])
    text = json.dumps(line["response"], sort_keys=True, separators=(",", ":"))
    assert gen.id == "firefly:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    assert (gen.task, gen.seed, gen.width, gen.height) == ("image_to_image", 303, 1792, 2304)
    assert gen.inputs == [AssetRef(uri="firefly-upload:up-0077", role="image")]


def test_bare_response(fixtures: Path, read: Reader) -> None:
    gen = one(read("firefly", "firefly/response.json"))
    assert (gen.prompt, gen.seed, gen.width, gen.height) == (None, 9, 1024, 1024)
    assert gen.created_at == mtime_utc(fixtures / "firefly/response.json")
    assert gen.attributes == {"content_class": "photo", "created_at_source": "file_mtime"}


def _strict_one(tmp_path: Path, name: str, content: object) -> Generation:
    path = tmp_path / name
    path.write_text(json.dumps(content), encoding="utf-8")
    result = ingest_files(tmp_path, [path])  # strict: any reject would raise
    assert [f.adapter for f in result.files] == ["firefly"]
    (gen,) = result.generations
    return gen


def test_v3_synchronous_response(tmp_path: Path) -> None:
    """Firefly Services v3: ``version``, ``predictedContentClass`` and ``image.presignedUrl``
    (fields of the response as mikechambers/firefly-cl GenerateImageResponse.swift decodes it);
    values are our own."""
    response = {
        "version": "3.1.0",
        "size": {"width": 2048, "height": 2048},
        "predictedContentClass": "photo",
        "outputs": [
            {"seed": 1735, "image": {"id": "img-01", "presignedUrl": "https://ff.example/1.jpg"}}
        ],
        "promptHasDeniedWords": False,
        "promptHasBlockedArtists": True,
    }
    gen = _strict_one(tmp_path, "ff-v3.json", response)
    assert (gen.model_version, gen.seed, gen.width, gen.height) == ("3.1.0", 1735, 2048, 2048)
    assert gen.outputs == ["https://ff.example/1.jpg"]
    assert gen.attributes["content_class"] == "photo"
    assert gen.attributes["prompt_has_blocked_artists"] is True


def test_async_job_status_with_its_result(tmp_path: Path) -> None:
    """``{jobId, status, result: {size, outputs}}``: AsyncResponseV3 of Firefly-Services/
    firefly-services-sdk-js packages/firefly/oas/FFApiOpenApi3.json; values are our own."""
    job = {
        "jobId": "urn:ff:jobs:abc123:2f6c1d2e-0000-4000-8000-00000000aa01",
        "status": "succeeded",
        "result": {
            "size": {"width": 1792, "height": 1024},
            "outputs": [
                {"seed": 11, "image": {"url": "https://ff.example/a.jpg"}},
                {"seed": 12, "image": {"url": "https://ff.example/b.jpg"}},
            ],
            "contentClass": "art",
        },
    }
    gen = _strict_one(tmp_path, "status.json", job)
    assert gen.id == f"firefly:{job['jobId']}"
    assert (gen.width, gen.height, gen.outputs_count, gen.seed) == (1792, 1024, 2, None)
    assert gen.outputs == ["https://ff.example/a.jpg", "https://ff.example/b.jpg"]
    assert gen.attributes["seeds"] == "11|12"
    assert gen.attributes["job_id"] == job["jobId"]


def test_async_video_job_and_submit_answer(tmp_path: Path) -> None:
    video_job = {
        "jobId": "urn:ff:jobs:abc123:video-1",
        "status": "succeeded",
        "result": {
            "size": {"width": 1920, "height": 1080},
            "outputs": [{"seed": 646214641, "video": {"url": "https://ff.example/v.mp4"}}],
        },
    }
    gen = _strict_one(tmp_path, "video.json", video_job)
    assert (gen.modality, gen.task, gen.seed) == (Modality.video, "text_to_video", 646214641)
    submitted = {
        "jobId": "urn:ff:jobs:abc123:video-2",
        "statusUrl": "https://firefly-api.example/v3/status/urn:ff:jobs:abc123:video-2",
        "cancelUrl": "https://firefly-api.example/v3/cancel/urn:ff:jobs:abc123:video-2",
    }
    gen = _strict_one(tmp_path, "submitted.json", submitted)
    assert (gen.status, gen.outputs) == (Status.pending, [])


def test_answer_without_content_class(tmp_path: Path) -> None:
    """{version, size, outputs[{seed, image: {id, presignedUrl}}]} with no content class: the
    form mikechambers/firefly-cl firefly/api/responses/GenerateImageResponse.swift decodes
    (FireflyGenerateImageResponse: version, size, outputs); values are our own."""
    answer = {"version": "2.10.2", "size": {"width": 1024, "height": 1408},
              "outputs": [{"seed": 77, "image": {"id": "a1", "presignedUrl": "https://ff.example/p.jpg"}}]}  # fmt: skip
    gen = _strict_one(tmp_path, "answer.json", answer)
    assert (gen.model_version, gen.seed, gen.height) == ("2.10.2", 77, 1408)
    assert gen.outputs == ["https://ff.example/p.jpg"]

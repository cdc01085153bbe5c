"""Veo: Gemini API and Vertex AI operations joined with the request log by operation name."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import RecordError
from audit.base.models import AssetRef, Generation, Modality, Status
from audit.ingest._util import mtime_utc
from audit.ingest.base import Reject
from audit.ingest.veo import parse_name
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader

FILES = ("veo/requests.jsonl", "veo/operations.json")
VERTEX = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"


def _ingest(fixtures: Path, *, lenient: bool = True) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=lenient)


def test_join_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "veo/requests.jsonl": ("veo", 0, 2, 1),
        "veo/operations.json": ("veo", 3, 0, 0),
    }
    assert [r.line() for r in result.rejects] == [
        "veo/requests.jsonl:3: task_id: request without result: save the polled operation "
        "(done: true) into logs/veo/ (got 'models/veo-3.1-generate-preview/operations/op-gem-0009')"
    ]


def test_gemini_operation_joined(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}["veo:op-gem-0001"]
    assert (gen.platform, gen.model, gen.modality, gen.task) == (
        "veo", "veo-3.1-generate-preview", Modality.video, "image_to_video",
    )  # fmt: skip
    assert gen.created_at == datetime(2026, 9, 21, 10, 0, tzinfo=UTC)
    assert (gen.width, gen.height, gen.duration_s, gen.fps, gen.seed) == (1920, 1080, 8.0, 24.0, 77)
    assert (gen.prompt, gen.negative_prompt) == (
        "waves break on the lighthouse rocks", "text, watermark",
    )  # fmt: skip
    assert gen.inputs == [
        AssetRef(uri="gs://film-stills/sc03.png", role="image"),
        AssetRef(uri="gs://film-stills/sc03-end.png", role="image_tail"),
    ]
    # two samples asked, one filtered: one returned
    assert gen.outputs_count == 1
    assert gen.outputs == [
        "https://generativelanguage.example/v1beta/files/vid-0001:download?alt=media"
    ]
    assert gen.attributes == {
        "person_generation": "allow_adult", "aspect_ratio": "16:9", "resolution": "1080p",
        "sample_count": 2, "with_audio": True, "rai_filtered_count": 1,
        "rai_filtered_reasons": "Video was filtered: it may depict a real person.",
    }  # fmt: skip


def test_vertex_operation_with_references(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}[f"veo:{VERTEX}"]
    assert (gen.model, gen.task, gen.width, gen.height) == (
        "veo-3.0-generate-001", "reference_to_video", 720, 1280,
    )  # fmt: skip
    assert gen.inputs == [
        AssetRef(uri="gs://film-cast/keeper.png", role="subject_reference"),
        AssetRef(uri="gs://film-looks/etching.png", role="sref"),
    ]
    assert gen.outputs == ["gs://film-out/0b1c2d3e/sample_0.mp4"]
    assert gen.created_at == mtime_utc(Path(__file__).parent / "fixtures" / "veo/operations.json")
    assert gen.attributes["created_at_source"] == "file_mtime"


def test_failed_operation_without_request(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}["veo:op-gem-0002"]
    assert (gen.status, gen.model, gen.task, gen.outputs_count) == (
        Status.failed, "veo-2.0-generate-001", None, 0,
    )  # fmt: skip
    assert gen.attributes == {
        "created_at_source": "file_mtime", "error_code": 3,
        "error_message": "The prompt could not be submitted.",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("models/veo-2.0-generate-001/operations/abc", ("veo-2.0-generate-001", "abc")),
        (f"projects/p/locations/us-central1/publishers/google/models/veo-3.1-fast-generate-001/"
         f"operations/{VERTEX}", ("veo-3.1-fast-generate-001", VERTEX)),
    ],
)  # fmt: skip
def test_parse_name(name: str, parsed: tuple[str, str]) -> None:
    assert parse_name(name) == parsed


def test_bad_name_and_running_operation(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "ops.json").write_text(
        '[{"name": "models/veo-3.1-generate-preview/operations/op-1", "done": false}, '
        '{"name": "models/veo-3.1-generate-preview/operations/op-2", "done": true, '
        '"response": {"generateVideoResponse": {"generatedSamples": "none"}}}]'
    )
    items = read("veo", "ops.json", root=tmp_path)
    assert [i.line() for i in items if isinstance(i, Reject)] == [
        "ops.json:/1: response.generateVideoResponse.generatedSamples: expected list (got 'none')",
    ]
    running = [i for i in items if isinstance(i, Generation)]
    assert [(g.id, g.status, g.model) for g in running] == [
        ("veo:op-1", "pending", "veo-3.1-generate-preview")
    ]
    with pytest.raises(RecordError, match="expected '…models/veo-…/operations/<id>'"):
        parse_name("operations/op-1")


def test_operation_blocked_by_the_safety_filter_is_filtered(tmp_path: Path) -> None:
    """Every sample removed by the filter: ``generateVideoResponse`` holds only
    ``raiMediaFilteredCount`` and ``raiMediaFilteredReasons`` (fields of the API's
    GenerateVideoResponse, as documented in paragonsean/openapi-directory APIs/googleapis.com/
    aiplatform/v1beta1/java-client/docs/CloudAiLargeModelsVisionGenerateVideoResponse.md);
    the reason text below is written here, in the form users report it."""
    name = "models/veo-3.0-generate-001/operations/op-blocked-1"
    reason = (
        "Veo could not generate videos because the input image contains content that has been "
        "blocked by our safety filters. You will not be charged for blocked videos."
    )
    operation = {
        "name": name,
        "done": True,
        "response": {
            "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta."
            "PredictLongRunningResponse",
            "generateVideoResponse": {
                "raiMediaFilteredCount": 1,
                "raiMediaFilteredReasons": [reason],
            },
        },
    }
    request = {"operation": name, "created_at": "2026-09-20T08:00:00Z",
               "request": {"instances": [{"prompt": "a crowd at the harbour"}],
                           "parameters": {"durationSeconds": 8, "aspectRatio": "16:9"}}}  # fmt: skip
    (tmp_path / "ops.json").write_text(json.dumps(operation), encoding="utf-8")
    (tmp_path / "requests.jsonl").write_text(json.dumps(request) + "\n", encoding="utf-8")
    result = ingest_files(tmp_path, [tmp_path / "ops.json", tmp_path / "requests.jsonl"])
    (gen,) = result.generations
    assert gen.status == Status.filtered
    assert (gen.outputs, gen.outputs_count) == ([], 1)  # rendered, then filtered
    assert (gen.duration_s, gen.prompt) == (8.0, "a crowd at the harbour")
    assert gen.attributes["rai_filtered_count"] == 1
    assert "You will not be charged" in str(gen.attributes["rai_filtered_reasons"])
    assert gen.created_at == datetime(2026, 9, 20, 8, 0, tzinfo=UTC)


def test_some_samples_filtered_is_still_succeeded(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}["veo:op-gem-0001"]
    assert (gen.status, gen.attributes["rai_filtered_count"]) == (Status.succeeded, 1)


@pytest.mark.parametrize("case", ["snake_case", "camelCase"])
def test_google_genai_sdk_dumped_operation(tmp_path: Path, case: str) -> None:
    """An operation as the google-genai SDK dumps it (GenerateVideosOperation {name, metadata,
    done, error, response, result}; GenerateVideosResponse {generated_videos,
    rai_media_filtered_count, rai_media_filtered_reasons} in googleapis/python-genai
    google/genai/types.py, polled as google/genai/tests/models/test_generate_videos.py does)."""
    snake = case == "snake_case"
    videos, count = ("generated_videos", "rai_media_filtered_count") if snake else (
        "generatedVideos", "raiMediaFilteredCount",
    )  # fmt: skip
    mime = "mime_type" if snake else "mimeType"
    answer = {videos: [{"video": {"uri": "https://generativelanguage.example/files/v1:download",
                                  mime: "video/mp4"}}], count: None}  # fmt: skip
    operation = {"name": "models/veo-3.1-fast-generate-preview/operations/sdk-op-1",
                 "metadata": None, "done": True, "error": None,
                 "response": answer, "result": answer}  # fmt: skip
    (tmp_path / "op.json").write_text(json.dumps(operation), encoding="utf-8")
    (gen,) = ingest_files(tmp_path, [tmp_path / "op.json"]).generations
    assert (gen.id, gen.model, gen.status) == (
        "veo:sdk-op-1", "veo-3.1-fast-generate-preview", Status.succeeded,
    )  # fmt: skip
    assert gen.outputs == ["https://generativelanguage.example/files/v1:download"]
    blocked = {**operation, "response": {videos: None, count: 2,
                                         "rai_media_filtered_reasons": ["blocked"]}}  # fmt: skip
    del blocked["result"]
    (tmp_path / "op.json").write_text(json.dumps(blocked), encoding="utf-8")
    (gen,) = ingest_files(tmp_path, [tmp_path / "op.json"]).generations
    assert (gen.status, gen.outputs_count, gen.outputs) == (Status.filtered, 2, [])


def test_filtered_runs_are_counted_apart(tmp_path: Path) -> None:
    operation = {"name": "models/veo-3.0-generate-001/operations/op-f", "done": True,
                 "response": {"generateVideoResponse": {"raiMediaFilteredCount": 2}}}  # fmt: skip
    (tmp_path / "op.json").write_text(json.dumps(operation), encoding="utf-8")
    result = ingest_files(tmp_path, [tmp_path / "op.json"])
    assert (result.totals()["filtered"], result.totals()["accepted"]) == (1, 1)

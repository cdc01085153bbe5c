"""Runway: task objects joined with the request log by task id; the usage report as evidence."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import RecordError
from audit.base.models import AssetRef, Generation, Modality, Status
from audit.ingest.base import Reject
from audit.ingest.runway import vendor_of
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader

TASK = "7f3a0c1e-0000-4000-8000-00000000000"
FILES = (
    "runway/requests.jsonl",
    f"runway/tasks/{TASK}1.json",
    "runway/tasks/tasks.json",
    "runway/usage.json",
)


def _ingest(fixtures: Path, *, lenient: bool = True) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=lenient)


def test_join_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "runway/requests.jsonl": ("runway", 0, 3, 1),
        f"runway/tasks/{TASK}1.json": ("runway", 1, 0, 0),
        "runway/tasks/tasks.json": ("runway", 4, 0, 0),
        "runway/usage.json": ("runway", 0, 0, 0),
    }
    assert [r.line() for r in result.rejects] == [
        "runway/requests.jsonl:4: task_id: request without result: fetch GET /v1/tasks/<id> "
        f"into logs/runway/tasks/ (got '{TASK}9')"
    ]


def test_strict_mode_raises_on_request_without_task(fixtures: Path) -> None:
    with pytest.raises(RecordError, match=r"^runway/requests\.jsonl:4: task_id: request without"):
        _ingest(fixtures, lenient=False)


def test_image_to_video_joined(fixtures: Path) -> None:
    take = {g.id: g for g in _ingest(fixtures).generations}[f"runway:{TASK}1"]
    assert take.created_at == datetime(2026, 9, 20, 8, 0, 3, 120000, tzinfo=UTC)
    assert (take.model, take.modality, take.task) == (
        "gen4_turbo",
        Modality.video,
        "image_to_video",
    )
    assert (take.width, take.height, take.duration_s, take.seed) == (1280, 720, 5.0, 4242)
    assert take.prompt == "the keeper climbs the spiral stairs"
    assert take.inputs == [
        AssetRef(uri="https://cdn.runway.example/first.png", role="image"),
        AssetRef(uri="https://cdn.runway.example/last.png", role="image_tail"),
    ]
    assert take.outputs == ["https://dnznrvs05pmza.cloudfront.example/7f3a0001.mp4?sig=x"]
    assert take.attributes == {
        "public_figure_threshold": "low", "ratio": "1280:720",
        "usage_day_credits": 25.0, "usage_day_tasks": 1,
    }  # fmt: skip


def test_resold_model_failed_and_speech(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    veo = found[f"runway:{TASK}2"]
    assert (veo.model, veo.status, veo.outputs_count, veo.outputs) == (
        "veo3.1", Status.failed, 0, [],
    )  # fmt: skip
    assert (veo.width, veo.height, veo.duration_s) == (720, 1280, 8.0)
    assert veo.attributes == {
        "failure": "The prompt was flagged by moderation.", "failure_code": "SAFETY.INPUT.TEXT",
        "vendor": "google", "ratio": "720:1280", "usage_day_credits": 320.0, "usage_day_tasks": 1,
    }  # fmt: skip
    speech = found[f"runway:{TASK}3"]
    assert (speech.modality, speech.task, speech.prompt) == (
        Modality.speech, "text_to_speech", "Bonsoir, gardien.",
    )  # fmt: skip
    assert speech.attributes == {
        "vendor": "elevenlabs", "voice_preset": "Maya", "usage_day_credits": 2.0,
        "usage_day_tasks": 1,
    }  # fmt: skip


def test_tasks_without_request(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    image = found[f"runway:{TASK}4"]
    assert (image.model, image.modality, image.task, image.attributes) == (
        None, Modality.image, None, {},
    )  # fmt: skip
    cancelled = found[f"runway:{TASK}5"]
    assert (cancelled.status, cancelled.modality, cancelled.outputs_count) == (
        Status.cancelled, Modality.video, 0,
    )  # fmt: skip


def test_usage_report_alone_yields_nothing(fixtures: Path, read: Reader) -> None:
    assert read("runway", "runway/usage.json") == []


@pytest.mark.parametrize(
    ("model", "vendor"),
    [("veo3.1_fast", "google"), ("seedance2", "bytedance"), ("gen4.5", None), (None, None),
     ("gemini_omni_flash", "google"), ("act_two", None)],
)  # fmt: skip
def test_vendor_of(model: str | None, vendor: str | None) -> None:
    assert vendor_of(model) == vendor


def test_unfinished_task_and_bad_usage_row(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "t.json").write_text(
        '{"id": "t1", "status": "RUNNING", "createdAt": "2026-09-20T08:00:00Z", "progress": 0.4}'
    )
    (tmp_path / "u.json").write_text(
        '{"results": [{"date": "2026-09-20", "usedCredits": [{"model": "gen4_turbo", '
        '"amount": "lots"}]}]}'
    )
    items = read("runway", "u.json", "t.json", root=tmp_path)
    assert [i.line() for i in items if isinstance(i, Reject)] == [
        "u.json:/results/0: usedCredits.0.amount: expected a number (got 'lots')",
    ]
    running = [i for i in items if isinstance(i, Generation)]
    assert [(g.id, g.status) for g in running] == [("runway:t1", "pending")]


def test_request_with_unknown_endpoint(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "r.jsonl").write_text(
        '{"id": "t1", "endpoint": "/v1/image_to_video", "request": {"model": "gen4_turbo"}}\n'
        '{"id": "t2", "endpoint": "/v1/tasks", "request": {}}\n'
    )
    rejects = [i.line() for i in read("runway", "r.jsonl", root=tmp_path) if isinstance(i, Reject)]
    assert len(rejects) == 2
    assert rejects[0].startswith("r.jsonl:2: endpoint: unknown endpoint (allowed: /v1/")
    assert rejects[0].endswith("(got '/v1/tasks')")
    assert rejects[1].startswith("r.jsonl:1: task_id: request without result")


def _runway_files(tmp_path: Path, task: dict[str, object], line: dict[str, object]) -> IngestResult:
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "task.json").write_text(json.dumps(task), encoding="utf-8")
    (tmp_path / "requests.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    return ingest_files(tmp_path, [tmp_path / "requests.jsonl", tmp_path / "tasks" / "task.json"])


CREDIT_TASK = {"id": "9c2d0000-0000-4000-8000-0000000000c1", "status": "SUCCEEDED",
        "createdAt": "2026-09-22T09:00:00.000Z", "output": ["https://dnznrvs05pmza.example/v.mp4"]}  # fmt: skip
CREDIT_LINE = {"id": CREDIT_TASK["id"], "endpoint": "/v1/text_to_video",
        "request": {"model": "gen4.5", "promptText": "fog rolls in", "ratio": "1280:720",
                    "duration": 5}}  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "credits", "source"),
    [
        ({"cost": {"credits": 25}}, 25.0, "cost.credits"),
        ({"estimatedCost": 60}, 60.0, "estimatedCost"),
        ({"estimatedCost": {"credits": 12.5}}, 12.5, "estimatedCost"),
    ],
)
def test_task_credits(
    tmp_path: Path, extra: dict[str, object], credits: float, source: str
) -> None:
    (gen,) = _runway_files(tmp_path, {**CREDIT_TASK, **extra}, CREDIT_LINE).generations
    assert (gen.credits, gen.attributes["credits_source"]) == (credits, source)


def test_credits_estimated_by_the_create_answer(tmp_path: Path) -> None:
    """The create answer's ``routing.estimatedCost.credits`` (runwayml/sdk-python
    src/runwayml/types/generate/audio_create_response.py), logged beside the request."""
    routing = {"configId": "default", "model": "gen4.5", "provider": "runway",
               "estimatedCost": {"credits": 50}}  # fmt: skip
    line = {**CREDIT_LINE, "response": {"id": CREDIT_TASK["id"], "routing": routing}}
    (gen,) = _runway_files(tmp_path, CREDIT_TASK, line).generations
    assert (gen.credits, gen.attributes["credits_source"]) == (
        50.0, "response.routing.estimatedCost",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("code", "status"),
    [("SAFETY.OUTPUT.VIDEO", Status.filtered), ("SAFETY.INPUT.TEXT", Status.failed)],
)
def test_output_moderation_is_filtered(tmp_path: Path, code: str, status: Status) -> None:
    """A FAILED task (runwayml/sdk-python src/runwayml/types/task_retrieve_response.py: failure,
    failureCode): blocked after the run (SAFETY.OUTPUT.*) or refused before it (SAFETY.INPUT.*)."""
    task = {**CREDIT_TASK, "status": "FAILED", "output": None,
            "failure": "Content moderation", "failureCode": code}  # fmt: skip
    (gen,) = _runway_files(tmp_path, task, CREDIT_LINE).generations
    assert (gen.status, gen.outputs) == (status, [])

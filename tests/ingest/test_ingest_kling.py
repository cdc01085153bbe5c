"""Kling: task results joined with request logs by task_id or external_task_id."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.models import AssetRef, Generation, Modality, Status
from audit.ingest.base import Reject
from audit.ingest.kling import frame_size
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader

FILES = (
    "kling/requests.jsonl",
    "kling/tasks/870000000000000001.json",
    "kling/tasks/870000000000000002.json",
    "kling/tasks/results.jsonl",
)


def _ingest(fixtures: Path) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=True)


def test_join_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "kling/requests.jsonl": (0, 3, 1),
        "kling/tasks/870000000000000001.json": (1, 0, 0),
        "kling/tasks/870000000000000002.json": (1, 0, 0),
        "kling/tasks/results.jsonl": (2, 0, 0),
    }
    assert [r.line() for r in result.rejects] == [
        "kling/requests.jsonl:4: task_id: request without result: fetch GET "
        "/v1/videos/<endpoint>/<task_id> into logs/kling/tasks/ (got '870000000000000009')"
    ]


def test_image_to_video_pro_with_sound(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    take = found["kling:870000000000000001"]
    assert take.created_at == datetime(2026, 9, 20, 8, 0, tzinfo=UTC)
    assert (take.model, take.modality, take.task) == (
        "kling-v2-6",
        Modality.video,
        "image_to_video",
    )
    assert (take.width, take.height) == (1920, 1080)
    assert take.duration_s == pytest.approx(5.1)
    assert (take.shot_tag, take.status, take.outputs_count) == (
        "SC01_SH010-t01",
        Status.succeeded,
        1,
    )
    assert take.outputs == ["https://cdn.klingai.example/870000000000000001.mp4"]
    assert take.inputs == [
        AssetRef(uri="https://cdn.magnific.example/mag-0001.png", role="image"),
        AssetRef(uri="https://cdn.magnific.example/tail.png", role="image_tail"),
    ]
    assert (take.prompt, take.negative_prompt) == (
        "slow push-in towards the lighthouse",
        "blurry, text",
    )
    assert take.attributes == {
        "mode": "pro", "aspect_ratio": "16:9", "with_audio": True, "request_id": "req-0001",
        "elapsed_s": 210.0,
    }  # fmt: skip
    assert take.source_locator == "/data"


def test_failed_take_joined_by_external_id(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    failed = found["kling:870000000000000002"]
    assert (failed.status, failed.outputs, failed.outputs_count) == (Status.failed, [], 0)
    assert (failed.width, failed.height) == (1280, 720)
    assert failed.duration_s == pytest.approx(10.0)
    assert failed.attributes["with_audio"] is False
    assert failed.attributes["task_status_msg"] == "content moderation"


def test_bare_body_text_to_video_and_result_alone(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    portrait = found["kling:870000000000000003"]
    assert (portrait.task, portrait.width, portrait.height) == ("text_to_video", 720, 1280)
    assert (portrait.model, portrait.source_locator) == ("kling-v2-1-master", "1")
    alone = found["kling:870000000000000004"]
    assert (alone.model, alone.task, alone.width, alone.shot_tag) == (None, None, None, None)
    assert alone.duration_s == pytest.approx(10.0)
    assert alone.created_at == datetime(2026, 9, 23, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("mode", "ratio", "size"),
    [
        ("pro", "16:9", (1920, 1080)),
        ("std", "16:9", (1280, 720)),
        ("pro", "1:1", (1080, 1080)),
        ("4k", "16:9", (3840, 2160)),
        ("std", "4:3", (960, 720)),
        ("std", "9:16", (720, 1280)),
        (None, "16:9", (None, None)),
        ("pro", None, (None, None)),
        ("pro", "wide", (None, None)),
        ("pro", "0:9", (None, None)),
    ],
)
def test_frame_size(mode: str | None, ratio: str | None, size: tuple[int | None, ...]) -> None:
    assert frame_size(mode, ratio) == size


def test_api_error_without_data(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "err.json").write_text('{"code": 1102, "message": "balance not enough"}')
    (item,) = read("kling", "err.json", root=tmp_path)
    assert isinstance(item, Reject)
    assert item.line() == "err.json:/data: data: API error 1102: 'balance not enough', no data"


def test_task_in_progress_is_pending(tmp_path: Path, read: Reader) -> None:
    """The create response (shape seen in yllipetrovci/magicbook-nextjs lib/klingai.ts: ``code``
    0, ``data.task_status`` ``submitted`` or ``processing``, empty ``task_info``, ms times)."""
    (tmp_path / "t.json").write_text(
        '{"code": 0, "message": "SUCCEED", "request_id": "r-9", "data": {"task_id": "9", '
        '"task_status": "submitted", "task_info": {}, "created_at": 1789894800000, '
        '"updated_at": 1789894800000}}'
    )
    (item,) = read("kling", "t.json", root=tmp_path)
    assert isinstance(item, Generation)
    assert (item.id, item.status, item.outputs) == ("kling:9", "pending", [])


def test_unknown_task_status_is_rejected(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "t.json").write_text(
        '{"code": 0, "data": {"task_id": "9", "task_status": "paused", "created_at": 1}}'
    )
    (item,) = read("kling", "t.json", root=tmp_path)
    assert isinstance(item, Reject)
    assert item.line() == (
        "t.json:/data: data.task_status: unknown task status (allowed: failed, processing, "
        "submitted, succeed) (got 'paused')"
    )


def test_shot_tag_from_the_request_when_the_result_omits_it(tmp_path: Path) -> None:
    """A task result without task_info (issue 15): the take's name comes from the request's
    external_task_id, joined by task_id (shape of the Kling request body, docs/platforms.md)."""
    logs = tmp_path / "kling"
    (logs / "tasks").mkdir(parents=True)
    request = (
        '{"task_id": "870000000000000077", "endpoint": "/v1/videos/image2video", "body": '
        '{"model_name": "kling-v2-6", "mode": "std", "prompt": "fog", "external_task_id": '
        '"SC04_SH020_take2"}}\n'
    )
    (logs / "requests.jsonl").write_text(request, encoding="utf-8")
    result = (
        '{"code": 0, "message": "SUCCEED", "data": {"task_id": "870000000000000077", '
        '"task_status": "succeed", "task_result": {"videos": []}, "created_at": 1789894800000}}'
    )
    (logs / "tasks" / "870000000000000077.json").write_text(result, encoding="utf-8")
    paths = [logs / "requests.jsonl", logs / "tasks" / "870000000000000077.json"]
    (gen,) = ingest_files(tmp_path, paths).generations
    assert gen.shot_tag == "SC04_SH020_take2"


def test_list_query_response_one_record_per_task(tmp_path: Path) -> None:
    """``GET /v1/videos/text2video?pageNum=1&pageSize=30`` answers ``{code, message, request_id,
    data: [task, ...]}`` (pagination of a Kling tasks route in public clients; task fields as
    cuijinyu/new-api web/src/pages/Documentation/content/kling-multi-image-video-status.md
    lists them); values are our own."""
    page = {
        "code": 0, "message": "SUCCEED", "request_id": "req-list-1",
        "data": [
            {"task_id": "880000000000000001", "task_status": "succeed",
             "task_result": {"videos": [{"id": "v1", "url": "https://cdn.kling.example/1.mp4",
                                         "duration": "5.1"}]},
             "created_at": 1789891200000, "updated_at": 1789891410000},
            {"task_id": "880000000000000002", "task_status": "processing",
             "created_at": 1789891300000, "updated_at": 1789891300000},
        ],
    }  # fmt: skip
    path = tmp_path / "tasks-page-1.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    result = ingest_files(tmp_path, [path])  # strict
    found = {g.id: g for g in result.generations}
    done = found["kling:880000000000000001"]
    assert (done.source_locator, done.duration_s) == ("/data/0", 5.1)
    assert done.outputs == ["https://cdn.kling.example/1.mp4"]
    assert found["kling:880000000000000002"].status == Status.pending

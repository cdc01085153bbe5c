"""Suno through the unofficial API relays: task wrappers, flat clips, ownership as plan evidence.

Shapes (test data written here, not copied): the relay fetch response ``{code, message, data:
{task_id, action, status, fail_reason, submit_time, ..., data: [clips]}}`` as parsed in
Foodie05/dart_suno ``test/`` (its clips carry ``ownership.ownership_reason: "subscribed"``), task
statuses and actions of Suno-API/Suno-API ``entity/po/task.go`` (NOT_START, SUBMITTED, QUEUED,
IN_PROGRESS, FAILURE, SUCCESS; MUSIC, LYRICS), the flat clip of gcui-art/suno-api
``src/lib/SunoApi.ts`` (``AudioInfo``: lyric, tags, duration as text), and the callback of
sunoapi.org-style relays ``{code, msg, data: {callbackType, task_id, data: [{id, audio_url,
prompt, model_name, title, tags, createTime, duration}]}}`` (yanghaemi/capstoneDesign_HEJZ
``HEJZ_back/src/main/java/com/HEJZ/HEJZ_back/dto/SunoResponse.java``; createTime as
"YYYY-MM-DD hh:mm:ss" or Unix milliseconds in other captures), and its record-info answer
``{code, msg, data: {taskId, param, response: {taskId, sunoData: [{id, audioUrl, modelName,
createTime, ...}]}, status, errorMessage}}`` (gunmaProgramingAward/myakuRism
``app/src/main/java/com/example/myaku_rismu/domain/model/SunoTaskDetailsAppModel.kt``; statuses
PENDING, TEXT_SUCCESS, FIRST_SUCCESS, SUCCESS, CREATE_TASK_FAILED, GENERATE_AUDIO_FAILED,
CALLBACK_EXCEPTION, SENSITIVE_WORD_ERROR as documented by clients of that relay).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.models import Modality, Status
from audit.ingest.base import Merged, Reject
from tests.ingest.ingest_support import FIXTURES, GenIndex, Reader
from tests.ingest.test_ingest_sniff import claimants

TASK = "7a1e0c55-0000-4000-8000-00000000aa01"
CLIP = "c0000003-0000-4000-8000-000000000001"


def test_relay_fetch_response(read: Reader, gens: GenIndex) -> None:
    items = read("suno", "suno/relay-fetch.json")
    found = gens(items)
    assert len(items) == len(found) == 2
    clip = found[f"suno:{CLIP}"]
    assert clip.source_locator == "/data/data/0"
    assert (clip.status, clip.modality, clip.model) == (
        Status.succeeded,
        Modality.music,
        "chirp-v4",
    )
    assert clip.created_at == datetime(2026, 9, 15, 8, 20, 3, 512000, tzinfo=UTC)
    assert clip.duration_s == pytest.approx(142.6)
    assert (
        clip.prompt
        == "sea shanty, accordion, male choir\n[Verse]\nThe lamp turns slow above the swell"
    )
    assert clip.attributes["ownership_reason"] == "subscribed"
    assert clip.attributes["task_id"] == TASK
    streaming = found["suno:c0000003-0000-4000-8000-000000000002"]
    assert (streaming.status, streaming.source_locator) == (Status.pending, "/data/data/1")


def test_relay_tasks_without_clips(read: Reader, gens: GenIndex) -> None:
    found = gens(read("suno", "suno/relay-tasks.json"))
    failed = found["suno:task:7a1e0c55-0000-4000-8000-00000000aa02"]
    assert (failed.status, failed.outputs_count) == (Status.failed, 0)
    assert failed.attributes["fail_reason"] == "prompt flagged by moderation"
    assert failed.created_at == datetime.fromtimestamp(1789466400, tz=UTC)
    running = found[f"suno:task:{TASK}"]
    assert (running.status, running.source_locator) == (Status.pending, "/data/1")
    lyrics = found["suno:task:7a1e0c55-0000-4000-8000-00000000aa03"]
    assert (lyrics.modality, lyrics.task, lyrics.status) == (
        Modality.text,
        "lyrics",
        Status.succeeded,
    )


def test_running_task_folds_into_its_clips_fetched_later(read: Reader) -> None:
    items = read("suno", "suno/relay-tasks.json", "suno/relay-fetch.json")
    merged = [item for item in items if isinstance(item, Merged)]
    assert merged == [Merged("suno/relay-tasks.json", "/data/1", f"suno:{CLIP}")]


def test_relay_task_status_success_without_clips_is_refused(tmp_path: Path, read: Reader) -> None:
    doc = {"code": "success", "data": {"task_id": "t9", "action": "MUSIC", "status": "SUCCESS",
                                       "submit_time": 1789462800, "data": []}}  # fmt: skip
    (tmp_path / "r.json").write_text(json.dumps(doc))
    (item,) = read("suno", "r.json", root=tmp_path)
    assert isinstance(item, Reject)
    assert item.line().startswith("r.json:/data: status: relay task status without clips")


def test_gcui_flat_clip(read: Reader, gens: GenIndex) -> None:
    (clip,) = gens(read("suno", "suno/gcui-clips.json")).values()
    assert (
        clip.prompt
        == "a foggy harbour ballad\nfolk ballad, fiddle\n[Verse]\nFog rolls over the rocks"
    )
    assert (clip.negative_prompt, clip.duration_s) == ("drums", pytest.approx(121.04))
    assert clip.attributes == {"title": "Brume", "tags": "folk ballad, fiddle"}


def test_relay_callback(read: Reader, gens: GenIndex) -> None:
    found = gens(read("suno", "suno/relay-callback.json"))
    done = found["suno:c0000005-0000-4000-8000-000000000001"]
    assert (done.status, done.model, done.duration_s) == (Status.succeeded, "chirp-v4-5", 176.3)
    assert done.created_at == datetime(2026, 9, 19, 7, 30, tzinfo=UTC)
    assert done.attributes["task_id"] == "5d2b****0001"
    rendering = found["suno:c0000005-0000-4000-8000-000000000002"]
    assert rendering.status == Status.pending  # "first": its audio is not there yet
    assert rendering.created_at == datetime.fromtimestamp(1789803000, tz=UTC)


def test_relay_record_info(read: Reader, gens: GenIndex) -> None:
    (clip,) = gens(read("suno", "suno/relay-record-info.json")).values()
    assert (clip.id, clip.status, clip.model) == (
        "suno:c0000006-0000-4000-8000-000000000001", Status.succeeded, "chirp-auk",
    )  # fmt: skip
    assert clip.source_locator == "/data/response/sunoData/0"
    assert clip.outputs == ["https://cdn.example.org/c0000006-0000-4000-8000-000000000001.mp3"]
    assert clip.created_at == datetime(2026, 9, 20, 6, tzinfo=UTC)
    assert clip.attributes["task_id"] == "7c1d****0002"


@pytest.mark.parametrize(
    ("status", "expected"),
    [("PENDING", Status.pending), ("TEXT_SUCCESS", Status.pending),
     ("SENSITIVE_WORD_ERROR", Status.failed)],
)  # fmt: skip
def test_record_info_without_clips(
    tmp_path: Path, read: Reader, gens: GenIndex, status: str, expected: Status
) -> None:
    doc = {"code": 200, "msg": "success", "data": {"taskId": "t7", "status": status,
           "response": None, "errorMessage": None}}  # fmt: skip
    (tmp_path / "r.json").write_text(json.dumps(doc))
    assert claimants(tmp_path / "r.json") == []  # nothing in it names Suno
    (task,) = gens(read("suno", "r.json", root=tmp_path)).values()
    assert (task.id, task.status) == ("suno:task:t7", expected)
    assert task.attributes["created_at_source"] == "file_mtime"  # no time in the record


@pytest.mark.parametrize(
    "name",
    ["relay-fetch.json", "relay-tasks.json", "gcui-clips.json", "relay-callback.json",
     "relay-record-info.json"],
)  # fmt: skip
def test_relay_files_claimed_by_suno_only(name: str) -> None:
    assert claimants(FIXTURES / "suno" / name) == ["suno"]

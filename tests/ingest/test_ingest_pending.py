"""Work in progress: create responses saved before the result are pending generations, merged with
the finished record of the same id when it is there, never a fatal reject (issue 17).

The records are written here in the shapes seen in public code (never copied):
- Kling: yllipetrovci/magicbook-nextjs ``lib/klingai.ts`` (create response mock: ``code`` 0,
  ``data.task_status`` ``submitted``, empty ``task_info``, ms ``created_at``/``updated_at``);
- Suno: gcui-art/suno-api ``src/lib/SunoApi.ts`` (``generate`` returns the clips of
  ``POST /api/generate/v2/`` with ``status`` ``submitted`` and an empty ``audio_url``);
- Magnific (Freepik): mtzyw/freepikapi ``freepik文档/image-upscaler.md`` (the POST answer
  ``{data: {generated: [], task_id, status: IN_PROGRESS}}``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.ingest import canonical
from audit.ingest.walk import RUN_FLAG, ingest_files

KLING_SUBMITTED = {
    "code": 0, "message": "SUCCEED", "request_id": "req-0001",
    "data": {"task_id": "8200000000000000001", "task_status": "submitted", "task_info": {},
             "created_at": 1789894800000, "updated_at": 1789894800000},
}  # fmt: skip
KLING_DONE = {
    "code": 0, "message": "SUCCEED", "request_id": "req-0002",
    "data": {"task_id": "8200000000000000001", "task_status": "succeed", "task_info": {},
             "task_result": {"videos": [{"id": "v1", "url": "https://cdn.example/v1.mp4",
                                         "duration": "5.1"}]},
             "created_at": 1789894800000, "updated_at": 1789895100000},
}  # fmt: skip


def _write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_strict_run_completes_with_a_task_in_progress(tmp_path: Path) -> None:
    path = _write(tmp_path, "kling/create.json", KLING_SUBMITTED)
    result = ingest_files(tmp_path, [path])
    (gen,) = result.generations
    assert (gen.id, gen.status, gen.outputs_count) == ("kling:8200000000000000001", "pending", 1)
    assert gen.attributes[RUN_FLAG] is True
    assert result.totals()["accepted"] == 1


def test_finished_record_replaces_the_pending_one(tmp_path: Path) -> None:
    """The create response is read first (path order); the result of the same id wins and keeps
    its own outputs; the pending flag does not travel to it."""
    paths = [
        _write(tmp_path, "kling/a-create.json", KLING_SUBMITTED),
        _write(tmp_path, "kling/b-result.json", KLING_DONE),
    ]
    result = ingest_files(tmp_path, paths)
    (gen,) = result.generations
    assert (gen.status, gen.outputs, gen.duration_s) == (
        "succeeded", ["https://cdn.example/v1.mp4"], 5.1,
    )  # fmt: skip
    assert RUN_FLAG not in gen.attributes
    files = {f.name: (f.accepted, f.merged) for f in result.files}
    assert files == {"kling/a-create.json": (1, 0), "kling/b-result.json": (0, 1)}


def test_suno_clips_just_submitted(tmp_path: Path) -> None:
    clip = {
        "id": "5a1d0000-0000-4000-8000-00000000000{}", "status": "submitted", "audio_url": "",
        "model_name": "chirp-v3-5", "created_at": "2026-09-12T09:00:00.000Z",
        "metadata": {"tags": "sea shanty", "prompt": "", "type": "gen", "duration": None},
    }  # fmt: skip
    clips = [{**clip, "id": clip["id"].format(k)} for k in (1, 2)]
    path = _write(tmp_path, "suno/create.json", {"id": "batch-1", "clips": clips})
    result = ingest_files(tmp_path, [path])
    assert [(g.status, g.outputs, g.outputs_count) for g in result.generations] == [
        ("pending", [], 1), ("pending", [], 1),
    ]  # fmt: skip


def test_magnific_upscale_in_progress(tmp_path: Path) -> None:
    answer = {"data": {"generated": [], "task_id": "046b0000-0000-4000-8000-000000000001",
                       "status": "IN_PROGRESS"}}  # fmt: skip
    path = _write(tmp_path, "magnific/start.json", answer)
    (gen,) = ingest_files(tmp_path, [path]).generations
    assert (gen.platform, gen.status, gen.outputs_count) == ("magnific", "pending", 1)


def test_an_unknown_status_is_still_rejected(tmp_path: Path) -> None:
    data = {**KLING_SUBMITTED, "data": {**KLING_SUBMITTED["data"], "task_status": "paused"}}
    path = _write(tmp_path, "kling/odd.json", data)
    result = ingest_files(tmp_path, [path], lenient=True)
    assert [r.line() for r in result.rejects] == [
        "kling/odd.json:/data: data.task_status: unknown task status (allowed: failed, "
        "processing, submitted, succeed) (got 'paused')"
    ]


def test_canonical_pending_rows_are_flagged_by_both_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand-logged row with status pending is flagged as estimated ahead of its result, also
    when a large CSV is read column by column."""
    monkeypatch.setattr(canonical, "COLUMN_READER_MIN_BYTES", 0)
    path = tmp_path / "journal.csv"
    path.write_text(
        "id,platform,modality,created_at,status\n"
        "kling:a,kling,video,2026-09-01T10:00:00Z,pending\n"
        "kling:b,kling,video,2026-09-01T10:01:00Z,succeeded\n",
        encoding="utf-8",
    )
    found = {g.id: g for g in ingest_files(tmp_path, [path]).generations}
    assert found["kling:a"].attributes == {RUN_FLAG: True}
    assert found["kling:b"].attributes == {}


def test_sora_create_answer_saved_alone(tmp_path: Path) -> None:
    """``POST /v1/videos`` answers the video object still ``queued`` (statuses queued,
    in_progress, completed, failed as listed in ex-takashima/openai-sora2-mcp-server
    ``docs/sora2-api-specification.md``); saved alone it is a pending 8-second video."""
    answer = {"id": "video_0000000000000000000000000000000000000000000000a1", "object": "video",
              "created_at": 1789894800, "status": "queued", "model": "sora-2-pro",
              "progress": 0, "seconds": "8", "size": "1280x720"}  # fmt: skip
    path = _write(tmp_path, "openai/create.json", answer)
    (gen,) = ingest_files(tmp_path, [path]).generations
    assert (gen.status, gen.model, gen.duration_s, gen.width, gen.height) == (
        "pending", "sora-2-pro", 8.0, 1280, 720,
    )  # fmt: skip
    assert (gen.outputs, gen.outputs_count) == ([], 1)

"""Udio: song JSON of community clients; extensions as parents."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.models import Modality, Status
from audit.ingest._util import mtime_utc
from audit.ingest.walk import IngestResult, ingest_files

FILES = ("udio/songs.json", "udio/song.json")


def _ingest(fixtures: Path) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=True)


def test_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {"udio/songs.json": ("udio", 3, 0, 0), "udio/song.json": ("udio", 1, 0, 0)}
    assert not result.rejects
    unfinished = [g for g in result.generations if g.source_locator == "/songs/2"]
    assert [g.status for g in unfinished] == ["pending"]


def test_song_and_extension(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    song = found["udio:u-0001"]
    assert song.created_at == datetime(2026, 9, 25, 10, 0, tzinfo=UTC)
    assert (song.modality, song.task, song.seed, song.duration_s) == (
        Modality.music, "text_to_music", 1234, 32.7,
    )  # fmt: skip
    assert (song.prompt, song.lyrics) == ("sea shanty, accordion, male choir", "Hisse la voile")
    assert song.outputs == ["https://storage.udio.example/u-0001.mp3"]
    assert song.attributes == {"title": "Phare"}
    extension = found["udio:u-0002"]
    assert (extension.task, extension.seed, extension.parent_ids) == (
        "continuation", None, ["udio:u-0001"],
    )  # fmt: skip
    assert extension.attributes == {
        "title": "Phare (extended)", "audio_conditioning_type": "continuation",
        "crop_start_time": 30,
    }  # fmt: skip


def test_song_without_time(fixtures: Path) -> None:
    song = {g.id: g for g in _ingest(fixtures).generations}["udio:u-0004"]
    assert song.created_at == mtime_utc(fixtures / "udio/song.json")
    assert song.attributes == {"title": "Brume", "created_at_source": "file_mtime"}


#: A relay's task, shaped as simplysparsh/BabyMusic-AI udio_api.md shows PiAPI's Get Task answer
#: ({task_id, status, output: {songs: [{id, song_path, title, lyrics, image_path, duration}]}})
#: and its music-u task input (gpt_description_prompt, lyrics_type, negative_tags, seed), with
#: the task's ``meta.created_at``; values are our own.
RELAY_TASK = {
    "task_id": "9b2e61f0-5d7c-4a8e-b1f2-3c4d5e6f7a80",
    "model": "music-u",
    "task_type": "generate_music",
    "status": "completed",
    "input": {"gpt_description_prompt": "sea shanty, accordion", "lyrics_type": "generate",
              "negative_tags": "", "seed": -1},
    "output": {"songs": [
        {"id": "ud-a1", "title": "Phare", "song_path": "https://storage.udio.example/ud-a1.mp3",
         "lyrics": "[Verse]\nHisse la voile", "image_path": "https://storage.udio.example/a1.jpg",
         "duration": 130.5, "tags": ["sea shanty", "accordion"], "finished": True},
        {"id": "ud-a2", "title": "Phare", "song_path": "https://storage.udio.example/ud-a2.mp3",
         "lyrics": "[Verse]\nHisse la voile", "duration": 131.0, "finished": True},
    ]},
    "meta": {"created_at": "2026-09-25T10:00:00Z", "ended_at": "2026-09-25T10:02:10Z"},
}  # fmt: skip


def _task_file(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "task.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


@pytest.mark.parametrize("wrap", ["bare", "code+data", "webhook"])
def test_relay_task_songs_dated_by_the_task(tmp_path: Path, wrap: str) -> None:
    content: dict[str, object] = RELAY_TASK
    prefix = ""
    if wrap != "bare":
        content = {"code": 200, "data": RELAY_TASK, "message": "success"}
        content = content if wrap == "code+data" else {"data": RELAY_TASK}
        prefix = "/data"
    result = ingest_files(tmp_path, [_task_file(tmp_path, content)])  # strict
    assert [(f.adapter, f.accepted, f.rejected) for f in result.files] == [("udio", 2, 0)]
    found = {g.id: g for g in result.generations}
    song = found["udio:ud-a1"]
    assert song.source_locator == f"{prefix}/output/songs/0"
    assert song.created_at == datetime(2026, 9, 25, 10, 0, tzinfo=UTC)
    assert song.attributes["created_at_source"] == "task.meta.created_at"
    assert (song.prompt, song.lyrics) == ("sea shanty, accordion", "[Verse]\nHisse la voile")
    assert (song.duration_s, song.outputs) == (130.5, ["https://storage.udio.example/ud-a1.mp3"])
    assert song.attributes["tags"] == "accordion|sea shanty"
    assert song.attributes["task_id"] == RELAY_TASK["task_id"]
    assert song.attributes["relay_model"] == "music-u"
    assert found["udio:ud-a2"].source_locator == f"{prefix}/output/songs/1"


def test_relay_task_with_user_lyrics_keeps_them_apart(tmp_path: Path) -> None:
    task = {**RELAY_TASK, "input": {"prompt": "[Verse]\nLa mer monte", "lyrics_type": "user",
                                    "gpt_description_prompt": "slow folk"},
            "output": {"songs": [{"id": "ud-b1", "song_path": "https://s.example/b1.mp3"}]}}  # fmt: skip
    (song,) = ingest_files(tmp_path, [_task_file(tmp_path, task)]).generations
    assert (song.prompt, song.lyrics) == ("slow folk", "[Verse]\nLa mer monte")


def test_running_and_failed_relay_tasks(tmp_path: Path) -> None:
    running = {**RELAY_TASK, "status": "processing", "output": {"songs": []}}
    path = _task_file(tmp_path, running)
    (gen,) = ingest_files(tmp_path, [path]).generations  # strict: not fatal
    assert (gen.id, gen.status, gen.outputs) == (
        f"udio:task-{RELAY_TASK['task_id']}", Status.pending, [],
    )  # fmt: skip
    failed = {**RELAY_TASK, "status": "failed", "output": None,
              "error": {"code": 10000, "message": "song generation failed"}}  # fmt: skip
    (gen,) = ingest_files(tmp_path, [_task_file(tmp_path, failed)]).generations
    assert (gen.status, gen.attributes["error"]) == (Status.failed, "song generation failed")

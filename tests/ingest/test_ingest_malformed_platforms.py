"""Broken records of the platforms added with Runway, OpenAI, Veo...: one clear line naming file,
locator and field, raised in strict mode and collected in lenient mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.base.errors import RecordError
from audit.ingest.walk import ingest_files

# (file name, content, adapter that claims it, the line)
CASES = [
    pytest.param(
        "task.json",
        '{"id": "t", "status": "SUCCEEDED", "createdAt": "yesterday"}',
        "runway",
        "task.json:/: createdAt: expected a date-time (ISO 8601, RFC 1123/2822, Unix s/ms or EXIF) (got 'yesterday')",
        id="runway-time",
    ),
    pytest.param(
        "video.json",
        '{"id": "video_1", "object": "video", "status": "completed", "created_at": 1, '
        '"size": "big"}',
        "openai",
        "video.json:/: size: expected a size like '1280x720' (got 'big')",
        id="openai-size",
    ),
    pytest.param(
        "op.json",
        '{"name": "models/veo-3.1-generate-preview/operations/o1", "done": "yes"}',
        "veo",
        "op.json:/: done: expected bool (got 'yes')",
        id="veo-done",
    ),
    pytest.param(
        "gen.json",
        '{"id": "g", "state": "completed", "generation_type": "video", "created_at": '
        '"2026-09-22T08:00:00Z", "request": {"resolution": "HD"}}',
        "luma",
        "gen.json:/: request.resolution: expected a resolution like '720p' (got 'HD')",
        id="luma-resolution",
    ),
    pytest.param(
        "status.json",
        '[{"id": 5, "status": "finished", "url": "u", "progress": 100}]',
        "pika",
        "status.json:/0: id: expected str (got 5)",
        id="pika-id",
    ),
    pytest.param(
        "query.json",
        '{"task_id": "1", "status": "Success", "file_id": true, "base_resp": {}}',
        "minimax",
        "query.json:/: file_id: expected a string or a whole number (got True)",
        id="minimax-file-id",
    ),
    pytest.param(
        "ff.json",
        '{"size": {"width": 1, "height": 1}, "outputs": [{"seed": "abc"}], "contentClass": "art"}',
        "firefly",
        "ff.json:/: outputs.0.seed: expected a number (got 'abc')",
        id="firefly-seed",
    ),
    pytest.param(
        "calls.jsonl",
        '{"endpoint": "/v2beta/stable-image/generate/core", "request": {"prompt": "x"',
        "stability",
        "calls.jsonl:1: file: invalid JSON: Expecting ',' delimiter",
        id="stability-truncated",
    ),
    pytest.param(
        "songs.json",
        '{"songs": [{"id": "u", "song_path": "u.mp3", "finished": "yes"}]}',
        "udio",
        "songs.json:/songs/0: finished: expected bool (got 'yes')",
        id="udio-finished",
    ),
]


@pytest.mark.parametrize(("name", "data", "adapter", "line"), CASES)
def test_strict_raises_one_line(
    tmp_path: Path, name: str, data: str, adapter: str, line: str
) -> None:
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        ingest_files(tmp_path, [path])
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(line)


@pytest.mark.parametrize(("name", "data", "adapter", "line"), CASES)
def test_lenient_collects(tmp_path: Path, name: str, data: str, adapter: str, line: str) -> None:
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    result = ingest_files(tmp_path, [path], lenient=True)
    (report,) = result.files
    assert (report.adapter, report.accepted, report.rejected) == (adapter, 0, 1)
    (reject,) = result.rejects
    assert reject.line().startswith(line)

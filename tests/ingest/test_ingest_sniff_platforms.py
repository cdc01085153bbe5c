"""Near misses: records that look alike across platforms are claimed by exactly the right adapter
(or by none), whatever order the registry tries them in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.test_ingest_sniff import claimants

# fmt: off
CASES: dict[str, tuple[str, list[str]]] = {
    "runway-task.json": (
        '{"id": "t1", "status": "SUCCEEDED", "createdAt": "2026-09-20T08:00:00Z", "output": []}',
        ["runway"]),
    "runway-reselling-kling.jsonl": (
        '{"id": "t2", "endpoint": "/v1/image_to_video", "request": {"model": "kling2.5_turbo", '
        '"promptText": "x", "ratio": "1280:720"}}', ["runway"]),
    "kling-request.jsonl": (
        '{"task_id": "1", "endpoint": "/v1/videos/image2video", "body": {"model_name": '
        '"kling-v2-6", "prompt": "x"}}', ["kling"]),
    "runway-usage.json": ('{"results": [{"date": "2026-09-20", "usedCredits": []}]}', ["runway"]),
    "sora-queued.json": (
        '{"id": "video_1", "object": "video", "status": "queued", "progress": 0}', ["openai"]),
    "sora-list.json": ('{"object": "list", "data": [{"id": "video_1", "object": "video"}]}',
                       ["openai"]),
    "images-response.json": ('{"created": 1, "data": [{"b64_json": "eA=="}]}', ["openai"]),
    "chat-completion.json": (
        '{"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "choices": '
        '[{"finish_reason": "stop", "message": {"content": "hi"}}]}', []),
    "veo-op.json": ('{"name": "models/veo-2.0-generate-001/operations/x", "done": true}',
                    ["veo"]),
    "imagen-op.json": ('{"name": "models/imagen-4.0/operations/x", "done": true}', []),
    "luma.json": ('{"id": "g", "state": "completed", "generation_type": "image"}', ["luma"]),
    "pika-status.json": ('{"id": "p", "status": "finished", "url": "u", "progress": 100}',
                         ["pika"]),
    "pika-no-progress.json": ('{"id": "p", "status": "finished", "url": "u"}', []),
    "pika-request.jsonl": ('{"video_id": "p", "endpoint": "generate/2.2/t2v", "request": {}}',
                           ["pika"]),
    "minimax-query.json": ('{"task_id": "1", "status": "Success", "file_id": "2", '
                           '"base_resp": {"status_code": 0}}', ["minimax"]),
    "minimax-file.json": ('{"file": {"file_id": 2, "download_url": "u"}}', ["minimax"]),
    "magnific-request.jsonl": ('{"task_id": "m", "request": {"image": "a.png", '
                               '"scale_factor": "2x"}}', ["magnific"]),
    "firefly.json": ('{"size": {"width": 1, "height": 1}, "outputs": [{"seed": 1, "image": '
                     '{"url": "u"}}], "contentClass": "photo"}', ["firefly"]),
    "firefly-request.jsonl": ('{"request": {"prompt": "x", "numVariations": 1}}', ["firefly"]),
    "stability.jsonl": ('{"endpoint": "/v2beta/stable-image/generate/core", "request": {}, '
                        '"response": {"id": "j"}}', ["stability"]),
    "stability-bare.json": ('{"image": "eA==", "finish_reason": "SUCCESS", "seed": 1}',
                            ["stability"]),
    "udio.json": ('{"id": "u", "song_path": "u.mp3", "finished": true}', ["udio"]),
    "suno.json": ('{"clips": [{"id": "c", "model_name": "chirp-v4", "audio_url": "u"}]}',
                  ["suno"]),
    "canonical.jsonl": ('{"platform": "runway", "modality": "video", "created_at": '
                        '"2026-09-20", "status": "SUCCEEDED", "createdAt": "x", "id": "y"}',
                        ["canonical"]),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(CASES))
def test_claimed_by_exactly(tmp_path: Path, name: str) -> None:
    text, expected = CASES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert claimants(path) == expected

"""Freepik API beyond the upscaler: Mystic text-to-image tasks (joined, alone, still running), a
Mystic request body saved alone, and the classic synchronous text-to-image answer.

Shapes: the Mystic request body as Sultansahab17/JKBackend main.py sends it (prompt, resolution 2k,
aspect_ratio square_1_1, model realism, creative_detailing, engine, fixed_generation, filter_nsfw)
and polls ``/v1/ai/mystic/<task_id>``; Mystic task answers ({task_id, status IN_PROGRESS /
COMPLETED / FAILED, generated[]}) and the classic ``/v1/ai/text-to-image`` answer ({data:
[{base64, has_nsfw}], meta: {image: {size, width, height}, seed, guidance_scale, prompt,
num_inference_steps}}) as Freepik's API reference gives them (copied in mtzyw/freepikapi
``freepik文档/mystic.md`` and ``freepik文档/get-image-from-text.md``). Values are our own.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from audit.base.models import AssetRef, Modality, Status
from audit.ingest.walk import IngestResult, ingest_files

TASK = "5f0c3e2a-7b41-4c8e-9d2f-0a1b2c3d4e5f"
MYSTIC_BODY = {
    "prompt": "a lighthouse in a gale, film still",
    "resolution": "2k",
    "aspect_ratio": "widescreen_16_9",
    "model": "realism",
    "creative_detailing": 33,
    "engine": "automatic",
    "fixed_generation": False,
    "filter_nsfw": True,
    "structure_reference": "https://cdn.example/board/shot-12.png",
}


def _write(folder: Path, name: str, content: object, *, lines: bool = False) -> Path:
    path = folder / name
    rows = content if lines and isinstance(content, list) else [content]
    text = "\n".join(json.dumps(row) for row in rows) if lines else json.dumps(content)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _strict(folder: Path, *paths: Path) -> IngestResult:
    """Strict, as a user runs it: a reject would raise."""
    return ingest_files(folder, list(paths))


def test_mystic_task_joined_to_its_logged_request(tmp_path: Path) -> None:
    log = {"task_id": TASK, "endpoint": "https://api.freepik.com/v1/ai/mystic",
           "created_at": "2026-09-21T07:30:00Z", "request": MYSTIC_BODY}  # fmt: skip
    result = {"data": {"task_id": TASK, "status": "COMPLETED",
                       "generated": [f"https://cdn.freepik.example/{TASK}.jpg"],
                       "has_nsfw": [False]}}  # fmt: skip
    found = _strict(
        tmp_path,
        _write(tmp_path, "requests.jsonl", [log], lines=True),
        _write(tmp_path, "mystic-result.json", result),
    )
    assert {f.name: (f.adapter, f.accepted, f.merged) for f in found.files} == {
        "mystic-result.json": ("magnific", 1, 0), "requests.jsonl": ("magnific", 0, 1),
    }  # fmt: skip
    (gen,) = found.generations
    assert (gen.id, gen.platform, gen.modality, gen.task) == (
        f"freepik:{TASK}", "freepik", Modality.image, "text_to_image",
    )  # fmt: skip
    assert (gen.model, gen.model_version, gen.prompt) == (
        "mystic",
        "realism",
        MYSTIC_BODY["prompt"],
    )
    assert gen.inputs == [AssetRef(uri="https://cdn.example/board/shot-12.png", role="image")]
    assert gen.attributes["resolution"] == "2k"
    assert gen.attributes["aspect_ratio"] == "widescreen_16_9"
    assert gen.attributes["creative_detailing"] == 33
    assert "scale_factor" not in gen.attributes
    assert gen.outputs == [f"https://cdn.freepik.example/{TASK}.jpg"]
    assert gen.created_at.isoformat() == "2026-09-21T07:30:00+00:00"


def test_mystic_body_without_endpoint_is_not_an_upscale(tmp_path: Path) -> None:
    """A request log without the endpoint: no scale_factor in the body, so not the upscaler."""
    log = {"task_id": TASK, "request": MYSTIC_BODY}
    result = {"data": {"task_id": TASK, "status": "COMPLETED", "generated": ["https://x/1.jpg"]}}
    (gen,) = _strict(
        tmp_path,
        _write(tmp_path, "requests.jsonl", [log], lines=True),
        _write(tmp_path, "result.json", result),
    ).generations
    assert (gen.platform, gen.modality, gen.model) == ("freepik", Modality.image, "mystic")


def test_mystic_answer_alone_is_told_by_has_nsfw(tmp_path: Path) -> None:
    result = {"data": {"task_id": TASK, "status": "COMPLETED",
                       "generated": ["https://x/1.jpg", "https://x/2.jpg"],
                       "has_nsfw": [False, True]}}  # fmt: skip
    (gen,) = _strict(tmp_path, _write(tmp_path, "task.json", result)).generations
    assert (gen.platform, gen.modality, gen.outputs_count) == ("freepik", Modality.image, 2)
    assert gen.attributes["nsfw_flagged"] == 1
    assert gen.attributes["created_at_source"] == "file_mtime"


def test_created_and_in_progress_tasks_are_pending_not_fatal(tmp_path: Path) -> None:
    """The POST answer (status CREATED) and a poll still IN_PROGRESS: a strict run completes."""
    created = {"data": {"task_id": TASK, "status": "CREATED", "generated": []}}
    running = {"data": {"task_id": "6a1d", "status": "IN_PROGRESS", "generated": []}}
    found = _strict(
        tmp_path,
        _write(tmp_path, "created.json", created),
        _write(tmp_path, "running.json", running),
    )
    statuses = {g.id: (g.status, g.outputs, g.outputs_count) for g in found.generations}
    assert statuses == {
        f"magnific:{TASK}": (Status.pending, [], 1),
        "magnific:6a1d": (Status.pending, [], 1),
    }


def test_mystic_request_body_saved_alone_is_pending(tmp_path: Path) -> None:
    (gen,) = _strict(tmp_path, _write(tmp_path, "mystic-body.json", MYSTIC_BODY)).generations
    assert (gen.platform, gen.status, gen.outputs) == ("freepik", Status.pending, [])
    assert gen.id.startswith("freepik:body-")
    assert (gen.prompt, gen.model_version) == (MYSTIC_BODY["prompt"], "realism")
    assert gen.attributes["created_at_source"] == "file_mtime"


def test_classic_text_to_image_answer(tmp_path: Path) -> None:
    pixels = [b"\x89PNG first image bytes", b"\x89PNG second image bytes"]
    answer = {
        "data": [
            {"base64": base64.b64encode(pixels[0]).decode(), "has_nsfw": False},
            {"base64": base64.b64encode(pixels[1]).decode(), "has_nsfw": False},
        ],
        "meta": {
            "image": {"size": "square_1_1", "width": 1024, "height": 1024},
            "seed": 4242,
            "guidance_scale": 1.5,
            "prompt": "harbour at dawn, gulls",
            "num_inference_steps": 8,
        },
    }
    (gen,) = _strict(tmp_path, _write(tmp_path, "t2i.json", answer)).generations
    digests = [hashlib.sha256(p).hexdigest()[:16] for p in pixels]
    assert (gen.id, gen.platform, gen.model) == (
        f"freepik:{digests[0]}",
        "freepik",
        "text-to-image",
    )
    assert (gen.width, gen.height, gen.steps, gen.seed) == (1024, 1024, 8, 4242)
    assert gen.prompt == "harbour at dawn, gulls"
    assert gen.outputs == [f"sha256:{d}" for d in digests]
    assert gen.outputs_count == 2
    assert gen.attributes["guidance_scale"] == 1.5
    assert gen.attributes["image_size"] == "square_1_1"


def test_hosted_video_model_task_is_a_video(tmp_path: Path) -> None:
    """Freepik serves third-party video models with the same task answer (endpoints such as
    /v1/ai/image-to-video/kling-v2 in mtzyw/freepikapi freepik文档/post-kling-v2.md)."""
    log = {"task_id": "vid-1", "endpoint": "https://api.freepik.com/v1/ai/image-to-video/kling-v2",
           "request": {"image": "https://cdn.example/first.png", "prompt": "waves", "duration": "5",
                       "aspect_ratio": "widescreen_16_9"}}  # fmt: skip
    result = {"data": {"task_id": "vid-1", "status": "COMPLETED",
                       "generated": ["https://cdn.freepik.example/vid-1.mp4"]}}  # fmt: skip
    (gen,) = _strict(
        tmp_path,
        _write(tmp_path, "requests.jsonl", [log], lines=True),
        _write(tmp_path, "result.json", result),
    ).generations
    assert (gen.id, gen.platform, gen.modality, gen.task) == (
        "freepik:vid-1", "freepik", Modality.video, "image_to_video",
    )  # fmt: skip
    assert (gen.model, gen.duration_s) == ("kling-v2", 5.0)
    # the answer alone: its mp4 output says it is a video, not an upscale
    (alone,) = _strict(
        tmp_path / "alone", _write(_mkdir(tmp_path / "alone"), "r.json", result)
    ).generations
    assert (alone.platform, alone.modality) == ("freepik", Modality.video)


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path

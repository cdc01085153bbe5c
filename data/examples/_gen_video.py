"""Kling image-to-video takes of the example.

The query response does not echo the request (research: platforms-and-rights.md §1.5), so, as the
design says, the user's script logged each request body beside the returned ``task_id`` in
``requests.jsonl`` and saved each query response as ``tasks/<task_id>.json``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from _gen_common import (
    SHOTS,
    SYNTHETIC_KEY,
    SYNTHETIC_NOTE,
    TRICKY_PROMPT,
    TRICKY_SHOT,
    Chain,
    KlingKept,
    Shot,
    Writer,
    day,
    unix_ms,
)

ENDPOINT = "/v1/videos/image2video"
NEGATIVE = "blurry, distorted hands, extra fingers, text, watermark, cartoon"
CAMERA = (
    "slow push-in",
    "static camera",
    "gentle handheld sway",
    "slow pan left",
    "slow tilt up",
    "locked-off wide",
)
FAILED_MSG = "generation failed, please retry"


def _video_s(shot: Shot) -> tuple[str, str]:
    """Requested and delivered duration: 5 s takes cover shots up to 5 s, else 10 s."""
    return ("5", "5.1") if shot.frames <= 125 else ("10", "10.1")


def _task(
    w: Writer, task_id: str, tag: str, created: datetime, failed: bool, delivered_s: str
) -> dict[str, Any]:
    updated = w.later(created, 20, 120) if failed else w.later(created, 90, 420)
    videos = (
        []
        if failed
        else [
            {
                "id": w.uuid4(),
                "url": f"https://cdn.klingai.example/kling-api/{task_id}.mp4",
                "duration": delivered_s,
            }
        ]
    )
    return {
        SYNTHETIC_KEY: SYNTHETIC_NOTE,
        "code": 0,
        "message": "SUCCEED",
        "request_id": w.uuid4(),
        "data": {
            "task_id": task_id,
            "task_status": "failed" if failed else "succeed",
            "task_status_msg": FAILED_MSG if failed else "",
            "task_info": {"external_task_id": tag},
            "task_result": {"videos": videos},
            "created_at": unix_ms(created),
            "updated_at": unix_ms(updated),
        },
    }


def _takes(
    w: Writer, shot: Shot, start: datetime, image: str
) -> tuple[list[dict[str, Any]], KlingKept]:
    """6–12 takes; the kept one is among the last three, a few others failed."""
    count = w.rng.randint(6, 12)
    kept = count - 1 - w.rng.randrange(3)
    requested_s, delivered_s = _video_s(shot)
    requests: list[dict[str, Any]] = []
    kept_task = KlingKept("", 0.0)
    moment = start
    for index in range(count):
        moment = w.later(moment, 240, 1800)
        task_id = w.digits(18)
        tag = f"{shot.shot_id}-t{index + 1:02d}"
        prompt = f"{shot.motion_prompt}, {w.rng.choice(CAMERA)}"
        if index == kept and shot.shot_id == TRICKY_SHOT:
            prompt = TRICKY_PROMPT
        failed = index != kept and w.rng.random() < 0.12
        body = {
            "model_name": "kling-v2-6",
            "mode": "pro",
            "duration": requested_s,
            "aspect_ratio": "16:9",
            "image": image,
            "prompt": prompt,
            "negative_prompt": NEGATIVE,
            "sound": "off",
            "external_task_id": tag,
        }
        requests.append({"task_id": task_id, "endpoint": ENDPOINT, "body": body})
        w.json(
            f"logs/kling/tasks/{task_id}.json", _task(w, task_id, tag, moment, failed, delivered_s)
        )
        if index == kept:
            kept_task = KlingKept(task_id, float(delivered_s))
    return requests, kept_task


def kling(w: Writer, chain: Chain) -> None:
    """Every Kling shot's takes, request log in chronological order."""
    requests: list[dict[str, Any]] = []
    for number, shot in enumerate(SHOTS):
        if shot.tool != "kling":
            continue
        start = w.later(day(11 + 8 * number, 9), 0, 3600)
        takes, kept = _takes(w, shot, start, chain.magnific_url[shot.shot_id])
        requests.extend(takes)
        chain.kling[shot.shot_id] = kept
    w.jsonl("logs/kling/requests.jsonl", requests)
    chain.counts["kling"] = len(requests)

"""Pika API: status objects ``{id, status, url, progress}`` joined with the user's request log.

The status object says nothing but its state and URL (platforms-and-rights.md §1.10, [S]): prompt,
seed, size, duration and input images are in the request only. The request log holds one JSON
line per call, ``{video_id, endpoint, request: {...}}`` (the body sent, the ``video_id`` Pika
returned and the endpoint such as ``generate/2.2/i2v``; ``created_at`` optional), joined by video
id. Neither record carries a time: a ``created_at`` the logging script wrote is used, else the
status file's modification time (attribute ``created_at_source: file_mtime``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._requests import Pending, RequestLog, logged_request, read_joined, settle
from audit.ingest._sniff import is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_SOURCE,
    frame_of,
    logged_time,
    opt_int,
    opt_str,
    ratio_of,
    required,
    seconds_of,
    short_side,
    uri_of,
)
from audit.ingest.base import Item, JoinedAdapter, Source, build, head_text

#: status → Status; a video queued or started is work in progress.
_STATUS = {
    "finished": "succeeded", "failed": "failed", "queued": "pending", "started": "pending",
}  # fmt: skip
_STATUS_WORD = re.compile(r'"status"\s*:\s*"(queued|started|finished|failed)"')
# fmt: off
#: Last part of the endpoint → (modality, task).
ENDPOINTS: dict[str, tuple[str, str]] = {
    "t2v": ("video", "text_to_video"), "i2v": ("video", "image_to_video"),
    "pikascenes": ("video", "scenes"), "pikaframes": ("video", "keyframes_to_video"),
    "pikadditions": ("video_edit", "additions"), "pikaswaps": ("video_edit", "swaps"),
    "pikaffects": ("video", "effect"),
}
#: Request keys holding input images or videos → role (ingredients are any subject or place).
_INPUT_ROLES = {
    "image": "image", "images": "image_prompt", "ingredients": "image_prompt",
    "keyFrames": "image", "video": "video",
}
# fmt: on
_ATTRIBUTE_KEYS = ("resolution", "aspectRatio", "ingredientsMode", "pikaffect")
_SNAKE = {"aspectRatio": "aspect_ratio", "ingredientsMode": "ingredients_mode"}
_VERSION = re.compile(r"generate/(\d+(?:\.\d+)*)/")


def _is_request_file(path: Path) -> bool:
    return '"video_id"' in head_text(path)


def _kind(endpoint: str) -> tuple[str, str | None, str | None]:
    """(modality, task, model) of an endpoint such as ``generate/2.2/i2v``."""
    last = endpoint.rstrip("/").rsplit("/", 1)[-1].lower()
    modality, task = ENDPOINTS.get(last, ("video", None))
    version = _VERSION.search(endpoint)
    return modality, task or (last or None), f"pika-{version.group(1)}" if version else None


def _inputs(body: dict[str, Any]) -> list[AssetRef]:
    refs: list[AssetRef] = []
    for key, role in _INPUT_ROLES.items():
        value = body.get(key)
        for entry in value if isinstance(value, list) else [value]:
            if uri := uri_of(entry):
                refs.append(AssetRef(uri=uri, role=role))
    return refs


class PikaAdapter(JoinedAdapter):
    """Pika API status objects joined by video id with the request log."""

    name = "pika"
    platform = "pika"
    title = "Pika API (status objects joined with request logs)"
    suffixes = (".json", ".jsonl")
    formats = (
        "status objects {id, status, url, progress} (one per file, a list, "
        '{"videos": [...]} or JSON Lines) joined by video id with the request log (JSON Lines '
        "{video_id, endpoint, request: {...}}); a joined request counts as merged"
    )
    reads = (
        "id, status (queued/started: pending), url; request endpoint (task and "
        "model version), promptText, negativePrompt, seed, resolution, duration, aspectRatio "
        "(width/height), image, images/ingredients, keyFrames, video, ingredientsMode; "
        "created_at beside video_id"
    )
    cannot_know = (
        "time of the run (file time unless the log adds it); everything but the URL without the "
        "request log; fps; credits"
    )
    seen_in = (
        "requests to devapi.pika.art /generate/2.2/i2v (promptText, negativePrompt, seed, "
        "duration, resolution, image) and polling of /videos/<video_id>: Grossyb/PumpReelsBot "
        "ai_services/pika_client.py"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of Pika requests (video_id with a prompt or endpoint) or status objects (status
        word, progress, id)."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text) or '"object"' in text:
            return False
        if '"video_id"' in text:
            return '"promptText"' in text or '"generate/' in text
        return bool(_STATUS_WORD.search(text)) and '"progress"' in text and '"id"' in text

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Request logs and status objects of every claimed file, joined by video id."""
        yield from read_joined(
            sources,
            is_request=_is_request_file,
            parse_request=self._request,
            parse_result=self._status,
            containers=("videos",),
            hint="fetch GET /videos/<video_id> into logs/pika/",
        )

    def _request(self, source: Source, locator: str, line: dict[str, Any]) -> Pending:
        video_id = required(opt_str(line, "video_id"), "video_id")
        return logged_request(source, locator, line, video_id)

    def _status(self, source: Source, locator: str, obj: dict[str, Any], log: RequestLog) -> Item:
        video_id = required(opt_str(obj, "id"), "id")
        status = required(opt_str(obj, "status"), "status")
        if status not in _STATUS:
            raise RecordError("unknown video status", field="status", value=status, choices=_STATUS)
        request = log.take(video_id)
        body, line = (request.body, request.line) if request else ({}, {})
        created, origin = logged_time(line, source.path)
        url = opt_str(obj, "url") if status == "finished" else None
        fields = self._from_request(body, line)
        if origin:
            fields["attributes"][TIME_SOURCE] = origin
        item = build(
            source,
            locator,
            self.name,
            id=f"pika:{video_id}",
            platform=self.platform,
            created_at=created,
            status=_STATUS[status],
            outputs=[url] if url else [],
            outputs_count=1 if url else 0,
            **fields,
        )
        return settle(request, item)

    def _from_request(self, body: dict[str, Any], line: dict[str, Any]) -> dict[str, Any]:
        modality, task, model = _kind(opt_str(line, "endpoint") or "")
        ratio = ratio_of(body.get("aspectRatio"), "request.aspectRatio")
        width, height = frame_of(short_side(body.get("resolution"), "request.resolution"), ratio)
        attributes = {
            _SNAKE.get(k, k): body[k]
            for k in _ATTRIBUTE_KEYS
            if isinstance(body.get(k), str | int | float)
        }
        return {
            "model": model,
            "modality": modality,
            "task": task if body else None,
            "prompt": opt_str(body, "promptText", "request.promptText"),
            "negative_prompt": opt_str(body, "negativePrompt", "request.negativePrompt"),
            "seed": opt_int(body, "seed", "request.seed"),
            "duration_s": seconds_of(body.get("duration"), "request.duration"),
            "width": width,
            "height": height,
            "inputs": _inputs(body),
            "attributes": attributes,
        }

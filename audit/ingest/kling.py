"""Kling API: task query responses (``{code, message, request_id, data: {...}}``) joined with the
user's request log (the body as sent, plus the returned ``task_id`` and the endpoint).

Kling does not echo model, mode or prompt in the result (platforms-and-rights.md §1.5, [P]), so the
request log is joined by ``task_id``, else by ``external_task_id``. A joined request counts as
merged. A request with no result is rejected, with the call that fetches the result: the task may
have run (it got a task id) but nothing says whether it succeeded, and a guessed status would put an
unknown video into the footprint and the lineage. Resolution by ``mode`` (std 720p, pro 1080p,
4k 2160p) comes from a third-party guide cited in §1.5 [S].
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._records import json_records, load_document, pointer
from audit.ingest._requests import Pending, RequestLog, read_joined, settle
from audit.ingest._sniff import is_json_suffix, looks_canonical
from audit.ingest._util import (
    asset_uri,
    epoch_time,
    expect,
    opt_dict,
    opt_float,
    opt_list,
    opt_str,
    required,
)
from audit.ingest.base import Item, JoinedAdapter, Reject, Source, build, head_text

#: task_status → Status; a task submitted or processing is work in progress.
_STATUS = {
    "succeed": "succeeded", "failed": "failed", "submitted": "pending", "processing": "pending",
}  # fmt: skip
#: Short side in pixels by ``mode`` (platforms-and-rights.md §1.5, useapi.net guide [S]).
RESOLUTION_P = {"std": 720, "pro": 1080, "4k": 2160}
#: (endpoint fragment, modality, task), most specific first.
_ENDPOINTS = (
    ("multi-image2video", "video", "multi_image_to_video"),
    ("image2video", "video", "image_to_video"),
    ("text2video", "video", "text_to_video"),
    ("video-extend", "video_edit", "video_extend"),
    ("lip-sync", "lipsync", "lipsync"),
    ("omni-video", "video", "omni_video"),
    ("images/generations", "image", "text_to_image"),
)
_ATTRIBUTE_KEYS = ("mode", "aspect_ratio", "cfg_scale")


def frame_size(mode: str | None, aspect_ratio: str | None) -> tuple[int | None, int | None]:
    """(width, height) in pixels from ``mode`` and ``aspect_ratio`` (``"16:9"`` + pro → 1920×1080)."""
    short = RESOLUTION_P.get(mode or "")
    parts = (aspect_ratio or "").split(":")
    if short is None or len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        return None, None
    across, down = int(parts[0]), int(parts[1])
    if not across or not down:
        return None, None
    long_side = round(short * max(across, down) / min(across, down) / 2) * 2
    return (long_side, short) if across >= down else (short, long_side)


def _kind(endpoint: str | None, body: dict[str, Any], images: bool) -> tuple[str, str | None]:
    for fragment, modality, task in _ENDPOINTS:
        if endpoint and fragment in endpoint:
            return modality, task
    if images:
        return "image", None
    if not body:
        return "video", None
    return "video", "image_to_video" if body.get("image") else "text_to_video"


def _is_request_file(path: Path) -> bool:
    text = head_text(path)
    return '"task_status"' not in text and '"code"' not in text


def _data_locator(locator: str) -> str:
    if locator == "/":
        return "/data"
    return f"{locator}/data" if locator.startswith("/") else locator


def _task_records(source: Source) -> Iterator[tuple[str, Any]]:
    """Query responses: one task each (``{code, data: {...}}``: one, a list, ``{"tasks": [...]}``
    or JSON Lines), or the list query's ``{code, data: [task, ...]}``, each task then read in its
    own envelope (locator ``/data/<n>``)."""
    if source.path.suffix.lower() != ".jsonl":
        doc = load_document(source)
        if isinstance(doc, dict) and isinstance(doc.get("data"), list):
            envelope = {key: value for key, value in doc.items() if key != "data"}
            for k, task in enumerate(doc["data"]):
                yield pointer("data", k), {**envelope, "data": task}
            return
    for locator, obj in json_records(source, ("tasks",)):
        yield _data_locator(locator), obj


class KlingAdapter(JoinedAdapter):
    """Kling API task queries joined with the request logs that hold their prompts and settings."""

    name = "kling"
    platform = "kling"
    title = "Kling API (task results joined with request logs)"
    suffixes = (".json", ".jsonl")
    formats = (
        "query responses {code, message, request_id, data: {task_id, task_status, task_info, "
        "task_result.videos[], created_at, updated_at}} (one per file, a list, or JSON Lines; "
        "the list query's {code, data: [task, ...]} one record per task) "
        "joined with request logs ({task_id?, endpoint?, body: {...}} or a bare body with "
        "external_task_id) by task_id or external_task_id; a joined request counts as merged, "
        "a request without result is rejected"
    )
    reads = (
        "data.task_id, task_status, task_status_msg, task_info.external_task_id (shot tag), "
        "task_result.videos[].url/duration, created_at/updated_at (ms); request model_name, mode, "
        "duration, aspect_ratio, image, image_tail, sound, prompt, negative_prompt, cfg_scale"
    )
    cannot_know = (
        "model, mode, prompt and inputs without the request log; fps; exact resolution "
        "(derived from mode and aspect ratio); credits; a request's fate without its result"
    )
    seen_in = (
        "query answers {code, message, request_id, data: {task_id, task_status "
        "submitted/processing/succeed/failed, task_result.videos[{url, duration}]}}: "
        "cuijinyu/new-api web/src/pages/Documentation/content/kling-multi-image-video-status.md "
        "and kling-motion-control.en.md (external_task_id); list query pagination (pageNum, "
        "pageSize) in public clients' kling-tasks routes"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of Kling task queries (task_id with task_status) or of request logs naming a Kling
        model."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text) or '"generated"' in text or '"clips"' in text:
            return False
        if '"task_status"' in text and '"task_id"' in text:
            return True
        return '"external_task_id"' in text or ('"body"' in text and '"kling' in text)

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Request logs and task queries of every claimed file, joined by task id."""
        yield from read_joined(
            sources,
            is_request=_is_request_file,
            parse_request=self._request,
            parse_result=self._result,
            containers=("tasks",),
            hint="fetch GET /v1/videos/<endpoint>/<task_id> into logs/kling/tasks/",
            records=_task_records,
        )

    def _request(self, source: Source, locator: str, line: dict[str, Any]) -> Pending:
        body = expect(line, "body", dict, "body")
        body = line if body is None else body
        task_id = opt_str(line, "task_id")
        external = opt_str(body, "external_task_id", "body.external_task_id")
        if task_id is None and external is None:
            raise RecordError("needs task_id or body.external_task_id to join", field="task_id")
        keys = tuple(key for key in (task_id, f"ext:{external}" if external else None) if key)
        return Pending(source, locator, keys, body, line)

    def _result(self, source: Source, locator: str, obj: dict[str, Any], log: RequestLog) -> Item:
        data = expect(obj, "data", dict, "data")
        if data is None:
            reason = f"API error {obj.get('code')!r}: {obj.get('message')!r}, no data"
            return Reject(source.name, locator, "data", reason)
        task_id = required(opt_str(data, "task_id", "data.task_id"), "data.task_id")
        status = required(opt_str(data, "task_status", "data.task_status"), "data.task_status")
        if status not in _STATUS:
            raise RecordError(
                "unknown task status", field="data.task_status", value=status, choices=_STATUS
            )
        external = opt_str(
            opt_dict(data, "task_info", "data.task_info"),
            "external_task_id",
            "data.task_info.external_task_id",
        )
        request = log.take(task_id, f"ext:{external}" if external else None)
        item = build(
            source,
            locator,
            self.name,
            id=f"kling:{task_id}",
            platform=self.platform,
            created_at=required(
                epoch_time(data, "created_at", "data.created_at"), "data.created_at"
            ),
            status=_STATUS[status],
            shot_tag=external or (opt_str(request.body, "external_task_id") if request else None),
            **self._fields(data, request, obj),
        )
        return settle(request, item)

    def _fields(
        self, data: dict[str, Any], request: Pending | None, obj: dict[str, Any]
    ) -> dict[str, Any]:
        result = opt_dict(data, "task_result", "data.task_result")
        videos = [
            v for v in opt_list(result, "videos", "data.task_result.videos") if isinstance(v, dict)
        ]
        images = opt_list(result, "images", "data.task_result.images")
        body = request.body if request else {}
        endpoint = opt_str(request.line, "endpoint") if request else None
        modality, task = _kind(endpoint, body, bool(images) and not videos)
        duration = (
            opt_float(videos[0], "duration", "data.task_result.videos.0.duration")
            if videos
            else None
        )
        if duration is None:
            duration = opt_float(body, "duration", "body.duration")
        width, height = frame_size(opt_str(body, "mode"), opt_str(body, "aspect_ratio"))
        outputs = [str(v["url"]) for v in videos if v.get("url")]
        outputs += [str(i["url"]) for i in images if isinstance(i, dict) and i.get("url")]
        return {
            "model": opt_str(body, "model_name", "body.model_name") or opt_str(body, "model"),
            "modality": modality,
            "task": task,
            "prompt": opt_str(body, "prompt", "body.prompt"),
            "negative_prompt": opt_str(body, "negative_prompt", "body.negative_prompt"),
            "duration_s": duration,
            "width": width,
            "height": height,
            "outputs": outputs,
            "outputs_count": len(outputs),
            "inputs": self._inputs(body),
            "attributes": self._attributes(body, data, obj),
        }

    def _inputs(self, body: dict[str, Any]) -> list[AssetRef]:
        refs = []
        for key in ("image", "image_tail"):
            value = opt_str(body, key, f"body.{key}")
            if value:
                refs.append(AssetRef(uri=asset_uri(value), role=key))
        return refs

    def _attributes(
        self, body: dict[str, Any], data: dict[str, Any], obj: dict[str, Any]
    ) -> dict[str, Any]:
        found: dict[str, Any] = {
            k: body[k] for k in _ATTRIBUTE_KEYS if isinstance(body.get(k), str | int | float)
        }
        sound = opt_str(body, "sound", "body.sound")
        if sound is not None:
            found["with_audio"] = sound.lower() == "on"
        found["request_id"] = opt_str(obj, "request_id")
        found["task_status_msg"] = opt_str(data, "task_status_msg", "data.task_status_msg")
        start = epoch_time(data, "created_at", "data.created_at")
        end = epoch_time(data, "updated_at", "data.updated_at")
        if start and end and end >= start:
            found["elapsed_s"] = round((end - start).total_seconds(), 3)
        return {k: v for k, v in found.items() if v is not None}

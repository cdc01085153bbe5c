"""Stability AI v2beta API: JSON responses joined with their request, async jobs by id.

A JSON response ``{image (base64), finish_reason, seed}`` (Stable Audio: ``audio``) names neither
the model nor the prompt (platforms-and-rights.md §1.14, [S]). Calls are read from the user's log,
one JSON line per call ``{endpoint, request, response, request_id?, created_at?}``: the request
sits beside its response. An async call's response is ``{id}``; its result, logged as
``{endpoint: /v2beta/results/<id>, response: {...}}``, is joined to it by that id (the start call
then counts as merged). A bare response file is read too, without model or prompt.

The base64 payload is never kept: the output is ``sha256:`` + 16 hex of the decoded bytes, and
attribute ``output_sha256`` holds the full digest (the linker matches it with the files). The id is
``stability:<async id>``, else ``stability:<request_id>``, else ``stability:`` + those 16 hex.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._records import json_records, reject_of
from audit.ingest._requests import Pending, RequestLog, settle
from audit.ingest._sniff import is_json_suffix, looks_canonical, tail
from audit.ingest._util import (
    TIME_SOURCE,
    b64_sha256,
    expect,
    logged_time,
    opt_dict,
    opt_float,
    opt_int,
    opt_str,
    uri_of,
)
from audit.ingest.base import Item, JoinedAdapter, Reject, Source, build, guarded, head_text

#: ``status`` of a job still running when polled (``GET /v2beta/results/<id>`` answers 202).
RUNNING = "in-progress"
#: finish_reason → status; the safety filter's CONTENT_FILTERED answer carries a blurred image, not
#: the output: status filtered (the run happened).
_FINISH = {"SUCCESS": "succeeded", "CONTENT_FILTERED": "filtered", "ERROR": "failed"}
_PAYLOADS = ("image", "audio", "video")
_RESULT = re.compile(r"/v2beta/results/([\w.-]+)")
_ATTRIBUTE_KEYS = ("aspect_ratio", "style_preset", "output_format", "strength", "creativity")
Record = tuple[Source, str, dict[str, Any]]


def kind_of(endpoint: str, request: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(modality, task, model) of a v2beta endpoint such as ``/v2beta/stable-image/generate/sd3``."""
    parts = [p for p in endpoint.split("?", 1)[0].split("/") if p]
    last = parts[-1] if parts else ""
    model = opt_str(request, "model", "request.model")
    image = "image_to_image" if request.get("image") else "text_to_image"
    if "audio" in parts:
        return "music", last.replace("-", "_") or None, model or "stable-audio-2"
    if "upscale" in parts:
        return "upscale", "upscale", model or f"upscale-{last}"
    if "edit" in parts:
        return "image_edit", last.replace("-", "_"), model
    if "control" in parts:
        return "image", f"control_{last}", model
    if "image-to-video" in parts:
        return "video", "image_to_video", model
    if "generate" in parts:
        return "image", image, model or (f"stable-image-{last}" if last != "sd3" else None)
    return "image", None, model


def _payload_digest(response: dict[str, Any], prefix: str) -> str | None:
    for key in _PAYLOADS:
        text = opt_str(response, key, prefix + key)
        if text:
            digest = b64_sha256(text)
            if digest is None:
                raise RecordError("invalid base64", field=prefix + key)
            return digest
    return None


def _is_async_start(obj: dict[str, Any]) -> bool:
    response = obj.get("response")
    return isinstance(response, dict) and set(response) == {"id"} and "request" in obj


class StabilityAdapter(JoinedAdapter):
    """Stability AI v2beta call logs (images, Stable Audio), synchronous answers and asynchronous
    starts joined with their results."""

    name = "stability"
    platform = "stability"
    title = "Stability AI API (v2beta call logs, Stable Audio)"
    suffixes = (".json", ".jsonl")
    formats = (
        "call logs, one JSON line per call {endpoint, request, response, request_id?, "
        "created_at?}: sync responses {image|audio (base64), finish_reason, seed} joined on the "
        "line; async starts (response {id}) joined by id with results logged as {endpoint: "
        "/v2beta/results/<id>, response}; bare responses"
    )
    reads = (
        "endpoint (ultra, core, sd3, upscale, edit, control, audio), request model, prompt, "
        "negative_prompt, aspect_ratio, seed, style_preset, output_format, image, strength, "
        "duration, steps; response finish_reason (CONTENT_FILTERED: status filtered; a result "
        "still in-progress: pending), seed, sha256 of the base64 payload (never the "
        "payload)"
    )
    cannot_know = (
        "model and prompt without the logged request; time (logged created_at, else the file "
        "time); output size (read the file)"
    )
    seen_in = (
        "v2beta answers {image (base64), finish_reason SUCCESS/ERROR/CONTENT_FILTERED, seed} "
        "(CONTENT_FILTERED: the filter blurred the image): aj-foster/open-api-generator "
        "stability-ai/image.ex and Cardano-After-Dark/cardgen imgen/stability_ai_client.py "
        "(finish-reason header of the image/* answer); request fields: gambithunt/imagen "
        ".github/instructions/sd_core.instructions.md"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of calls to /v2beta, or of bare answers holding an image or audio payload."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        if '"/v2beta/' in text:
            return True
        ends = text + tail(path).decode("utf-8", errors="replace")
        payload = any(f'"{key}"' in ends for key in _PAYLOADS)
        return payload and '"finish_reason"' in ends and '"seed"' in ends

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Every call of every claimed file, asynchronous starts joined by id with their results."""
        records: list[Record] = []
        for source in sources:
            yield from guarded(source, _collect(source, records))
        starts = RequestLog()
        for source, locator, obj in records:
            if _is_async_start(obj):
                start_id = str(obj["response"]["id"])
                starts.add(Pending(source, locator, (start_id,), obj["request"], obj))
        for source, locator, obj in records:
            if _is_async_start(obj):
                continue
            try:
                yield self._call(source, locator, obj, starts)
            except RecordError as exc:
                yield reject_of(source, locator, exc)
        yield from self._unfinished(starts)
        yield from starts.outcomes("log GET /v2beta/results/<id> once it is finished")

    def _unfinished(self, starts: RequestLog) -> Iterator[Item]:
        """Async starts no result was logged for: work in progress (status pending), read as a
        poll of ``/v2beta/results/<id>`` answering ``in-progress``."""
        for start in [req for req in starts.pending if not req.used]:
            starts.pending.remove(start)
            job = start.keys[0]
            poll = {
                "endpoint": f"/v2beta/results/{job}",
                "response": {"id": job, "status": RUNNING},
            }
            try:
                yield self._call(start.source, start.locator, poll, starts)
            except RecordError as exc:
                yield reject_of(start.source, start.locator, exc)

    def _call(self, source: Source, locator: str, obj: dict[str, Any], starts: RequestLog) -> Item:
        response = expect(obj, "response", dict, "response")
        line, prefix = (obj, "response.") if response is not None else ({}, "")
        response = obj if response is None else response
        result = _RESULT.search(opt_str(line, "endpoint") or "")
        start = starts.take(result.group(1)) if result else None
        call = start.line if start else line
        request = opt_dict(call, "request")
        finish = _finish(response, prefix)
        digest = _payload_digest(response, prefix)
        status = _FINISH.get(finish, "pending")
        item = build(
            source,
            locator,
            self.name,
            id=f"stability:{_call_id(result, line, digest, response)}",
            platform=self.platform,
            created_at=logged_time(call, source.path)[0],
            status=status,
            outputs=[f"sha256:{digest[:16]}"] if digest and status == "succeeded" else [],
            outputs_count=1 if digest or status == "pending" else 0,
            **_fields(opt_str(call, "endpoint") or "", request, response, prefix),
            attributes=_attributes(request, finish, digest, call, source),
        )
        return settle(start, item)


def _finish(response: dict[str, Any], prefix: str) -> str:
    """The finish reason; ``in-progress`` for a job still running (``{id, status: in-progress}``,
    the poll's 202 answer: work in progress)."""
    if "finish_reason" not in response:
        status = response.get("status")
        if status == RUNNING:
            return RUNNING
        raise RecordError("job not finished", field=f"{prefix}finish_reason", value=status)
    finish = opt_str(response, "finish_reason", f"{prefix}finish_reason")
    if finish not in _FINISH:
        field = f"{prefix}finish_reason"
        raise RecordError("unknown finish reason", field=field, value=finish, choices=_FINISH)
    return finish


def _collect(source: Source, records: list[Record]) -> Iterator[Item]:
    for locator, obj in json_records(source, ("calls",)):
        if isinstance(obj, dict):
            records.append((source, locator, obj))
        else:
            yield Reject(source.name, locator, "record", "not a JSON object", type(obj).__name__)


def _fields(
    endpoint: str, request: dict[str, Any], response: dict[str, Any], prefix: str
) -> dict[str, Any]:
    modality, task, model = kind_of(endpoint, request)
    image = uri_of(request.get("image"))
    seed = opt_int(response, "seed", f"{prefix}seed")
    return {
        "model": model,
        "modality": modality,
        "task": task if endpoint else None,
        "prompt": opt_str(request, "prompt", "request.prompt"),
        "negative_prompt": opt_str(request, "negative_prompt", "request.negative_prompt"),
        "seed": seed if seed is not None else opt_int(request, "seed", "request.seed"),
        "steps": opt_int(request, "steps", "request.steps"),
        "duration_s": opt_float(request, "duration", "request.duration"),
        "inputs": [AssetRef(uri=image, role="image")] if image else [],
    }


def _attributes(
    request: dict[str, Any], finish: str, digest: str | None, line: dict[str, Any], source: Source
) -> dict[str, Any]:
    found: dict[str, Any] = {
        k: request[k] for k in _ATTRIBUTE_KEYS if isinstance(request.get(k), str | int | float)
    }
    found.update(finish_reason=finish, output_sha256=digest, request_id=opt_str(line, "request_id"))
    found[TIME_SOURCE] = logged_time(line, source.path)[1]
    return {k: v for k, v in found.items() if v is not None}


def _call_id(
    result: re.Match[str] | None, line: dict[str, Any], digest: str | None, response: dict[str, Any]
) -> str:
    if result is not None:
        return result.group(1)
    request_id = opt_str(line, "request_id")
    if request_id:
        return request_id
    if digest:
        return digest[:16]
    text = json.dumps(response, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

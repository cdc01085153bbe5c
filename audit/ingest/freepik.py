"""Magnific upscaler through the Freepik API: results ``{data: {task_id, status, generated[]}}``
joined with the user's request log (one ``{task_id, request: {image, scale_factor, ...}}`` per line).

The result does not echo the request (platforms-and-rights.md §1.12 and §1.0 matrix): input image,
scale and creativity are only in the request log. Neither carries a time: a ``created_at`` (or
``timestamp``/``sent_at``) key written beside ``task_id`` by the user's script is used, else the
result file's modification time (attribute ``created_at_source: file_mtime``). The output size is
known only if the request log also records ``input_width``/``input_height``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.errors import RecordError
from audit.ingest._requests import Pending, RequestLog, logged_request, read_joined, settle
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_SOURCE,
    any_time,
    asset_uri,
    expect,
    mtime_utc,
    opt_int,
    opt_list,
    opt_str,
    required,
)
from audit.ingest.base import Item, JoinedAdapter, Source, build, head_text
from audit.models import AssetRef

#: data.status → Status; a task CREATED or IN_PROGRESS is work in progress.
_STATUS = {
    "COMPLETED": "succeeded", "FAILED": "failed", "CREATED": "pending", "IN_PROGRESS": "pending",
}  # fmt: skip
_TIME_KEYS = ("created_at", "timestamp", "sent_at", "requested_at")
_PRECISION_KEYS = ("sharpen", "smart_grain", "ultra_detail", "flavor")
_ATTRIBUTE_KEYS = ("creativity", "hdr", "resemblance", "fractality", "optimized_for", "engine")


def scale_of(value: object) -> float | None:
    """``"4x"``, ``"4"`` or ``4`` → 4.0."""
    if value is None:
        return None
    text = str(value).strip().lower().removesuffix("x")
    try:
        number = float(text)
    except ValueError as exc:
        raise RecordError(
            "expected a scale like '4x'", field="request.scale_factor", value=value
        ) from exc
    if number <= 0:
        raise RecordError("must be positive", field="request.scale_factor", value=value)
    return number


def _is_request_file(path: Path) -> bool:
    text = head_text(path)
    return '"request"' in text and '"generated"' not in text


def _model_of(line: dict[str, Any], request: dict[str, Any]) -> str:
    endpoint = opt_str(line, "endpoint")
    if endpoint:
        return endpoint.rstrip("/").rsplit("/", 1)[-1]
    if any(key in request for key in _PRECISION_KEYS):
        return "image-upscaler-precision-v2"
    return "image-upscaler"


class MagnificAdapter(JoinedAdapter):
    name = "magnific"
    platform = "magnific"
    title = "Magnific upscaler (Freepik API)"
    suffixes = (".json", ".jsonl")
    formats = (
        'results {"data": {task_id, status, generated[]}} (one, a list, or JSON Lines) joined '
        "by task_id with the request log (JSON Lines {task_id, request: {image, scale_factor, "
        "creativity, ...}}); a joined request counts as merged"
    )
    reads = (
        "data.task_id, data.status, data.generated; request image, scale_factor, creativity, "
        "hdr, resemblance, fractality, optimized_for, engine, prompt, optional "
        "input_width/input_height; created_at/timestamp beside task_id"
    )
    cannot_know = (
        "time of the run (not in either record: file time unless the log adds it), output size "
        "(unless the log records the input size), credits"
    )

    def sniff(self, path: Path) -> bool:
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text) or '"task_status"' in text:
            return False
        result = has_all(text, '"data"', '"task_id"', '"generated"')
        return result or has_all(text, '"task_id"', '"request"', '"scale_factor"')

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        yield from read_joined(
            sources,
            is_request=_is_request_file,
            parse_request=self._request,
            parse_result=self._result,
            containers=("results",),
            hint="fetch GET /v1/ai/image-upscaler/<task_id> into the results",
        )

    def _request(self, source: Source, locator: str, line: dict[str, Any]) -> Pending:
        task_id = required(opt_str(line, "task_id"), "task_id")
        return logged_request(source, locator, line, task_id)

    def _result(self, source: Source, locator: str, obj: dict[str, Any], log: RequestLog) -> Item:
        data = required(expect(obj, "data", dict, "data"), "data")
        task_id = required(opt_str(data, "task_id", "data.task_id"), "data.task_id")
        status = required(opt_str(data, "status", "data.status"), "data.status")
        if status not in _STATUS:
            raise RecordError(
                "unknown task status", field="data.status", value=status, choices=_STATUS
            )
        generated = [str(url) for url in opt_list(data, "generated", "data.generated")]
        request = log.take(task_id)
        body, line = (request.body, request.line) if request else ({}, {})
        fields = self._from_request(body, line)
        created = any_time(line, _TIME_KEYS) or any_time(data, _TIME_KEYS, "data.")
        if created is None:
            created = mtime_utc(source.path)
            fields["attributes"][TIME_SOURCE] = "file_mtime"
        item = build(
            source,
            locator,
            self.name,
            id=f"magnific:{task_id}",
            platform=self.platform,
            modality="upscale",
            task="upscale",
            created_at=created,
            status=_STATUS[status],
            outputs=generated,
            outputs_count=len(generated),
            **fields,
        )
        return settle(request, item)

    def _from_request(self, body: dict[str, Any], line: dict[str, Any]) -> dict[str, Any]:
        attributes: dict[str, Any] = {}
        if not body:
            return {"attributes": attributes}
        scale = scale_of(body.get("scale_factor"))
        attributes["scale_factor"] = scale
        for key in _ATTRIBUTE_KEYS:
            value = body.get(key)
            if isinstance(value, str | int | float | bool):
                attributes[key] = value
        image = opt_str(body, "image", "request.image")
        width = opt_int(body, "input_width", "request.input_width")
        height = opt_int(body, "input_height", "request.input_height")
        width = opt_int(line, "input_width") if width is None else width
        height = opt_int(line, "input_height") if height is None else height
        return {
            "model": _model_of(line, body),
            "model_version": opt_str(body, "engine", "request.engine"),
            "prompt": opt_str(body, "prompt", "request.prompt"),
            "inputs": [AssetRef(uri=asset_uri(image), role="image")] if image else [],
            "width": round(width * scale) if width and scale else None,
            "height": round(height * scale) if height and scale else None,
            "attributes": {k: v for k, v in attributes.items() if v is not None},
        }

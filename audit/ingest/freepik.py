"""Freepik API: the Magnific upscaler and Mystic text-to-image (tasks ``{data: {task_id, status,
generated[]}}`` joined with the user's request log, one ``{task_id, endpoint?, request: {...}}`` per
line), and the classic synchronous text-to-image answer (``{data: [{base64, has_nsfw}], meta:
{prompt, seed, image: {size, width, height}, num_inference_steps, guidance_scale}}``).

The task result does not say which product ran it: the logged ``endpoint`` does (``/v1/ai/mystic``,
``/v1/ai/image-upscaler``, ``/v1/ai/image-to-video/<model>``), else a video output, else the
request body (``scale_factor`` is the upscaler's, ``duration`` a video model's; other bodies are
Mystic text-to-image), else the result itself (Mystic answers carry ``has_nsfw``).
Upscales are platform ``magnific`` (its own terms and profile), Mystic and classic images platform
``freepik``. A task still ``CREATED`` or ``IN_PROGRESS`` is status ``pending`` (work under way, its
result to come), and so is a Mystic request body saved alone (no task id, no result).

The result does not echo the request (platforms-and-rights.md §1.12 and §1.0 matrix): input image,
scale and creativity are only in the request log. Neither carries a time: a ``created_at`` (or
``timestamp``/``sent_at``) key written beside ``task_id`` by the user's script is used, else the
result file's modification time (attribute ``created_at_source: file_mtime``). The output size is
known only if the request log also records ``input_width``/``input_height``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._requests import Pending, RequestLog, logged_request, read_joined, settle
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_SOURCE,
    any_time,
    asset_uri,
    expect,
    mtime_utc,
    opt_dict,
    opt_float,
    opt_int,
    opt_list,
    opt_str,
    required,
    seconds_of,
    uri_of,
)
from audit.ingest.base import Item, JoinedAdapter, Source, build, head_text

#: data.status → Status; a task CREATED, QUEUED or IN_PROGRESS is work in progress.
_STATUS = {"COMPLETED": "succeeded", "FAILED": "failed", "CREATED": "pending"}
_STATUS |= {"IN_PROGRESS": "pending", "QUEUED": "pending"}
#: Request keys only Mystic takes (a body with one of them and no scale_factor is Mystic).
_MYSTIC_KEYS: tuple[str, ...] = ("creative_detailing", "structure_strength", "fixed_generation")
_MYSTIC_KEYS += ("filter_nsfw", "adherence", "styling", "structure_reference", "style_reference")
#: Product → (platform, modality, task) of its records.
_PRODUCTS = {
    "mystic": ("freepik", "image", "text_to_image"),
    "upscaler": ("magnific", "upscale", "upscale"),
    "video": ("freepik", "video", "text_to_video"),
}
_VIDEO_SUFFIXES = (".mp4", ".mov", ".webm")
#: Mystic keys holding a number or a flag, kept as attributes.
_MYSTIC_SCALARS = _MYSTIC_KEYS[:5]
#: Freepik's aspect-ratio names (Mystic and classic text-to-image), a sniffing marker.
_RATIO_NAMES: tuple[str, ...] = (
    "square_1_1",
    "widescreen_16_9",
    "social_story_9_16",
    "classic_4_3",
)
_RATIO_NAMES += ("traditional_3_4", "standard_3_2", "portrait_2_3", "social_post_4_5")
_TIME_KEYS = ("created_at", "timestamp", "sent_at", "requested_at")
#: Mystic request keys kept as attributes (renamed where the name is too generic).
_MYSTIC_ATTRIBUTES = {"resolution": "resolution", "aspect_ratio": "aspect_ratio"}
_MYSTIC_ATTRIBUTES |= {"engine": "engine", "hdr": "hdr"}
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
    return has_all(text, '"request"', '"task_id"') and '"generated"' not in text


def _mystic_marked(text: str) -> bool:
    """Keys or values only Mystic (or Freepik's text-to-image) writes."""
    markers = (*(f'"{key}"' for key in _MYSTIC_KEYS), *(f'"{n}"' for n in _RATIO_NAMES))
    return "/v1/ai/mystic" in text or any(marker in text for marker in markers)


def _model_of(line: dict[str, Any], request: dict[str, Any]) -> str:
    endpoint = opt_str(line, "endpoint")
    if endpoint:
        return endpoint.rstrip("/").rsplit("/", 1)[-1]
    if any(key in request for key in _PRECISION_KEYS):
        return "image-upscaler-precision-v2"
    return "image-upscaler"


def _product(
    line: dict[str, Any], body: dict[str, Any], data: dict[str, Any], generated: list[str]
) -> str:
    """Which product ran a task (``mystic``, ``upscaler`` or ``video``: the third-party video
    models Freepik serves, Kling, MiniMax, Seedance...): the logged endpoint, else the output's
    extension, else the body, else the answer's ``has_nsfw`` (Mystic's)."""
    endpoint = (opt_str(line, "endpoint") or "").lower()
    for product in ("mystic", "upscaler", "video"):
        if product in endpoint:
            return product
    if any(url.split("?", 1)[0].lower().endswith(_VIDEO_SUFFIXES) for url in generated):
        return "video"
    if body:
        if "scale_factor" in body:
            return "upscaler"
        return "video" if "duration" in body else "mystic"
    return "mystic" if "has_nsfw" in data else "upscaler"


def _created(line: dict[str, Any], data: dict[str, Any], path: Path) -> tuple[Any, str | None]:
    """The time logged beside the task id (or in the answer), else the file's time (flagged)."""
    created = any_time(line, _TIME_KEYS) or any_time(data, _TIME_KEYS, "data.")
    return (created, None) if created is not None else (mtime_utc(path), "file_mtime")


class MagnificAdapter(JoinedAdapter):
    """Freepik API tasks (Magnific upscales, Mystic and other images, hosted video models) joined by
    task id with the request log."""

    name = "magnific"
    platform = "magnific"
    title = "Freepik API: Magnific upscaler, Mystic, text-to-image and hosted video models"
    suffixes = (".json", ".jsonl")
    formats = (
        'task results {"data": {task_id, status, generated[], has_nsfw?}} (one, a list, or JSON '
        "Lines; the POST answer with status CREATED too) joined by task_id with the request log "
        "(JSON Lines {task_id, endpoint?, request: {...}}; a joined request counts as merged); a "
        "Mystic request body saved alone; tasks of the video models Freepik serves (Kling, "
        "MiniMax, Seedance...: told by the logged endpoint or a video output); the classic "
        "synchronous text-to-image answer "
        "{data: [{base64, has_nsfw}], meta: {prompt, seed, image: {size, width, height}, "
        "num_inference_steps, guidance_scale}}"
    )
    reads = (
        "data.task_id, data.status (COMPLETED, FAILED; CREATED and IN_PROGRESS as pending), "
        "data.generated, data.has_nsfw; upscaler request image, scale_factor, creativity, hdr, "
        "resemblance, fractality, optimized_for, engine, prompt, optional input_width/"
        "input_height; Mystic request prompt, model, resolution, aspect_ratio, engine, "
        "creative_detailing, structure_strength, adherence, hdr, fixed_generation, "
        "structure_reference, style_reference; classic answer meta prompt, seed, image.width/"
        "height/size, num_inference_steps, guidance_scale, data[].base64 (kept as sha256); "
        "endpoint and created_at/timestamp beside task_id"
    )
    cannot_know = (
        "time of the run (in no record: the logged time, else the file time, flagged); a task "
        "result alone does not say its product (Mystic answers carry has_nsfw; else read as an "
        "upscale); upscale output size unless the log records the input size; Mystic frame "
        "size (only its resolution class and aspect-ratio name); credits"
    )
    seen_in = (
        "Mystic request bodies (prompt, resolution 2k, aspect_ratio square_1_1, model realism, "
        "creative_detailing, engine, fixed_generation, filter_nsfw) and polling of "
        "/v1/ai/mystic/<task_id> until COMPLETED: Sultansahab17/JKBackend main.py; Mystic "
        "answers {task_id, status IN_PROGRESS/COMPLETED/FAILED, generated[], has_nsfw[]}: "
        "Freepik provider typings of public clients; Freepik endpoints and statuses: "
        "mtzyw/freepikapi freepik文档/, Must-be-Ash/ez402 freepik/get-mystic.md"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of Freepik task results, or a request log or body marked as Freepik's (scale factor,
        Mystic key)."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text) or '"task_status"' in text:
            return False
        if has_all(text, '"data"', '"task_id"', '"generated"'):
            return True
        if has_all(text, '"task_id"', '"request"'):
            return '"scale_factor"' in text or _mystic_marked(text)
        if has_all(text, '"data"', '"base64"', '"meta"'):
            return '"num_inference_steps"' in text or '"guidance_scale"' in text
        mystic_only = "/v1/ai/mystic" in text or any(f'"{k}"' in text for k in _MYSTIC_KEYS)
        return '"prompt"' in text and mystic_only and '"task_id"' not in text

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Request logs and task results of every claimed file, joined by task id."""
        yield from read_joined(
            sources,
            is_request=_is_request_file,
            parse_request=self._request,
            parse_result=self._result,
            containers=("results",),
            hint="fetch GET /v1/ai/<endpoint>/<task_id> (image-upscaler, mystic) into the results",
        )

    def _request(self, source: Source, locator: str, line: dict[str, Any]) -> Pending:
        task_id = required(opt_str(line, "task_id"), "task_id")
        return logged_request(source, locator, line, task_id)

    def _result(self, source: Source, locator: str, obj: dict[str, Any], log: RequestLog) -> Item:
        data = obj.get("data")
        if isinstance(data, list) and isinstance(obj.get("meta"), dict):
            return self._classic(source, locator, obj)
        if data is None and "prompt" in obj:
            return self._body_alone(source, locator, obj)
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
        product = _product(line, body, data, generated)
        platform, modality, task = _PRODUCTS[product]
        if product == "upscaler":
            fields = self._from_request(body, line)
        else:
            fields = (_mystic_fields if product == "mystic" else _video_fields)(body, line)
            task = fields.pop("task", task)
        created, origin = _created(line, data, source.path)
        if origin:
            fields["attributes"][TIME_SOURCE] = origin
        nsfw = [flag for flag in opt_list(data, "has_nsfw", "data.has_nsfw") if flag is True]
        if nsfw:
            fields["attributes"]["nsfw_flagged"] = len(nsfw)
        item = build(
            source,
            locator,
            self.name,
            id=f"{platform}:{task_id}",
            platform=platform,
            modality=modality,
            task=task,
            created_at=created,
            status=_STATUS[status],
            outputs=generated,
            outputs_count=len(generated) or (1 if _STATUS[status] == "pending" else 0),
            **fields,
        )
        return settle(request, item)

    def _body_alone(self, source: Source, locator: str, body: dict[str, Any]) -> Item:
        """A Mystic request body saved without task id or result: the call was made, its outcome
        is not known (status pending; id from the body's hash)."""
        fields = _mystic_fields(body, {})
        fields["attributes"][TIME_SOURCE] = "file_mtime"
        return build(
            source,
            locator,
            self.name,
            id=f"freepik:body-{_digest(body)}",
            platform="freepik",
            modality="image",
            task="text_to_image",
            created_at=any_time(body, _TIME_KEYS) or mtime_utc(source.path),
            status="pending",
            outputs=[],
            **fields,
        )

    def _classic(self, source: Source, locator: str, obj: dict[str, Any]) -> Item:
        """The synchronous text-to-image answer: images inline, the request echoed in ``meta``."""
        meta = obj["meta"]
        image = opt_dict(meta, "image", "meta.image")
        outputs, nsfw = [], 0
        for k, entry in enumerate(obj["data"]):
            if not isinstance(entry, dict):
                raise RecordError("expected an object", field=f"data.{k}", value=entry)
            outputs.append(uri_of({"data": entry.get("base64")}) or f"image-{k}")
            nsfw += entry.get("has_nsfw") is True
        attributes = {
            "guidance_scale": opt_float(meta, "guidance_scale", "meta.guidance_scale"),
            "image_size": opt_str(image, "size", "meta.image.size"),
            "nsfw_flagged": nsfw or None,
            TIME_SOURCE: "file_mtime",
        }
        first = outputs[0].removeprefix("sha256:") if outputs else _digest(meta)
        return build(
            source,
            locator,
            self.name,
            id=f"freepik:{first}",
            platform="freepik",
            model="text-to-image",
            modality="image",
            task="text_to_image",
            created_at=mtime_utc(source.path),
            prompt=opt_str(meta, "prompt", "meta.prompt"),
            negative_prompt=opt_str(meta, "negative_prompt", "meta.negative_prompt"),
            seed=opt_int(meta, "seed", "meta.seed"),
            steps=opt_int(meta, "num_inference_steps", "meta.num_inference_steps"),
            width=opt_int(image, "width", "meta.image.width"),
            height=opt_int(image, "height", "meta.image.height"),
            outputs=outputs,
            outputs_count=len(outputs),
            attributes={k: v for k, v in attributes.items() if v is not None},
        )

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


def _digest(obj: object) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _mystic_fields(body: dict[str, Any], line: dict[str, Any]) -> dict[str, Any]:
    """What a Mystic request body says: prompt, model (realism, fluid...), references, and the
    resolution class and aspect-ratio name (the frame size itself is not stated)."""
    attributes: dict[str, Any] = {
        _MYSTIC_ATTRIBUTES.get(key, key): body[key]
        for key in (*_MYSTIC_ATTRIBUTES, *_MYSTIC_SCALARS)
        if isinstance(body.get(key), str | int | float | bool)
    }
    inputs = []
    for key, role in (("structure_reference", "image"), ("style_reference", "sref")):
        if uri := uri_of(body.get(key)):
            inputs.append(AssetRef(uri=uri, role=role))
    endpoint = opt_str(line, "endpoint")
    return {
        "model": "mystic" if not endpoint else endpoint.rstrip("/").rsplit("/", 1)[-1],
        "model_version": opt_str(body, "model", "request.model"),
        "prompt": opt_str(body, "prompt", "request.prompt"),
        "seed": opt_int(body, "seed", "request.seed"),
        "inputs": inputs,
        "attributes": attributes,
    }


def _video_fields(body: dict[str, Any], line: dict[str, Any]) -> dict[str, Any]:
    """A video model served by Freepik: the model is the endpoint's last segment."""
    endpoint = opt_str(line, "endpoint")
    image = uri_of(body.get("image")) or uri_of(body.get("first_frame_image"))
    ratio = opt_str(body, "aspect_ratio", "request.aspect_ratio")
    return {
        "model": endpoint.rstrip("/").rsplit("/", 1)[-1] if endpoint else None,
        "task": "image_to_video" if image else "text_to_video",
        "prompt": opt_str(body, "prompt", "request.prompt"),
        "negative_prompt": opt_str(body, "negative_prompt", "request.negative_prompt"),
        "seed": opt_int(body, "seed", "request.seed"),
        "duration_s": seconds_of(body.get("duration"), "request.duration"),
        "inputs": [AssetRef(uri=image, role="image")] if image else [],
        "attributes": {"aspect_ratio": ratio} if ratio else {},
    }

"""Runway API: task objects (``GET /v1/tasks/{id}``) joined with the user's request log, and the
organization usage report as credit evidence.

The task says nothing of model, prompt, seed or ratio (platforms-and-rights.md §1.6, [P]): the
request log gives them, one JSON line per call ``{id, endpoint, request: {...}}`` where ``id`` is
the task id the create call returned (``task_id`` is accepted too). A joined request counts as
merged; a request without its task is rejected with the call that fetches it.

The usage report (``POST /v1/organization/usage`` → ``results[{date, usedCredits[{model,
amount}]}]``) counts credits per day and model for the whole organization, not per task: it is not
a generation and yields no record (never an invented one). Its figures are copied onto every task
of the same UTC day and model as attributes ``usage_day_credits`` (the organization's credits that
day for that model) and ``usage_day_tasks`` (how many tasks of that day and model were read), so
that the report can compare them; ``credits`` stays empty.

Runway resells other vendors' models: the model literal is kept, and attribute ``vendor`` names
the third party when the literal is one of theirs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef, Generation
from audit.ingest._records import each_record, json_records, reject_of
from audit.ingest._requests import Pending, RequestLog, read_requests, settle
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    expect,
    iso_time,
    opt_dict,
    opt_float,
    opt_int,
    opt_list,
    opt_str,
    required,
    seconds_of,
    size_of,
    uri_of,
)
from audit.ingest.base import Item, JoinedAdapter, Reject, Source, build, guarded, head_text

#: status → Status; a task PENDING, THROTTLED or RUNNING is work in progress.
_STATUS = {
    "SUCCEEDED": "succeeded", "FAILED": "failed", "CANCELLED": "cancelled",
    "PENDING": "pending", "THROTTLED": "pending", "RUNNING": "pending",
}  # fmt: skip
#: failureCode prefix of a task whose output the moderation blocked after the run (the
#: SAFETY.INPUT.* codes refuse the request before it runs: failed).
_OUTPUT_BLOCKED = "SAFETY.OUTPUT"
_UNFINISHED = ("PENDING", "THROTTLED", "RUNNING")
# fmt: off
#: Create endpoint → (modality, task).
ENDPOINTS: dict[str, tuple[str, str]] = {
    "image_to_video": ("video", "image_to_video"), "text_to_video": ("video", "text_to_video"),
    "video_to_video": ("video_edit", "video_to_video"), "text_to_image": ("image", "text_to_image"),
    "character_performance": ("video", "character_performance"),
    "sound_effect": ("sound", "sound_effect"), "text_to_speech": ("speech", "text_to_speech"),
    "speech_to_speech": ("speech", "speech_to_speech"),
    "voice_dubbing": ("speech", "voice_dubbing"), "voice_isolation": ("sound", "voice_isolation"),
    "image_upscale": ("upscale", "image_upscale"), "video_upscale": ("upscale", "video_upscale"),
}
#: Model literal prefixes of third-party models Runway resells (§1.6) → vendor.
VENDORS = (
    ("veo", "google"), ("gemini", "google"), ("seedance", "bytedance"), ("kling", "kling"),
    ("eleven", "elevenlabs"), ("magnific", "magnific"),
)
#: Request keys holding input references → AssetRef role.
_INPUT_ROLES = {
    "videoUri": "video", "imageUri": "image", "audioUri": "audio", "character": "character_ref",
    "reference": "video", "media": "audio", "referenceImages": "image_prompt",
}
# fmt: on
_POSITION_ROLES = {"first": "image", "last": "image_tail"}
_OUTPUT_KINDS = {".mp4": "video", ".mov": "video", ".webm": "video", ".png": "image"}
_OUTPUT_KINDS |= {".jpg": "image", ".jpeg": "image", ".webp": "image", ".mp3": "sound"}
_OUTPUT_KINDS |= {".wav": "sound"}
_ENDPOINT = re.compile(r"/v1/(" + "|".join(ENDPOINTS) + r")\b")
UsageKey = tuple[date, str]


def vendor_of(model: str | None) -> str | None:
    """The third party whose model a Runway literal names (``veo3.1`` → google), else None."""
    lowered = (model or "").lower()
    return next((vendor for prefix, vendor in VENDORS if lowered.startswith(prefix)), None)


def _kind_of(path: Path) -> str:
    text = head_text(path)
    if '"usedCredits"' in text:
        return "usage"
    return "requests" if _ENDPOINT.search(text) and '"request"' in text else "tasks"


def _from_outputs(outputs: list[str]) -> str:
    """Modality of a task read without its request: from the output file extension, else video."""
    for url in outputs:
        suffix = Path(url.split("?", 1)[0]).suffix.lower()
        if suffix in _OUTPUT_KINDS:
            return _OUTPUT_KINDS[suffix]
    return "video"


class RunwayAdapter(JoinedAdapter):
    """Runway API tasks joined with the request log; the usage report is read as a check, not as
    generations."""

    name = "runway"
    platform = "runway"
    title = "Runway API (tasks joined with request logs; usage report)"
    suffixes = (".json", ".jsonl")
    formats = (
        "task objects {id, status, createdAt, output[], failure, failureCode} (one per file, a "
        'list, {"tasks": [...]} or JSON Lines) joined by task id with the request log (JSON Lines '
        "{id, endpoint: /v1/<endpoint>, request: {...}}); the organization usage report "
        "{results: [{date, usedCredits: [{model, amount}]}]} yields no record: its per-day, "
        "per-model credits are copied onto the tasks of that day and model"
    )
    reads = (
        "task id, status (PENDING/THROTTLED/RUNNING: pending), createdAt, output[], "
        "failure, failureCode (SAFETY.OUTPUT.*: filtered), cost.credits, estimatedCost; the create answer's "
        "routing.estimatedCost.credits logged beside the request; request endpoint, model, promptText, promptImage (string or "
        "[{uri, position}]), videoUri, character, reference, referenceImages, ratio, duration, "
        "seed, voice.presetId, contentModeration.publicFigureThreshold; usage date, "
        "usedCredits[].model/amount"
    )
    cannot_know = (
        "model, prompt, inputs and modality without the request log (modality then from the "
        "output extension, else video); fps; credits per task unless the task or the create "
        "answer carries them (cost.credits charged, estimatedCost estimated; else only the "
        "usage report, per day and model); output URLs expire after 24-48 h"
    )
    seen_in = (
        "task objects {id, status, createdAt, output[], failure, failureCode}: runwayml/"
        "sdk-python tests/api_resources/test_tasks.py; create answers with routing "
        "{model, provider, estimatedCost: {credits}}: runwayml/sdk-python src/runwayml/types/"
        "generate/audio_create_response.py; usage report: runwayml/sdk-python "
        "tests/api_resources/test_organization.py"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of a Runway usage report, of request logs to its endpoints, or of task objects."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        if has_all(text, '"results"', '"usedCredits"'):
            return True
        if _ENDPOINT.search(text) and '"request"' in text:
            return True
        statuses = ("SUCCEEDED", "FAILED", "CANCELLED", *_UNFINISHED)
        status = any(f'"{word}"' in text for word in statuses)
        return status and has_all(text, '"createdAt"', '"status"', '"id"')

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Requests first, then the usage report, then the tasks joined to their requests and
        checked against the credits used."""
        kinds = {source: _kind_of(source.path) for source in sources}
        log = RequestLog()
        yield from read_requests([s for s in sources if kinds[s] == "requests"], self._request, log)
        usage: dict[UsageKey, float] = {}
        for source in (s for s in sources if kinds[s] == "usage"):
            yield from self._usage(source, usage)
        tasks: list[Item] = []
        for source in (s for s in sources if kinds[s] == "tasks"):
            pairs = json_records(source, ("tasks",))
            tasks += guarded(source, each_record(source, pairs, partial(self._task, source, log)))
        yield from _with_usage(tasks, usage)
        yield from log.outcomes("fetch GET /v1/tasks/<id> into logs/runway/tasks/")

    def _request(self, source: Source, locator: str, line: dict[str, Any]) -> Pending:
        task_id = required(opt_str(line, "id") or opt_str(line, "task_id"), "id")
        body = required(expect(line, "request", dict, "request"), "request")
        endpoint = _ENDPOINT.search(opt_str(line, "endpoint") or "")
        if endpoint is None:
            choices = [f"/v1/{name}" for name in ENDPOINTS]
            raise RecordError(
                "unknown endpoint", field="endpoint", value=line.get("endpoint"), choices=choices
            )
        return Pending(source, locator, (task_id,), body, {**line, "endpoint": endpoint.group(1)})

    def _usage(self, source: Source, usage: dict[UsageKey, float]) -> Iterator[Reject]:
        """Read the usage report into ``usage``; a bad row is rejected, a good one yields nothing."""
        try:
            rows = list(json_records(source, ("results",)))
        except RecordError as exc:
            yield reject_of(source, "file", exc)
            return
        for locator, row in rows:
            try:
                usage_row(row, usage)
            except RecordError as exc:
                yield reject_of(source, locator, exc)

    def _task(self, source: Source, log: RequestLog, locator: str, task: dict[str, Any]) -> Item:
        task_id = required(opt_str(task, "id"), "id")
        status = required(opt_str(task, "status"), "status")
        if status not in _STATUS:
            raise RecordError("unknown task status", field="status", value=status, choices=_STATUS)
        request = log.take(task_id)
        outputs = [str(url) for url in opt_list(task, "output") if isinstance(url, str)]
        attributes = {
            "failure": opt_str(task, "failure"),
            "failure_code": opt_str(task, "failureCode"),
        }
        fields = self._from_request(request, attributes) if request else {}
        fields.setdefault("modality", _from_outputs(outputs))
        credits, attributes["credits_source"] = credits_of(task, request.line if request else {})
        state = _STATUS[status]
        if state == "failed" and (attributes["failure_code"] or "").startswith(_OUTPUT_BLOCKED):
            state = "filtered"  # generated, then blocked by the output moderation
        item = build(
            source,
            locator,
            self.name,
            id=f"runway:{task_id}",
            platform=self.platform,
            created_at=required(iso_time(task, "createdAt"), "createdAt"),
            status=state,
            outputs=outputs,
            outputs_count=len(outputs) or (1 if state == "filtered" else 0),
            credits=credits,
            attributes={k: v for k, v in attributes.items() if v is not None},
            **fields,
        )
        return settle(request, item)

    def _from_request(self, request: Pending, attributes: dict[str, Any]) -> dict[str, Any]:
        body = request.body
        modality, task = ENDPOINTS[request.line["endpoint"]]
        model = opt_str(body, "model", "request.model")
        width, height = size_of(opt_str(body, "ratio", "request.ratio"), "request.ratio")
        moderation = opt_dict(body, "contentModeration", "request.contentModeration")
        attributes["public_figure_threshold"] = opt_str(
            moderation, "publicFigureThreshold", "request.contentModeration.publicFigureThreshold"
        )
        voice = opt_dict(body, "voice", "request.voice")
        attributes.update(vendor=vendor_of(model), ratio=body.get("ratio"))
        attributes["voice_preset"] = opt_str(voice, "presetId", "request.voice.presetId")
        return {
            "model": model,
            "modality": modality,
            "task": task,
            "prompt": opt_str(body, "promptText", "request.promptText"),
            "seed": opt_int(body, "seed", "request.seed"),
            "duration_s": seconds_of(body.get("duration"), "request.duration"),
            "width": width,
            "height": height,
            "inputs": _inputs(body),
        }


def credits_of(task: dict[str, Any], line: dict[str, Any]) -> tuple[float | None, str | None]:
    """Credits of a task and where they come from: ``cost.credits`` (charged), else an
    estimate (``estimatedCost``, a number or ``{credits}``, on the task; or the create answer's
    ``routing.estimatedCost.credits`` logged beside the request)."""
    cost = opt_dict(task, "cost")
    charged = opt_float(cost, "credits", "cost.credits")
    if charged is not None:
        return charged, "cost.credits"
    places: list[tuple[dict[str, Any], str]] = [(task, "estimatedCost")]
    response = opt_dict(line, "response")
    for holder, where in ((line, "routing"), (response, "response.routing")):
        places.append((opt_dict(holder, "routing", where), f"{where}.estimatedCost"))
    for holder, field in places:
        value = holder.get("estimatedCost")
        if isinstance(value, dict):
            value = opt_float(value, "credits", f"{field}.credits")
        elif value is not None:
            value = opt_float(holder, "estimatedCost", field)
        if value is not None:
            return value, field
    return None, None


def usage_row(row: object, usage: dict[UsageKey, float]) -> None:
    """Add one ``{date, usedCredits: [{model, amount}]}`` row of the usage report to ``usage``."""
    if not isinstance(row, dict):
        raise RecordError("not a JSON object", field="record", value=type(row).__name__)
    day = required(iso_time(row, "date"), "date").date()
    for k, used in enumerate(opt_list(row, "usedCredits")):
        field = f"usedCredits.{k}"
        if not isinstance(used, dict):
            raise RecordError("not a JSON object", field=field, value=type(used).__name__)
        model = required(opt_str(used, "model", f"{field}.model"), f"{field}.model")
        amount = required(opt_float(used, "amount", f"{field}.amount"), f"{field}.amount")
        usage[(day, model)] = usage.get((day, model), 0.0) + amount


def _inputs(body: dict[str, Any]) -> list[AssetRef]:
    """promptImage (a URI or [{uri, position}]) and the other endpoints' input references."""
    refs: list[AssetRef] = []
    prompt_image = body.get("promptImage")
    images = prompt_image if isinstance(prompt_image, list) else [prompt_image]
    for image in images:
        uri = uri_of(image)
        position = image.get("position") if isinstance(image, dict) else None
        if uri:
            refs.append(AssetRef(uri=uri, role=_POSITION_ROLES.get(str(position), "image")))
    for key, role in _INPUT_ROLES.items():
        value = body.get(key)
        for entry in value if isinstance(value, list) else [value]:
            uri = uri_of(entry)
            if uri:
                refs.append(AssetRef(uri=uri, role=role))
    return refs


def _with_usage(items: list[Item], usage: dict[UsageKey, float]) -> Iterator[Item]:
    """Copy the usage report's credits of each task's UTC day and model onto the task."""
    keys = {
        id(item): (item.created_at.date(), item.model)
        for item in items
        if isinstance(item, Generation) and item.model
    }
    counts = Counter(keys.values())
    for item in items:
        key = keys.get(id(item))
        if key is None or key not in usage or not isinstance(item, Generation):
            yield item
            continue
        extra = {"usage_day_credits": usage[key], "usage_day_tasks": counts[key]}
        yield item.model_copy(update={"attributes": {**item.attributes, **extra}})

"""Google Veo: long-running operations of the Gemini API and Vertex AI, joined with the request log.

Only the operation ``name`` carries the model (platforms-and-rights.md §1.8, [P]):
``models/veo-…/operations/<id>`` (Gemini API) or
``projects/…/publishers/google/models/veo-…/operations/<uuid>`` (Vertex AI). Prompt, inputs,
duration, fps, seed, size and audio are in the request only. The request log holds one JSON line
per call, ``{operation: <name>, request: {instances: [...], parameters: {...}}}`` (the body sent
and the operation name it returned; ``created_at`` optional), joined to the operation by name.

An operation with ``done`` false (or no ``done``: the create answer) is pending, work in progress;
one with ``error`` failed.
``outputs_count`` is the number of samples returned; samples the safety filter removed are
attribute ``rai_filtered_count`` (with ``rai_filtered_reasons``). When the filter removed every
sample (``raiMediaFilteredCount`` > 0, no sample: "You will not be charged"), the operation gets
status ``filtered``: no output, but the run happened, so its energy is still estimated (its
``outputs_count`` is the number of samples rendered then filtered). Neither record carries a time:
a ``created_at`` the logging script wrote (or ``metadata.createTime``) is used, else the file's
modification time (attribute ``created_at_source: file_mtime``).
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
    TIME_KEYS,
    TIME_SOURCE,
    any_time,
    expect,
    frame_of,
    iso_time,
    mtime_utc,
    opt_dict,
    opt_float,
    opt_int,
    opt_list,
    opt_str,
    pipe,
    ratio_of,
    required,
    short_side,
    uri_of,
)
from audit.ingest.base import Item, JoinedAdapter, Source, build, head_text

#: ``…models/<model>/operations/<id>`` in either service's operation name.
OPERATION = re.compile(r"models/(veo-[\w.-]+)/operations/([\w.-]+)$")
_SNIFF = re.compile(r"models/veo-[\w.-]+/operations/")
#: Instance keys holding input references → AssetRef role.
_INSTANCE_ROLES = {"image": "image", "lastFrame": "image_tail", "video": "video", "mask": "mask"}
#: referenceImages[].referenceType → role (an "asset" is a subject: person, character, product).
_REFERENCE_ROLES = {"asset": "subject_reference", "style": "sref"}
_PARAMETER_ATTRIBUTES = ("personGeneration", "aspectRatio", "resolution", "sampleCount")
_SNAKE = {"personGeneration": "person_generation", "aspectRatio": "aspect_ratio"}
_SNAKE |= {"sampleCount": "sample_count", "enhancePrompt": "enhance_prompt"}
_RAI_COUNT = ("raiMediaFilteredCount", "rai_media_filtered_count")
_RAI_REASONS = ("raiMediaFilteredReasons", "rai_media_filtered_reasons")


def parse_name(name: str, field: str = "name") -> tuple[str, str]:
    """(model, operation id) of an operation name."""
    match = OPERATION.search(name)
    if match is None:
        raise RecordError("expected '…models/veo-…/operations/<id>'", field=field, value=name)
    return match.group(1), match.group(2)


def _is_request_file(path: Path) -> bool:
    text = head_text(path)
    return '"instances"' in text and '"done"' not in text


#: Where each form keeps its samples: Gemini API REST, the google-genai SDK's dump (camelCase
#: by alias or snake_case), Vertex AI REST.
_SAMPLE_KEYS = ("generatedSamples", "generatedVideos", "generated_videos", "videos")


def _samples(response: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """(output URIs, the object holding the filter counts) of either service's response."""
    gemini = opt_dict(response, "generateVideoResponse", "response.generateVideoResponse")
    holder = gemini or response
    prefix = "response.generateVideoResponse." if gemini else "response."
    key = next((k for k in _SAMPLE_KEYS if k in holder), "videos")
    where = prefix + key
    outputs = []
    for k, sample in enumerate(opt_list(holder, key, where)):
        if not isinstance(sample, dict):
            raise RecordError("expected an object", field=f"{where}.{k}", value=sample)
        video = sample.get("video") if isinstance(sample.get("video"), dict) else sample
        outputs.append(uri_of(video) or f"sample-{k}")
    return outputs, holder


def _filtered(holder: dict[str, Any]) -> tuple[int | None, str | None]:
    """(samples the safety filter removed, its reasons), camelCase or the SDK's snake_case."""
    count_key = next((k for k in _RAI_COUNT if k in holder), _RAI_COUNT[0])
    reasons_key = next((k for k in _RAI_REASONS if k in holder), _RAI_REASONS[0])
    reasons = opt_list(holder, reasons_key, reasons_key)
    return opt_int(holder, count_key, count_key), pipe(str(r) for r in reasons)


class VeoAdapter(JoinedAdapter):
    """Google Veo long-running operations (Gemini API, Vertex AI, the SDK's dumps) joined with the
    request log."""

    name = "veo"
    platform = "veo"
    title = "Google Veo (Gemini API and Vertex AI operations joined with request logs)"
    suffixes = (".json", ".jsonl")
    formats = (
        "long-running operations {name, done, error, response} (one per file, a list, "
        '{"operations": [...]} or JSON Lines): Gemini API response.generateVideoResponse.'
        "generatedSamples[], Vertex AI response.videos[], the google-genai SDK's dumped "
        "operation (response or result .generated_videos[] / generatedVideos[], snake_case or "
        "camelCase); joined by operation name with the "
        "request log (JSON Lines {operation, request: {instances, parameters}})"
    )
    reads = (
        "name (model and operation id), done, error, generatedSamples[].video.uri / videos[]."
        "gcsUri, raiMediaFilteredCount/Reasons, metadata.createTime; request instances[0] "
        "prompt, image, lastFrame, video, referenceImages[], parameters sampleCount, "
        "durationSeconds, fps, seed, aspectRatio, resolution, personGeneration, generateAudio, "
        "negativePrompt"
    )
    cannot_know = (
        "prompt, inputs, duration, fps, seed and size without the request log; the time of the "
        "call unless the log or the operation metadata records it (else the file time); what a "
        "filtered sample would have shown (status filtered when every sample was filtered)"
    )
    seen_in = (
        "GenerateVideoResponse {generatedSamples, raiMediaFilteredCount, "
        "raiMediaFilteredReasons}: paragonsean/openapi-directory APIs/googleapis.com/aiplatform/"
        "v1beta1/java-client/docs/CloudAiLargeModelsVisionGenerateVideoResponse.md; "
        "operations polled until done: AubreyHan/GCP-Python veo3.py; the SDK's "
        "GenerateVideosOperation {name, done, error, response, result} and GenerateVideosResponse "
        "{generated_videos, rai_media_filtered_count, rai_media_filtered_reasons}: "
        "googleapis/python-genai google/genai/types.py, google/genai/tests/models/"
        "test_generate_videos.py; Vertex operation names: "
        "Purplemerit/storeiq-server VEO_CURRENT_STATUS.md"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of Veo operations or of requests to a Veo model."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        return not looks_canonical(text) and bool(_SNIFF.search(text))

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Request logs and operations of every claimed file, each request joined to its
        operation."""
        yield from read_joined(
            sources,
            is_request=_is_request_file,
            parse_request=self._request,
            parse_result=self._operation,
            containers=("operations",),
            hint="save the polled operation (done: true) into logs/veo/",
        )

    def _request(self, source: Source, locator: str, line: dict[str, Any]) -> Pending:
        name = required(opt_str(line, "operation") or opt_str(line, "name"), "operation")
        parse_name(name, "operation")
        return logged_request(source, locator, line, name)

    def _operation(self, source: Source, locator: str, op: dict[str, Any], log: RequestLog) -> Item:
        name = required(opt_str(op, "name"), "name")
        model, op_id = parse_name(name)
        done = expect(op, "done", bool, "done") is True  # absent: the create answer {name}
        error = opt_dict(op, "error")
        outputs, holder = _samples(opt_dict(op, "response") or opt_dict(op, "result"))
        filtered, reasons = _filtered(holder)
        request = log.take(name)
        fields = _from_request(request.body) if request else {"attributes": {}}
        attributes = fields["attributes"]
        line = request.line if request else {}
        metadata = opt_dict(op, "metadata")
        created = any_time(line, TIME_KEYS) or iso_time(
            metadata, "createTime", "metadata.createTime"
        )
        if created is None:
            created = mtime_utc(source.path)
            attributes[TIME_SOURCE] = "file_mtime"
        attributes.update(
            rai_filtered_count=filtered,
            rai_filtered_reasons=reasons,
            error_code=error.get("code"),
            error_message=opt_str(error, "message", "error.message"),
        )
        fields["attributes"] = {k: v for k, v in attributes.items() if v is not None}
        status = _status(error, outputs, attributes.get("rai_filtered_count"), done)
        item = build(
            source,
            locator,
            self.name,
            id=f"veo:{op_id}",
            platform=self.platform,
            model=model,
            modality="video",
            created_at=created,
            status=status,
            outputs=outputs,
            # a filtered run rendered the samples the filter then removed: they count as its work
            outputs_count=attributes["rai_filtered_count"]
            if status == "filtered"
            else len(outputs),
            **fields,
        )
        return settle(request, item)


def _status(error: dict[str, Any], outputs: list[str], filtered: object, done: bool) -> str:
    """``failed`` with an error; ``pending`` while not done (work in progress: the create answer
    or a poll saved too early); ``filtered`` when the safety filter removed every sample (the
    run happened, nothing was delivered, "You will not be charged"); else ``succeeded``."""
    if error:
        return "failed"
    if not done:
        return "pending"
    if not outputs and isinstance(filtered, int) and filtered > 0:
        return "filtered"
    return "succeeded"


def _from_request(body: dict[str, Any]) -> dict[str, Any]:
    instances = opt_list(body, "instances", "request.instances")
    instance = instances[0] if instances and isinstance(instances[0], dict) else {}
    params = opt_dict(body, "parameters", "request.parameters")
    f = "request.parameters."
    ratio = ratio_of(params.get("aspectRatio"), f + "aspectRatio")
    width, height = frame_of(short_side(params.get("resolution"), f + "resolution"), ratio)
    inputs = _inputs(instance)
    attributes: dict[str, Any] = {
        _SNAKE.get(key, key): params[key]
        for key in (*_PARAMETER_ATTRIBUTES, "enhancePrompt")
        if isinstance(params.get(key), str | int | float)
    }
    audio = expect(params, "generateAudio", bool, f + "generateAudio")
    attributes["with_audio"] = audio
    return {
        "task": _task(inputs),
        "prompt": opt_str(instance, "prompt", "request.instances.0.prompt"),
        "negative_prompt": opt_str(params, "negativePrompt", f + "negativePrompt"),
        "seed": opt_int(params, "seed", f + "seed"),
        "duration_s": opt_float(params, "durationSeconds", f + "durationSeconds"),
        "fps": opt_float(params, "fps", f + "fps"),
        "width": width,
        "height": height,
        "inputs": inputs,
        "attributes": attributes,
    }


def _inputs(instance: dict[str, Any]) -> list[AssetRef]:
    refs = []
    for key, role in _INSTANCE_ROLES.items():
        uri = uri_of(instance.get(key))
        if uri:
            refs.append(AssetRef(uri=uri, role=role))
    for ref in opt_list(instance, "referenceImages", "request.instances.0.referenceImages"):
        if isinstance(ref, dict):
            uri = uri_of(ref.get("image")) or uri_of(ref)
            kind = str(ref.get("referenceType") or "asset").lower()
            if uri:
                refs.append(AssetRef(uri=uri, role=_REFERENCE_ROLES.get(kind, "image_prompt")))
    return refs


def _task(inputs: list[AssetRef]) -> str:
    roles = {ref.role for ref in inputs}
    if "video" in roles:
        return "video_extend"
    if roles & {"subject_reference", "sref", "image_prompt"}:
        return "reference_to_video"
    return "image_to_video" if "image" in roles else "text_to_video"

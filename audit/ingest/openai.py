"""OpenAI: Images API responses and Sora video objects, with the calls logged as JSON Lines.

The Images API response has no id and no model (platforms-and-rights.md §1.7, [P]), so images are
read from the user's call log: one JSON line per SDK call, ``{endpoint, request, response}`` (the
request body beside the response it got; ``request_id`` and ``created_at`` optional). That line is
the join: nothing has to be matched across files. Its id is ``openai:<request_id>`` when logged,
else ``openai:img-`` + 16 hex of the sha256 of the response. A bare response file (no request) is
read too, without model or prompt.

Sora video objects (``GET /v1/videos/{id}``, one per file, a list, ``{"data": [...]}`` or JSON
Lines) echo model, prompt, seconds and size; a logged create call (``POST /v1/videos``, response
still ``queued``) is joined to the finished object by video id and adds the request's
``input_reference``. ``remixed_from_video_id`` is the parent.

Sora characters (``POST /v1/videos/characters`` → ``{id, created_at, name}``) are the likeness
(cameo) feature. A logged character call is evidence, not a generation: 0 records. A video whose
logged request mentions a character id gets attribute ``sora_characters`` (ids) and
``sora_character_names``, and an input ``openai-character:<id>`` with role ``character_ref``.
Without a logged request naming it, a character's use cannot be known.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._records import json_records, pointer, reject_of
from audit.ingest._requests import Pending, RequestLog, settle
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    b64_sha256,
    epoch_time,
    expect,
    opt_dict,
    opt_int,
    opt_list,
    opt_str,
    pipe,
    required,
    seconds_of,
    size_of,
    uri_of,
)
from audit.ingest.base import Item, JoinedAdapter, Reject, Source, build, guarded, head_text

_VIDEO_STATUS = {"completed": "succeeded", "failed": "failed"}
#: A video object still queued or in progress (the create response) is work in progress.
_VIDEO_PENDING = frozenset({"queued", "in_progress"})
_VIDEO_OBJECT = re.compile(r'"object"\s*:\s*"video"')
#: OpenAI endpoints as a call log writes them (Sora video ids start with ``video_``).
_ENDPOINTS = re.compile(
    r'"(?:https://api\.openai\.com)?/v1/(?:videos(?:/characters|/video_[\w-]+(?:/\w+)?)?'
    r'|images/(?:generations|edits|variations))"'
)
#: Images endpoint (last path part) → (modality, task).
_IMAGE_KINDS = {
    "generations": ("image", "text_to_image"),
    "edits": ("image_edit", "image_edit"),
    "variations": ("image", "variation"),
}
_IMAGE_ATTRIBUTES = ("quality", "output_format", "background", "moderation", "style")
Characters = dict[str, str]


def _endpoint(line: dict[str, Any]) -> str:
    return (opt_str(line, "endpoint") or "").split("?", 1)[0].rstrip("/")


def _is_character_call(line: dict[str, Any]) -> bool:
    return _endpoint(line).endswith("/videos/characters")


def _is_image_response(obj: dict[str, Any]) -> bool:
    return "created" in obj and isinstance(obj.get("data"), list) and obj.get("object") != "list"


def _strings(value: object) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class OpenAIAdapter(JoinedAdapter):
    """OpenAI call logs (Images API, Sora videos) and Sora video objects."""

    name = "openai"
    platform = "openai"
    title = "OpenAI (Images API call logs, Sora video objects)"
    suffixes = (".json", ".jsonl")
    formats = (
        "call logs, one JSON line per call {endpoint, request, response, request_id?, "
        "created_at?}: /v1/images/generations|edits|variations (joined on the line), POST "
        "/v1/videos (joined by video id with the finished video object), /v1/videos/characters "
        '(evidence: 0 records); Sora video objects {id, object: "video", ...} (one, a list, the '
        'list response {object: "list", data: [...]} or JSON Lines); bare Images API responses '
        "{created, data[]}"
    )
    reads = (
        "images: request model, prompt, n, size, quality, image/mask (edits); response created, "
        "data[].url/b64_json (sha256 of the bytes, never the bytes)/revised_prompt, size, "
        "quality, output_format, background, usage.input_tokens/output_tokens; Sora: id, model, "
        "status, prompt, seconds, size, remixed_from_video_id, created_at, completed_at, error, "
        "request input_reference; characters id, name"
    )
    cannot_know = (
        "an image's model and prompt without the logged request; seed and fps (not in either "
        "record); whether a Sora character was used unless a logged request names its id"
    )
    seen_in = (
        "Sora video objects {id, object: video, model, status, progress, prompt, seconds, size, "
        "created_at, completed_at, remixed_from_video_id, error}: openai/openai-python "
        "src/openai/types/video.py; Images API answers {created, data[url|b64_json, "
        "revised_prompt], size, quality, output_format, background, usage}: openai/openai-python "
        "src/openai/types/images_response.py"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of OpenAI video objects, of calls to its image or video endpoints, or of bare Images
        API answers."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        if _VIDEO_OBJECT.search(text) or _ENDPOINTS.search(text):
            return True
        inline = '"b64_json"' in text or '"revised_prompt"' in text or '"output_format"' in text
        return inline and has_all(text, '"created"', '"data"')

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Every record first (characters and pending create calls are needed by what follows),
        then one item per record; characters yield nothing."""
        records: list[Record] = []
        for source in sources:
            yield from guarded(source, _collect(source, records))
        characters: Characters = {}
        log = RequestLog()
        for source, locator, obj in _split(records, characters, log):
            try:
                yield self._record(source, locator, obj, log, characters)
            except RecordError as exc:
                yield reject_of(source, locator, exc)
        yield from self._unfinished(log, characters)
        yield from log.outcomes("fetch GET /v1/videos/<id> into logs/openai/")

    def _unfinished(self, log: RequestLog, chars: Characters) -> Iterator[Item]:
        """Create calls no finished video object completed: work in progress (status pending)."""
        for call in [req for req in log.pending if not req.used]:
            log.pending.remove(call)
            try:
                yield self._video(
                    call.source, call.locator, call.line["response"], call, chars, "/response"
                )
            except RecordError as exc:
                yield reject_of(call.source, call.locator, exc)

    def _record(
        self, source: Source, locator: str, obj: dict[str, Any], log: RequestLog, chars: Characters
    ) -> Item:
        response = expect(obj, "response", dict, "response")
        if response is None:
            if obj.get("object") == "video":
                return self._video(source, locator, obj, log.take(str(obj.get("id"))), chars)
            if _is_image_response(obj):
                return self._images(source, locator, obj, {})
            raise RecordError("neither a logged call, a video object nor an images response")
        if response.get("object") == "video":
            call = Pending(source, locator, (), opt_dict(obj, "request"), obj)
            return self._video(source, locator, response, call, chars, "/response")
        if _is_image_response(response):
            return self._images(source, locator, response, obj)
        raise RecordError("not an images or video response", field="response")

    def _video(
        self,
        source: Source,
        locator: str,
        video: dict[str, Any],
        call: Pending | None,
        chars: Characters,
        prefix: str = "",
    ) -> Item:
        f = partial(_field, prefix)
        video_id = required(opt_str(video, "id", f("id")), f("id"))
        status = required(opt_str(video, "status", f("status")), f("status"))
        if status not in _VIDEO_STATUS and status not in _VIDEO_PENDING:
            choices = [*_VIDEO_STATUS, *_VIDEO_PENDING]
            raise RecordError(
                "unknown video status", field=f("status"), value=status, choices=choices
            )
        created = required(epoch_time(video, "created_at", f("created_at")), f("created_at"))
        width, height = size_of(video.get("size"), f("size"))
        parent = opt_str(video, "remixed_from_video_id", f("remixed_from_video_id"))
        body = call.body if call else {}
        inputs, attributes = _video_extras(video, body, chars, f)
        task = "remix" if parent else _video_task(call, inputs)
        item = build(
            source,
            locator,
            self.name,
            id=f"openai:{video_id}",
            platform=self.platform,
            model=opt_str(video, "model", f("model")) or opt_str(body, "model", "request.model"),
            modality="video",
            task=task,
            created_at=created,
            prompt=opt_str(video, "prompt", f("prompt")) or opt_str(body, "prompt"),
            duration_s=seconds_of(video.get("seconds"), f("seconds")),
            width=width,
            height=height,
            status=_VIDEO_STATUS.get(status, "pending"),
            outputs_count=1 if status == "completed" else 0,
            outputs=[f"{video_id}.mp4"] if status == "completed" else [],
            inputs=inputs,
            parent_ids=[f"openai:{parent}"] if parent else [],
            attributes=attributes,
        )
        return settle(call, item)

    def _images(
        self, source: Source, locator: str, response: dict[str, Any], line: dict[str, Any]
    ) -> Item:
        f = partial(_field, "/response" if line else "")
        request = opt_dict(line, "request") if line else {}
        kind = _endpoint(line).rsplit("/", 1)[-1] if line else ""
        modality, task = _IMAGE_KINDS.get(kind, ("image", "text_to_image" if line else None))
        outputs, digests, revised = _image_data(response, f)
        usage = opt_dict(response, "usage", f("usage"))
        size = response.get("size") or request.get("size")
        width, height = size_of(size, f("size"))
        attributes: dict[str, Any] = {
            k: response.get(k, request.get(k))
            for k in _IMAGE_ATTRIBUTES
            if isinstance(response.get(k, request.get(k)), str)
        }
        attributes.update(
            revised_prompt=revised,
            n=opt_int(request, "n", "request.n"),
            request_id=opt_str(line, "request_id"),
        )
        if len(digests) == 1:
            attributes["output_sha256"] = digests[0]
        return build(
            source,
            locator,
            self.name,
            id=f"openai:{_image_id(line, response)}",
            platform=self.platform,
            model=opt_str(request, "model", "request.model"),
            modality=modality,
            task=task,
            created_at=required(epoch_time(response, "created", f("created")), f("created")),
            prompt=opt_str(request, "prompt", "request.prompt"),
            width=width,
            height=height,
            tokens_in=opt_int(usage, "input_tokens", f("usage.input_tokens")),
            tokens_out=opt_int(usage, "output_tokens", f("usage.output_tokens")),
            outputs=outputs,
            outputs_count=len(outputs),
            inputs=_image_inputs(request),
            attributes={k: v for k, v in attributes.items() if v is not None},
        )


Record = tuple[Source, str, dict[str, Any]]


def _collect(source: Source, records: list[Record]) -> Iterator[Item]:
    """Append the file's JSON objects to ``records`` (a list response ``{object: "list", data}``
    opened to its items); yield a Reject for each non-object."""
    for locator, obj in json_records(source):
        page = obj.get("data") if isinstance(obj, dict) and obj.get("object") == "list" else None
        if isinstance(page, list):
            base = "" if locator == "/" else locator
            pairs = [(f"{base}{pointer('data', k)}", item) for k, item in enumerate(page)]
        else:
            pairs = [(locator, obj)]
        for where, item in pairs:
            if isinstance(item, dict):
                records.append((source, where, item))
            else:
                kind = type(item).__name__
                yield Reject(source.name, where, "record", "not a JSON object", kind)


def _split(records: list[Record], characters: Characters, log: RequestLog) -> list[Record]:
    """Put character calls into ``characters`` and unfinished video calls into ``log``; return
    the other records."""
    rest: list[Record] = []
    for source, locator, obj in records:
        response = obj.get("response")
        if _is_character_call(obj) and isinstance(response, dict) and response.get("id"):
            characters[str(response["id"])] = str(response.get("name") or "")
        elif _is_pending_call(obj) and isinstance(response, dict):
            request = obj["request"] if isinstance(obj.get("request"), dict) else {}
            log.add(Pending(source, locator, (str(response["id"]),), request, obj))
        else:
            rest.append((source, locator, obj))
    return rest


def _is_pending_call(obj: dict[str, Any]) -> bool:
    """A logged video call whose response is not finished yet: a request waiting for its video."""
    response = obj.get("response")
    if not isinstance(response, dict) or response.get("object") != "video":
        return False
    return response.get("status") not in _VIDEO_STATUS and isinstance(response.get("id"), str)


def _field(prefix: str, name: str) -> str:
    return f"{prefix.strip('/')}.{name}" if prefix else name


def _video_task(call: Pending | None, inputs: list[AssetRef]) -> str | None:
    if call is None:
        return None
    return "image_to_video" if any(ref.role == "image" for ref in inputs) else "text_to_video"


def _video_extras(
    video: dict[str, Any], body: dict[str, Any], chars: Characters, f: Any
) -> tuple[list[AssetRef], dict[str, Any]]:
    """Inputs (input_reference, characters named by the request) and attributes."""
    inputs: list[AssetRef] = []
    reference = uri_of(body.get("input_reference"))
    if reference:
        inputs.append(AssetRef(uri=reference, role="image"))
    texts = list(_strings(body))
    used = sorted(cid for cid in chars if any(cid in text for text in texts))
    inputs += [AssetRef(uri=f"openai-character:{cid}", role="character_ref") for cid in used]
    error = opt_dict(video, "error", f("error"))
    created = epoch_time(video, "created_at", f("created_at"))
    done = epoch_time(video, "completed_at", f("completed_at"))
    attributes: dict[str, Any] = {
        "sora_characters": pipe(used),
        "sora_character_names": pipe(chars[cid] for cid in used),
        "error_code": opt_str(error, "code", f("error.code")),
        "error_message": opt_str(error, "message", f("error.message")),
        "elapsed_s": round((done - created).total_seconds(), 3) if created and done else None,
    }
    return inputs, {k: v for k, v in attributes.items() if v is not None}


def _image_data(response: dict[str, Any], f: Any) -> tuple[list[str], list[str], str | None]:
    """(outputs, sha256 of inline images, first revised prompt) of ``response.data``."""
    outputs: list[str] = []
    digests: list[str] = []
    revised: str | None = None
    for k, datum in enumerate(opt_list(response, "data", f("data"))):
        if not isinstance(datum, dict):
            raise RecordError("expected an object", field=f(f"data.{k}"), value=datum)
        url = opt_str(datum, "url", f(f"data.{k}.url"))
        inline = opt_str(datum, "b64_json", f(f"data.{k}.b64_json"))
        digest = b64_sha256(inline) if inline else None
        if inline and digest is None:
            raise RecordError("invalid base64", field=f(f"data.{k}.b64_json"))
        if digest:
            digests.append(digest)
        output = url or (f"sha256:{digest[:16]}" if digest else None)
        if output:
            outputs.append(output)
        revised = revised or opt_str(datum, "revised_prompt", f(f"data.{k}.revised_prompt"))
    return outputs, digests, revised


def _image_inputs(request: dict[str, Any]) -> list[AssetRef]:
    refs: list[AssetRef] = []
    for key, role in (("image", "image"), ("mask", "mask")):
        value = request.get(key)
        for entry in value if isinstance(value, list) else [value]:
            uri = uri_of(entry)
            if uri:
                refs.append(AssetRef(uri=uri, role=role))
    return refs


def _image_id(line: dict[str, Any], response: dict[str, Any]) -> str:
    request_id = opt_str(line, "request_id") if line else None
    if request_id:
        return request_id
    text = json.dumps(response, sort_keys=True, separators=(",", ":"))
    return "img-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

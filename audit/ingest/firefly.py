"""Adobe Firefly API: ``POST /v3/images/generate`` responses joined with their request, and the
asynchronous jobs of Firefly Services v3 (``{jobId, status, result}``, video jobs too).

The response ``{size, outputs[{seed, image{url}}], contentClass}`` has no id, no time and no
prompt (platforms-and-rights.md §1.13: [P] for ``size``, [S] for the rest). Calls are read from
the user's log, one JSON line per call ``{endpoint?, request, response, request_id?,
created_at?}``: the request sits beside its response, so the line is the join. The id is
``firefly:<request_id>`` when logged, else ``firefly:`` + 16 hex of the sha256 of the response.
A bare response (no request) is read too, without prompt or references.

Every Firefly output also carries C2PA Content Credentials: the model version and the signing
time are read from the files by ``audit/ingest/provenance.py``, not here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._records import each_record, json_records
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_SOURCE,
    expect,
    logged_time,
    opt_dict,
    opt_int,
    opt_list,
    opt_str,
    pipe,
    uri_of,
)
from audit.ingest.base import Adapter, Item, Source, build, head_text

#: Request blocks holding an image reference → role (a style reference only gives the look).
_REF_ROLES = {"style": "sref", "structure": "image"}
#: Asynchronous job status → record status (``running`` and ``pending`` are work under way).
_JOB_STATUS = {"succeeded": "succeeded", "failed": "failed", "canceled": "cancelled"}
_JOB_STATUS |= {"cancelled": "cancelled", "pending": "pending", "running": "pending"}


def _reference(request: dict[str, Any], block: str) -> str | None:
    """``request.<block>.imageReference.source`` as a URI (a URL, or ``firefly-upload:<id>``)."""
    reference = opt_dict(opt_dict(request, block, f"request.{block}"), "imageReference")
    source = opt_dict(reference, "source", f"request.{block}.imageReference.source")
    upload = opt_str(source, "uploadId", f"request.{block}.imageReference.source.uploadId")
    return uri_of(source) or (f"firefly-upload:{upload}" if upload else None)


def _outputs(response: dict[str, Any], prefix: str) -> tuple[list[str], list[int], bool]:
    """(image or video URLs, seeds, whether they are videos) of ``response.outputs``."""
    urls: list[str] = []
    seeds: list[int] = []
    video = False
    for k, output in enumerate(opt_list(response, "outputs", f"{prefix}outputs")):
        field = f"{prefix}outputs.{k}"
        if not isinstance(output, dict):
            raise RecordError("expected an object", field=field, value=output)
        seed = opt_int(output, "seed", f"{field}.seed")
        if seed is not None:
            seeds.append(seed)
        video = video or isinstance(output.get("video"), dict)
        kind = "video" if isinstance(output.get("video"), dict) else "image"
        url = uri_of(opt_dict(output, kind, f"{field}.{kind}"))
        if url:
            urls.append(url)
    return urls, seeds, video


def _job(obj: dict[str, Any]) -> tuple[dict[str, Any], str, str] | None:
    """(its result, job id, status) when ``obj`` is an asynchronous job ``{jobId, status,
    result}`` (the submit answer ``{jobId, statusUrl, cancelUrl}`` is a pending job)."""
    job_id = opt_str(obj, "jobId")
    if job_id is None:
        return None
    raw = (opt_str(obj, "status") or "pending").lower()
    if raw not in _JOB_STATUS:
        raise RecordError("unknown job status", field="status", value=raw, choices=_JOB_STATUS)
    return opt_dict(obj, "result"), job_id, _JOB_STATUS[raw]


def _attributes(
    line: dict[str, Any], request: dict[str, Any], response: dict[str, Any], seeds: list[int]
) -> dict[str, Any]:
    style = opt_dict(request, "style", "request.style")
    presets = opt_list(style, "presets", "request.style.presets")
    content = opt_str(response, "contentClass") or opt_str(response, "predictedContentClass")
    return {
        "content_class": content or opt_str(request, "contentClass"),
        "prompt_has_denied_words": expect(
            response, "promptHasDeniedWords", bool, "promptHasDeniedWords"
        ),
        "prompt_has_blocked_artists": expect(
            response, "promptHasBlockedArtists", bool, "promptHasBlockedArtists"
        ),
        "seeds": pipe(str(seed) for seed in seeds) if len(seeds) > 1 else None,
        "num_variations": opt_int(request, "numVariations", "request.numVariations"),
        "style_presets": pipe(str(preset) for preset in presets),
        "request_id": opt_str(line, "request_id"),
    }


def _call_id(line: dict[str, Any], response: dict[str, Any]) -> str:
    request_id = opt_str(line, "request_id") or opt_str(line, "x_request_id")
    if request_id:
        return request_id
    text = json.dumps(response, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class FireflyAdapter(Adapter):
    """Adobe Firefly API calls (request and response on one log line) and bare responses, one
    generation per call."""

    name = "firefly"
    platform = "firefly"
    title = "Adobe Firefly API (call logs)"
    suffixes = (".json", ".jsonl")
    formats = (
        "call logs, one JSON line per call {endpoint?, request, response, request_id?, "
        "created_at?} (the request joined to its response on the line); bare responses "
        "{size, outputs[], contentClass} (one, a list or JSON Lines); the Firefly Services v3 "
        "synchronous response {version, size, predictedContentClass, outputs[{seed, image: "
        "{presignedUrl}}]}; asynchronous jobs {jobId, status, progress?, result: {size, "
        "outputs[]}} and the submit answer {jobId, statusUrl, cancelUrl} (pending)"
    )
    reads = (
        "response size.width/height, version (model version), outputs[].seed, outputs[].image."
        "url/presignedUrl or outputs[].video, contentClass/predictedContentClass, "
        "promptHasDeniedWords, promptHasBlockedArtists; job jobId, status (pending/running as "
        "pending, succeeded, failed, canceled); request prompt, negativePrompt, numVariations, "
        "seeds, contentClass, style.presets, style.imageReference, structure.imageReference; "
        "request_id, created_at beside them"
    )
    cannot_know = (
        "time (in the files' C2PA credentials, read by the provenance stage; here the logged "
        "created_at, else the file time); prompt and references without the request; the "
        "model version when the response omits version (also in the C2PA credentials)"
    )
    seen_in = (
        "GenerateImagesResponse {size, outputs[{seed, image.url}], contentClass, "
        "promptHasDeniedWords, promptHasBlockedArtists} and AsyncResponseV3 {jobId, status, "
        "progress, result{size, outputs}, statusUrl, cancelUrl}: Firefly-Services/"
        "firefly-services-sdk-js packages/firefly/oas/FFApiOpenApi3.json; v3 response with "
        "version and image.presignedUrl: mikechambers/firefly-cl (GenerateImageResponse.swift, "
        "firefly/api/responses/GenerateImageResponse.swift)"
    )

    def sniff(self, path: Path) -> bool:
        """JSON holding a Firefly request (numVariations), job id or response (outputs with a
        content class or seed)."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        if '"numVariations"' in text:
            return True
        if '"jobId"' in text and ("urn:ff:jobs:" in text or "firefly" in text.lower()):
            return True
        markers = ('"contentClass"', '"predictedContentClass"', '"/v3/images/', '"/v3/videos/')
        # v2/v3 answers without a content class: presigned image URLs beside the size
        presigned = has_all(text, '"presignedUrl"', '"size"')
        marker = presigned or any(m in text for m in markers)
        return marker and has_all(text, '"outputs"', '"seed"')

    def read(self, source: Source) -> Iterator[Item]:
        """Each call or response of the file, with its JSON pointer."""
        pairs = json_records(source, ("calls",))
        yield from each_record(source, pairs, lambda loc, obj: self._call(source, loc, obj))

    def _call(self, source: Source, locator: str, obj: dict[str, Any]) -> Item:
        response = expect(obj, "response", dict, "response")
        line, prefix = (obj, "response.") if response is not None else ({}, "")
        if response is None:
            if "request" in obj:
                raise RecordError("request without its response: log both", field="response")
            response = obj
        job = _job(response)
        status, job_id = "succeeded", None
        if job is not None:
            response, job_id, status = job
            prefix += "result."
        request = opt_dict(line, "request")
        urls, seeds, video = _outputs(response, prefix)
        size = opt_dict(response, "size", f"{prefix}size") or opt_dict(request, "size")
        created, origin = logged_time(line, source.path)
        inputs = [
            AssetRef(uri=uri, role=role)
            for block, role in _REF_ROLES.items()
            if (uri := _reference(request, block))
        ]
        attributes = _attributes(line, request, response, seeds)
        attributes.update({TIME_SOURCE: origin, "job_id": job_id})
        to_image = any(r.role == "image" for r in inputs)
        return build(
            source,
            locator,
            self.name,
            id=f"firefly:{job_id or _call_id(line, response)}",
            platform=self.platform,
            model_version=opt_str(response, "version", f"{prefix}version"),
            modality="video" if video else "image",
            task=("image_to" if to_image else "text_to") + ("_video" if video else "_image"),
            created_at=created,
            status=status,
            prompt=opt_str(request, "prompt", "request.prompt"),
            negative_prompt=opt_str(request, "negativePrompt", "request.negativePrompt"),
            seed=seeds[0] if len(seeds) == 1 else None,
            width=opt_int(size, "width", "size.width"),
            height=opt_int(size, "height", "size.height"),
            outputs=urls,
            outputs_count=len(urls) or len(seeds) or (1 if status == "pending" else 0),
            inputs=inputs,
            attributes={k: v for k, v in attributes.items() if v is not None},
        )

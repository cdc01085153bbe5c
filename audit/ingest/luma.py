"""Luma Dream Machine API: ``Generation`` objects, which echo the request (platforms-and-rights.md
§1.9, [P]).

Accepted wrappings: one generation, a list, the list response ``{generations: [...], count,
has_more, ...}`` or JSON Lines. Everything comes from the one object: model, prompt, size class,
duration, keyframes (an image URL, or another generation: its parent), image/style/character
references. ``character_ref`` images get role ``character_ref`` (a likeness to clear).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._records import each_record, json_records
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    frame_of,
    iso_time,
    opt_dict,
    opt_list,
    opt_str,
    pipe,
    ratio_of,
    required,
    seconds_of,
    short_side,
    uri_of,
)
from audit.ingest.base import Adapter, Item, Source, build, head_text

#: state → Status; a generation queued or dreaming is work in progress.
_STATUS = {
    "completed": "succeeded", "failed": "failed", "queued": "pending", "dreaming": "pending",
}  # fmt: skip
#: Keyframe slot → role of an image keyframe.
_FRAME_ROLES = {"frame0": "image", "frame1": "image_tail"}
#: Request keys listing image references → role.
_REF_ROLES = {"image_ref": "image_prompt", "style_ref": "sref"}


def _kind(generation_type: str, request: dict[str, Any]) -> tuple[str, str]:
    """(modality, task) of a generation type (video, image, upscale_video, add_audio, ...)."""
    kind = generation_type.lower()
    if "upscale" in kind:
        return "upscale", kind
    if "audio" in kind:
        return "sound", kind
    if "modify" in kind or "reframe" in kind:
        return ("image_edit" if "image" in kind else "video_edit"), kind
    if kind == "image":
        if request.get("modify_image_ref"):
            return "image_edit", "modify_image"
        return "image", "image_to_image" if request.get("image_ref") else "text_to_image"
    keyframes = opt_dict(request, "keyframes", "request.keyframes")
    return "video", "image_to_video" if keyframes else "text_to_video"


def _keyframes(request: dict[str, Any]) -> tuple[list[AssetRef], list[str]]:
    """Inputs and parent ids of ``request.keyframes`` (``{type: image, url}`` or
    ``{type: generation, id}``)."""
    refs: list[AssetRef] = []
    parents: list[str] = []
    frames = opt_dict(request, "keyframes", "request.keyframes")
    for slot in sorted(frames):
        frame = frames[slot]
        if not isinstance(frame, dict):
            raise RecordError("expected an object", field=f"request.keyframes.{slot}", value=frame)
        if frame.get("type") == "generation":
            gen_id = required(opt_str(frame, "id", f"request.keyframes.{slot}.id"), "id")
            parents.append(f"luma:{gen_id}")
            refs.append(AssetRef(uri=f"gen:luma:{gen_id}", role="parent"))
        elif uri := uri_of(frame):
            refs.append(AssetRef(uri=uri, role=_FRAME_ROLES.get(slot, "image")))
    return refs, parents


def _references(request: dict[str, Any]) -> list[AssetRef]:
    refs: list[AssetRef] = []
    for key, role in _REF_ROLES.items():
        for entry in opt_list(request, key, f"request.{key}"):
            if uri := uri_of(entry):
                refs.append(AssetRef(uri=uri, role=role))
    identities = opt_dict(request, "character_ref", "request.character_ref")
    for name in sorted(identities):
        identity = identities[name] if isinstance(identities[name], dict) else {}
        for image in opt_list(identity, "images", f"request.character_ref.{name}.images"):
            if uri := uri_of(image):
                refs.append(AssetRef(uri=uri, role="character_ref"))
    if uri := uri_of(request.get("modify_image_ref")):
        refs.append(AssetRef(uri=uri, role="image"))
    return refs


def _outputs(assets: dict[str, Any], modality: str) -> list[str]:
    """The produced file: the video of a video generation (its image is a thumbnail)."""
    order: tuple[str, ...] = ("video", "image")
    if modality in ("image", "image_edit"):
        order = ("image", "video")
    elif modality == "sound":
        order = ("audio", "video")
    for key in order:
        value = assets.get(key)
        if isinstance(value, str) and value:
            return [value]
    return []


class LumaAdapter(Adapter):
    """Luma Dream Machine generation objects, which echo their request: one file is enough."""

    name = "luma"
    platform = "luma"
    title = "Luma Dream Machine API (generation objects)"
    suffixes = (".json", ".jsonl")
    formats = (
        'Generation objects (one, a list, {"generations": [...], count, has_more} or JSON '
        "Lines), request echoed inside each; also the API's earlier form without "
        "generation_type ({id, state, created_at, assets.video, version, request})"
    )
    reads = (
        "id, state, failure_reason, created_at, generation_type, model, version, "
        "assets.video/image; "
        "request model, prompt, aspect_ratio, resolution, duration ('5s'), loop, concepts[], "
        "camera_motion, keyframes.frame0/frame1 (image URL or parent generation), image_ref[], "
        "style_ref[], "
        "character_ref.identity*.images[], modify_image_ref"
    )
    cannot_know = (
        "seed, fps, credits per generation (only the account's credit_balance); the model of "
        "the earlier form (only its version, e.g. v1.6)"
    )
    seen_in = (
        "earlier Generation {id, assets.video, created_at, failure_reason, request{aspect_ratio, "
        "camera_motion, keyframes, loop, prompt}, state, version}: lumalabs/lumaai-python "
        "src/lumaai/types/generation.py (September 2024); current form with generation_type, "
        "model, resolution, duration: lumalabs/lumaai-python tests/api_resources/"
        "test_generations.py"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of Luma generations: generation_type with a state or assets, or the earlier form (a
        state word, a version and the echoed request)."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        if '"generation_type"' in text:
            return '"state"' in text or '"assets"' in text
        # the API's earlier form: no generation_type, a model "version", the request echoed
        states = ('"dreaming"', '"completed"', '"queued"', '"failed"')
        earlier = has_all(text, '"state"', '"request"', '"created_at"')
        return (
            earlier
            and ('"assets"' in text or '"version"' in text)
            and any(state in text for state in states)
        )

    def read(self, source: Source) -> Iterator[Item]:
        """Each generation object of the file, with its JSON pointer."""
        pairs = json_records(source, ("generations",))
        yield from each_record(source, pairs, lambda loc, obj: self._generation(source, loc, obj))

    def _generation(self, source: Source, locator: str, gen: dict[str, Any]) -> Item:
        gen_id = required(opt_str(gen, "id"), "id")
        state = required(opt_str(gen, "state"), "state")
        if state not in _STATUS:
            raise RecordError(
                "unknown generation state", field="state", value=state, choices=_STATUS
            )
        request = opt_dict(gen, "request")
        kind = opt_str(gen, "generation_type") or opt_str(request, "generation_type") or "video"
        modality, task = _kind(kind, request)
        inputs, parents = _keyframes(request)
        ratio = ratio_of(request.get("aspect_ratio"), "request.aspect_ratio")
        short = short_side(request.get("resolution"), "request.resolution")
        width, height = frame_of(short, ratio)
        outputs = _outputs(opt_dict(gen, "assets"), modality) if state == "completed" else []
        return build(
            source,
            locator,
            self.name,
            id=f"luma:{gen_id}",
            platform=self.platform,
            model=opt_str(gen, "model") or opt_str(request, "model", "request.model"),
            model_version=opt_str(gen, "version"),
            modality=modality,
            task=task,
            created_at=required(iso_time(gen, "created_at"), "created_at"),
            prompt=opt_str(request, "prompt", "request.prompt"),
            duration_s=seconds_of(request.get("duration"), "request.duration"),
            width=width,
            height=height,
            status=_STATUS[state],
            outputs=outputs,
            outputs_count=len(outputs),
            inputs=inputs + _references(request),
            parent_ids=parents,
            attributes=_attributes(gen, request),
        )


def _attributes(gen: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    concepts = [c.get("key") for c in opt_list(request, "concepts") if isinstance(c, dict)]
    found: dict[str, Any] = {
        "generation_type": opt_str(gen, "generation_type"),
        "aspect_ratio": opt_str(request, "aspect_ratio", "request.aspect_ratio"),
        "resolution": opt_str(request, "resolution", "request.resolution"),
        "loop": request.get("loop") if isinstance(request.get("loop"), bool) else None,
        "camera_motion": opt_str(request, "camera_motion", "request.camera_motion"),
        "concepts": pipe(str(c) for c in concepts if c),
        "failure_reason": opt_str(gen, "failure_reason"),
    }
    return {k: v for k, v in found.items() if v is not None}

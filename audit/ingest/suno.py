"""Suno: clip objects of the web app's JSON (no public API; platforms-and-rights.md §1.2, [S]).

Accepted wrappings: a list of clips, ``{"clips": [...]}`` (feed), a generate response (``{id, clips,
metadata, ...}``) or a list of generate responses. The clip says nothing of the plan tier, which
decides who owns the song; the rights audit compares ``created_at`` with the declared plans.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.errors import RecordError
from audit.ingest._records import each_record, json_records, pointer
from audit.ingest._sniff import is_json_suffix, looks_canonical
from audit.ingest._util import iso_time, opt_dict, opt_float, opt_list, opt_str, required
from audit.ingest.base import Adapter, Item, Source, build, head_text

#: Clip status → Status; a clip still submitted, queued or streaming is work in progress.
_STATUS = {
    "complete": "succeeded", "error": "failed",
    "submitted": "pending", "queued": "pending", "streaming": "pending",
}  # fmt: skip
_TASKS = {"gen": "text_to_music", "concat": "concat", "upsample": "upsample", "edit": "edit"}
_ATTRIBUTE_KEYS = ("title", "handle", "display_name", "is_public")


def _clips(source: Source) -> Iterator[tuple[str, Any]]:
    """Each clip with its JSON pointer; generate responses are opened to their ``clips``."""
    for locator, obj in json_records(source, ("clips",)):
        nested = obj.get("clips") if isinstance(obj, dict) else None
        if isinstance(nested, list):
            base = "" if locator == "/" else locator
            yield from ((f"{base}{pointer('clips', i)}", clip) for i, clip in enumerate(nested))
        else:
            yield locator, obj


def _lineage(clip_meta: dict[str, Any]) -> list[str]:
    """Parent clip ids: extensions (history, concat_history), edits and upsamples."""
    parents: list[str] = []
    for key in ("history", "concat_history"):
        for entry in opt_list(clip_meta, key, f"metadata.{key}"):
            clip_id = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(clip_id, str) and clip_id:
                parents.append(clip_id)
    for key in ("edited_clip_id", "upsample_clip_id"):
        clip_id = opt_str(clip_meta, key, f"metadata.{key}")
        if clip_id:
            parents.append(clip_id)
    return [f"suno:{p}" for p in dict.fromkeys(parents)]


def _prompt(meta: dict[str, Any]) -> str | None:
    """Description, style tags and lyrics together: the rights audit reads all three."""
    parts = [
        opt_str(meta, "gpt_description_prompt", "metadata.gpt_description_prompt"),
        opt_str(meta, "tags", "metadata.tags"),
        opt_str(meta, "prompt", "metadata.prompt"),
    ]
    text = "\n".join(p for p in parts if p)
    return text or None


class SunoAdapter(Adapter):
    name = "suno"
    platform = "suno"
    title = "Suno (clip JSON of the web app)"
    suffixes = (".json", ".jsonl")
    formats = (
        'clip objects: a list, {"clips": [...]} (feed), a generate response with clips, '
        "or one clip per JSON Lines line"
    )
    reads = (
        "id, status, model_name, major_model_version, created_at, audio_url, title, handle, "
        "metadata.duration, metadata.prompt (lyrics), gpt_description_prompt, tags, "
        "negative_tags, type, history/concat_history, edited_clip_id, upsample_clip_id"
    )
    cannot_know = "plan tier at generation time (declare it in rights/plans.csv), seed, credits"

    def sniff(self, path: Path) -> bool:
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        suno_model = '"chirp' in text or '"major_model_version"' in text
        return suno_model and ('"clips"' in text or '"audio_url"' in text)

    def read(self, source: Source) -> Iterator[Item]:
        yield from each_record(
            source, _clips(source), lambda loc, obj: self._clip(source, loc, obj)
        )

    def _clip(self, source: Source, locator: str, clip: dict[str, Any]) -> Item:
        clip_id = required(opt_str(clip, "id"), "id")
        status = required(opt_str(clip, "status"), "status")
        if status not in _STATUS:
            raise RecordError("unknown clip status", field="status", value=status, choices=_STATUS)
        meta = opt_dict(clip, "metadata")
        kind = opt_str(meta, "type", "metadata.type")
        audio = opt_str(clip, "audio_url")
        attributes = {k: clip[k] for k in _ATTRIBUTE_KEYS if isinstance(clip.get(k), str | bool)}
        if opt_str(meta, "tags", "metadata.tags"):
            attributes["tags"] = meta["tags"]
        if opt_str(meta, "error_message", "metadata.error_message"):
            attributes["error_message"] = meta["error_message"]
        return build(
            source,
            locator,
            self.name,
            id=f"suno:{clip_id}",
            platform=self.platform,
            account=opt_str(clip, "handle") or opt_str(clip, "user_id"),
            model=opt_str(clip, "model_name"),
            model_version=opt_str(clip, "major_model_version"),
            modality="music",
            task=_TASKS.get(kind or "", kind or "text_to_music"),
            created_at=required(iso_time(clip, "created_at"), "created_at"),
            prompt=_prompt(meta),
            negative_prompt=opt_str(meta, "negative_tags", "metadata.negative_tags"),
            duration_s=opt_float(meta, "duration", "metadata.duration"),
            outputs=[audio] if audio else [],
            outputs_count=1 if status == "complete" else 0,
            parent_ids=_lineage(meta),
            status=_STATUS[status],
            attributes=attributes,
        )

"""Suno: clip objects of the web app's JSON (no public API; platforms-and-rights.md §1.2, [S]).

Accepted wrappings: a list of clips, ``{"clips": [...]}`` (feed), a generate response (``{id, clips,
metadata, ...}``), a list of generate responses, and the task responses of the unofficial API
relays (``{code, data: {task_id, status, data: [clips]}}``, or ``data`` a list of such tasks;
their callbacks and record-info answers too: :mod:`audit.ingest.suno_relay`);
the flat clips of gcui-art/suno-api (``lyric``, ``tags``, ``duration`` beside ``id``) too.
A relay task that holds no clip yet is one pending (or failed) record ``suno:task:<task_id>``,
folded into the task's clips when another file has them.

Real clips carry ``ownership.ownership_reason`` (``"subscribed"``: made while on a paid plan),
read into the attribute ``ownership_reason``: evidence of the plan tier, which decides who owns
the song; the rights audit compares ``created_at`` with the declared plans.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import Generation
from audit.ingest._records import each_record
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_SOURCE,
    mtime_utc,
    opt_dict,
    opt_float,
    opt_list,
    opt_str,
    required,
    time_at,
)
from audit.ingest.base import Adapter, Item, Merged, Source, build, guarded, head_text
from audit.ingest.suno_relay import TASK_STATUS, Tasks, clips

#: Clip status → Status; a clip still submitted, queued or streaming is work in progress.
_STATUS = {
    "complete": "succeeded", "error": "failed",
    "submitted": "pending", "queued": "pending", "streaming": "pending",
}  # fmt: skip
_TASKS = {"gen": "text_to_music", "concat": "concat", "upsample": "upsample", "edit": "edit"}
_ATTRIBUTE_KEYS = ("title", "handle", "display_name", "is_public")


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


def _meta(clip: dict[str, Any], key: str) -> str | None:
    """``metadata.<key>`` of a clip, else the same key flat on the clip (relays, gcui-art)."""
    return opt_str(opt_dict(clip, "metadata"), key, f"metadata.{key}") or opt_str(clip, key)


def _prompt(clip: dict[str, Any]) -> str | None:
    """Description, style tags and lyrics together: the rights audit reads all three."""
    lyrics = _meta(clip, "prompt") or opt_str(clip, "lyric")
    parts = [_meta(clip, "gpt_description_prompt"), _meta(clip, "tags"), lyrics]
    text = "\n".join(p for p in parts if p)
    return text or None


class SunoAdapter(Adapter):
    """Suno clips from the web app's JSON and from unofficial API relays, one generation per
    clip."""

    name = "suno"
    platform = "suno"
    title = "Suno (clip JSON of the web app and of the API relays)"
    suffixes = (".json", ".jsonl")
    formats = (
        'clip objects: a list, {"clips": [...]} (feed), a generate response with clips, '
        "or one clip per JSON Lines line; unofficial API relay responses {code, data: {task_id, "
        "action, status, submit_time, data: [clips]}} or {code, data: [tasks]} (pointers "
        "/data/data/<i>; a task without clips is one pending or failed record "
        "suno:task:<task_id>, folded into its clips when another file has them; a LYRICS task "
        "is a text record); relay callbacks {code, msg, data: {callbackType, task_id, data: "
        "[clips without status]}} (complete/error for every clip; text/first: clips with audio "
        "complete, the others pending); flat clips of gcui-art/suno-api (lyric, tags, duration "
        "on the clip); sunoapi.org record-info {code, data: {taskId, status, errorMessage, "
        "response: {sunoData: [camelCase clips]}}} (pointers /data/response/sunoData/<i>; "
        "SUCCESS complete, FIRST_SUCCESS clips with audio complete, PENDING/TEXT_SUCCESS "
        "pending, *_FAILED/CALLBACK_EXCEPTION/SENSITIVE_WORD_ERROR failed)"
    )
    seen_in = (
        "relay fetch responses with ownership.ownership_reason: Foodie05/dart_suno test/; "
        "task statuses and actions: Suno-API/Suno-API entity/po/task.go; flat clips: "
        "gcui-art/suno-api src/lib/SunoApi.ts (AudioInfo); callbacks: yanghaemi/"
        "capstoneDesign_HEJZ HEJZ_back/src/main/java/com/HEJZ/HEJZ_back/dto/SunoResponse.java; "
        "record-info: gunmaProgramingAward/myakuRism app/src/main/java/com/example/myaku_rismu/"
        "domain/model/SunoTaskDetailsAppModel.kt"
    )
    reads = (
        "id, status, model_name, major_model_version, created_at (createTime in callbacks, "
        "else the task's submit_time), audio_url, title, handle, metadata.duration, metadata.prompt (lyrics), "
        "gpt_description_prompt, tags, negative_tags, type (each also flat on the clip), "
        "history/concat_history, edited_clip_id, upsample_clip_id, ownership.ownership_reason "
        "(attribute ownership_reason: 'subscribed' is the platform's word that the clip was "
        "made on a paid plan, which TERMS001 takes as plan evidence), relay task_id, status, "
        "fail_reason"
    )
    cannot_know = (
        "the plan tier when the clip does not carry ownership_reason (declare it in "
        "rights/plans.csv), seed, credits"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of Suno clips (a chirp model with clips or audio) or of a relay's tasks."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        suno_model = '"chirp' in text or '"major_model_version"' in text
        if suno_model and ('"clips"' in text or '"audio_url"' in text):
            return True
        if has_all(text, '"code"', '"taskId"', '"sunoData"'):
            return True  # sunoapi.org record-info
        if not has_all(text, '"code"', '"task_id"', '"data"'):
            return False
        suno = any(word in text for word in ("suno.ai", "suno.com", '"chirp'))
        music_task = '"submit_time"' in text and ('"MUSIC"' in text or '"LYRICS"' in text)
        return suno or music_task or '"callbackType"' in text

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Every file's clips; a relay task read without clips is folded into its clips when
        another file has them (the same task fetched again once finished)."""
        items = [item for source in sources for item in guarded(source, self.read(source))]
        clip_of: dict[str, str] = {}
        for item in items:
            if isinstance(item, Generation) and not item.id.startswith("suno:task:"):
                clip_of.setdefault(str(item.attributes.get("task_id")), item.id)
        for item in items:
            into = None
            if isinstance(item, Generation) and item.id.startswith("suno:task:"):
                into = clip_of.get(str(item.attributes.get("task_id")))
            if isinstance(item, Generation) and into is not None:
                yield Merged(item.source_file, item.source_locator, into)
            else:
                yield item

    def read(self, source: Source) -> Iterator[Item]:
        """Each clip of the file; a relay task without clips is one pending or failed record."""
        tasks: Tasks = {}

        def make(locator: str, obj: dict[str, Any]) -> Item:
            task = tasks.get(locator)
            if task is obj:
                return self._task(source, locator, task)
            return self._clip(source, locator, obj, task or {})

        yield from each_record(source, clips(source, tasks), make)

    def _task(self, source: Source, locator: str, task: dict[str, Any]) -> Item:
        """A relay task with no clip: pending while it runs, failed when it failed; a lyrics
        task (``action: LYRICS``) is a text generation of its own."""
        task_id = required(opt_str(task, "task_id"), "task_id")
        word = required(opt_str(task, "status"), "status").upper()
        lyrics = opt_str(task, "action") == "LYRICS"
        allowed = {k: v for k, v in TASK_STATUS.items() if lyrics or v != "succeeded"}
        if word not in allowed:
            reason = "relay task status" if word in TASK_STATUS else "unknown relay task status"
            raise RecordError(
                f"{reason} without clips", field="status", value=word, choices=allowed
            )
        lyric = opt_dict(task, "data") if isinstance(task.get("data"), dict) else {}
        created = time_at(task, "submit_time")
        attributes = {
            "task_id": task_id,
            "fail_reason": opt_str(task, "fail_reason"),
            "title": opt_str(lyric, "title", "data.title"),
            TIME_SOURCE: None if created else "file_mtime",
        }
        return build(
            source,
            locator,
            self.name,
            id=f"suno:task:{task_id}",
            platform=self.platform,
            modality="text" if lyrics else "music",
            task="lyrics" if lyrics else "text_to_music",
            created_at=created or mtime_utc(source.path),
            outputs_count=1 if allowed[word] == "succeeded" else 0,
            status=allowed[word],
            attributes={k: v for k, v in attributes.items() if v is not None},
        )

    def _clip(
        self, source: Source, locator: str, clip: dict[str, Any], task: dict[str, Any]
    ) -> Item:
        clip_id = required(opt_str(clip, "id"), "id")
        status = _status(clip, task)
        if status not in _STATUS:
            raise RecordError("unknown clip status", field="status", value=status, choices=_STATUS)
        meta = opt_dict(clip, "metadata")
        kind = _meta(clip, "type")
        audio = opt_str(clip, "audio_url")
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
            created_at=required(_created(clip, task), "created_at"),
            prompt=_prompt(clip),
            negative_prompt=_meta(clip, "negative_tags"),
            duration_s=_duration(clip),
            outputs=[audio] if audio else [],
            outputs_count=1 if status == "complete" else 0,
            parent_ids=_lineage(meta),
            status=_STATUS[status],
            attributes=_attributes(clip, task),
        )


def _created(clip: dict[str, Any], task: dict[str, Any]) -> Any:
    """The clip's ``created_at`` (``createTime`` in callbacks), else the relay task's
    ``submit_time``."""
    return (
        time_at(clip, "created_at")
        or time_at(clip, "createTime")
        or time_at(task, "submit_time", "task.submit_time")
    )


def _status(clip: dict[str, Any], task: dict[str, Any]) -> str:
    """The clip's ``status``; in a relay's callback (no clip status), from its
    ``callbackType``: complete and error for every clip, text and first (not every track done
    yet) complete for a clip with audio, streaming for the others."""
    status = opt_str(clip, "status")
    kind = opt_str(task, "callbackType", "callbackType")
    if status or kind is None:
        return str(required(status, "status"))
    if kind in ("complete", "error"):
        return kind
    return "complete" if opt_str(clip, "audio_url") else "streaming"


def _duration(clip: dict[str, Any]) -> float | None:
    found = opt_float(opt_dict(clip, "metadata"), "duration", "metadata.duration")
    return found if found is not None else opt_float(clip, "duration")


def _attributes(clip: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    """Title, handle...; style tags; error message; ownership reason (plan evidence); task."""
    attributes = {k: clip[k] for k in _ATTRIBUTE_KEYS if isinstance(clip.get(k), str | bool)}
    ownership = opt_dict(clip, "ownership")
    found = {
        "tags": _meta(clip, "tags"),
        "error_message": _meta(clip, "error_message"),
        "ownership_reason": opt_str(ownership, "ownership_reason", "ownership.ownership_reason"),
        "task_id": opt_str(task, "task_id", "task.task_id"),
    }
    attributes.update({k: v for k, v in found.items() if v is not None})
    return attributes

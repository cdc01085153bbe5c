"""Udio: song objects as community clients save them, and the tasks of API services that relay
Udio (no official API; platforms-and-rights.md §1.3, [S]).

Accepted wrappings: one song, a list, ``{"songs": [...]}`` or JSON Lines; and a relay's task
``{task_id, status, input?, output: {songs: [...]}, meta: {created_at, ...}}``, also wrapped as
``{code, data: {...}}`` or a webhook's ``{data: {...}}``. Each song of a task is one generation
(JSON pointer to the song); it is dated by its own ``created_at``, else by the task's
``meta.created_at``, else by the file's modification time (attribute ``created_at_source``). A task
without songs is one record with the task's status (``failed``, or ``pending`` while it runs).

Prompt and lyrics are kept apart (``prompt``, ``lyrics``): the rights audit screens both. An
extension names the song it continues (``audio_conditioning_song_id``): its parent. Udio disabled
downloads in November 2025: later productions may hold only audio files and declarations.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.ingest._records import json_records, pointer, reject_of
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_SOURCE,
    any_time,
    expect,
    mtime_utc,
    opt_dict,
    opt_float,
    opt_int,
    opt_list,
    opt_str,
    pipe,
    required,
)
from audit.ingest.base import Adapter, Item, Reject, Source, build, head_text

_ATTRIBUTE_KEYS = ("title", "audio_conditioning_type", "crop_start_time")
#: A relay task's status → record status (songs of a running task are pending).
_TASK_STATUS = {"completed": "succeeded", "success": "succeeded", "failed": "failed"}
_TASK_STATUS |= {"pending": "pending", "processing": "pending", "staged": "pending"}
_TASK_STATUS |= {"running": "pending", "queued": "pending"}


def _task_of(obj: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """(the task, the pointer prefix of its fields) when ``obj`` is a relay task, else None."""
    data = obj.get("data")
    if isinstance(data, dict) and ("task_id" in data or "output" in data):
        return data, "/data"
    if "task_id" in obj or isinstance(obj.get("output"), dict):
        return obj, ""
    return None


class UdioAdapter(Adapter):
    """Udio songs from community clients and relay APIs, one generation per song."""

    name = "udio"
    platform = "udio"
    title = "Udio (song JSON of community clients; tasks of relay APIs)"
    suffixes = (".json", ".jsonl")
    formats = (
        'song objects: one, a list, {"songs": [...]} or one per JSON Lines line; relay tasks '
        "{task_id, status, input, output: {songs: [...]}, meta: {created_at}} (bare, "
        "{code, data: {...}} or a webhook's {data: {...}}), one generation per song"
    )
    reads = (
        "id, title, song_path, finished, prompt, lyrics (apart), tags, seed (-1 = random), "
        "duration, audio_conditioning_song_id (parent), audio_conditioning_type, "
        "crop_start_time, created_at; task task_id, status, model, meta.created_at (the songs' "
        "date when they carry none), input gpt_description_prompt / prompt / lyrics_type / "
        "seed / negative_tags, error"
    )
    cannot_know = (
        "Udio's model version, plan tier (declare it in rights/plans.csv), credits; the time "
        "unless the song or its task carries it (else the file time); which relay ran a task "
        "(its model name only, e.g. music-u)"
    )
    seen_in = (
        "relay task {task_id, status, output: {songs: [{id, song_path, title, lyrics, "
        "image_path, duration}]}} and its webhook {data: {...}}, and music-u task inputs "
        "(gpt_description_prompt, lyrics_type, negative_tags, seed): simplysparsh/BabyMusic-AI "
        "udio_api.md; song objects {id, title, song_path, finished}: community wrappers "
        "(flowese/UdioWrapper as listed in coolboylcy/skills skills/ivangdavila/udio/api.md)"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of Udio songs (song_path) or of a relay's music tasks."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        return '"song_path"' in text or has_all(text, '"task_id"', '"music-u"')

    def read(self, source: Source) -> Iterator[Item]:
        """Each song of the file, alone or in a relay task, with its JSON pointer."""
        for locator, obj in json_records(source, ("songs",)):
            if not isinstance(obj, dict):
                yield Reject(
                    source.name, locator, "record", "not a JSON object", type(obj).__name__
                )
                continue
            try:
                task = _task_of(obj)
                if task is None:
                    yield self._song(source, locator, obj, {})
                else:
                    yield from self._task(source, locator, *task)
            except RecordError as exc:
                yield reject_of(source, locator, exc)

    def _task(
        self, source: Source, locator: str, task: dict[str, Any], prefix: str
    ) -> Iterator[Item]:
        """Each song of a relay task (a bad song is one reject), or the task itself if none."""
        where = "" if locator == "/" else locator
        f = prefix.strip("/").replace("/", ".") + "." if prefix else ""
        task_id = required(opt_str(task, "task_id", f + "task_id"), f + "task_id")
        status = (opt_str(task, "status", f + "status") or "completed").lower()
        if status not in _TASK_STATUS:
            choices = sorted(_TASK_STATUS)
            raise RecordError(
                "unknown task status", field=f + "status", value=status, choices=choices
            )
        context = {"task": task, "status": _TASK_STATUS[status], "field": f}
        output = opt_dict(task, "output", f + "output")
        songs = opt_list(output, "songs", f + "output.songs")
        if not songs:
            yield self._task_alone(source, where + prefix or "/", task_id, context)
        for k, song in enumerate(songs):
            song_locator = where + prefix + pointer("output", "songs", k)
            if not isinstance(song, dict):
                yield Reject(source.name, song_locator, "record", "not a JSON object", "")
                continue
            try:
                yield self._song(source, song_locator, song, context)
            except RecordError as exc:
                yield reject_of(source, song_locator, exc)

    def _task_alone(
        self, source: Source, locator: str, task_id: str, context: dict[str, Any]
    ) -> Item:
        """A task without songs: failed, or still running (pending)."""
        task = context["task"]
        inputs = opt_dict(task, "input", context["field"] + "input")
        created, origin = _task_time(task, context["field"], source.path)
        error = opt_dict(task, "error", context["field"] + "error")
        attributes = {"task_id": task_id, "relay_model": opt_str(task, "model")}
        attributes[TIME_SOURCE] = origin if origin == "file_mtime" else None
        attributes["error"] = opt_str(error, "message") or opt_str(task, "error")
        prompt, lyrics = _input_texts(inputs)
        return build(
            source,
            locator,
            self.name,
            id=f"udio:task-{task_id}",
            platform=self.platform,
            modality="music",
            task="text_to_music",
            created_at=created,
            status=context["status"],
            prompt=prompt,
            lyrics=lyrics,
            outputs=[],
            outputs_count=1 if context["status"] == "pending" else 0,
            attributes={k: v for k, v in attributes.items() if v is not None},
        )

    def _song(
        self, source: Source, locator: str, song: dict[str, Any], context: dict[str, Any]
    ) -> Item:
        song_id = required(opt_str(song, "id"), "id")
        finished = expect(song, "finished", bool, "finished")
        if finished is None and not context:  # a client's song says whether it is rendered
            raise RecordError("required (true, or false while it renders)", field="finished")
        status = context.get("status", "succeeded")
        if finished is False and status == "succeeded":
            status = "failed" if song.get("error_type") or song.get("error_code") else "pending"
        attributes = {k: song[k] for k in _ATTRIBUTE_KEYS if isinstance(song.get(k), str | int)}
        created = any_time(song, ("created_at",))
        if created is None:
            created, origin = _task_time(
                context.get("task", {}), context.get("field", ""), source.path
            )
            attributes[TIME_SOURCE] = origin
        task = context.get("task", {})
        prompt, lyrics = _input_texts(opt_dict(task, "input", context.get("field", "") + "input"))
        attributes.update(_task_attributes(song, task))
        seed = opt_int(song, "seed")
        parent = opt_str(song, "audio_conditioning_song_id")
        path = opt_str(song, "song_path")
        return build(
            source,
            locator,
            self.name,
            id=f"udio:{song_id}",
            platform=self.platform,
            modality="music",
            task=(opt_str(song, "audio_conditioning_type") or "extend")
            if parent
            else "text_to_music",
            created_at=created,
            status=status,
            prompt=opt_str(song, "prompt") or prompt,
            lyrics=opt_str(song, "lyrics") or lyrics,
            seed=seed if seed is not None and seed >= 0 else None,
            duration_s=opt_float(song, "duration"),
            outputs=[path] if path and status == "succeeded" else [],
            outputs_count=1 if path or status == "pending" else 0,
            parent_ids=[f"udio:{parent}"] if parent else [],
            attributes={k: v for k, v in attributes.items() if v is not None},
        )


def _task_time(task: dict[str, Any], field: str, path: Path) -> tuple[datetime, str | None]:
    """The task's own date (``meta.created_at``, else ``created_at``), else the file's time."""
    meta = opt_dict(task, "meta", field + "meta")
    created = any_time(meta, ("created_at", "started_at"), field + "meta.") or any_time(
        task, ("created_at",), field
    )
    if created is not None:
        return created, ("task.meta.created_at" if task else None)
    return mtime_utc(path), "file_mtime"


def _input_texts(inputs: dict[str, Any]) -> tuple[str | None, str | None]:
    """(prompt, lyrics) of a relay task's input: ``prompt`` holds the lyrics when
    ``lyrics_type`` is ``user``; the description is ``gpt_description_prompt``."""
    description = opt_str(inputs, "gpt_description_prompt", "input.gpt_description_prompt")
    text = opt_str(inputs, "prompt", "input.prompt")
    if opt_str(inputs, "lyrics_type", "input.lyrics_type") == "user":
        return description, text or opt_str(inputs, "lyrics", "input.lyrics")
    return description or text, opt_str(inputs, "lyrics", "input.lyrics")


def _task_attributes(song: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    tags = song.get("tags")
    tag_text = pipe(str(t) for t in tags) if isinstance(tags, list) else opt_str(song, "tags")
    return {
        "tags": tag_text,
        "task_id": opt_str(task, "task_id"),
        "relay_model": opt_str(task, "model"),
        "error": opt_str(song, "error_detail") or opt_str(song, "error_type"),
    }

"""ElevenLabs Music: the web app's ``GET /v1/music/chats`` objects (read by the ElevenLabs adapter).

A chat is a prompt thread; the generation is its ``song`` (one level down): ``song.id``,
``song.status`` (``completed``...), ``song.created_at_utc``/``finished_at_utc`` (ISO 8601, UTC),
``song.generation_settings`` (``model_id``, ``prompt``, ``song_length_ms``), ``song.metadata``
(title, genres, languages) and ``song.download_url`` (a signed link, kept without its query).
A chat seen before its song is filled in carries only ``current_song_id``: it is read as a
pending record of that song, which the finished song of the same id replaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit.base.errors import RecordError
from audit.ingest._records import json_records, pointer
from audit.ingest._util import opt_dict, opt_float, opt_list, opt_str, pipe, required, time_at
from audit.ingest.base import Item, Source, build

#: ``song.status`` → Status.
STATUS = {
    "completed": "succeeded", "complete": "succeeded", "succeeded": "succeeded",
    "failed": "failed", "error": "failed", "cancelled": "cancelled", "canceled": "cancelled",
    "pending": "pending", "queued": "pending", "generating": "pending",
    "processing": "pending", "in_progress": "pending", "started": "pending",
}  # fmt: skip
#: What tells a music chat in the first bytes of a file.
MARKERS = ('"current_song_id"', '"generation_settings"')


def looks_like_music(text: str) -> bool:
    """Whether sniffed text holds Music chat markers and a UTC timestamp field."""
    return any(marker in text for marker in MARKERS) and '_at_utc"' in text


def chats(source: Source) -> Iterator[tuple[str, Any]]:
    """Each chat with its JSON pointer: ``{"chats": [...]}``, a list of pages or of chats, one
    chat, or one per JSON Lines line."""
    for locator, obj in json_records(source, ("chats",)):
        nested = obj.get("chats") if isinstance(obj, dict) else None
        if isinstance(nested, list):
            base = "" if locator == "/" else locator
            yield from ((f"{base}{pointer('chats', i)}", chat) for i, chat in enumerate(nested))
        else:
            yield locator, obj


def _download(url: str | None) -> list[str]:
    """The song's download link without its signature (the query expires within a day)."""
    return [url.split("?", 1)[0]] if url else []


def music_item(source: Source, locator: str, chat: dict[str, Any], adapter: str) -> Item:
    """One song of a music chat as a generation (modality music)."""
    song = opt_dict(chat, "song")
    song_id = opt_str(song, "id", "song.id") or opt_str(chat, "current_song_id")
    song_id = required(song_id, "song.id")
    settings = opt_dict(song, "generation_settings", "song.generation_settings")
    meta = opt_dict(song, "metadata", "song.metadata")
    word = (opt_str(song, "status", "song.status") or ("" if song else "pending")).lower()
    if word not in STATUS:
        raise RecordError("unknown song status", field="song.status", value=word, choices=STATUS)
    created = time_at(song, "created_at_utc", "song.created_at_utc")
    created = created or time_at(chat, "created_at_utc")
    finished = time_at(song, "finished_at_utc", "song.finished_at_utc")
    length_ms = opt_float(settings, "song_length_ms", "song.generation_settings.song_length_ms")
    title = opt_str(meta, "title", "song.metadata.title") or opt_str(chat, "title")
    attributes: dict[str, Any] = {
        "chat_id": opt_str(chat, "id"),
        "source": opt_str(song, "product_type_source", "song.product_type_source") or "Music",
        "title": title,
        "genres": pipe(str(g) for g in opt_list(meta, "genres", "song.metadata.genres")),
        "languages": pipe(str(g) for g in opt_list(meta, "languages", "song.metadata.languages")),
        "run_s": round((finished - created).total_seconds(), 3) if finished and created else None,
    }
    status = STATUS[word]
    return build(
        source,
        locator,
        adapter,
        id=f"elevenlabs:{song_id}",
        platform="elevenlabs",
        model=opt_str(settings, "model_id", "song.generation_settings.model_id"),
        modality="music",
        task="text_to_music",
        created_at=required(created, "song.created_at_utc"),
        prompt=opt_str(settings, "prompt", "song.generation_settings.prompt"),
        duration_s=length_ms / 1000 if length_ms is not None else None,
        outputs=_download(opt_str(song, "download_url", "song.download_url")),
        outputs_count=1 if status == "succeeded" else 0,
        status=status,
        attributes={k: v for k, v in attributes.items() if v is not None},
    )

"""Udio: song objects as community clients save them (no public API; platforms-and-rights.md §1.3,
[S]).

Accepted wrappings: one song, a list, ``{"songs": [...]}`` or JSON Lines. An extension names the
song it continues (``audio_conditioning_song_id``): its parent. A song without ``created_at`` gets
the file's modification time (attribute ``created_at_source: file_mtime``). Udio disabled
downloads in November 2025: later productions may hold only audio files and declarations.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.errors import RecordError
from audit.ingest._records import each_record, json_records
from audit.ingest._sniff import is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_SOURCE,
    any_time,
    expect,
    mtime_utc,
    opt_float,
    opt_int,
    opt_str,
    required,
)
from audit.ingest.base import Adapter, Item, Source, build, head_text

_ATTRIBUTE_KEYS = ("title", "audio_conditioning_type", "crop_start_time")


def _prompt(song: dict[str, Any]) -> str | None:
    """Prompt and custom lyrics together: the rights audit reads both."""
    parts = [opt_str(song, "prompt"), opt_str(song, "lyrics")]
    text = "\n".join(p for p in parts if p)
    return text or None


class UdioAdapter(Adapter):
    name = "udio"
    platform = "udio"
    title = "Udio (song JSON of community clients)"
    suffixes = (".json", ".jsonl")
    formats = 'song objects: one, a list, {"songs": [...]} or one per JSON Lines line'
    reads = (
        "id, title, song_path, finished, prompt, lyrics, seed (-1 = random), duration, "
        "audio_conditioning_song_id (parent), audio_conditioning_type, crop_start_time, "
        "created_at"
    )
    cannot_know = (
        "model, plan tier (declare it in rights/plans.csv), time unless the client saved "
        "created_at (else the file time), credits"
    )

    def sniff(self, path: Path) -> bool:
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        return not looks_canonical(text) and '"song_path"' in text

    def read(self, source: Source) -> Iterator[Item]:
        pairs = json_records(source, ("songs",))
        yield from each_record(source, pairs, lambda loc, obj: self._song(source, loc, obj))

    def _song(self, source: Source, locator: str, song: dict[str, Any]) -> Item:
        song_id = required(opt_str(song, "id"), "id")
        finished = expect(song, "finished", bool, "finished")
        if finished is None:
            raise RecordError("required (true, or false while it renders)", field="finished")
        attributes = {k: song[k] for k in _ATTRIBUTE_KEYS if isinstance(song.get(k), str | int)}
        created = any_time(song, ("created_at",))
        if created is None:
            created = mtime_utc(source.path)
            attributes[TIME_SOURCE] = "file_mtime"
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
            prompt=_prompt(song),
            seed=seed if seed is not None and seed >= 0 else None,
            duration_s=opt_float(song, "duration"),
            outputs=[path] if path else [],
            status="succeeded" if finished else "pending",
            parent_ids=[f"udio:{parent}"] if parent else [],
            attributes=attributes,
        )

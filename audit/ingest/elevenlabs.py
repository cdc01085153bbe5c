"""ElevenLabs: ``GET /v1/history`` pages, ``GET /v1/voices/{voice_id}`` objects as evidence, and
the Music app's ``GET /v1/music/chats`` objects (:mod:`audit.ingest.elevenlabs_music`).

History items echo text, voice and model (platforms-and-rights.md §1.1, [P]). A voice object is not
a generation: it yields no record, but its consent-relevant facts (category, ownership, Voice-Library
owner, PVC verification) are copied onto every generation that used the voice, as attributes
``voice_category``, ``voice_is_owner``, ``voice_sharing_owner`` and ``voice_verified``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from audit.base.errors import InputError, RecordError
from audit.base.models import AssetRef
from audit.ingest._records import each_record, json_records, load_document, pointer, reject_of
from audit.ingest._sniff import has_all, is_json_suffix, looks_canonical
from audit.ingest._util import (
    epoch_time,
    expect,
    opt_dict,
    opt_int,
    opt_list,
    opt_str,
    pipe,
    required,
)
from audit.ingest.base import Item, JoinedAdapter, Reject, Source, build, guarded, head_text
from audit.ingest.elevenlabs_music import chats, looks_like_music, music_item

#: ``source`` of a history item → (modality, task).
SOURCES: dict[str, tuple[str, str]] = {
    "TTS": ("speech", "tts"),
    "STS": ("speech", "speech_to_speech"),
    "Dubbing": ("speech", "dubbing"),
    "VoiceGeneration": ("voice_clone", "voice_generation"),
    "Projects": ("speech", "tts_project"),
    "PD": ("speech", "tts"),
    "AN": ("speech", "tts"),
    "PlayAPI": ("speech", "tts"),
    "ConvAI": ("speech", "conversational"),
    "InVPC": ("voice_clone", "voice_clone"),
    "Flows": ("speech", "flow"),
}
Evidence = dict[str, str | bool | None]


def voice_evidence(voice: dict[str, Any]) -> Evidence:
    """The consent-relevant facts of a voice object."""
    sharing = opt_dict(voice, "sharing")
    verification = opt_dict(voice, "voice_verification")
    return {
        "voice_category": opt_str(voice, "category"),
        "voice_is_owner": expect(voice, "is_owner", bool, "is_owner"),
        "voice_sharing_owner": opt_str(sharing, "public_owner_id", "sharing.public_owner_id"),
        "voice_verified": expect(
            verification, "is_verified", bool, "voice_verification.is_verified"
        ),
    }


def _is_voice(text: str) -> bool:
    return has_all(text, '"voice_id"', '"category"') and '"history_item_id"' not in text


def _items(source: Source) -> Iterator[tuple[str, Any]]:
    """History items from one page, a list of pages or a list of items."""
    for locator, obj in json_records(source, ("history",)):
        if isinstance(obj, dict) and isinstance(obj.get("history"), list):
            base = "" if locator == "/" else locator
            yield from (
                (f"{base}{pointer('history', i)}", it) for i, it in enumerate(obj["history"])
            )
        else:
            yield locator, obj


def _voices(item: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(voice_id, voice_name) of a single-voice item or of every line of a dialogue."""
    lines = [d for d in opt_list(item, "dialogue") if isinstance(d, dict)]
    if lines:
        return [(str(d["voice_id"]), d.get("voice_name")) for d in lines if d.get("voice_id")]
    voice_id = opt_str(item, "voice_id")
    return [(voice_id, opt_str(item, "voice_name"))] if voice_id else []


def _text(item: dict[str, Any]) -> str | None:
    text = opt_str(item, "text")
    if text:
        return text
    lines = [d.get("text") for d in opt_list(item, "dialogue") if isinstance(d, dict)]
    joined = "\n".join(t for t in lines if isinstance(t, str) and t)
    return joined or None


def _characters(item: dict[str, Any], text: str | None) -> int | None:
    before = opt_int(item, "character_count_change_from")
    after = opt_int(item, "character_count_change_to")
    if before is not None and after is not None:
        if after < before:
            raise RecordError(
                "character counter went down", field="character_count_change_to", value=after
            )
        return after - before
    return len(text) if text else None


class ElevenLabsAdapter(JoinedAdapter):
    """ElevenLabs' history pages and Music chats, voice objects as evidence for the generations of
    that voice."""

    name = "elevenlabs"
    platform = "elevenlabs"
    title = "ElevenLabs (history API, voice objects and Music chats)"
    suffixes = (".json", ".jsonl")
    formats = (
        'GET /v1/history pages ({"history": [...]}, a list of pages, a list of items, JSON '
        "Lines); GET /v1/voices/{id} objects are evidence, not generations: 0 records, their "
        "facts are copied onto the generations of that voice; Music app GET /v1/music/chats "
        '({"chats": [...]}, a list, one chat, JSON Lines): each chat\'s nested song is one '
        "music record elevenlabs:<song id> (a chat whose song is not filled in yet is pending "
        "under its current_song_id)"
    )
    reads = (
        "history_item_id, request_id, date_unix, source, model_id, voice_id, voice_name, "
        "voice_category, text, dialogue[], character_count_change_from/_to, output_format; "
        "voice category, is_owner, sharing.public_owner_id, voice_verification.is_verified; "
        "music: song.id, song.status, song.created_at_utc/finished_at_utc (run_s), "
        "song.generation_settings.model_id/prompt/song_length_ms, song.metadata.title/genres/"
        "languages, song.download_url (without its signed query), product_type_source, chat id"
    )
    seen_in = (
        "music chats: a real GET /v1/music/chats capture documented in a public browser-"
        "extension capture contract (code search); song fields: elevenlabs/elevenlabs-python "
        "src/elevenlabs/types/song_source_context.py"
    )
    cannot_know = (
        "audio duration of speech (measure the file; a song's is its requested length), plan "
        "tier, who the cloned voice belongs to"
    )

    def sniff(self, path: Path) -> bool:
        """JSON holding history items, a voice object or Music chats."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text):
            return False
        return '"history_item_id"' in text or _is_voice(text) or looks_like_music(text)

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Voice files first: their evidence is attached to the history items read after."""
        voices: dict[str, Evidence] = {}
        history = []
        for source in sources:
            if not _is_voice(head_text(source.path)):
                history.append(source)
                continue
            rejected = self._voice(source, voices)
            if rejected is not None:
                yield rejected
        for source in history:
            if looks_like_music(head_text(source.path)):
                made = each_record(
                    source, chats(source), partial(music_item, source, adapter=self.name)
                )
                yield from guarded(source, made)
                continue
            made = each_record(source, _items(source), partial(self._item, source, voices=voices))
            yield from guarded(source, made)

    def _voice(self, source: Source, voices: dict[str, Evidence]) -> Reject | None:
        try:
            doc = load_document(source)
            if not isinstance(doc, dict):
                raise RecordError("expected a voice object", field="file", value=type(doc).__name__)
            voice_id = required(opt_str(doc, "voice_id"), "voice_id")
            voices[voice_id] = voice_evidence(doc)
        except InputError as exc:
            return reject_of(source, "/", exc)
        return None

    def _item(
        self, source: Source, locator: str, item: dict[str, Any], voices: dict[str, Evidence]
    ) -> Item:
        item_id = required(opt_str(item, "history_item_id"), "history_item_id")
        kind = opt_str(item, "source") or "TTS"
        modality, task = SOURCES.get(kind, ("speech", kind.lower()))
        text = _text(item)
        spoken = _voices(item)
        attributes: dict[str, Any] = {
            "source": kind,
            "voice_id": pipe(v for v, _ in spoken),
            "voice_name": pipe(str(n) for _, n in spoken if n),
            "voice_category": opt_str(item, "voice_category"),
            "output_format": opt_str(item, "output_format"),
            "request_id": opt_str(item, "request_id"),
        }
        if len({v for v, _ in spoken}) == 1 and spoken[0][0] in voices:
            attributes.update(voices[spoken[0][0]])
        return build(
            source,
            locator,
            self.name,
            id=f"elevenlabs:{item_id}",
            platform=self.platform,
            model=opt_str(item, "model_id"),
            modality=modality,
            task=task,
            created_at=required(epoch_time(item, "date_unix"), "date_unix"),
            prompt=text,
            characters=_characters(item, text),
            inputs=[AssetRef(uri=f"elevenlabs-voice:{v}", role="voice") for v, _ in spoken],
            outputs=[f"elevenlabs_{item_id}.mp3"],
            attributes={k: v for k, v in attributes.items() if v is not None},
        )

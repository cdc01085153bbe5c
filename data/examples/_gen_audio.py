"""Sound of the example: the Suno music bed and the ElevenLabs narrator.

Suno clips follow the web feed objects read by community clients (research:
platforms-and-rights.md §1.2); ElevenLabs follows ``GET /v1/history`` pages and
``GET /v1/voices/{id}`` (§1.1). Planted problem #1: the kept Suno clip was made on 2026-09-02, while
rights/plans.csv says the account was still on the Free tier.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from _gen_common import ACCOUNT, SYNTHETIC_KEY, SYNTHETIC_NOTE, Chain, Writer, day, iso_z, unix_s

#: Suno generation calls: (days after 2026-06-01, hour UTC, title). Index 4 is 2026-09-02: kept.
SUNO_CALLS = (
    (47, 20, "Le Dernier Phare (esquisse)"),
    (54, 21, "Lanterne"),
    (74, 19, "Marée basse"),
    (89, 22, "Marée basse (suite)"),
    (93, 15, "Le Dernier Phare"),
    (93, 17, "Le Dernier Phare (alt)"),
    (106, 20, "Goélands"),
    (113, 21, "Le Registre"),
    (122, 19, "Tempête"),
    (127, 18, "Le Dernier Phare (v2)"),
    (127, 20, "Le Dernier Phare (v2 alt)"),
    (134, 21, "Matin calme"),
)
SUNO_KEPT_CALL = 4
#: The call whose clips extend the first clip of the call before it (metadata.history).
SUNO_EXTENSION_CALL = 3
SUNO_TAGS = (
    "melancholic breton folk, ambient, solo cello, low drones, slow tempo",
    "ambient celtic, cello and harmonium, sea atmosphere, sparse, 60 bpm",
    "cinematic folk, bowed strings, distant bells, melancholic, minimal",
)
SUNO_STRUCTURE = "[Intro: cello drone]\n[Theme]\n[Storm swell]\n[Outro: waves]"

VOICE_ID = "vx_narr_yann"
VOICE_NAME = "Yann (narrateur)"
#: Narration lines (French) and where each kept take sits on audio track 2, in frames.
NARRATION = (
    (60, "Sur le récif de Men Du, il restait un phare, et un homme pour le garder."),
    (360, "Chaque soir, il montait les deux cent quarante marches jusqu'à la lanterne."),
    (690, "Les goélands connaissaient son pas. Ils ne criaient plus quand il passait."),
    (990, "Cette nuit-là, la tempête est arrivée par l'ouest, sans prévenir."),
    (1290, "Il se souvenait du « Men Brial », de la coque ouverte, des voix dans le noir."),
    (1560, "La lampe a tenu. Lui aussi, presque."),
    (1830, "Au matin, la mer avait tout rendu : des planches, une cloche, le silence."),
    (2040, "Demain, on éteint le dernier phare. Mais la lumière se souvient."),
)
PAGE_SIZE = 50


def _clip(w: Writer, call: int, created: datetime, parent: str | None) -> dict[str, Any]:
    low_s = 125.0 if call == SUNO_KEPT_CALL else 95.0
    clip_id = w.uuid4()
    metadata: dict[str, Any] = {
        "prompt": SUNO_STRUCTURE,
        "tags": w.rng.choice(SUNO_TAGS),
        "duration": round(w.rng.uniform(low_s, 240.0), 2),
        "type": "gen",
    }
    if parent is not None:
        metadata["history"] = [{"id": parent, "continue_at": 48.5, "type": "gen"}]
    return {
        "id": clip_id,
        "title": SUNO_CALLS[call][2],
        "status": "complete",
        "audio_url": f"https://cdn1.suno.ai/{clip_id}.mp3",
        "image_url": f"https://cdn2.suno.ai/image_{clip_id}.jpeg",
        "model_name": "chirp-v4-5",
        "major_model_version": "v4.5",
        "created_at": iso_z(created),
        "display_name": ACCOUNT,
        "handle": ACCOUNT,
        "is_public": False,
        "metadata": metadata,
    }


def suno(w: Writer, chain: Chain) -> None:
    """12 calls of 2 clips; the feed lists the newest first."""
    clips: list[dict[str, Any]] = []
    previous: list[dict[str, Any]] = []
    for call, (offset, hour, _title) in enumerate(SUNO_CALLS):
        created = w.later(day(offset, hour), 0, 3000)
        parent = previous[0]["id"] if call == SUNO_EXTENSION_CALL else None
        pair = [_clip(w, call, created, parent) for _ in range(2)]
        if call == SUNO_KEPT_CALL:
            kept = pair[w.rng.randrange(2)]
            chain.suno_clip = (kept["id"], kept["metadata"]["duration"])
        clips.extend(pair)
        previous = pair
    clips.sort(key=lambda clip: clip["created_at"], reverse=True)
    w.json("logs/suno/clips.json", {SYNTHETIC_KEY: SYNTHETIC_NOTE, "clips": clips})
    chain.counts["suno"] = len(clips)


def _variant(w: Writer, line: str) -> str:
    """A retake's text: the line as written, or with a small punctuation change."""
    choice = w.rng.randrange(3)
    if choice == 1:
        return line.replace(", ", "… ", 1)
    if choice == 2:
        return line.rstrip(".") + "…"
    return line


def _item(w: Writer, text: str, moment: datetime) -> dict[str, Any]:
    return {
        "history_item_id": w.token(20),
        "request_id": w.token(20),
        "voice_id": VOICE_ID,
        "voice_name": VOICE_NAME,
        "voice_category": "cloned",
        "model_id": "eleven_multilingual_v2",
        "text": text,
        "date_unix": unix_s(moment),
        "character_count_change_from": 0,
        "character_count_change_to": 0,
        "content_type": "audio/mpeg",
        "state": "created",
        "settings": {
            "stability": w.rng.choice((0.35, 0.45, 0.5, 0.6)),
            "similarity_boost": 0.75,
            "style": w.rng.choice((0.0, 0.15, 0.3)),
            "use_speaker_boost": True,
            "speed": w.rng.choice((0.9, 0.95, 1.0)),
        },
        "feedback": None,
        "share_link_id": None,
        "source": "TTS",
        "alignments": None,
        "dialogue": None,
        "output_format": "mp3_44100_128",
    }


def _count_characters(items: list[dict[str, Any]]) -> None:
    """The monthly character counter before and after each item (chronological order)."""
    used: dict[str, int] = defaultdict(int)
    for item in items:
        month = datetime.fromtimestamp(item["date_unix"], tz=UTC).strftime("%Y-%m")
        item["character_count_change_from"] = used[month]
        used[month] += len(item["text"])
        item["character_count_change_to"] = used[month]


def _history(w: Writer, chain: Chain) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for number, (_start_frame, line) in enumerate(NARRATION):
        moment = w.later(day(66 + 9 * number, 14), 0, 7200)
        takes = w.rng.randint(6, 9)
        kept = w.rng.randrange(takes // 2, takes)
        for take in range(takes):
            moment = w.later(moment, 30, 240)
            item = _item(w, line if take == kept else _variant(w, line), moment)
            items.append(item)
            if take == kept:
                chain.narration.append((item["history_item_id"], line))
    _count_characters(items)
    return items


def elevenlabs(w: Writer, chain: Chain) -> None:
    """Two history pages (newest first) and the cloned voice object."""
    items = _history(w, chain)
    items.sort(key=lambda item: item["date_unix"], reverse=True)
    pages = [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)]
    for number, page in enumerate(pages, start=1):
        w.json(
            f"logs/elevenlabs/history-page-{number}.json",
            {
                SYNTHETIC_KEY: SYNTHETIC_NOTE,
                "history": page,
                "last_history_item_id": page[-1]["history_item_id"],
                "has_more": number < len(pages),
            },
        )
    w.json(f"logs/elevenlabs/voice-{VOICE_ID}.json", _voice(w))
    chain.counts["elevenlabs"] = len(items)


def _voice(w: Writer) -> dict[str, Any]:
    return {
        SYNTHETIC_KEY: SYNTHETIC_NOTE,
        "voice_id": VOICE_ID,
        "name": VOICE_NAME,
        "samples": [
            {
                "sample_id": w.token(20),
                "file_name": "yann-le-goff-echantillon-01.wav",
                "mime_type": "audio/wav",
                "size_bytes": 2_841_122,
                "hash": w.token(32, "0123456789abcdef"),
            }
        ],
        "category": "cloned",
        "labels": {"language": "fr", "accent": "breton", "gender": "male", "age": "old"},
        "description": "Voix de Yann Le Goff, narrateur du court métrage Le Dernier Phare",
        "preview_url": None,
        "available_for_tiers": [],
        "settings": None,
        "sharing": None,
        "high_quality_base_model_ids": ["eleven_multilingual_v2"],
        "verified_languages": [],
        "safety_control": None,
        "voice_verification": {
            "requires_verification": False,
            "is_verified": False,
            "verification_failures": [],
            "verification_attempts_count": 0,
            "language": None,
            "verification_attempts": None,
        },
        "permission_on_resource": "admin",
        "is_owner": True,
        "is_legacy": False,
        "is_mixed": False,
        "created_at_unix": unix_s(day(62, 11)),
    }

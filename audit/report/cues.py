"""Sound cues named for a reader: ``Voix — Yann (narrateur) : « Sur le récif de Men Du… »`` or
``Musique — « Le Dernier Phare (esquisse) »`` rather than ``cue:elevenlabs_QSCm69G5FnvRgkP4mkKa``;
taken from the kept generation of the cue (its title, voice name and first words), the clip's
own name when the records say nothing more."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from audit.base.i18n import N_, gettext
from audit.link.result import CUE_PREFIX

if TYPE_CHECKING:
    from audit.base.models import Generation
    from audit.pipeline import AuditRun

WORDS = 8
SOUND = N_("Sound")
KINDS = {
    "music": N_("Music"),
    "sound": N_("Sound effects"),
    "speech": N_("Voice"),
    "voice_clone": N_("Voice"),
    "lipsync": N_("Voice"),
}
_QUOTES = {"fr": ("«\u00a0", "\u00a0»"), "en": ("“", "”")}


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:WORDS]) + ("…" if len(words) > WORDS else "")


def _label(gen: Generation, lang: str) -> str:
    kind = gettext(lang, KINDS.get(gen.modality.value, SOUND))
    opening, closing = _QUOTES.get(lang, _QUOTES["en"])
    title = str(gen.attributes.get("title") or "").strip()
    voice = str(gen.attributes.get("voice_name") or "").strip()
    if gen.modality.value == "music" and title:
        return f"{kind} — {opening}{title}{closing}"
    text = _first_words((gen.prompt or "").splitlines()[0] if gen.prompt else "")
    who = f" {voice}" if voice else ""
    if text:
        separator = "\u00a0:" if lang == "fr" else ":"
        return f"{kind} —{who}{separator} {opening}{text}{closing}"
    return f"{kind} —{who}" if who else kind


def cue_labels(run: AuditRun, lang: str) -> dict[str, str]:
    """Every sound cue's readable name, by shot id (compute once per report)."""
    table = run.footprint.table
    kept = table[table["kept"] & table["shot_id"].astype(str).str.startswith(CUE_PREFIX)]
    rows = run.link.table.id_index().get_indexer(pd.Index(kept["id"]))
    generations = {g.id: g for g in run.link.objects(rows[rows >= 0])}
    labels: dict[str, str] = {}
    for gid, shot in zip(kept["id"], kept["shot_id"], strict=True):
        if gid in generations:
            labels.setdefault(shot, _label(generations[gid], lang))
    return labels


def cue_label(labels: dict[str, str], shot_id: str) -> str:
    """A shot's own id; a sound cue's readable name (its clip name when nothing better)."""
    if not shot_id.startswith(CUE_PREFIX):
        return shot_id
    return labels.get(shot_id) or shot_id.removeprefix(CUE_PREFIX)

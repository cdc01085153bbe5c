"""Credit roles from a vocabulary: a role written in production.yaml in French or English
(``Réalisation``, ``Directed by``, ``réalisatrice``…) is printed in the reader's language
(``Réalisation`` ↔ ``Directed by``); a role the vocabulary does not know is kept as written."""

from __future__ import annotations

import unicodedata

#: key → (French, English, other ways people write it; compared without case or accents)
ROLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "director": ("Réalisation", "Directed by", (
        "realisateur", "realisatrice", "realise par", "director", "direction", "mise en scene")),
    "screenplay": ("Scénario", "Screenplay", (
        "scenariste", "ecrit par", "written by", "writer", "screenwriter")),
    "editing": ("Montage", "Editing", ("monteur", "monteuse", "editor", "edited by", "film editing")),
    "music": ("Musique", "Music", (
        "musique originale", "original music", "music by", "composer", "compositeur",
        "compositrice", "composition")),
    "music_direction": ("Direction musicale", "Music direction", (
        "musique (direction)", "music director", "directeur musical", "directrice musicale")),
    "voice_over": ("Voix off", "Voice-over", (
        "voix-off", "voiceover", "voice over", "narration", "narrator", "narrateur",
        "narratrice")),
    "production": ("Production", "Produced by", (
        "producer", "produit par", "producteur", "productrice", "produced")),
    "cinematography": ("Image", "Cinematography", (
        "directeur de la photographie", "directrice de la photographie", "director of photography",
        "dop", "chef operateur", "cheffe operatrice")),
    "sound_design": ("Conception sonore", "Sound design", ("sound designer", "design sonore")),
    "sound": ("Son", "Sound", ("ingenieur du son", "sound recordist", "prise de son")),
    "animation": ("Animation", "Animation", ("animateur", "animatrice", "animator", "animated by")),
    "cast": ("Interprétation", "Cast", ("avec", "with", "starring", "acteurs", "actors")),
}  # fmt: skip


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.replace("’", "'").split()).rstrip(" :")


_INDEX: dict[str, str] = {}
for _role, (_fr, _en, _others) in ROLES.items():
    for _written in (_fr, _en, *_others):
        _INDEX.setdefault(_key(_written), _role)


def credit_role(role: str, lang: str) -> str:
    """``role`` in ``lang`` when the vocabulary knows it, else as written."""
    known = _INDEX.get(_key(role))
    if known is None:
        return role
    french, english, _ = ROLES[known]
    return french if lang == "fr" else english

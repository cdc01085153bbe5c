"""Words people write in French for the project's vocabularies: ledger kinds (``voix``,
``droit à l'image``, ``musique``…) and modalities (``vidéo``, ``agrandissement``…), mapped to the
English values the records use. Anything else is left for the usual check (one-line error with
the valid choices)."""

from __future__ import annotations

import unicodedata


def _plain(text: str) -> str:
    """Lower case, no accents, spaces and apostrophes as underscores (``Droit à l’image`` →
    ``droit_a_l_image``)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("œ", "oe")
    for mark in ("’", "'", "-", " "):
        plain = plain.replace(mark, "_")
    return "_".join(part for part in plain.split("_") if part)


#: rights/sources.csv and consents.csv ``kind`` (French → English value).
LEDGER_KINDS = {
    "voix": "voice", "image_de_la_personne": "likeness", "droit_a_l_image": "likeness",
    "ressemblance": "likeness", "apparence": "likeness", "interpretation": "performance",
    "prestation": "performance", "jeu": "performance", "photo_d_une_personne": "photo_of_person",
    "photo_de_personne": "photo_of_person", "personne": "person", "oeuvre": "artwork",
    "musique": "music", "son": "sound", "video": "video", "police": "font",
    "typographie": "font", "texte": "text", "modele": "model", "autre": "other",
}  # fmt: skip

#: ``--modality`` and other modality fields (French → English value).
MODALITIES = {
    "video": "video", "agrandissement": "upscale", "musique": "music", "son": "sound",
    "bruitages": "sound", "effets_sonores": "sound", "voix": "speech",
    "voix_de_synthese": "speech", "clonage_de_voix": "voice_clone",
    "clone_de_voix": "voice_clone", "synchronisation_labiale": "lipsync",
    "retouche_d_image": "image_edit", "edition_d_image": "image_edit",
    "retouche_video": "video_edit", "texte": "text",
}  # fmt: skip


def ledger_kind(raw: str) -> str:
    """A ledger ``kind`` as written (``Voix``, ``droit à l'image``, ``photo_of_person``)."""
    plain = _plain(raw)
    return LEDGER_KINDS.get(plain, plain)


def modality(raw: str) -> str:
    """A modality as written (``vidéo``, ``Agrandissement``, ``video``)."""
    plain = _plain(raw)
    return MODALITIES.get(plain, plain)

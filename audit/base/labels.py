"""The words shared by the rules, the report and the exports: labels of statuses, modalities,
severities and figures, as message ids of the French/English catalogue (:mod:`audit.base.i18n`)."""

from __future__ import annotations

from audit.base.columns import ADPE, CARBON, ENERGY, WATER, Impact
from audit.base.i18n import N_

#: Finding severities, most severe first, with their labels.
SEVERITIES = (("blocker", N_("Blocker")), ("warning", N_("Warning")), ("info", N_("Information")))
#: How a generation was estimated (estimate status), for a reader.
STATUS_LABELS = {
    "measured": N_("Measured on the machine that ran it"),
    "ecologits": N_("EcoLogits model of this exact model"),
    "modelled": N_("Scaled from measured open models of the same family"),
    "proxy": N_("Closed platform: reference bands of open models"),
    "fallback": N_(
        "Named model without a measurement of its own: band of its kind (reason in generations.csv)"
    ),
    "low_confidence": N_("No published measurement: wide band, low confidence"),
}
#: Distribution channels of a film.
DISTRIBUTION_LABELS = {
    "festival": N_("festival"),
    "commercial": N_("commercial"),
    "broadcast": N_("broadcast"),
    "online": N_("online"),
    "education": N_("education"),
}
#: What a generation made.
MODALITY_LABELS = {
    "image": N_("Image"),
    "video": N_("Video"),
    "upscale": N_("Upscale"),
    "image_edit": N_("Image edit"),
    "video_edit": N_("Video edit"),
    "lipsync": N_("Lip-sync"),
    "music": N_("Music"),
    "sound": N_("Sound effects"),
    "speech": N_("Speech"),
    "voice_clone": N_("Voice clone"),
    "text": N_("Text"),
}
#: The four footprint figures: column stem and label.
FIGURES: tuple[tuple[Impact, str], ...] = (
    (ENERGY, N_("Energy")),
    (CARBON, N_("Carbon")),
    (WATER, N_("Water")),
    (ADPE, N_("Abiotic resources (ADPe)")),
)

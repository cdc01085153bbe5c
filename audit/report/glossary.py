"""The report's glossary: the words of its tables, defined once for a reader who is not an
engineer (producers, schools); English ids, translated through the message catalogue."""

from __future__ import annotations

from audit.base.i18n import N_, gettext
from audit.report.contract_method import GlossaryEntry

GLOSSARY = (
    (N_("Generation"),
     N_("One request made to a generative-AI tool (a prompt, a reroll, an upscale, an animation, "
        "a voice line). One generation can render several outputs.")),
    (N_("Output"),
     N_("One file a generation rendered: an image, a clip, a song, a voice line.")),
    (N_("Kept output"),
     N_("An output that appears in the final cut, matched to a shot or a sound cue of the "
        "timeline.")),
    (N_("Ancestor"),
     N_("A generation a kept output derives from: the image a clip was animated from, the image "
        "an upscale started from. Its footprint counts for the shot.")),
    (N_("Other attempts"),
     N_("Generations made for the same shot or cue that were not kept, nor ancestors of what "
        "was kept: rerolls, variations, rejected takes.")),
    (N_("Range"),
     N_("Low and high values around the central estimate. Closed platforms publish no energy "
        "data, so their ranges are wide; the film's range is the sum of the lows and of the "
        "highs.")),
    (N_("CO₂e"),
     N_("Carbon dioxide equivalent: every greenhouse gas counted as the amount of CO₂ that "
        "would warm as much.")),
    (N_("PUE"),
     N_("Power usage effectiveness: the data centre's total energy divided by its computers' "
        "energy (1.0 would mean no cooling or losses).")),
    (N_("WUE"),
     N_("Water usage effectiveness: litres of water consumed on site, mostly for cooling, per "
        "kilowatt-hour.")),
    (N_("ADPe"),
     N_("Abiotic depletion potential, elements: the use of scarce mineral resources (metals), "
        "in kilograms of antimony equivalent (Sb eq.).")),
)  # fmt: skip


def glossary(lang: str) -> list[GlossaryEntry]:
    """The report's glossary, terms and definitions in ``lang``."""
    return [
        GlossaryEntry(term=gettext(lang, term), definition=gettext(lang, text))
        for term, text in GLOSSARY
    ]

"""French throughout, English throughout (issue 19): the texts of ``data/`` that reach a report —
coefficient locators (coefficients.csv, grid.csv, platforms.yaml), the authors, titles and
publishers of sources.yaml — have their French in ``locales/fr/LC_MESSAGES/data.po``; the rendered
reports hold no word of the other language from those texts, and no internal file name."""

from __future__ import annotations

import re

from audit.base.i18n import gettext
from audit.estimate.footprint import registry
from audit.report.context_util import public_locator
from tests.report.conftest import Rendered
from tests.report.report_support import pdf_text

#: English words of our own locators and descriptions (lower case, as they are written there).
#: A work's own title keeps its language ("Power Hungry Processing: Watts Driving…"), so the
#: words are matched in lower case only and none of them starts a title of the bibliography.
ENGLISH = (
    "steps", "average", "generic", "band", "hosting", "reference", "clip", "clips", "during",
    "same", "home", "fleet", "short", "quoted", "secondary", "used", "comparison", "assumption",
    "length", "share", "when", "per", "over", "means", "rows", "runs", "paper", "annual",
    "reviews", "hour", "produced", "fuel", "network", "life", "server", "value", "batch", "output",
    "megapixel", "published", "definition", "wide", "median", "token", "about", "cited", "via",
    "values", "new", "designs", "press", "rendering", "training", "estimates", "worked",
    "petrol", "car", "video", "studied", "reading", "all", "models",
)  # fmt: skip
#: French words of the same texts, which the English report must not print.
FRENCH = (
    "fourchette", "hypothèse", "consulté", "consultées", "données", "moyenne", "mondiale",
    "extrait", "extraits", "voiture", "thermique", "électrique", "générique", "chaque", "selon",
    "environ", "d’après", "pas", "lot", "valeur", "fabrication", "carburant", "cas pratique",
)  # fmt: skip
#: The project's own files, which a reader of the report cannot open.
INTERNAL = ("research coefficients.md", "docs/methodology.md", "docs/validation.md",
            "docs/production-folder.md", "NOT FOUND")  # fmt: skip
#: A pointer to another coefficient ("(see luma)"), not to a reader's section ("(see Rights)").
_SEE = re.compile(r"\(see [a-z0-9_.-]+\)")


def _internal(text: str) -> list[str]:
    return [name for name in INTERNAL if name in text] + _SEE.findall(text)


def _words(text: str, words: tuple[str, ...]) -> list[str]:
    return sorted({w for w in words if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w/.-])", text)})


def _data_texts() -> dict[str, str]:
    """Every data text a report may print, as the report prints it in English, by where it is."""
    reg = registry()
    texts = {f"locator of {c.id}": public_locator(c.locator) for c in reg.coefficients.values()}
    for s in reg.sources.values():
        texts |= {f"{s.id}.authors": s.authors, f"{s.id}.title": s.title}
        texts[f"{s.id}.publisher"] = s.publisher
    return texts


def test_every_english_data_text_has_its_french() -> None:
    missing = {
        where: text
        for where, text in _data_texts().items()
        if _words(text, ENGLISH) and gettext("fr", text) == text
    }
    assert missing == {}, "add these to report_templates/locales/fr/LC_MESSAGES/data.po"


def test_french_data_texts_say_no_english() -> None:
    for where, text in _data_texts().items():
        french = gettext("fr", text)
        if french != text:
            assert _words(french, ENGLISH) == [], (where, french)


def test_no_internal_file_reaches_a_locator() -> None:
    for where, text in _data_texts().items():
        for lang in ("fr", "en"):
            shown = gettext(lang, text) if lang == "fr" else text
            assert _internal(shown) == [], (where, shown)


def test_french_report_has_no_english_from_data(rendered: Rendered) -> None:
    text = pdf_text(rendered.pdf("fr"))
    assert _words(text, ENGLISH) == []
    assert _internal(text) == []
    # TRAIN001 says who records the claims, not our file, and names platforms by their titles
    assert "training_claims.yaml" not in text
    assert "kling (" not in text
    assert "elevenlabs (" not in text


def test_english_report_has_no_french_from_data(rendered: Rendered) -> None:
    text = pdf_text(rendered.pdf("en"))
    assert _words(text, FRENCH) == []
    assert _internal(text) == []
    assert "training_claims.yaml" not in text
    assert "kling (" not in text
    assert "elevenlabs (" not in text

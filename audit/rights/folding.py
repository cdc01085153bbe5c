"""Folding names for comparison: case, accents, spaces and punctuation, as users and curated
lists write them."""

from __future__ import annotations

import re
import unicodedata


def norm(text: str) -> str:
    """Case-folded, trimmed, with runs of spaces, ``_`` and ``-`` made one space (tier and
    platform names as users type them)."""
    return re.sub(r"[\s_\-]+", " ", text.casefold().strip())


#: The combining marks of U+0300–U+036F (nearly all the accents of Latin scripts once decomposed).
_LATIN_MARKS = re.compile(
    "[" + "".join(chr(cp) for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp))) + "]"
)


def fold(text: str) -> str:
    """Accents removed and case-folded: ``Télévision`` → ``television``.

    Every combining character (canonical combining class other than 0) of the NFKD form is
    dropped. Latin marks go in one regex pass; only text still not ASCII after it (other
    scripts) is checked character by character."""
    if text.isascii():
        return text.casefold()
    stripped = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not stripped.isascii():
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return stripped.casefold()


def squash(text: str) -> str:
    """Lowercase letters and digits only: ``FLUX.1 [dev]`` → ``flux1dev`` (model names)."""
    return re.sub(r"[^a-z0-9]", "", text.casefold())

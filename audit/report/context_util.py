"""Citation helpers: reference numbers and one-line citations from the registry's sources."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from audit.base.i18n import gettext

#: Pointers to the project's working notes ("research coefficients.md §10.3") and documents
#: ("docs/production-folder.md (local runs)"), which a reader of the report cannot follow, and
#: cross-references to other coefficients ("(see luma)"): cut from the locators the report prints.
_NOTES = re.compile(
    r"research coefficients\.md(\s*§[\d.]+(\s*\([^):\d]*\))?(\s*(,|and)\s*§[\d.]+)*)?"
    r"|\s*\(see [a-z0-9_.-]+\)"
    r"|\bdocs/[\w./#-]+\.md\b(\s*\([^)]*\)?)?",
)
#: The working notes' "NOT FOUND" said as a reader understands it.
_NOT_FOUND = re.compile(r"\bhosting NOT FOUND\b")


def ref_numbers(registry: Any, coefficient_ids: Iterable[str]) -> dict[str, int]:
    """Source id → reference number, in order of first citation (sorted coefficient ids)."""
    numbers: dict[str, int] = {}
    ids = sorted(coefficient_ids)
    for cid in ids:
        numbers.setdefault(registry.get(cid).source_id, len(numbers) + 1)
    for source in registry.cited(ids):  # sources named only in notes ("[also: …]")
        numbers.setdefault(source.id, len(numbers) + 1)
    return numbers


def _sentence(text: str) -> str:
    """``text`` ending with one full stop (none added after ``?``, ``!`` or ``.``)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def citation(source: Any, lang: str = "en") -> str:
    """ "Authors (year). Title. Publisher." from a registry source, our descriptions in the title
    and publisher (``(data: …)``, ``(via …)``) in ``lang`` (data.po); a work's title stays its own."""
    parts = []
    if getattr(source, "authors", None):
        parts.append(f"{gettext(lang, source.authors)} ({source.year}).")
    elif getattr(source, "year", None):
        parts.append(f"({source.year})")
    parts.append(_sentence(gettext(lang, source.title)))
    if getattr(source, "publisher", None):
        parts.append(_sentence(gettext(lang, source.publisher)))
    return " ".join(parts)


def short_citation(source: Any) -> str:
    """ "Authors (year)" for a pointer beside a figure; the full entry is in the bibliography."""
    return f"{source.authors} ({source.year})"


def public_locator(locator: str) -> str:
    """Where in the cited source a value is, without the project's working notes: pieces that
    name ``research coefficients.md`` or point to another coefficient are cut, and the
    separators they leave behind tidied."""
    text = _NOTES.sub("", _NOT_FOUND.sub("hosting not published", locator))
    pieces = [p.strip(" ,;") for p in text.split(";")]
    text = "; ".join(p for p in pieces if p)
    text = re.sub(r"\s*,\s*(?=\(|$)", " ", text).strip(" ,;")
    return re.sub(r"^\((.*)\)$", r"\1", text)


def is_web_link(link: str) -> bool:
    """Whether a source's link is a web address (else a document or a locator)."""
    return link.startswith(("https://", "http://"))

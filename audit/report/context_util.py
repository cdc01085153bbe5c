"""Citation helpers: reference numbers and one-line citations from the registry's sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def ref_numbers(registry: Any, coefficient_ids: Iterable[str]) -> dict[str, int]:
    """Source id → reference number, in order of first citation (sorted coefficient ids)."""
    numbers: dict[str, int] = {}
    ids = sorted(coefficient_ids)
    for cid in ids:
        numbers.setdefault(registry.get(cid).source_id, len(numbers) + 1)
    for source in registry.cited(ids):  # sources named only in notes ("[also: …]")
        numbers.setdefault(source.id, len(numbers) + 1)
    return numbers


def citation(source: Any) -> str:
    """ "Authors (year). Title. Publisher." from a registry source."""
    parts = []
    if getattr(source, "authors", None):
        parts.append(f"{source.authors} ({source.year}).")
    elif getattr(source, "year", None):
        parts.append(f"({source.year})")
    parts.append(f"{source.title}.")
    if getattr(source, "publisher", None):
        parts.append(f"{source.publisher}.")
    return " ".join(parts)

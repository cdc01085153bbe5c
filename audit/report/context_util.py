"""Citation helpers: reference numbers and one-line citations from the registry's sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def ref_numbers(registry: Any, coefficient_ids: Iterable[str]) -> dict[str, int]:
    """Source id → reference number, in order of first citation (sorted coefficient ids)."""
    numbers: dict[str, int] = {}
    for cid in sorted(coefficient_ids):
        source_id = registry.get(cid).source_id
        numbers.setdefault(source_id, len(numbers) + 1)
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

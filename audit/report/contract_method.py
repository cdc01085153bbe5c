"""The methodology section's part of the report contract: estimate statuses, validation, regions,
coefficients, bibliography and glossary. Records as in :mod:`audit.report.contract`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class StatusRow:
    """Generations and energy per estimate status (measured, modelled…)."""

    label: str
    generations: str
    energy: str


@dataclass(frozen=True, kw_only=True)
class Validation:
    """Independent published measurements that the estimate's range holds, of how many."""

    held: int
    total: int


@dataclass(frozen=True, kw_only=True)
class CoefficientRow:
    """One coefficient used: its band, unit, bibliography number and locator."""

    id: str
    id_parts: list[str]
    low: str
    value: str
    high: str
    unit: str
    ref: int
    locator: str


@dataclass(frozen=True, kw_only=True)
class RegionRow:
    """A grid region used (named in the reader's language, with its code) and the platforms that
    computed on it."""

    region: str
    platforms: str


@dataclass(frozen=True, kw_only=True)
class BibliographyEntry:
    """One cited source: reference number, citation, link or document, date consulted."""

    id: str
    ref: int
    citation: str
    url: str
    document: str
    accessed: str
    accessed_shown: bool


@dataclass(frozen=True, kw_only=True)
class GlossaryEntry:
    """A word of the report's tables, defined for a reader who is not an engineer."""

    term: str
    definition: str


@dataclass(frozen=True, kw_only=True)
class Methodology:
    """The methodology section: statuses, validation, regions, coefficients, sources, glossary."""

    status: list[StatusRow]
    region_hints: list[str]
    validation: Validation
    coefficients: list[CoefficientRow]
    regions: list[RegionRow]
    bibliography: list[BibliographyEntry]
    accessed_note: str
    glossary: list[GlossaryEntry]

"""The comparison report's contract: the typed context ``compare_report.build_context`` returns
and compare.html.j2 reads (frozen, keyword-only records as in :mod:`audit.report.contract`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class CompareMeta:
    """The comparison's metadata: versions and the latest report date."""

    version: str
    as_of: str
    anonymized: bool
    data_versions: list[str]


@dataclass(frozen=True, kw_only=True)
class ProductionRow:
    """One production compared: who and what, its attempts and its findings by severity."""

    label: str
    title: str
    company: str
    people: str
    whatif: str | None
    runtime: str
    as_of: str
    data_version: str
    schema_version: str
    generations: str
    outputs: str
    kept_outputs: str
    kept_shots: str
    per_shot: str
    discard_ratio: str
    severities: list[int]


@dataclass(frozen=True, kw_only=True)
class FigureCell:
    """One production's value of a quantity: central and range, in the figure's unit."""

    label: str
    central: str
    range: str


@dataclass(frozen=True, kw_only=True)
class CompareFigure:
    """One quantity for every production, in one unit."""

    kind: str
    label: str
    unit: str
    rows: list[FigureCell]


@dataclass(frozen=True, kw_only=True)
class CompareFigures:
    """The figures per finished minute and per kept second."""

    per_minute: list[CompareFigure]
    per_kept_second: list[CompareFigure]


@dataclass(frozen=True, kw_only=True)
class OverlapLine:
    """Whether two productions can be told apart on one quantity."""

    first: str
    second: str
    quantity: str
    overlap: bool
    higher: bool
    ratio: str


@dataclass(frozen=True, kw_only=True)
class MixRow:
    """One platform or modality: its share of each production's energy."""

    name: str
    cells: list[str]
    order: float


@dataclass(frozen=True, kw_only=True)
class CompareCharts:
    """The comparison's charts, as ``data:`` URIs of SVG images."""

    carbon: str
    energy: str


@dataclass(frozen=True, kw_only=True)
class CompareContext:
    """Everything compare.html.j2 prints, formatted for ``lang``."""

    lang: str
    meta: CompareMeta
    productions: list[ProductionRow]
    figures: CompareFigures
    overlaps: list[OverlapLine]
    platform_mix: list[MixRow]
    modality_mix: list[MixRow]
    charts: CompareCharts

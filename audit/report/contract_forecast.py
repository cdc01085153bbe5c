"""The forecast's part of the report contract: the "forecast against final" section of the
report, and the forecast PDF (forecast.html.j2). Records as in :mod:`audit.report.contract`."""

from __future__ import annotations

from dataclasses import dataclass

from audit.report.contract import Figure, RangeText


@dataclass(frozen=True, kw_only=True)
class ForecastMeta:
    """The forecast PDF's cover line and metadata."""

    version: str
    data_version: str
    as_of: str
    title: str
    company: str
    plan: str


@dataclass(frozen=True, kw_only=True)
class ForecastRow:
    """One platform or shot of the forecast: generations, energy and carbon with ranges."""

    key: str
    generations: str
    energy: RangeText
    carbon: RangeText


@dataclass(frozen=True, kw_only=True)
class Origin:
    """Where the planned values of one cell came from, and for how many plan rows."""

    cell: str
    origin: str
    source: str
    locator: str
    rows: str


@dataclass(frozen=True, kw_only=True)
class SourceLine:
    """A source of the forecast's bibliography."""

    authors: str
    year: str
    title: str
    url: str


@dataclass(frozen=True, kw_only=True)
class ForecastReport:
    """Everything forecast.html.j2 prints, formatted for ``lang``."""

    lang: str
    meta: ForecastMeta
    figures: list[Figure]
    generations: str
    outputs: str
    rows: str
    platforms: list[ForecastRow]
    shots: list[ForecastRow]
    more_shots: int
    origins: list[Origin]
    sources: list[SourceLine]

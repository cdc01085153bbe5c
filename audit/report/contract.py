"""The report's contract: the typed context that ``build_context`` returns and the templates read.

Every value is already formatted for the reader (numbers the French or English way, units chosen,
ranges printed); the templates only lay them out. The records are frozen dataclasses built by
keyword, so that mypy catches a field renamed on one side only, and a test checks that every
attribute a template reads exists here (tests/report/test_report_contract.py).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from audit.report.contract_method import Methodology


@dataclass(frozen=True, kw_only=True)
class RangeText:
    """A ranged quantity as printed: central value with its unit, the low–high range in the same
    unit, each corner alone, and the unit chosen (``kg CO₂e``)."""

    central: str
    range: str
    low: str
    high: str
    unit: str


@dataclass(frozen=True, kw_only=True)
class Meta:
    """The cover page and the document's metadata."""

    title: str
    original_title: str | None
    company: str
    directors: str
    runtime: str
    release_date: str
    distribution: str
    territories: str
    as_of: str
    as_of_iso: str
    version: str
    data_version: str
    inputs_sha256: str
    synthetic: bool


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One headline quantity of the summary (energy, carbon, water, ADPe)."""

    label: str
    central: str
    range: str
    low: str
    high: str
    unit: str
    per_minute: str


@dataclass(frozen=True, kw_only=True)
class LabelledValue:
    """A line of a small table: what, how much, and the short pointer to its source."""

    label: str
    value: str
    source: str


@dataclass(frozen=True, kw_only=True)
class Summary:
    """The summary page: counts, headline figures, shares, findings counted, equivalents."""

    generations: str
    outputs: str
    kept_outputs: str
    figures: list[Figure]
    discard_ratio: str
    in_cut_energy: str
    discarded_energy: str
    measured_energy: str
    measured_modelled: str
    blockers: int
    warnings: int
    infos: int
    equivalents: list[LabelledValue]
    context: list[LabelledValue]


@dataclass(frozen=True, kw_only=True)
class Quality:
    """The data-quality box: what was read, what was not, how firm the energy figure is."""

    files_read: str
    unclaimed: str
    unread_lines: list[str]
    unread_more: int
    skipped: str
    rejected: str
    pending: str
    pending_energy: str
    #: generations a platform's safety filter blocked (estimated as runs, no output); "" if none
    filtered: str
    measured: str
    model: str
    band: str
    incomplete: bool
    no_records: bool


@dataclass(frozen=True, kw_only=True)
class BreakdownRow:
    """One platform, modality or department: counts, and energy, carbon and water with ranges."""

    name: str
    generations: str
    outputs: str
    energy: str
    energy_range: str
    carbon: str
    carbon_range: str
    water: str
    water_range: str


@dataclass(frozen=True, kw_only=True)
class BreakdownBlock:
    """One table of the breakdown section (by platform, by modality, by department)."""

    title: str
    key_label: str
    rows: list[BreakdownRow]


@dataclass(frozen=True, kw_only=True)
class ShotRow:
    """One shot (or sound cue) of the cut: its attempts and footprint."""

    shot_id: str
    duration: str
    kept: int
    ancestors: int
    attempts: int
    platforms: str
    energy: str
    carbon: str
    water: str


@dataclass(frozen=True, kw_only=True)
class Shots:
    """The by-shot section: picture shots, sound cues, work outside the cut."""

    rows: list[ShotRow]
    truncated: bool
    audio: list[ShotRow]
    not_in_cut: str
    unexplained: list[str]


@dataclass(frozen=True, kw_only=True)
class UnexplainedClip:
    """A clip of the cut no generation explains."""

    clip: str
    shot: str
    seconds: str


@dataclass(frozen=True, kw_only=True)
class UnexplainedGroup:
    """Clips no generation explains for which the same advice holds, and that advice."""

    advice: str
    clips: list[UnexplainedClip]


@dataclass(frozen=True, kw_only=True)
class Linking:
    """The linking-quality block (docs/linking.md)."""

    explained: str
    by_key: str
    use: str
    unresolved: str
    #: By advice, in the order of the cut; at most :data:`~audit.report.linking.MAX_CLIPS_IN_PDF`
    #: clips in all, ``unexplained_more`` saying how many more (every one is in audit.json).
    unexplained: list[UnexplainedGroup]
    unexplained_more: str
    audio_unchecked: bool


@dataclass(frozen=True, kw_only=True)
class Charts:
    """The charts, as ``data:`` URIs of SVG images."""

    platforms: str
    shots: str


@dataclass(frozen=True, kw_only=True)
class FindingCard:
    """One rights finding written for the reader."""

    severity: str
    code: str
    name: str
    message: str
    #: The evidence as chunks (context.evidence_chunks: an id, its file:pointer location, a
    #: note), the reader's separator ending each item; the template keeps a short chunk on one
    #: line, so a line breaks between chunks, never inside a JSON pointer.
    evidence: list[str]
    fix: str
    #: After the last card printed of a rule with more findings than the PDF prints: how many
    #: more (findings.csv and audit.json list every one); else empty.
    more: str = ""


@dataclass(frozen=True, kw_only=True)
class FindingGroup:
    """The findings of one severity (``count``: all of them, printed or not)."""

    label: str
    findings: list[FindingCard]
    count: int


@dataclass(frozen=True, kw_only=True)
class ProvenanceRow:
    """One media file's Content Credentials."""

    file: str
    state: str
    classification: str
    detail: str


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """The C2PA table of the rights section."""

    rows: list[ProvenanceRow]


@dataclass(frozen=True, kw_only=True)
class AdapterRow:
    """Files and records read by one adapter (no adapter: the appendix's total row)."""

    adapter: str
    files: str
    accepted: str
    merged: str
    rejected: str


@dataclass(frozen=True, kw_only=True)
class Appendix:
    """The data appendix: inventory, rejects, unread and skipped files, timeline."""

    inventory: str
    by_adapter: list[AdapterRow]
    inputs_sha256: str
    totals: AdapterRow
    rejects: list[str]
    unclaimed: list[str]
    skipped: list[str]
    timeline: str


@dataclass(frozen=True, kw_only=True)
class HumanCredit:
    """A person of the credits and their role, in the reader's language."""

    role: str
    name: str


@dataclass(frozen=True, kw_only=True)
class ToolCredit:
    """The generative-AI tools of one department."""

    department: str
    tools: str


@dataclass(frozen=True, kw_only=True)
class Credits:
    """The credits block (report page, credits.txt/.md/.html)."""

    humans: list[HumanCredit]
    tools: list[ToolCredit]
    disclosure: str
    footprint_line: str


@dataclass(frozen=True, kw_only=True)
class GapRow:
    """Planned against final for one platform, shot or the film, the carbon gap split."""

    key: str
    planned: str
    actual: str
    energy_planned: str
    energy_actual: str
    carbon_planned: str
    carbon_actual: str
    gap: str
    attempts: str
    per_generation: str
    grid: str


@dataclass(frozen=True, kw_only=True)
class ForecastComparison:
    """The "forecast against final" section."""

    film: GapRow
    platforms: list[GapRow]
    shots: list[GapRow]
    more_shots: int


@dataclass(frozen=True, kw_only=True)
class Attached:
    """What the report says of the per-generation file attached: its name, whether it is the
    Parquet of archive scale, and that scale's threshold (in the reader's numbers)."""

    name: str
    parquet: bool
    limit: str


@dataclass(frozen=True, kw_only=True)
class ReportContext:
    """Everything report.html.j2 and its sections print, formatted for ``lang``."""

    lang: str
    meta: Meta
    summary: Summary
    quality: Quality
    breakdown: list[BreakdownBlock]
    shots: Shots
    linking: Linking
    charts: Charts
    findings: list[FindingGroup]
    provenance: Provenance
    methodology: Methodology
    appendix: Appendix
    credits: Credits
    forecast: ForecastComparison | None
    attached: Attached


def template_names(context: Any) -> dict[str, Any]:
    """The top-level names a template sees: the context's fields, one level deep (nested records
    stay records; ``dataclasses.asdict`` would turn them into dictionaries)."""
    return {f.name: getattr(context, f.name) for f in fields(context)}

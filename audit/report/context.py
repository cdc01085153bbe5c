"""The report's template context: every string is formatted here (numbers the French or English
way, units chosen, ranges printed); templates only lay it out."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from audit import __version__
from audit.base import columns as col
from audit.base.gentable import attribute_values
from audit.base.i18n import N_, Formatter, gettext
from audit.base.labels import DISTRIBUTION_LABELS, FIGURES, MODALITY_LABELS, SEVERITIES
from audit.ingest.registry import platforms as platform_index
from audit.report import charts
from audit.report.contract import (
    BreakdownBlock,
    BreakdownRow,
    Charts,
    FindingCard,
    FindingGroup,
    ForecastComparison,
    LabelledValue,
    Meta,
    RangeText,
    ReportContext,
    ShotRow,
    Shots,
    Summary,
)
from audit.report.credits import DEPARTMENT_LABELS, credits_context
from audit.report.cues import cue_label, cue_labels
from audit.report.equivalents import context_rows, equivalents
from audit.report.forecast_doc import comparison_context
from audit.report.generations import attached
from audit.report.linking import linking_context
from audit.report.quality import data_quality
from audit.report.sections import appendix, methodology, provenance
from audit.report.units import figure, quantity, ranged
from audit.rights.clearance import local_name_label

if TYPE_CHECKING:
    from audit.pipeline import AuditRun
    from audit.rights.base import Finding

#: Shots in the report's per-shot table, those of the largest carbon footprint first (a feature
#: film has 1,500: every shot is in report.xlsx, audit.json and the per-generation file). 100 rows
#: are about seven pages; 200 were fourteen, and 1.6 s of layout at every size above them.
MAX_SHOTS_IN_PDF = 100
#: Findings of one rule printed in the PDF at most, the rest counted (every one is in
#: findings.csv and audit.json).
MAX_CARDS_PER_RULE = 10


def _meta(run: AuditRun, fmt: Formatter) -> Meta:
    prod = run.production
    minutes, seconds = divmod(round(prod.runtime_s), 60)
    return Meta(
        title=prod.title,
        original_title=prod.original_title,
        company=prod.company,
        directors=", ".join(prod.directors),
        runtime=f"{minutes} min {seconds:02d} s",
        release_date=fmt.date(prod.release_date),
        distribution=", ".join(
            gettext(fmt.lang, DISTRIBUTION_LABELS[d.value]) for d in prod.distribution
        ),
        territories=", ".join(fmt.territory(t, world=N_("Worldwide")) for t in prod.territories),
        as_of=fmt.date(run.options.as_of),
        as_of_iso=run.options.as_of.isoformat(),
        version=__version__,
        data_version=run.footprint.registry.data_version,
        inputs_sha256=run.inputs_sha256,
        synthetic="examples" in run.root.resolve().parts,
    )


def _equivalents(run: AuditRun, fmt: Formatter) -> list[LabelledValue]:
    """Everyday equivalents, each from a cited coefficient of the registry."""
    return equivalents(run, fmt)


def _summary(run: AuditRun, fmt: Formatter) -> Summary:
    agg = run.aggregates
    figures = [
        figure(fmt, key, label, agg.totals[key], agg.per_minute[key]) for key, label in FIGURES
    ]
    by_status = agg.by_status.set_index(col.STATUS)
    measured = float(by_status[col.central(col.ENERGY)].get("measured", 0.0))
    modelled = _codecarbon_modelled_wh(run)
    total_energy = agg.totals[col.ENERGY].central
    counts = {sev: sum(1 for f in run.findings if f.severity == sev) for sev, _ in SEVERITIES}
    in_cut = agg.in_cut_share.get(col.ENERGY, 0.0)
    return Summary(
        generations=fmt.number(agg.generations, 0),
        outputs=fmt.number(agg.outputs, 0),
        kept_outputs=fmt.number(agg.kept_outputs, 0),
        figures=figures,
        discard_ratio=fmt.number(agg.discard_ratio, 1),
        in_cut_energy=fmt.percent(in_cut),
        discarded_energy=fmt.percent(1 - in_cut),
        measured_energy=quantity(fmt, col.ENERGY, measured)
        + f" ({fmt.percent(measured / total_energy if total_energy else 0.0, 1)})",
        measured_modelled=quantity(fmt, col.ENERGY, modelled) if modelled else "",
        blockers=counts["blocker"],
        warnings=counts["warning"],
        infos=counts["info"],
        equivalents=_equivalents(run, fmt),
        context=context_rows(run, fmt),
    )


def _codecarbon_modelled_wh(run: AuditRun) -> float:
    """Energy of "measured" runs that codecarbon in fact modelled (no RAPL/NVML on that machine)."""
    table = run.footprint.table
    measured = table[table[col.STATUS] == "measured"]
    gens = run.link.table
    rows = gens.id_index().get_indexer(pd.Index(measured["id"]))
    found = np.asarray(attribute_values(gens, "energy_source", rows[rows >= 0]), dtype=object)
    modelled = np.zeros(len(rows), dtype=bool)
    modelled[rows >= 0] = found == "modelled"
    return float(measured[col.central(col.ENERGY)].to_numpy()[modelled].sum())


def _impact_cells(fmt: Formatter, row: pd.Series) -> dict[str, RangeText]:
    """Energy, carbon and water of a row of sums, printed with their ranges."""
    return {key: ranged(fmt, key, col.range_of(row, key)) for key in col.SHOWN_IN_TABLES}


def _breakdown_row(fmt: Formatter, name: str, r: pd.Series) -> BreakdownRow:
    cells = _impact_cells(fmt, r)
    energy, carbon, water = (cells[key] for key in col.SHOWN_IN_TABLES)
    return BreakdownRow(
        name=name,
        generations=fmt.number(r["generations"], 0),
        outputs=fmt.number(r["outputs"], 0),
        energy=energy.central,
        energy_range=energy.range,
        carbon=carbon.central,
        carbon_range=carbon.range,
        water=water.central,
        water_range=water.range,
    )


def _breakdown(run: AuditRun, fmt: Formatter) -> list[BreakdownBlock]:
    agg = run.aggregates
    blocks = []
    titles = platform_index().titles(fmt.lang)
    for frame, key, title, key_label, names in (
        (agg.by_platform, "platform", N_("By platform"), N_("Platform"), titles),
        (agg.by_modality, "modality", N_("By modality"), N_("Modality"), MODALITY_LABELS),
        (agg.by_department, "department", N_("By department"), N_("Department"), DEPARTMENT_LABELS),
    ):
        rows = [
            _breakdown_row(fmt, gettext(fmt.lang, names.get(r[key], str(r[key]))), r)
            for _, r in frame.iterrows()
        ]
        blocks.append(
            BreakdownBlock(
                title=gettext(fmt.lang, title),
                key_label=gettext(fmt.lang, key_label),
                rows=rows,
            )
        )
    return _one_table_when_alike(blocks, fmt)


def _one_table_when_alike(blocks: list[BreakdownBlock], fmt: Formatter) -> list[BreakdownBlock]:
    """Departments and modalities in one table when they split the work alike (each department
    one modality, as when nothing was edited or lip-synced): ``Animation (vidéo)``."""
    platform, modality, department = blocks

    def figures(block: BreakdownBlock) -> list[tuple[str, ...]]:
        return [(r.generations, r.outputs, r.energy, r.carbon) for r in block.rows]

    if figures(modality) != figures(department):
        return blocks
    rows = [
        replace(d, name=f"{d.name} ({m.name.lower()})")
        for d, m in zip(department.rows, modality.rows, strict=True)
    ]
    title = gettext(fmt.lang, "By department and modality")
    label = gettext(fmt.lang, "Department (modality)")
    return [platform, BreakdownBlock(title=title, key_label=label, rows=rows)]


def _shot_rows(fmt: Formatter, frame: pd.DataFrame) -> list[ShotRow]:
    rows = []
    for _, r in frame.iterrows():
        energy, carbon, water = (c.central for c in _impact_cells(fmt, r).values())
        rows.append(
            ShotRow(
                shot_id=r["shot_id"],
                duration=fmt.number(r["duration_s"], 1) + " s",
                kept=int(r["kept"]),
                ancestors=int(r["ancestors"]),
                attempts=int(r["attempts"]),
                platforms=", ".join(
                    platform_index().title(key.strip(), fmt.lang)
                    for key in str(r["platforms"]).split(",")
                    if key.strip()
                ),
                energy=energy,
                carbon=carbon,
                water=water,
            )
        )
    return rows


def _cue_rows(run: AuditRun, fmt: Formatter, frame: pd.DataFrame) -> list[ShotRow]:
    """Sound cues, each named for a reader (audit/report/cues.py), not by its clip id."""
    labels = cue_labels(run, fmt.lang)
    return [replace(row, shot_id=cue_label(labels, row.shot_id)) for row in _shot_rows(fmt, frame)]


def _shots(run: AuditRun, fmt: Formatter) -> Shots:
    frame = run.aggregates.by_shot
    picture = frame[frame["kind"] == "picture"]
    audio = frame[frame["kind"] != "picture"]
    top = picture.sort_values([col.central(col.CARBON), "shot_id"], ascending=[False, True])
    truncated = len(top) > MAX_SHOTS_IN_PDF
    shown = top.head(MAX_SHOTS_IN_PDF) if truncated else picture
    table = run.footprint.table
    orphans = table[table["id"].isin(set(run.link.not_in_cut))]
    energy = quantity(fmt, col.ENERGY, float(orphans[col.central(col.ENERGY)].sum()))
    not_in_cut = gettext(
        fmt.lang,
        "%(count)s generations reached no shot of the final cut "
        "(research, tests, abandoned ideas): %(energy)s, counted in the totals.",
    ) % {"count": fmt.number(len(orphans), 0), "energy": energy}
    return Shots(
        rows=_shot_rows(fmt, shown),
        truncated=truncated,
        audio=_cue_rows(run, fmt, audio),
        not_in_cut=not_in_cut,
        unexplained=sorted({c.media_name or c.name for c in run.link.unexplained_clips}),
    )


def _carbon_chart(fmt: Formatter, names: list[str], frame: pd.DataFrame) -> str:
    """Carbon in kg, central value and low–high range, one bar per row of ``frame``."""
    unit_label = gettext(fmt.lang, "Carbon, kg CO₂e (central value and low–high range)")
    low, central, high = (frame[c] / 1e3 for c in col.columns(col.CARBON))
    return charts.ranged_bars(
        names, list(central), list(low), list(high), unit_label, tick=fmt.tick
    )


def _charts(run: AuditRun, fmt: Formatter) -> Charts:
    agg = run.aggregates
    plat = agg.by_platform
    shots = (
        agg.by_shot[agg.by_shot["kind"] == "picture"]
        .sort_values([col.central(col.CARBON), "shot_id"], ascending=[False, True])
        .head(30)
    )
    return Charts(
        platforms=_carbon_chart(
            fmt, [platform_index().title(p, fmt.lang) for p in plat["platform"]], plat
        ),
        shots=_carbon_chart(fmt, list(shots["shot_id"]), shots),
    )


#: Between evidence items: French typography puts a no-break space before the semicolon.
_LIST_SEPARATOR = {"fr": "\u00a0; "}


def evidence_chunks(evidence: list[str], lang: str, shown: int = 8) -> list[str]:
    """The first ``shown`` evidence items as chunks that a line may end between: an item
    ``id (file:pointer)`` is two chunks (the id, its location), any other item one; the
    separator ends each item's last chunk, and "…" follows when items were left out."""
    separator = _LIST_SEPARATOR.get(lang, "; ").rstrip()
    chunks: list[str] = []
    for number, item in enumerate(evidence[:shown]):
        head, paren, location = item.rpartition(" (")
        parts = [head, paren.lstrip() + location] if head and item.endswith(")") else [item]
        if number:
            chunks[-1] += separator
        chunks += parts
    if len(evidence) > shown:
        chunks[-1] += " …"
    return chunks


def finding_card(item: Finding, fmt: Formatter) -> FindingCard:
    """One finding for the reader: message and fix translated (``gettext(lang, message_id) %
    params``, numbers and dates written the reader's way); the evidence as recorded but for the
    curated notes of data/ it quotes, in the reader's language."""
    message, fix = local_name_label(item, fmt).localised(fmt)
    evidence = item.local_evidence(fmt)
    return FindingCard(
        severity=item.severity,
        code=item.code,
        name=item.name,
        message=message,
        evidence=evidence_chunks(evidence, fmt.lang),
        fix=fix,
    )


def _findings(run: AuditRun, fmt: Formatter) -> list[FindingGroup]:
    """Findings by severity, each written for the reader (:func:`finding_card`), at most
    :data:`MAX_CARDS_PER_RULE` of a rule (a feature reel of live footage gives one SOURCE002
    per clip: hundreds of the same card)."""
    groups = []
    for severity, label in SEVERITIES:
        found = [f for f in run.findings if f.severity == severity]
        by_rule: dict[str, list[Finding]] = {}
        for item in found:
            by_rule.setdefault(item.code, []).append(item)
        cards = [card for items in by_rule.values() for card in _cards(items, fmt)]
        if cards:
            groups.append(
                FindingGroup(label=gettext(fmt.lang, label), findings=cards, count=len(found))
            )
    return groups


def _cards(items: list[Finding], fmt: Formatter) -> list[FindingCard]:
    """The cards of one rule's findings: the first :data:`MAX_CARDS_PER_RULE`, the last of them
    saying how many more there are."""
    cards = [finding_card(item, fmt) for item in items[:MAX_CARDS_PER_RULE]]
    if len(items) > MAX_CARDS_PER_RULE:
        more = gettext(
            fmt.lang,
            "%(count)s more %(code)s findings are not printed here: findings.csv and audit.json "
            "list every one, with its evidence.",
        ) % {"count": fmt.number(len(items) - MAX_CARDS_PER_RULE, 0), "code": items[0].code}
        cards[-1] = replace(cards[-1], more=more)
    return cards


def charts_of(run: AuditRun, lang: str) -> Charts:
    """The report's charts in ``lang`` (they read the aggregates only: the report may draw them
    in a forked copy while the rules run, :mod:`audit.report.write`)."""
    return _charts(run, Formatter(lang))


def build_context(run: AuditRun, lang: str, charts: Charts | None = None) -> ReportContext:
    """Everything the report templates print, formatted for ``lang`` (``charts``: drawn
    already, else drawn here)."""
    fmt = Formatter(lang)
    return ReportContext(
        lang=lang,
        meta=_meta(run, fmt),
        summary=_summary(run, fmt),
        quality=data_quality(run, fmt),
        breakdown=_breakdown(run, fmt),
        shots=_shots(run, fmt),
        linking=linking_context(run, fmt),
        charts=_charts(run, fmt) if charts is None else charts,
        findings=_findings(run, fmt),
        provenance=provenance(run, fmt),
        methodology=methodology(run, fmt),
        appendix=appendix(run, fmt),
        credits=credits_context(run, lang),
        forecast=_forecast(run, lang),
        attached=attached(run, lang),
    )


def _forecast(run: AuditRun, lang: str) -> ForecastComparison | None:
    if run.forecast is None:
        return None
    return comparison_context(run.forecast.gaps, lang)

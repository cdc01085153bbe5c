"""Everyday equivalents (ADEME Impact CO2) and conventional-production context (Ecoprod, albert),
each computed from a cited coefficient of the registry — orders of magnitude, never a verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.base import columns as col
from audit.base.i18n import N_, Formatter, gettext
from audit.report.context_util import ref_numbers, short_citation
from audit.report.contract import LabelledValue
from audit.report.units import quantity

if TYPE_CHECKING:
    from audit.pipeline import AuditRun

#: (coefficient id, total it divides, label); the coefficient's unit matches the total's base unit.
EQUIVALENTS: tuple[tuple[str, col.Impact, str], ...] = (
    ("equiv.car_km", col.CARBON, N_("kilometres by petrol or diesel car")),
    ("equiv.streaming_hour", col.CARBON, N_("hours of video streaming")),
    ("equiv.smartphone_charge", col.ENERGY, N_("full smartphone charges")),
    ("equiv.shower", col.WATER, N_("short showers")),
)
#: (coefficient id, unit of time in seconds, label)
BASELINES = (
    ("baseline.ecoprod_per_min", 60.0,
     N_("A French live-action production of the same length (Ecoprod average per minute produced)")),
    ("baseline.albert_tv_hour", 3600.0,
     N_("The same length of UK broadcast television (albert average per hour)")),
)  # fmt: skip
GRAMS_PER_TONNE = 1e6


def cited_ids() -> list[str]:
    """Coefficients the summary page uses besides the estimates (for the bibliography)."""
    return [cid for cid, _, _ in EQUIVALENTS] + [cid for cid, _, _ in BASELINES]


def _source(run: AuditRun, cid: str) -> str:
    """ "Authors (year) [n]": the short pointer to the source's entry in the bibliography."""
    registry = run.footprint.registry
    source = registry.sources[registry.get(cid).source_id]
    refs = ref_numbers(registry, {*run.footprint.coefficient_ids(), *cited_ids()})
    return f"{short_citation(source)} [{refs[source.id]}]"


def equivalents(run: AuditRun, fmt: Formatter) -> list[LabelledValue]:
    """The film's totals expressed in everyday quantities, central value and range."""
    rows = []
    for cid, total_key, label in EQUIVALENTS:
        per_unit = run.footprint.registry.get(cid).value
        total = run.aggregates.totals[total_key]
        value = (
            f"{fmt.sig(total.central / per_unit, 2)} "
            f"({fmt.sig(total.low / per_unit, 2)}–{fmt.sig(total.high / per_unit, 2)})"
        )
        rows.append(
            LabelledValue(label=gettext(fmt.lang, label), value=value, source=_source(run, cid))
        )
    return rows


def context_rows(run: AuditRun, fmt: Formatter) -> list[LabelledValue]:
    """Conventional production of the same runtime, and the AI footprint's share of it."""
    rows = []
    carbon = run.aggregates.totals[col.CARBON].central
    for cid, period_s, label in BASELINES:
        per_period_t = run.footprint.registry.get(cid).value
        baseline_g = per_period_t * GRAMS_PER_TONNE * run.production.runtime_s / period_s
        share = carbon / baseline_g if baseline_g else 0.0
        value = (
            quantity(fmt, col.CARBON, baseline_g)
            + " · "
            + gettext(fmt.lang, "this film's AI work: %(share)s of that figure")
            % {"share": fmt.percent(share, 1)}
        )
        rows.append(
            LabelledValue(label=gettext(fmt.lang, label), value=value, source=_source(run, cid))
        )
    return rows

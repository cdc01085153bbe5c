"""The AI-generation line item for the film carbon calculators, as CSV (see docs/exports.md).

Carbon'Clap (Ecoprod, France) and albert (BAFTA, UK) publish no import format: these files are line
items to type into their forms (or attach as evidence), laid out in the calculators' own
category names. Neither has an AI line: the generation work is purchased computation that makes
pictures and sound, which they file under post-production. The generic CSV carries every quantity and range.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from audit.base import columns as col
from audit.base.errors import ConfigError
from audit.base.i18n import N_, gettext
from audit.base.safetext import neutralise_row
from audit.report.credits import DEPARTMENT_LABELS

if TYPE_CHECKING:
    from audit.base.production import Production
    from audit.estimate.aggregate import Aggregates
    from audit.estimate.footprint import Footprint
    from estimators.ranges import Range


class Footprinted(Protocol):
    """What an export reads: a final run (:class:`audit.pipeline.AuditRun`) or a forecast
    (:class:`audit.forecast.versus.Forecast`)."""

    @property
    def aggregates(self) -> Aggregates:
        """The footprint rolled up: totals and per finished minute."""

    @property
    def production(self) -> Production:
        """production.yaml: the title and runtime the export names."""

    @property
    def footprint(self) -> Footprint:
        """The estimate, for its data version."""


FORMATS = ("carbonclap", "albert", "csv")
#: Default language of each format's labels: Carbon'Clap is French, albert British.
DEFAULT_LANG = {"carbonclap": "fr", "albert": "en", "csv": "en"}
SOURCES = {
    "carbonclap": "https://www.ecoprod.com/en/carbon-clap/user-guide.html",
    "albert": "https://wearealbert.org/2021/02/10/albert-toolkit-faqs/",
}
#: The calculators' section where the AI line goes (their published category names).
SECTIONS = {"carbonclap": "Post-production", "albert": "Post-production"}
UNITS = col.UNITS
ITEM = N_("Generative AI: purchased computation, every attempt included")
DETAIL = N_("Generative AI, detail by department (included in the line above)")
ENERGY_ITEM = N_("Generative AI: electricity of the computation (for information)")
ENERGY_NOTE = N_(
    "Information only: the computation ran in data centres abroad; do not enter it as "
    "electricity of the production's own grid."
)
FORECAST_ITEM = N_("Generative AI (forecast): planned computation, every attempt included")
FORECAST_NOTE = N_(
    "Forecast from the production's plan (plan.csv), estimated with the same coefficients as the "
    "final footprint; the final line replaces it."
)
LINE_NOTE = N_(
    "Line item to type in (no official import format). GHG Protocol scope 3, category 1 "
    "(purchased services). Estimated by Empreinte with cited coefficients; range low–high."
)


@dataclass(frozen=True)
class Line:
    """One line item of an export: its role (final or forecast), where it goes in the target tool
    (section, item, unit), the range and the figure per finished minute, and a note."""

    role: str
    section: str
    item: str
    unit: str
    low: float
    central: float
    high: float
    per_finished_minute: float | None
    note: str


def check_format(value: str) -> str:
    """``value`` when it is a known export format; else a ConfigError with the choices."""
    if value not in FORMATS:
        raise ConfigError("unknown export format", field="--format", value=value, choices=FORMATS)
    return value


def _scaled(rng: Range, divisor: float) -> tuple[float, float, float]:
    return rng.low / divisor, rng.central / divisor, rng.high / divisor


def calculator_lines(agg: Aggregates, fmt: str, lang: str, forecast: bool = False) -> list[Line]:
    """The line item (carbon), its detail by department, and the energy for information
    (``forecast``: the plan's line, labelled as such).

    Carbon'Clap figures are in kg CO2e; albert's in t CO2e, as their reports print them."""
    item = gettext(lang, FORECAST_ITEM if forecast else ITEM)
    note = gettext(lang, LINE_NOTE)
    if forecast:
        note = f"{gettext(lang, FORECAST_NOTE)} {note}"
    unit, divisor = ("tCO2e", 1e6) if fmt == "albert" else ("kgCO2e", 1e3)
    section = SECTIONS[fmt]
    carbon = agg.totals["carbon_g"]
    per_minute = agg.per_minute["carbon_g"].central / divisor
    lines = [
        Line("line item", section, item, unit, *_scaled(carbon, divisor), per_minute, note),
    ]  # fmt: skip
    for _, row in agg.by_department.sort_values("department").iterrows():
        dept = str(row["department"])
        label = gettext(lang, DEPARTMENT_LABELS.get(dept, dept))
        low, central, high = (v / divisor for v in col.range_of(row, col.CARBON).corners)
        colon = "\u00a0: " if lang == "fr" else ": "  # French puts a space before the colon
        item = f"{gettext(lang, DETAIL)}{colon}{label}"
        lines.append(Line("detail", section, item, unit, low, central, high, None, ""))
    energy = agg.totals["energy_wh"]
    lines.append(
        Line(
            "information",
            section,
            gettext(lang, ENERGY_ITEM),
            "kWh",
            *_scaled(energy, 1e3),
            agg.per_minute["energy_wh"].central / 1e3,
            gettext(lang, ENERGY_NOTE),
        ),
    )
    return lines


def _number(value: float | None, figures: int) -> str:
    """``figures`` significant figures, never in scientific notation (typed into web forms)."""
    if value is None:
        return ""
    if value == 0:
        return "0"
    digits = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    return f"{round(value, digits):.{digits}f}"


def calculator_csv(run: Footprinted, fmt: str, lang: str, forecast: bool = False) -> str:
    """carbonclap or albert: one line item, detail rows, the energy for information."""
    per_hour = fmt == "albert"
    per_column = "per_finished_hour" if per_hour else "per_finished_minute"
    head = [
        "role",
        "section",
        "item",
        "unit",
        "low",
        "central",
        "high",
        per_column,
        "note",
        "source",
    ]
    rows: list[list[Any]] = []
    for line in calculator_lines(run.aggregates, fmt, lang, forecast):
        per = line.per_finished_minute
        per = per * 60 if per is not None and per_hour else per
        rows.append(
            [
                line.role,
                line.section,
                line.item,
                line.unit,
                *(_number(v, 4) for v in (line.low, line.central, line.high)),
                _number(per, 4),
                line.note,
                SOURCES[fmt],
            ]
        )
    return _csv(head, rows)


def generic_csv(run: Footprinted, forecast: bool = False) -> str:
    """Every quantity: total, per finished minute, per kept second, low/central/high
    (``forecast``: scopes named ``forecast_total`` …)."""
    prefix = "forecast_" if forecast else ""
    agg = run.aggregates
    head = ["quantity", "unit", "scope", "low", "central", "high", "generations", "outputs",
            "kept_outputs", "runtime_s", "data_version"]  # fmt: skip
    rows: list[list[Any]] = []
    for scope, values, suffix in (
        ("total", agg.totals, ""),
        ("per_finished_minute", agg.per_minute, "/min"),
        ("per_kept_second", agg.per_kept_second, "/s"),
    ):
        for quantity, unit in UNITS.items():
            rng = values[quantity]
            rows.append(
                [
                    quantity,
                    unit + suffix,
                    prefix + scope,
                    *(_number(v, 6) for v in (rng.low, rng.central, rng.high)),
                    agg.generations,
                    agg.outputs,
                    agg.kept_outputs,
                    _number(run.production.runtime_s, 6),
                    run.footprint.registry.data_version,
                ]
            )
    return _csv(head, rows)


def _csv(head: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    writer.writerows(neutralise_row(row) for row in rows)
    return buffer.getvalue()


def export_csv(run: Footprinted, fmt: str, lang: str | None = None, forecast: bool = False) -> str:
    """The CSV text of ``fmt`` (carbonclap, albert or csv), labels in ``lang``; ``forecast``
    when ``run`` is the plan's forecast."""
    check_format(fmt)
    if fmt == "csv":
        return generic_csv(run, forecast)
    return calculator_csv(run, fmt, lang or DEFAULT_LANG[fmt], forecast)

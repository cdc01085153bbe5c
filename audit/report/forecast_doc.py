"""The forecast's outputs: forecast.json, the forecast PDF (PDF/A-3b, French and English) and the
"forecast against final" section of the final report. Every number is formatted here."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from audit import __version__
from audit.base import columns as col
from audit.base.errors import RenderError
from audit.base.i18n import N_, Formatter, gettext
from audit.base.outputs import OutputSet
from audit.forecast.plan import HISTORY_LOCATOR
from audit.forecast.versus import Forecast, Gap, total_gap
from audit.report.contract import Figure, ForecastComparison, GapRow
from audit.report.contract_forecast import (
    ForecastMeta,
    ForecastReport,
    ForecastRow,
    Origin,
    SourceLine,
)
from audit.report.render import Attachment, render_template, write_pdf
from audit.report.units import figure, quantity, ranged
from estimators.ranges import Range

FIGURES: tuple[tuple[col.Impact, str], ...] = (
    (col.ENERGY, N_("Energy")),
    (col.CARBON, N_("Carbon")),
    (col.WATER, N_("Water")),
    (col.ADPE, N_("Abiotic resources (ADPe)")),
)
ORIGIN_LABELS = {
    "plan": N_("given in the plan"),
    "history": N_("the production's own history"),
    "default": N_("published or stated practice"),
    "none": N_("unknown: the estimator's own rule"),
}
#: Locators written by the code (translated); those of data/plan_defaults.yaml print as written.
LOCATOR_LABELS = {HISTORY_LOCATOR: N_("median of the production's own generations")}
#: Cells whose origin the forecast lists: what drives the estimate of each modality.
PICTURE_CELLS = ("attempts", "outputs", "model", "width", "height", "steps")
LISTED_CELLS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("image", "image_edit", "upscale"), PICTURE_CELLS),
    **dict.fromkeys(("video", "video_edit", "lipsync"), (*PICTURE_CELLS, "duration_s")),
    **dict.fromkeys(("music", "sound"), ("attempts", "outputs", "model", "duration_s")),
    **dict.fromkeys(("speech", "voice_clone"), ("attempts", "outputs", "model", "characters")),
    "text": ("attempts", "outputs", "model", "tokens_out"),
}
SHOT_ROWS = 60


def _ranges(totals: dict[col.Impact, Range]) -> dict[str, dict[str, float]]:
    return {k: {"low": v.low, "central": v.central, "high": v.high} for k, v in totals.items()}


def _origins(result: Forecast) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for row in result.plan.rows:
        for name in LISTED_CELLS[row.modality.value]:
            cell = row.cells[name]
            counts[(name, cell.origin, cell.source or "", cell.locator or "")] += 1
    return [
        {"cell": name, "origin": origin, "source": source, "locator": locator, "rows": n}
        for (name, origin, source, locator), n in sorted(counts.items())
    ]


def _group_rows(frame: pd.DataFrame, key: str) -> list[dict[str, Any]]:
    columns = [c for c in frame.columns if c.endswith(("_low", "_central", "_high"))]
    return [
        {
            key: str(row[key]),
            "generations": int(row["generations"]),
            "outputs": int(row["outputs"]),
            **{c: float(row[c]) for c in columns},
        }
        for _, row in frame.iterrows()
    ]


def _gap(gap: Gap) -> dict[str, Any]:
    return {
        "key": gap.key,
        "planned_generations": gap.planned,
        "actual_generations": gap.actual,
        "energy_wh": {"planned": gap.energy_planned_wh, "actual": gap.energy_actual_wh},
        "carbon_g": {
            "planned": gap.carbon_planned_g,
            "actual": gap.carbon_actual_g,
            "gap": gap.carbon_gap_g,
            "from_attempts": gap.from_attempts_g,
            "from_energy_per_generation": gap.from_per_generation_g,
            "from_grid": gap.from_grid_g,
        },
    }


#: forecast.json's schema: the fields `empreinte compare` reads are those of audit.json.
FORECAST_SCHEMA = "empreinte.forecast"
FORECAST_SCHEMA_VERSION = "1.0"


def _frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", double_precision=10))
    return records


def forecast_document(result: Forecast, as_of: str) -> dict[str, Any]:
    """forecast.json: laid out as audit.json where they share a field (``empreinte compare``
    reads both), plus the plan and where each planned value came from."""
    agg = result.aggregates
    plan = result.plan
    return {
        "schema": FORECAST_SCHEMA,
        "schema_version": FORECAST_SCHEMA_VERSION,
        "generator": {
            "name": "empreinte",
            "version": __version__,
            "data_version": result.footprint.registry.data_version,
        },
        "as_of": as_of,
        "inputs_sha256": result.inputs_sha256,
        "production": result.production.model_dump(mode="json"),
        "plan": {
            "file": plan.path,
            "rows": len(plan.rows),
            "history_used": result.history_used,
            "description": f"forecast from {plan.path}",
        },
        "footprint": {
            "totals": _ranges(agg.totals),
            "per_finished_minute": _ranges(agg.per_minute),
            "per_kept_second": _ranges(agg.per_kept_second),
            "generations": agg.generations,
            "outputs": agg.outputs,
            "kept_outputs": agg.kept_outputs,
            "by_platform": _frame_records(agg.by_platform),
            "by_modality": _frame_records(agg.by_modality),
            "by_department": _frame_records(agg.by_department),
        },
        "shots": _frame_records(agg.by_shot),
        "findings": [],
        "cell_origins": _origins(result),
    }


def comparison_document(gaps: dict[str, list[Gap]]) -> dict[str, Any]:
    """audit.json's ``forecast_vs_final``: per platform, per shot and for the film."""
    return {
        "film": _gap(total_gap(gaps["platforms"])),
        "by_platform": [_gap(g) for g in gaps["platforms"]],
        "by_shot": [_gap(g) for g in gaps["shots"]],
    }


def _figures(
    fmt: Formatter, agg_totals: dict[col.Impact, Range], per_minute: dict[col.Impact, Range]
) -> list[Figure]:
    return [figure(fmt, key, label, agg_totals[key], per_minute[key]) for key, label in FIGURES]


def _table(fmt: Formatter, frame: pd.DataFrame, key: str, limit: int) -> list[ForecastRow]:
    rows = []
    for _, row in frame.head(limit).iterrows():
        energy = col.range_of(row, col.ENERGY)
        carbon = col.range_of(row, col.CARBON)
        rows.append(
            ForecastRow(
                key=str(row[key]),
                generations=fmt.number(row["generations"], 0),
                energy=ranged(fmt, col.ENERGY, energy),
                carbon=ranged(fmt, col.CARBON, carbon),
            )
        )
    return rows


def forecast_context(result: Forecast, lang: str, as_of: str) -> ForecastReport:
    """Everything forecast.html.j2 prints, formatted for ``lang``."""
    fmt = Formatter(lang)
    agg = result.aggregates
    shots = agg.by_shot.sort_values([col.central(col.ENERGY), "shot_id"], ascending=[False, True])
    return ForecastReport(
        lang=lang,
        meta=ForecastMeta(
            version=__version__,
            data_version=result.footprint.registry.data_version,
            as_of=as_of,
            title=result.production.title,
            company=result.production.company,
            plan=result.plan.path,
        ),
        figures=_figures(fmt, agg.totals, agg.per_minute),
        generations=fmt.number(agg.generations, 0),
        outputs=fmt.number(agg.outputs, 0),
        rows=fmt.number(len(result.plan.rows), 0),
        platforms=_table(fmt, agg.by_platform, "platform", 100),
        shots=_table(fmt, shots, "shot_id", SHOT_ROWS),
        more_shots=max(0, len(shots) - SHOT_ROWS),
        origins=[
            Origin(
                cell=item["cell"],
                origin=gettext(lang, ORIGIN_LABELS[item["origin"]]),
                source=item["source"],
                locator=gettext(lang, LOCATOR_LABELS.get(item["locator"], item["locator"])),
                rows=fmt.number(item["rows"], 0),
            )
            for item in _origins(result)
        ],
        sources=_sources(result),
    )


def _sources(result: Forecast) -> list[SourceLine]:
    """The bibliography: sources of the coefficients used and of the plan's defaults."""
    registry = result.footprint.registry
    cited = {s.id: s for s in registry.cited(result.footprint.coefficient_ids())}
    for row in result.plan.rows:
        for cell in row.cells.values():
            if cell.origin == "default" and cell.source in registry.sources:
                cited[cell.source] = registry.sources[cell.source]
    return [
        SourceLine(authors=s.authors, year=str(s.year), title=s.title, url=s.url or "")
        for s in sorted(cited.values(), key=lambda s: (s.authors.lower(), s.year, s.title))
    ]


def comparison_context(gaps: dict[str, list[Gap]], lang: str) -> ForecastComparison:
    """The report's "forecast against final" section, formatted for ``lang``."""
    fmt = Formatter(lang)

    def row(gap: Gap) -> GapRow:
        return GapRow(
            key=gap.key,
            planned=fmt.number(gap.planned, 0),
            actual=fmt.number(gap.actual, 0),
            energy_planned=quantity(fmt, col.ENERGY, gap.energy_planned_wh),
            energy_actual=quantity(fmt, col.ENERGY, gap.energy_actual_wh),
            carbon_planned=quantity(fmt, col.CARBON, gap.carbon_planned_g),
            carbon_actual=quantity(fmt, col.CARBON, gap.carbon_actual_g),
            gap=_signed(fmt, gap.carbon_gap_g),
            attempts=_signed(fmt, gap.from_attempts_g),
            per_generation=_signed(fmt, gap.from_per_generation_g),
            grid=_signed(fmt, gap.from_grid_g),
        )

    return ForecastComparison(
        film=row(total_gap(gaps["platforms"])),
        platforms=[row(g) for g in gaps["platforms"]],
        shots=[row(g) for g in gaps["shots"][:SHOT_ROWS]],
        more_shots=max(0, len(gaps["shots"]) - SHOT_ROWS),
    )


#: A gap part smaller than this is rounding, printed as zero.
ZERO_G = 0.005


def _signed(fmt: Formatter, grams: float) -> str:
    if abs(grams) < ZERO_G:
        grams = 0.0
    text = quantity(fmt, col.CARBON, abs(grams))
    return ("+" if grams > 0 else "\u2212" if grams < 0 else "") + text


def write_forecast(
    result: Forecast, out: Path, langs: list[str], as_of: Any, folder: Path | None = None
) -> list[Path]:
    """forecast.json and one forecast PDF per language (the first gets the plain name)."""
    document = json.dumps(
        forecast_document(result, as_of.isoformat()), ensure_ascii=False, indent=2, sort_keys=True
    ).encode("utf-8")
    identifier = hashlib.sha256(document).hexdigest()[:32].encode()
    attachment = Attachment("forecast.json", document, "Forecast (Empreinte)", "application/json")
    with OutputSet(out, folder) as outputs:  # staged, locked, moved into place (docs/security.md)
        outputs.write("forecast.json", document)
        for index, lang in enumerate(langs):
            context = forecast_context(result, lang, as_of.isoformat())
            html = render_template("forecast.html.j2", lang, context, inline_css=None)
            name = "forecast.pdf" if index == 0 else f"forecast.{lang}.pdf"
            warnings = write_pdf(html, outputs.path(name), [attachment], as_of, identifier)
            if warnings:
                raise RenderError(f"{out / name}: WeasyPrint warned: {warnings[0]}")
        return outputs.commit()


def summary_lines(result: Forecast, lang: str) -> list[str]:
    """The forecast in a few terminal lines: totals with ranges, then energy per platform."""
    fmt, agg = Formatter(lang), result.aggregates
    lines = [f"{result.plan.path}: {len(result.plan.rows)} rows, {agg.generations} generations"]
    for key, label in FIGURES:
        shown = ranged(fmt, key, agg.totals[key])
        lines.append(f"  {gettext(lang, label)}: {shown.central} ({shown.range})")
    for row in _table(fmt, agg.by_platform, "platform", 100):
        lines.append(f"  {row.key}: {row.generations} × {row.energy.central}")
    return lines

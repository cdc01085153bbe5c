"""The comparison report: context (every number formatted here), HTML and PDF/A-3b, compare.csv.

Rendering reuses the report's Jinja environment (autoescape, catalogue) and WeasyPrint with its safe
fetcher; the stylesheet is the report's own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path

from audit import __version__
from audit.base.columns import CARBON, ENERGY, Impact
from audit.base.errors import RenderError
from audit.base.i18n import N_, Formatter, gettext
from audit.base.labels import FIGURES, MODALITY_LABELS
from audit.base.outputs import OutputSet
from audit.ingest.registry import platforms
from audit.report import charts
from audit.report.csvout import neutralised
from audit.report.render import Attachment, render_template, write_pdf
from audit.report.units import ADPE_EN, unit_for
from audit.report.write import stylesheet
from audit.tools.compare import QUANTITIES, SEVERITIES, Entry, csv_rows, overlaps
from audit.tools.compare_contract import (
    CompareCharts,
    CompareContext,
    CompareFigure,
    CompareFigures,
    CompareMeta,
    FigureCell,
    MixRow,
    OverlapLine,
    ProductionRow,
)
from estimators.ranges import Range

SCOPES = ("per_minute", "per_kept_second")
CHART_TITLES = {
    "carbon": N_("Carbon per finished minute"),
    "energy": N_("Energy per kept second"),
}


def _labels() -> dict[str, str]:
    return dict(FIGURES)


def common_unit(fmt: Formatter, kind: Impact, ranges: Sequence[Range]) -> tuple[str, float]:
    """One display unit for every production (the largest central picks it)."""
    unit, divisor = unit_for(kind, max((abs(r.central) for r in ranges), default=0.0))
    return (ADPE_EN.get(unit, unit) if fmt.lang == "en" else unit), divisor


def _figure(fmt: Formatter, entries: list[Entry], scope: str, kind: Impact) -> CompareFigure:
    ranges = [getattr(e, scope)[kind] for e in entries]
    unit, divisor = common_unit(fmt, kind, ranges)
    rows = [
        FigureCell(
            label=e.label,
            central=fmt.sig(r.central / divisor, 3),
            range=f"{fmt.sig(r.low / divisor, 2)}\u2013{fmt.sig(r.high / divisor, 2)}",
        )
        for e, r in zip(entries, ranges, strict=True)
    ]
    return CompareFigure(kind=kind, label=gettext(fmt.lang, _labels()[kind]), unit=unit, rows=rows)


def _optional(fmt: Formatter, value: float | None, digits: int = 1) -> str:
    return "–" if value is None else fmt.number(value, digits)


def _production(fmt: Formatter, e: Entry) -> ProductionRow:
    minutes, seconds = divmod(round(e.runtime_s), 60)
    return ProductionRow(
        label=e.label,
        title=e.title,
        company=e.company,
        people=", ".join(e.people),
        whatif=e.whatif,
        runtime=f"{minutes} min {seconds:02d} s",
        as_of=fmt.short_date(date.fromisoformat(e.as_of)),
        data_version=e.data_version,
        schema_version=e.schema_version,
        generations=fmt.number(e.generations, 0),
        outputs=fmt.number(e.outputs, 0),
        kept_outputs=fmt.number(e.kept_outputs, 0),
        kept_shots=fmt.number(e.kept_shots, 0),
        per_shot=_optional(fmt, e.generations_per_kept_shot),
        discard_ratio=_optional(fmt, e.discard_ratio),
        severities=[e.severities.get(sev, 0) for sev in SEVERITIES],
    )


def _mix(
    fmt: Formatter, entries: list[Entry], attr: str, name: Callable[[str], str]
) -> list[MixRow]:
    keys = sorted({k for e in entries for k in getattr(e, attr)})
    rows = []
    for key in keys:
        shares = [getattr(e, attr).get(key) for e in entries]
        cells = ["–" if s is None else fmt.percent(s, 1 if s < 0.1 else 0) for s in shares]
        rows.append(MixRow(name=name(key), cells=cells, order=-max(s or 0.0 for s in shares)))
    return sorted(rows, key=lambda r: (r.order, r.name))


def _names(lang: str) -> tuple[Callable[[str], str], Callable[[str], str]]:
    def platform(key: str) -> str:
        return platforms().title(key, lang)

    def modality(key: str) -> str:
        return gettext(lang, MODALITY_LABELS[key]) if key in MODALITY_LABELS else key

    return platform, modality


def _overlaps(fmt: Formatter, entries: list[Entry]) -> list[OverlapLine]:
    labels = _labels()
    return [
        OverlapLine(
            first=o.first,
            second=o.second,
            quantity=gettext(fmt.lang, labels[o.quantity]),
            overlap=o.overlap,
            higher=o.ratio is not None and o.ratio > 1,
            ratio="–" if o.ratio is None else fmt.sig(o.ratio, 2),
        )
        for o in overlaps(entries)
    ]


def _chart(fmt: Formatter, entries: list[Entry], scope: str, kind: Impact, title: str) -> str:
    ranges = [getattr(e, scope)[kind] for e in entries]
    unit, divisor = common_unit(fmt, kind, ranges)
    return charts.ranged_bars(
        [f"{e.label} · {e.title[:28]}" for e in entries],
        [r.central / divisor for r in ranges],
        [r.low / divisor for r in ranges],
        [r.high / divisor for r in ranges],
        f"{gettext(fmt.lang, title)} ({unit})",
        tick=fmt.tick,
    )


def build_context(entries: list[Entry], lang: str, anonymize: bool) -> CompareContext:
    """Everything compare.html.j2 prints, formatted for ``lang``."""
    fmt = Formatter(lang)
    platform, modality = _names(lang)
    as_of = max(e.as_of for e in entries)
    figures = {
        scope: [_figure(fmt, entries, scope, kind) for kind in QUANTITIES] for scope in SCOPES
    }
    return CompareContext(
        lang=lang,
        meta=CompareMeta(
            version=__version__,
            as_of=as_of,
            anonymized=anonymize,
            data_versions=sorted({e.data_version for e in entries}),
        ),
        productions=[_production(fmt, e) for e in entries],
        figures=CompareFigures(
            per_minute=figures["per_minute"], per_kept_second=figures["per_kept_second"]
        ),
        overlaps=_overlaps(fmt, entries),
        platform_mix=_mix(fmt, entries, "platform_mix", platform),
        modality_mix=_mix(fmt, entries, "modality_mix", modality),
        charts=CompareCharts(
            carbon=_chart(fmt, entries, "per_minute", CARBON, CHART_TITLES["carbon"]),
            energy=_chart(fmt, entries, "per_kept_second", ENERGY, CHART_TITLES["energy"]),
        ),
    )


def render_html(entries: list[Entry], lang: str, anonymize: bool, standalone: bool) -> str:
    """The comparison as HTML in ``lang`` (names replaced by letters with ``anonymize``), its
    stylesheet inlined when ``standalone``."""
    context = build_context(entries, lang, anonymize)
    inline_css = stylesheet() if standalone else None
    return render_template("compare.html.j2", lang, context, inline_css=inline_css)


def compare_csv(entries: list[Entry]) -> bytes:
    """The comparison's figures as CSV bytes, text cells neutralised (no formula from a name)."""
    import pandas as pd

    frame = neutralised(pd.DataFrame(csv_rows(entries)))
    return str(frame.to_csv(index=False, lineterminator="\n")).encode("utf-8")


def _identifier(entries: list[Entry]) -> bytes:
    data = json.dumps([asdict(e) for e in entries], sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:32].encode()


def write_compare(entries: list[Entry], out: Path, langs: list[str], anonymize: bool) -> list[Path]:
    """compare.pdf, compare.html (and ``.<lang>`` for the other languages) and compare.csv."""
    table = compare_csv(entries)
    attachment = Attachment("compare.csv", table, "One row per production compared", "text/csv")
    as_of = date.fromisoformat(max(e.as_of for e in entries))
    with OutputSet(out) as outputs:
        outputs.write("compare.csv", table)
        for index, lang in enumerate(langs):
            stem = "compare" if index == 0 else f"compare.{lang}"
            screen = render_html(entries, lang, anonymize, standalone=True)
            outputs.write(f"{stem}.html", screen.encode("utf-8"))
            html = render_html(entries, lang, anonymize, standalone=False)
            pdf = outputs.path(f"{stem}.pdf")
            warnings = write_pdf(html, pdf, [attachment], as_of, _identifier(entries))
            if warnings:
                raise RenderError(f"{out / pdf.name}: WeasyPrint warned: {warnings[0]}")
        return outputs.commit()

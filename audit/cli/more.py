"""``compare``, ``whatif`` and ``export``: for associations, classrooms and the film calculators.

Registered on ``app`` when ``audit.cli`` imports this module. Heavy imports stay inside the
commands so that ``--help`` is fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from audit.base.errors import ConfigError
from audit.cli.common import (
    AsOf,
    FolderArg,
    JsonOut,
    Lang,
    Lenient,
    Rate,
    app,
    friendly,
    langs_of,
    make_options,
    print_table,
    translator,
)
from audit.cli.common import run_folder as run_pipeline

OutDir = Annotated[
    Path | None,
    typer.Option("--out", help="Write the variant's audit.json and whatif.csv into this folder."),
]


@app.command()
@friendly
def compare(
    audits: Annotated[
        list[Path],
        typer.Argument(help="audit.json files (from report, or whatif --out) or forecast.json."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("empreinte-compare"),
    lang: Lang = None,
    anonymize: Annotated[
        bool,
        typer.Option("--anonymize", help="Replace titles, companies and people with labels."),
    ] = False,
) -> None:
    """Compare productions: per finished minute and per kept second, with ranges (PDF, HTML, CSV).

    Reads audit.json of any 1.x schema version. Ranges that overlap cannot be told apart."""
    from audit.tools.compare import anonymized, load_entries
    from audit.tools.compare_report import write_compare

    langs = langs_of(lang, ["fr"])
    entries = load_entries(audits)
    if anonymize:
        entries = anonymized(entries)
    for path in write_compare(entries, out, langs, anonymize):
        typer.echo(str(path))


def _whatif_spec(
    region: str | None, platform: list[str] | None, ratio: float | None, resolution: str | None
) -> Any:
    from audit.estimate.footprint import registry
    from audit.tools.whatif import (
        WhatIf,
        parse_platforms,
        parse_ratio,
        parse_region,
        parse_resolution,
    )

    reg = registry()
    spec = WhatIf(
        region=parse_region(region, reg),
        platforms=parse_platforms(platform or [], reg),
        discard_ratio=parse_ratio(ratio),
        resolution=parse_resolution(resolution),
    )
    if spec.describe() == "no change":
        raise ConfigError(
            "nothing to change: give at least one assumption",
            field="whatif",
            choices=["--discard-ratio", "--platform", "--region", "--resolution"],
        )
    return spec


def N_(message: str) -> str:
    """Mark a message id for extraction, as :func:`audit.base.i18n.N_` does, without importing
    Babel when the command line starts (``--help``, benchmark B4)."""
    return message


#: The what-if table's words (message ids, French in the catalogue).
WHATIF_WORDS = {
    "title": N_("What-if against the baseline: central (low, high)"),
    "quantity": N_("quantity"), "scope": N_("scope"), "unit": N_("unit"),
    "baseline": N_("baseline"), "variant": N_("variant"), "change": N_("change"),
    "change %": N_("change %"), "told apart": N_("told apart"), "total": N_("total"),
    "per minute": N_("per minute"), "yes": N_("yes"), "no (overlap)": N_("no (overlap)"),
    "energy_wh": N_("energy"), "carbon_g": N_("carbon"), "water_l": N_("water"),
    "adpe_kgsbeq": N_("ADPe"),
}  # fmt: skip


def _whatif_table(rows: list[dict[str, Any]], lang: str = "en") -> None:
    from audit.base.i18n import Formatter, gettext
    from audit.tools.compare_report import common_unit
    from estimators.ranges import Range

    def word(key: str) -> str:
        return gettext(lang, WHATIF_WORDS.get(key, key))

    fmt = Formatter(lang)
    cells = []
    for row in rows:
        base, var, change = (
            Range(row[f"{p}_low"], row[f"{p}_central"], row[f"{p}_high"])
            for p in ("baseline", "variant", "change")
        )
        # the baseline's unit: the same from one what-if to the next (not 756 Wh, then 0.756 kWh)
        unit, div = common_unit(fmt, row["quantity"], [base])
        separator = " ; " if lang == "fr" else ", "
        shown = [
            f"{fmt.sig(r.central / div, 3)} ({fmt.sig(r.low / div, 2)}{separator}"
            f"{fmt.sig(r.high / div, 2)})"
            for r in (base, var, change)
        ]
        relative = row["change_relative"]
        cells.append(
            [
                word(row["quantity"]),
                word("total" if row["scope"] == "total" else "per minute"),
                unit,
                *shown,
                "–" if relative is None else fmt.percent(relative, 1),
                word("no (overlap)" if row["ranges_overlap"] else "yes"),
            ]
        )
    columns = ["quantity", "scope", "unit", "baseline", "variant", "change", "change %",
               "told apart"]  # fmt: skip
    print_table(word("title"), [word(c) for c in columns], cells)


def _write_whatif(
    out: Path, folder: Path, document: dict[str, Any], rows: list[dict[str, Any]]
) -> list[Path]:
    import pandas as pd

    from audit.base.outputs import OutputSet
    from audit.report.csvout import neutralised

    with OutputSet(out, folder) as outputs:
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        outputs.write("audit.json", text.encode("utf-8"))
        table = neutralised(pd.DataFrame(rows)).to_csv(index=False, lineterminator="\n")
        outputs.write("whatif.csv", str(table).encode("utf-8"))
        return outputs.commit()


@app.command()
@friendly
def whatif(
    folder: FolderArg,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Compute every platform in this country (ISO alpha-3)."),
    ] = None,
    platform: Annotated[
        list[str] | None,
        typer.Option("--platform", help="SRC=TARGET, e.g. kling=veo (repeatable)."),
    ] = None,
    discard_ratio: Annotated[
        float | None,
        typer.Option("--discard-ratio", help="Keep this fraction (0 to 1) of discarded attempts."),
    ] = None,
    resolution: Annotated[
        str | None, typer.Option("--resolution", help="Cap video resolution: 480p … 2160p.")
    ] = None,
    out: OutDir = None,
    as_of: AsOf = None,
    lenient: Lenient = False,
    rate: Rate = None,
    as_json: JsonOut = False,
    lang: Lang = None,
) -> None:
    """Re-estimate under changed assumptions and show the change against the baseline (the
    table in --lang; --json and the written files stay the machine format)."""
    from audit.tools.whatif import delta_rows, deltas, variant, whatif_document

    spec = _whatif_spec(region, platform, discard_ratio, resolution)
    baseline = run_pipeline(folder, make_options(as_of, lenient, rate, require_timeline=False))
    changed, changes = variant(baseline, spec)
    rows = delta_rows(deltas(baseline, changed))
    if as_json:
        payload = {"whatif": spec.as_json(), "changes": changes.as_json(), "rows": rows}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        say = translator(langs_of(lang, ["en"])[0])
        typer.echo(say("What-if: %(changes)s") % {"changes": _spec_line(spec.as_json(), say)})
        typer.echo(_changes_line(changes.as_json(), say))
        _whatif_table(rows, langs_of(lang, ["en"])[0])
    if out is not None:
        document = whatif_document(baseline, changed, spec, changes)
        for path in _write_whatif(out, folder, document, rows):
            typer.echo(str(path), err=as_json)


def _spec_line(spec: dict[str, Any], say: Callable[[str], str]) -> str:
    """The what-if's settings as words in the reader's language: ``region=FRA; platform
    kling=veo`` (``pays de calcul=FRA ; plateforme kling=veo``)."""
    parts = [f"{say('region')}={spec['region']}"] if spec["region"] else []
    parts += [f"{say('platform')} {src}={dst}" for src, dst in spec["platforms"].items()]
    if spec["discard_ratio"] is not None:
        parts.append(f"{say('discard-ratio')}={spec['discard_ratio']:g}")
    if spec["resolution"]:
        parts.append(f"{say('resolution')}={spec['resolution']}")
    return say("; ").join(parts) or say("no change")


def _changes_line(changes: dict[str, Any], say: Callable[[str], str] = str) -> str:
    """What the what-if touched, as words: ``region platforms: comfyui, kling; resized videos:
    12`` (no Python lists or dicts on the terminal), in the reader's language."""
    parts = []
    for key, value in changes.items():
        if not value:
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, list | tuple):
            value = ", ".join(map(str, value))
        parts.append(say("%(field)s: ") % {"field": say(key.replace("_", " "))} + str(value))
    return say("; ").join(parts) or say("no change")


@app.command()
@friendly
def export(
    folder: FolderArg,
    format: Annotated[
        str, typer.Option("--format", help="carbonclap | albert | csv (the AI line item).")
    ] = "csv",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the CSV to this file (default: stdout).")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="fr or en (default: fr for carbonclap, en otherwise)."),
    ] = None,
    as_of: AsOf = None,
    lenient: Lenient = False,
    rate: Rate = None,
    forecast: Annotated[
        bool, typer.Option("--forecast", help="The forecast line, from plan.csv (before the work).")
    ] = False,
) -> None:
    """The AI-generation line item for Carbon'Clap, albert or a generic CSV (docs/exports.md)."""
    from audit.pipeline import run_forecast
    from audit.tools.export import check_format, export_csv

    fmt = check_format(format)
    langs = langs_of([lang] if lang else None, [])
    options = make_options(as_of, lenient, rate, require_timeline=False)
    run = run_forecast(folder, options) if forecast else run_pipeline(folder, options)
    text = export_csv(run, fmt, langs[0] if langs else None, forecast)
    if out is None:
        typer.echo(text, nl=False)
        return
    from audit.base.outputs import write_file

    write_file(out, text.encode("utf-8"), folder)
    typer.echo(str(out))

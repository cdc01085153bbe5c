"""``empreinte plan`` (draft a plan from the shot list and a recipe) and ``empreinte forecast``
(the forecast footprint of the plan: table, ``--json``, forecast.json and PDF). See
docs/production-folder.md and docs/exports.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from audit.base.errors import ConfigError
from audit.cli.common import (
    AsOf,
    FolderArg,
    Lang,
    Lenient,
    MessageLang,
    OutFolder,
    Rate,
    app,
    friendly,
    langs_of,
    make_options,
    parse_rate_option,
    printed_lang,
    translator,
)


@app.command()
@friendly
def plan(
    folder: FolderArg,
    recipe: Annotated[
        str,
        typer.Option(
            "--recipe",
            help='Generations planned per shot, e.g. "midjourney:image:40,magnific:upscale:2,'
            'kling:video:8" (platform:modality:attempts).',
        ),
    ],
    from_timeline: Annotated[
        bool, typer.Option("--from-timeline", help="One row per shot of the cut in timeline/.")
    ] = False,
    shots: Annotated[
        Path | None,
        typer.Option("--shots", help="A storyboard CSV (shot_id, duration_s) instead of the cut."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing plan.csv.")] = False,
    rate: Rate = None,
    lang: MessageLang = None,
) -> None:
    """Draft plan.csv: for each shot, one row per step of the recipe (other cells left empty)."""
    from audit.forecast.draft import draft_plan, shot_list

    say = translator(printed_lang(lang))
    if from_timeline == (shots is not None):
        raise ConfigError("give one of --from-timeline or --shots FILE", field="--from-timeline")
    if not folder.is_dir():
        raise ConfigError("not a folder", file=folder)
    target = folder / "plan.csv"
    if (target.exists() or (folder / "plan.xlsx").exists()) and not force:
        raise ConfigError(
            "a plan exists already: edit it, or add --force to replace plan.csv", file=target
        )
    listed = shot_list(folder, shots, parse_rate_option(rate))
    from audit.base.outputs import write_file

    text = draft_plan(listed, recipe, shots.name if shots else "timeline/")
    write_file(target, text.encode("utf-8"), folder)  # replaces a planted link, never follows it
    line = say("%(file)s: %(count)s shots, one row per shot and step of the recipe")
    typer.echo(line % {"file": target, "count": len(listed)})
    line = say("Next: fill in what you know, then run `empreinte forecast %(folder)s`.")
    typer.echo(line % {"folder": folder})


@app.command()
@friendly
def forecast(
    folder: FolderArg,
    out: OutFolder = None,
    lang: Lang = None,
    as_of: AsOf = None,
    lenient: Lenient = False,
    rate: Rate = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print forecast.json instead.")] = False,
) -> None:
    """The forecast footprint of plan.csv: per platform, shot and film, with ranges; writes
    forecast.pdf (PDF/A-3b) and forecast.json."""
    from audit.pipeline import run_forecast
    from audit.report.forecast_doc import forecast_document, summary_lines, write_forecast

    langs = langs_of(lang, ["fr"])
    options = make_options(as_of, lenient, rate, require_timeline=False)
    result = run_forecast(folder, options)
    written = write_forecast(result, out or folder / "out", langs, options.as_of, folder)
    if as_json:
        document = forecast_document(result, options.as_of.isoformat())
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for line in summary_lines(result, langs[0]):
        typer.echo(line)
    for path in written:
        typer.echo(str(path))

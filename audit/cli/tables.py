"""``init``, ``credits``, the registry's tables (``coefficients``, ``platforms``, each with
``--json``) and ``docs``. The printed words follow ``--lang`` (French from cli.po); ``ingest``,
``estimate`` and ``audit`` are in :mod:`audit.cli.records`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from audit.base.errors import ConfigError
from audit.cli.common import (
    AsOf,
    FolderArg,
    JsonOut,
    Lang,
    MessageLang,
    app,
    friendly,
    langs_of,
    make_options,
    print_json,
    print_table,
    printed_lang,
    run_folder,
    translator,
)


@app.command()
@friendly
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to create (or fill) as a production.")],
    lang: MessageLang = None,
) -> None:
    """Write a commented production-folder skeleton (production.yaml, logs/, timeline/, rights/)."""
    from audit.forecast.skeleton import write_skeleton

    say = translator(printed_lang(lang))
    for path in write_skeleton(folder):
        typer.echo(str(path))
    typer.echo(say(NEXT_STEPS) % {"folder": folder})


#: What to do after ``init`` (a message id of cli.po: French with --lang fr).
NEXT_STEPS = """
Next steps:
  1. fill in %(folder)s/production.yaml (title, runtime, release, credits, compute_regions);
  2. drop the platforms' exports into %(folder)s/logs/ and the final cut into %(folder)s/timeline/,
     then check what is read: empreinte ingest %(folder)s
  3. write the report: empreinte report %(folder)s --lang fr --lang en"""


@app.command()
@friendly
def credits(
    folder: FolderArg,
    lang: Lang = None,
    fmt: Annotated[str, typer.Option("--format", help="txt, md or html.")] = "txt",
    as_of: AsOf = None,
) -> None:
    """The AI-disclosure credits block: tools per department, human authors, footprint line
    (--lang as for report: repeat it for each language, blocks one after the other)."""
    from audit.report.credits import render_credits

    langs = langs_of(lang, ["fr"])
    run = run_folder(folder, make_options(as_of, False, None))
    typer.echo("\n".join(render_credits(run, item, fmt) for item in langs), nl=False)


def _modality(value: str) -> str:
    """A modality in English or French (``vidéo``), else a one-line error with the choices."""
    from audit.base.models import Modality
    from audit.base.vocab import modality

    found = modality(value)
    choices = [m.value for m in Modality]
    if found not in choices:
        raise ConfigError("unknown modality", field="--modality", value=value, choices=choices)
    return found


@app.command()
@friendly
def coefficients(
    modality: Annotated[str | None, typer.Option("--modality", help="Only this modality.")] = None,
    as_json: JsonOut = False,
    lang: MessageLang = None,
) -> None:
    """The coefficient registry with the source of every value."""
    from audit.estimate.footprint import registry

    say = translator(printed_lang(lang))
    reg = registry()
    if modality is not None:
        modality = _modality(modality)
    rows = [
        c
        for c in reg.coefficients.values()
        if modality is None or c.modality in (modality, "", None, "*")
    ]
    if as_json:
        print_json(
            {
                "data_version": reg.data_version,
                "coefficients": [c.model_dump(mode="json") for c in rows],
            }
        )
        return
    print_table(
        say("Coefficients (data %(version)s)") % {"version": reg.data_version},
        [say(c) for c in ("id", "value", "low", "high", "unit", "source", "locator")],
        [[c.id, c.value, c.low, c.high, c.unit, c.source_id, c.locator] for c in rows],
    )


@app.command()
@friendly
def platforms(as_json: JsonOut = False, lang: MessageLang = None) -> None:
    """Adapters: which platform records Empreinte reads, and what they cannot tell."""
    from audit.ingest.registry import adapters

    say = translator(printed_lang(lang))
    rows = [
        {
            "name": a.name,
            "platform": a.platform,
            "title": a.title,
            "formats": a.formats,
            "suffixes": list(a.suffixes),
        }
        for a in adapters().values()
    ]
    if as_json:
        print_json(rows)
        return
    print_table(
        say("Adapters"),
        [say(c) for c in ("name", "platform", "title", "formats")],
        [[r["name"], r["platform"], r["title"], r["formats"]] for r in rows],
    )


@app.command()
@friendly
def docs(
    out: Annotated[Path, typer.Option("--out", help="docs/ folder to write.")] = Path("docs"),
    check: Annotated[bool, typer.Option("--check", help="Only tell which files drifted.")] = False,
    lang: MessageLang = None,
) -> None:
    """Rebuild the generated docs: CLI reference, coefficients, rules, platforms, JSON Schema."""
    from audit.docgen import drifted, write_docs

    say = translator(printed_lang(lang))
    if check:
        stale = drifted(out, app)
        for name in stale:
            line = say("stale: %(file)s (run: empreinte docs --out %(folder)s)")
            typer.echo(line % {"file": out / name, "folder": out})
        raise typer.Exit(1 if stale else 0)
    for path in write_docs(out, app):
        typer.echo(str(path))

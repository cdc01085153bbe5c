"""The commands that run the whole pipeline on a folder and print or render it: ``report``,
``demo`` and ``version``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from audit import __version__
from audit.base.safetext import for_terminal
from audit.cli.common import (
    AllowEmpty,
    AsOf,
    FailOn,
    FolderArg,
    Lang,
    Lenient,
    MessageLang,
    OutFolder,
    Rate,
    accounting,
    app,
    exit_for_findings,
    fail_level,
    friendly,
    hold,
    langs_of,
    make_options,
    printed_lang,
    run_folder,
    translator,
)


@app.command()
@friendly
def report(
    folder: FolderArg,
    out: OutFolder = None,
    lang: Lang = None,
    as_of: AsOf = None,
    lenient: Lenient = False,
    rate: Rate = None,
    redact: Annotated[bool, typer.Option("--redact", help="Hide consent subjects' names.")] = False,
    redact_prompts: Annotated[
        bool, typer.Option("--redact-prompts", help="Replace prompts by their length and hash.")
    ] = False,
    fail_on: FailOn = None,
    allow_empty: AllowEmpty = False,
) -> None:
    """Write report.pdf, report.html, audit.json, generations.csv, findings.csv and credits.txt."""
    from audit.base.gc import paused_gc
    from audit.report.write import ReportWriter

    langs, level = langs_of(lang, ["fr"]), fail_level(fail_on)
    options = make_options(as_of, lenient, rate, redact, allow_empty=allow_empty)
    with paused_gc(), ReportWriter(out or folder / "out", langs, redact_prompts) as writer:
        # at archive scale the writer of generations.csv starts once the estimate is made
        run = run_folder(folder, options, writer.estimated)
        written = writer.write(run)
        hold(run)  # from the console, the process ends without freeing it (docs/performance.md)
    printed = printed_lang(None)
    # every file and record, as estimate says them; on stderr: stdout lists the files written
    accounting(run, translator(printed), printed, lambda line: typer.echo(line, err=True))
    for path in written:
        typer.echo(for_terminal(str(path)))
    exit_for_findings(run, level)


@app.command()
@friendly
def demo(
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("empreinte-demo"),
    lang: Lang = None,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Date printed on the report.")
    ] = "2026-11-20",
) -> None:
    """Render the bundled example production's report (French and English), offline."""
    from audit.base.resources import example_dir
    from audit.report.write import write_all

    langs = langs_of(lang, ["fr", "en"])
    run = run_folder(example_dir(), make_options(as_of, False, None))
    for path in write_all(run, out, langs, False):
        typer.echo(for_terminal(str(path)))


@app.command()
def version(lang: MessageLang = None) -> None:
    """Print Empreinte's version and the data version of the coefficient registry."""
    from audit.estimate.footprint import registry

    printed_lang(lang)  # checked like everywhere; the line is the same in both languages
    typer.echo(f"empreinte {__version__} (data {registry().data_version})")

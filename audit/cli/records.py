"""The commands that read and account for the records: ``ingest``, ``estimate`` and ``audit``
(each with ``--json``, the machine format, and ``--lang``, the language of the tables and lines
printed: their fixed words go through the command line's catalogue, ``cli.po``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from audit.base.errors import ConfigError
from audit.base.safetext import for_terminal
from audit.cli.common import (
    AllowEmpty,
    AsOf,
    FailOn,
    FolderArg,
    JsonOut,
    Lenient,
    MessageLang,
    Rate,
    account_lines,
    accounting,
    app,
    count_in,
    exit_for_findings,
    fail_level,
    friendly,
    make_options,
    print_json,
    print_table,
    printed_lang,
    run_folder,
    translator,
)

if TYPE_CHECKING:
    from audit.base.columns import Impact
    from audit.pipeline import AuditRun


def _ingest_with_progress(
    root: Path, files: list[Path], adapter: str | None, lenient: bool, *, show: str | None
) -> Any:
    """ingest_files with a progress bar on stderr for long runs (more than 50 files); ``show``
    is the bar's label (None: no bar)."""
    from rich.console import Console
    from rich.progress import Progress

    from audit.ingest.walk import ingest_files

    if show is None or len(files) <= 50:
        return ingest_files(root, files, adapter_name=adapter, lenient=lenient)
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(show, total=2 * len(files))

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return ingest_files(root, files, adapter_name=adapter, lenient=lenient, progress=advance)


def _files_to_read(paths: list[Path]) -> tuple[Path, list[Path], list[Any]]:
    """The root, the files and the files left out: a production folder's logs/, or log files."""
    from audit.ingest.folder import scan_folder

    if len(paths) == 1 and (paths[0] / "logs").is_dir():
        scan = scan_folder(paths[0], paths[0] / "logs")
        return paths[0], scan.files, scan.skipped
    missing = [p for p in paths if not p.is_file()]
    if missing and missing[0].is_dir():
        raise ConfigError(
            "a folder without logs/: give a production folder (production.yaml, logs/; "
            "`empreinte init` makes one) or log files",
            file=missing[0],
        )
    if missing:
        raise ConfigError("no such file or folder", file=missing[0])
    return Path.cwd(), [p.resolve() for p in paths], []


@app.command()
@friendly
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="A production folder, or log files.")],
    adapter: Annotated[str | None, typer.Option("--adapter", help="Force this adapter.")] = None,
    lenient: Lenient = False,
    as_json: JsonOut = False,
    lang: MessageLang = None,
) -> None:
    """Read platform records: accepted, merged as duplicates, rejected — per file."""
    printed = printed_lang(lang)
    say = translator(printed)
    root, files, skipped = _files_to_read(paths)
    show = None if as_json else say("Reading logs")
    result = _ingest_with_progress(root, files, adapter, lenient, show=show)
    result.skipped = skipped
    if as_json:
        print_json(
            {
                "totals": result.totals(),
                "files": [vars(f) for f in result.files],
                "rejects": [r.line() for r in result.rejects],
                "skipped": [s.line() for s in result.skipped],
            }
        )
        return
    rows = [
        [f.name, f.adapter or say("UNCLAIMED"), f.accepted, f.merged, f.rejected,
         say(f.reason) if f.reason else ""]
        for f in result.files
    ]  # fmt: skip
    columns = ["file", "adapter", "accepted", "merged", "rejected", "why not read"]
    print_table(say("Ingest"), [say(c) for c in columns], rows)
    for item in result.skipped:
        typer.echo(for_terminal(item.line()))
    account_lines(result, say, printed)


@app.command()
@friendly
def estimate(
    folder: FolderArg,
    as_of: AsOf = None,
    lenient: Lenient = False,
    rate: Rate = None,
    as_json: JsonOut = False,
    allow_empty: AllowEmpty = False,
    lang: MessageLang = None,
) -> None:
    """Energy, carbon, water and ADPe: film totals and a per-platform table, with ranges.

    Works before the cut exists: without a timeline nothing is linked to shots."""
    from audit.estimate.view import by_method, per_generation
    from audit.report.quality import energy_shares

    printed = printed_lang(lang)
    say = translator(printed)
    options = make_options(as_of, lenient, rate, require_timeline=False, allow_empty=allow_empty)
    run = run_folder(folder, options)
    agg = run.aggregates
    totals = {k: vars(v) for k, v in agg.totals.items()}
    platforms = agg.by_platform.to_dict(orient="records")
    methods = by_method(run.footprint.table)
    if as_json:
        print_json(
            {
                "totals": totals,
                "by_platform": platforms,
                "by_method": methods,
                "generations": per_generation(run.footprint.table),
                "data_version": run.footprint.registry.data_version,
                "records": run.ingest.totals(),
                "rejects": [r.line() for r in run.ingest.rejects],
                "unclaimed": run.ingest.unclaimed_lines(),
                "skipped": [s.line() for s in run.ingest.skipped],
                "energy_shares": energy_shares(run),
            }
        )
        return
    accounting(run, say, printed)
    _estimate_tables(run, totals, platforms, methods, printed)


def _estimate_tables(
    run: AuditRun,
    totals: dict[Impact, dict[str, float]],
    platforms: list[dict[Hashable, Any]],
    methods: list[dict[str, Any]],
    lang: str = "en",
) -> None:
    """The tables of ``empreinte estimate`` in ``lang``: the energy's basis in shares, film totals,
    by platform and by method."""
    from audit.estimate.view import main_ids
    from audit.report.quality import energy_shares

    say = translator(lang)

    percent, q, n = _percent_in(lang), _quantity_in(lang), count_in(lang)
    shares = {key: percent(value) for key, value in energy_shares(run).items()}
    typer.echo(
        say("energy: %(measured)s measured, %(model)s estimated per model, %(band)s from a "
            "fallback band") % shares
    )  # fmt: skip
    print_table(
        say("Film totals (low / central / high)"),
        [say(c) for c in ("quantity", "low", "central", "high")],
        [[say(k), q(v["low"]), q(v["central"]), q(v["high"])] for k, v in totals.items()],
    )
    print_table(
        say("By platform"),
        [say(c) for c in ("platform", "generations", "outputs", "energy Wh (central)",
                          "carbon gCO2e (central)", "water L (central)")],
        [
            [p["platform"], n(p["generations"]), n(p["outputs"]), q(p["energy_wh_central"]),
             q(p["carbon_g_central"]), q(p["water_l_central"])]
            for p in platforms
        ],
    )  # fmt: skip
    print_table(
        say("By method (every generation's method, status, run and coefficients; --json per "
            "generation)"),
        [say(c) for c in ("platform", "method", "status", "run", "generations",
                          "energy Wh (central)", "coefficients", "route")],
        [
            [m["platform"], m["method"], m["estimate_status"], m["run"], n(m["generations"]),
             q(m["energy_wh_central"]), main_ids(m["coefficient_ids"]), m["route_note"]]
            for m in methods
        ],
    )  # fmt: skip


@app.command("audit")
@friendly
def audit_cmd(
    folder: FolderArg,
    as_of: AsOf = None,
    lenient: Lenient = False,
    rate: Rate = None,
    fail_on: FailOn = None,
    redact: Annotated[bool, typer.Option("--redact", help="Hide consent subjects' names.")] = False,
    as_json: JsonOut = False,
    lang: MessageLang = None,
) -> None:
    """Rights and consent findings, with evidence and how to fix."""
    printed = printed_lang(lang)
    say = translator(printed)
    level = fail_level(fail_on)
    run = run_folder(folder, make_options(as_of, lenient, rate, redact))
    if as_json:
        print_json([f.model_dump(mode="json") for f in run.findings])
    else:
        accounting(run, say, printed)
        print_table(
            say("Findings"),
            [say(c) for c in ("severity", "code", "message", "evidence")],
            _finding_rows(run, printed),
        )
    exit_for_findings(run, level)


def _percent_in(lang: str) -> Callable[[float], str]:
    """A share as a reader of ``lang`` writes it: ``0.4%``, ``0,4 %``."""
    if lang == "en":
        return lambda value: f"{value:.1%}"
    from audit.base.i18n import Formatter

    return lambda value: Formatter(lang).percent(value, 1)


def _quantity_in(lang: str) -> Callable[[float], str]:
    """A quantity of the estimate tables with four significant figures, as a reader of ``lang``
    writes it: ``25,290`` and ``0.00009308`` in English, ``25 290`` and ``159,3`` in French (it
    printed ``2.529e+04`` in both)."""
    from audit.base.i18n import Formatter

    fmt = Formatter(lang)
    return lambda value: fmt.sig(value, 4)


def _finding_rows(run: AuditRun, lang: str) -> list[list[Any]]:
    """One row per finding: in English as recorded, in French as the report writes it (message,
    evidence labels and curated notes in French)."""
    if lang == "en":
        return [[f.severity, f.code, f.message, "; ".join(f.evidence[:3])] for f in run.findings]
    from audit.base.i18n import Formatter

    fmt, say = Formatter(lang), translator(lang)
    return [
        [say(f.severity), f.code, f.localised(fmt)[0], say("; ").join(f.local_evidence(fmt)[:3])]
        for f in run.findings
    ]

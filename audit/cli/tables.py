"""Commands that print tables (each with ``--json``), plus ``init``, ``credits`` and ``docs``."""

from __future__ import annotations

from collections.abc import Hashable
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
    Lang,
    Lenient,
    Rate,
    app,
    exit_for_findings,
    fail_level,
    friendly,
    langs_of,
    make_options,
    print_json,
    print_table,
    run_folder,
)

if TYPE_CHECKING:
    from audit.base.columns import Impact
    from audit.pipeline import AuditRun


@app.command()
@friendly
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to create (or fill) as a production.")],
) -> None:
    """Write a commented production-folder skeleton (production.yaml, logs/, timeline/, rights/)."""
    from audit.forecast.skeleton import write_skeleton

    for path in write_skeleton(folder):
        typer.echo(str(path))
    typer.echo(NEXT_STEPS.format(folder=folder))


NEXT_STEPS = """
Next steps:
  1. fill in {folder}/production.yaml (title, runtime, release, credits, compute_regions);
  2. drop the platforms' exports into {folder}/logs/ and the final cut into {folder}/timeline/,
     then check what is read: empreinte ingest {folder}
  3. write the report: empreinte report {folder} --lang fr --lang en"""


def _ingest_with_progress(
    root: Path, files: list[Path], adapter: str | None, lenient: bool, *, show: bool
) -> Any:
    """ingest_files with a progress bar on stderr for long runs (more than 50 files)."""
    from rich.console import Console
    from rich.progress import Progress

    from audit.ingest.walk import ingest_files

    if not show or len(files) <= 50:
        return ingest_files(root, files, adapter_name=adapter, lenient=lenient)
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Reading logs", total=2 * len(files))

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return ingest_files(root, files, adapter_name=adapter, lenient=lenient, progress=advance)


@app.command()
@friendly
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="A production folder, or log files.")],
    adapter: Annotated[str | None, typer.Option("--adapter", help="Force this adapter.")] = None,
    lenient: Lenient = False,
    as_json: JsonOut = False,
) -> None:
    """Read platform records: accepted, merged as duplicates, rejected — per file."""
    from audit.ingest.folder import scan_folder

    skipped = []
    if len(paths) == 1 and (paths[0] / "logs").is_dir():
        scan = scan_folder(paths[0], paths[0] / "logs")
        root, files, skipped = paths[0], scan.files, scan.skipped
    else:
        missing = [p for p in paths if not p.is_file()]
        if missing and missing[0].is_dir():
            raise ConfigError(
                "a folder without logs/: give a production folder (production.yaml, logs/; "
                "`empreinte init` makes one) or log files",
                file=missing[0],
            )
        if missing:
            raise ConfigError("no such file or folder", file=missing[0])
        root, files = Path.cwd(), [p.resolve() for p in paths]
    result = _ingest_with_progress(root, files, adapter, lenient, show=not as_json)
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
        [f.name, f.adapter or "UNCLAIMED", f.accepted, f.merged, f.rejected, f.reason or ""]
        for f in result.files
    ]
    print_table(
        "Ingest", ["file", "adapter", "accepted", "merged", "rejected", "why not read"], rows
    )
    for item in result.skipped:
        typer.echo(for_terminal(item.line()))
    _account_lines(result)


@app.command()
@friendly
def estimate(
    folder: FolderArg,
    as_of: AsOf = None,
    lenient: Lenient = False,
    rate: Rate = None,
    as_json: JsonOut = False,
    allow_empty: AllowEmpty = False,
) -> None:
    """Energy, carbon, water and ADPe: film totals and a per-platform table, with ranges.

    Works before the cut exists: without a timeline nothing is linked to shots."""
    from audit.estimate.view import by_method, per_generation
    from audit.report.quality import energy_shares

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
    _records(run)
    _estimate_tables(run, totals, platforms, methods)


def _estimate_tables(
    run: AuditRun,
    totals: dict[Impact, dict[str, float]],
    platforms: list[dict[Hashable, Any]],
    methods: list[dict[str, Any]],
) -> None:
    """The tables of ``empreinte estimate``: the energy's basis in shares, film totals, by platform
    and by method."""
    from audit.estimate.view import main_ids
    from audit.report.quality import energy_shares

    shares = energy_shares(run)
    typer.echo(
        f"energy: {shares['measured']:.1%} measured, {shares['model']:.1%} estimated per model, "
        f"{shares['band']:.1%} from a fallback band"
    )
    print_table(
        "Film totals (low / central / high)",
        ["quantity", "low", "central", "high"],
        [
            [k, f"{v['low']:.4g}", f"{v['central']:.4g}", f"{v['high']:.4g}"]
            for k, v in totals.items()
        ],
    )
    print_table(
        "By platform",
        [
            "platform",
            "generations",
            "outputs",
            "energy Wh (central)",
            "carbon gCO2e (central)",
            "water L (central)",
        ],
        [
            [
                p["platform"],
                p["generations"],
                p["outputs"],
                f"{p['energy_wh_central']:.4g}",
                f"{p['carbon_g_central']:.4g}",
                f"{p['water_l_central']:.4g}",
            ]
            for p in platforms
        ],
    )
    print_table(
        "By method (every generation's method, status, run and coefficients; --json per generation)",
        ["platform", "method", "status", "run", "generations", "energy Wh (central)",
         "coefficients", "route"],
        [
            [m["platform"], m["method"], m["estimate_status"], m["run"], m["generations"],
             f"{m['energy_wh_central']:.4g}", main_ids(m["coefficient_ids"]), m["route_note"]]
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
) -> None:
    """Rights and consent findings, with evidence and how to fix."""
    level = fail_level(fail_on)
    run = run_folder(folder, make_options(as_of, lenient, rate, redact))
    if as_json:
        print_json([f.model_dump(mode="json") for f in run.findings])
    else:
        _records(run)
        print_table(
            "Findings",
            ["severity", "code", "message", "evidence"],
            [[f.severity, f.code, f.message, "; ".join(f.evidence[:3])] for f in run.findings],
        )
    exit_for_findings(run, level)


def _records(run: AuditRun) -> None:
    """What became of every input file and record (nothing is lost): each reject, each file no
    adapter read (with why), the counts."""
    _account_lines(run.ingest)
    for item in run.rights_files.unread:
        typer.echo(f"unread: {for_terminal(item.line())}")


def _account_lines(result: Any) -> None:
    for reject in result.rejects:
        typer.echo(f"rejected: {for_terminal(reject.line())}")
    for line in result.unclaimed_lines():
        typer.echo(f"unclaimed: {for_terminal(line)}")
    for line in result.empty_lines():
        typer.echo(f"no record: {for_terminal(line)}")
    totals = result.totals()
    typer.echo(
        f"files: {totals['files'] - totals['unclaimed_files']} read, "
        f"{totals['unclaimed_files']} unclaimed, "
        f"{totals['skipped_files']} skipped (hidden, editor or .empreinteignore)"
    )
    filtered = (
        f", {totals['filtered']} blocked by a safety filter (estimated as runs, no output)"
        if totals["filtered"]
        else ""
    )
    typer.echo(
        f"records: {totals['records']} read, {totals['accepted']} accepted "
        f"({totals['pending']} still in progress, estimated as full runs{filtered}), "
        f"{totals['merged']} merged as duplicates, {totals['rejected']} rejected"
    )


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
) -> None:
    """The coefficient registry with the source of every value."""
    from audit.estimate.footprint import registry

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
        f"Coefficients (data {reg.data_version})",
        ["id", "value", "low", "high", "unit", "source", "locator"],
        [[c.id, c.value, c.low, c.high, c.unit, c.source_id, c.locator] for c in rows],
    )


@app.command()
@friendly
def platforms(as_json: JsonOut = False) -> None:
    """Adapters: which platform records Empreinte reads, and what they cannot tell."""
    from audit.ingest.registry import adapters

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
        "Adapters",
        ["name", "platform", "title", "formats"],
        [[r["name"], r["platform"], r["title"], r["formats"]] for r in rows],
    )


@app.command()
@friendly
def docs(
    out: Annotated[Path, typer.Option("--out", help="docs/ folder to write.")] = Path("docs"),
    check: Annotated[bool, typer.Option("--check", help="Only tell which files drifted.")] = False,
) -> None:
    """Rebuild the generated docs: CLI reference, coefficients, rules, platforms, JSON Schema."""
    from audit.docgen import drifted, write_docs

    if check:
        stale = drifted(out, app)
        for name in stale:
            typer.echo(f"stale: {out / name} (run: empreinte docs --out {out})")
        raise typer.Exit(1 if stale else 0)
    for path in write_docs(out, app):
        typer.echo(str(path))


__all__ = ["AsOf", "FailOn", "FolderArg", "JsonOut", "Lenient", "Rate", "exit_for_findings"]

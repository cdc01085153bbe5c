"""The ``empreinte`` command line. Thin: it parses options, calls the stages, prints.

Exit codes: 0 ok; 1 findings at or above ``--fail-on``; 2 bad input or usage; 3 internal error.
Only this module catches :class:`~audit.errors.EmpreinteError`. Heavy libraries (pandas,
WeasyPrint, c2pa, codecarbon) are imported inside the commands so that ``--help`` stays fast.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from audit import __version__
from audit.cli_help import WorkflowGroup, readable_help
from audit.errors import ConfigError, EmpreinteError
from audit.safetext import for_terminal, take_notices

readable_help()
app = typer.Typer(
    name="empreinte",
    cls=WorkflowGroup,
    help="Footprint (energy, carbon, water) and ethics (rights, consent) audit of films made with "
    "generative AI, from the platforms' own records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

FolderArg = Annotated[
    Path,
    typer.Argument(help="Production folder (holds production.yaml, logs/, timeline/, rights/)."),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date of the report, YYYY-MM-DD (default: today). Fix it for reproducible output.",
    ),
]
Lenient = Annotated[
    bool,
    typer.Option(
        "--lenient",
        help="Go on past unreadable records and files; list every reject and unread file.",
    ),
]
JsonOut = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Rate = Annotated[
    str | None,
    typer.Option(
        "--rate",
        help="Frame rate of the cut, as editors write it: 23.976, 25, 29.97 DF… "
        "(default: production.yaml frame_rate).",
    ),
]
Lang = Annotated[
    list[str] | None,
    typer.Option("--lang", help="fr or en; repeat for several (first one is the main file)."),
]
AllowEmpty = Annotated[
    bool,
    typer.Option(
        "--allow-empty", help="Write it even when no generation was accepted (else exit 2)."
    ),
]
FailOn = Annotated[
    str | None,
    typer.Option(
        "--fail-on", help="Exit 1 when a finding reaches this severity: blocker | warning."
    ),
]


def _friendly(func: F) -> F:
    """Turn an EmpreinteError into one line on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EmpreinteError as exc:
            typer.echo(f"empreinte: error: {for_terminal(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        finally:
            for notice in take_notices():
                typer.echo(f"empreinte: warning: {for_terminal(notice)}", err=True)
            _warn_glyph_gaps()

    return wrapper  # type: ignore[return-value]


def _warn_glyph_gaps() -> None:
    """One warning line for characters of the input that no installed font could draw."""
    if "audit.report.render" not in sys.modules:
        return
    from audit.report.render import take_glyph_gaps

    gaps = take_glyph_gaps()
    if gaps:
        shown = ", ".join(gaps[:12]) + (f" and {len(gaps) - 12} more" if len(gaps) > 12 else "")
        typer.echo(
            f"empreinte: warning: {len(gaps)} characters have no glyph in the installed fonts "
            f"and show as boxes in the PDF: {shown} (see docs/security.md, Fonts)",
            err=True,
        )


def parse_as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError("not a date (YYYY-MM-DD)", field="--as-of", value=value) from None


def parse_rate_option(value: str | None) -> float | None:
    """``--rate`` as editors write it (23.976, 29.97 DF…), kept exact."""
    from audit.rates import parse_rate

    if value is None:
        return None
    try:
        return parse_rate(value)
    except ValueError as exc:
        raise ConfigError(str(exc), field="--rate", value=value, choices=None) from None


def _options(
    as_of: str | None,
    lenient: bool,
    rate: str | None,
    redact: bool = False,
    require_timeline: bool = True,
    allow_empty: bool = True,
) -> Any:
    from audit.pipeline import Options

    return Options(as_of=parse_as_of(as_of), lenient=lenient, rate=parse_rate_option(rate),
                   redact=redact, require_timeline=require_timeline,
                   allow_empty=allow_empty)  # fmt: skip


def _langs(lang: list[str] | None, default: list[str]) -> list[str]:
    from audit.report.i18n import check_lang

    return [check_lang(item) for item in (lang or default)]


def _fail_on(value: str | None) -> str | None:
    if value is not None and value not in ("blocker", "warning"):
        raise ConfigError(
            "unknown severity", field="--fail-on", value=value, choices=["blocker", "warning"]
        )
    return value


@app.command()
@_friendly
def report(
    folder: FolderArg,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default DIR/out).")
    ] = None,
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
    from audit.report.write import write_all

    langs, level = _langs(lang, ["fr"]), _fail_on(fail_on)
    run = _run(folder, _options(as_of, lenient, rate, redact, allow_empty=allow_empty))
    written = write_all(run, out or folder / "out", langs, redact_prompts)
    for path in written:
        typer.echo(for_terminal(str(path)))
    _exit_for_findings(run, level)


@app.command()
@_friendly
def demo(
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("empreinte-demo"),
    lang: Lang = None,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Date printed on the report.")
    ] = "2026-11-20",
) -> None:
    """Render the bundled example production's report (French and English), offline."""
    from audit.report.write import write_all
    from audit.resources import example_dir

    langs = _langs(lang, ["fr", "en"])
    run = _run(example_dir(), _options(as_of, False, None))
    for path in write_all(run, out, langs, False):
        typer.echo(for_terminal(str(path)))


def _run(folder: Path, options: Any) -> Any:
    from audit.pipeline import run

    if not folder.is_dir():
        raise ConfigError("not a folder", file=folder)
    return run(folder, options)


def _exit_for_findings(run: Any, fail_on: str | None) -> None:
    if fail_on is None:
        return
    levels = {"blocker": {"blocker"}, "warning": {"blocker", "warning"}}[fail_on]
    if any(f.severity in levels for f in run.findings):
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print Empreinte's version and the data version of the coefficient registry."""
    from audit.footprint import registry

    typer.echo(f"empreinte {__version__} (data {registry().data_version})")


# The other command modules register themselves on ``app`` (tables, compare/whatif/export, measure).
from audit import cli_forecast, cli_measure, cli_more, cli_tables  # noqa: E402,F401


def main() -> None:
    """Console entry point: internal errors exit 3 with their traceback (never hidden)."""
    try:
        app()
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001 - boundary: report any bug with its traceback, exit 3
        traceback.print_exc()
        typer.echo(
            "empreinte: internal error (a bug): please report it with the lines above.", err=True
        )
        sys.exit(3)

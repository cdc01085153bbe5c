"""What every command shares: the Typer app, the option types, and the one place that turns an
:class:`~audit.base.errors.EmpreinteError` into one line and its exit code (:func:`friendly`).

Command modules import from here; this module imports none of them (see ``audit/cli/__init__.py``).
Heavy libraries (pandas, WeasyPrint, c2pa, codecarbon) are imported inside the functions that need
them, so that ``--help`` stays fast (benchmark B4).
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from audit.base.errors import ConfigError, EmpreinteError, InputError
from audit.base.safetext import for_terminal, take_notices
from audit.cli.help import WorkflowGroup, readable_help

if TYPE_CHECKING:  # for the annotations only: the pipeline is imported when a command runs (B4)
    from audit.pipeline import AuditRun, Options

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

P = ParamSpec("P")
R = TypeVar("R")
#: A message catalogue as a function (:func:`translator`).
Say = Callable[[str], str]

#: The languages of the messages (those of audit.base.i18n, named here without importing Babel).
LANGUAGES = ("fr", "en")

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
#: ``--out``: where a command writes its files (default ``DIR/out``).
OutFolder = Annotated[Path | None, typer.Option("--out", help="Output folder (default DIR/out).")]
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
#: ``--lang`` of a command whose output is in one language: its tables and lines (French words
#: from cli.po); --json and CSV stay the machine format.
MessageLang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="fr|en",
        help="Language of what is printed (default: EMPREINTE_LANG, else the locale).",
    ),
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


#: What :func:`hold` keeps alive until the process ends: one list while :func:`holding` runs (the
#: console entry point), none otherwise (tests and other callers run the app in-process).
_HOLDERS: list[list[object]] = []


@contextmanager
def holding(kept: list[object]) -> Iterator[None]:
    """While the block runs, :func:`hold` keeps its values in ``kept``."""
    _HOLDERS.append(kept)
    try:
        yield
    finally:
        _HOLDERS.remove(kept)


def hold(value: object) -> None:
    """Keep ``value`` (a finished run: at archive scale millions of Python objects) alive until
    the process ends, out of the cyclic collector's way (:func:`gc.freeze`), when the command
    runs from the console: :func:`audit.cli.main` then ends the process with :func:`end_now`
    instead of freeing it one object at a time (docs/performance.md). Elsewhere nothing is
    kept."""
    if _HOLDERS:
        gc.freeze()
        _HOLDERS[-1].append(value)


def end_now(code: int) -> NoReturn:
    """End the process as the interpreter does, less freeing its memory object by object: the
    exit handlers run (logging flushed, child processes joined), the standard streams are
    flushed, then :func:`os._exit`. Only once the command is done and no other thread runs."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def may_end_now(code: object) -> bool:
    """Whether :func:`end_now` may end the process with ``code``: an exit status, and no thread
    of ours left that the interpreter would wait for."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    return (code is None or isinstance(code, int)) and all(t.daemon for t in others)


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn an EmpreinteError into one line on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except EmpreinteError as exc:
            say = translator(message_lang(kwargs.get("lang")))
            text = exc.line(say) if isinstance(exc, InputError) else say(str(exc))
            line = say("empreinte: error: %(message)s") % {"message": text}
            typer.echo(for_terminal(line), err=True)
            raise typer.Exit(exc.exit_code) from None
        finally:
            _warn(translator(message_lang(kwargs.get("lang"))))

    return wrapper


def _warn(say: Callable[[str], str]) -> None:
    """The notices gathered while the command ran, then the glyph gaps, one line each, in the
    user's language (the file and field as written)."""
    for where, reason in take_notices():
        text = (say("%(field)s: ") % {"field": where}) + say(reason)
        line = say("empreinte: warning: %(message)s") % {"message": text}
        typer.echo(for_terminal(line), err=True)
    _warn_glyph_gaps(say)


def message_lang(lang: object = None) -> str:
    """The language of what the user reads on the terminal: the command's ``--lang`` (its first
    value), else ``EMPREINTE_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``:
    ``fr_FR.UTF-8`` → fr); English otherwise."""
    if isinstance(lang, list | tuple):
        lang = lang[0] if lang else None
    if lang in LANGUAGES:
        return str(lang)
    for name in ("EMPREINTE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def printed_lang(lang: str | None) -> str:
    """The language of a command's printed output: ``--lang`` when given (fr or en, else a
    ConfigError with the choices), else :func:`message_lang`'s."""
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError("unknown language", field="--lang", value=lang, choices=LANGUAGES)
    return message_lang(lang)


def translator(lang: str) -> Callable[[str], str]:
    """The command line's catalogue for ``lang``, as a function (identity in English)."""
    if lang == "en":
        return str
    from audit.base.i18n import cli_gettext

    return lambda message: cli_gettext(lang, message)


def _warn_glyph_gaps(say: Callable[[str], str]) -> None:
    """One warning line for characters of the input that no installed font could draw."""
    if "audit.report.render" not in sys.modules:
        return
    from audit.report.render import take_glyph_gaps

    gaps = take_glyph_gaps()
    if gaps:
        shown = ", ".join(gaps[:12])
        if len(gaps) > 12:
            shown += say(" and %(count)s more") % {"count": len(gaps) - 12}
        text = say(GLYPH_GAPS) % {"count": len(gaps), "shown": shown}
        line = say("empreinte: warning: %(message)s") % {"message": text}
        typer.echo(for_terminal(line), err=True)


#: The glyph-gap warning (cli.po gives its French).
GLYPH_GAPS = (
    "%(count)s characters have no glyph in the installed fonts and show as boxes in the PDF: "
    "%(shown)s (see docs/security.md, Fonts)"
)


def parse_as_of(value: str | None) -> date:
    """The ``--as-of`` date (today when not given); anything but YYYY-MM-DD is a ConfigError."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError("not a date (YYYY-MM-DD)", field="--as-of", value=value) from None


def parse_rate_option(value: str | None) -> float | None:
    """``--rate`` as editors write it (23.976, 29.97 DF…), kept exact."""
    from audit.base.rates import parse_rate

    if value is None:
        return None
    try:
        return parse_rate(value)
    except ValueError as exc:
        raise ConfigError(str(exc), field="--rate", value=value, choices=None) from None


def make_options(
    as_of: str | None,
    lenient: bool,
    rate: str | None,
    redact: bool = False,
    require_timeline: bool = True,
    allow_empty: bool = True,
) -> Options:
    """The pipeline's options from the shared command-line flags (``--rate`` read as editors write
    it)."""
    from audit.pipeline import Options

    return Options(
        as_of=parse_as_of(as_of),
        lenient=lenient,
        rate=parse_rate_option(rate),
        redact=redact,
        require_timeline=require_timeline,
        allow_empty=allow_empty,
    )


def langs_of(lang: list[str] | None, default: list[str]) -> list[str]:
    """The languages asked with ``--lang`` (``default`` when none), each checked."""
    from audit.base.i18n import check_lang

    return [check_lang(item) for item in (lang or default)]


def fail_level(value: str | None) -> str | None:
    """The ``--fail-on`` severity, checked (blocker or warning), or None."""
    if value is not None and value not in ("blocker", "warning"):
        raise ConfigError(
            "unknown severity", field="--fail-on", value=value, choices=["blocker", "warning"]
        )
    return value


def run_folder(
    folder: Path, options: Options, estimated: Callable[[AuditRun], None] | None = None
) -> AuditRun:
    """The whole pipeline on a production folder, refused in one line when it is not a folder
    (``estimated``: :func:`audit.pipeline.run`'s hook)."""
    from audit.pipeline import run

    if not folder.is_dir():
        raise ConfigError("not a folder", file=folder)
    return run(folder, options, estimated)


def exit_for_findings(run: AuditRun, fail_on: str | None) -> None:
    """Exit 1 when a finding reaches the ``--fail-on`` severity; return otherwise."""
    if fail_on is None:
        return
    levels = {"blocker": {"blocker"}, "warning": {"blocker", "warning"}}[fail_on]
    if any(f.severity in levels for f in run.findings):
        raise typer.Exit(1)


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """A rich table whose cells are plain text (no markup, no emoji codes, terminal-safe)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Cells as Text: rich reads no markup ([/], [link=…]) nor :emoji: codes in them.
    table = Table(title=Text(for_terminal(title)), title_justify="left")
    for col in columns:
        table.add_column(Text(for_terminal(col)), overflow="fold")
    for row in rows:
        table.add_row(*[Text(for_terminal(str(cell))) for cell in row])
    Console(width=120).print(table)


def print_json(data: Any) -> None:
    """JSON on standard output, keys sorted."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def accounting(
    run: AuditRun, say: Say = str, lang: str = "en", echo: Callable[[str], None] = typer.echo
) -> None:
    """What became of every input file and record (nothing is lost): each reject, each file no
    adapter read (with why), the counts; a line at a time to ``echo``."""
    account_lines(run.ingest, say, lang, echo)
    for item in run.rights_files.unread:
        echo(say("unread: %(line)s") % {"line": for_terminal(item.line())})


def count_in(lang: str) -> Callable[[int], str]:
    """A count as a reader of ``lang`` writes it: ``150,000``, ``150 000``."""
    from audit.base.i18n import Formatter

    fmt = Formatter(lang)
    return lambda value: fmt.number(value, 0)


def account_lines(
    result: Any, say: Say = str, lang: str = "en", echo: Callable[[str], None] = typer.echo
) -> None:
    """Each reject, unclaimed file and file without a record on its own line, then the counts of
    files and records (they add up), grouped by thousands the way ``lang`` writes them."""
    for reject in result.rejects:
        echo(say("rejected: %(line)s") % {"line": for_terminal(reject.line())})
    for line in result.unclaimed_lines():
        echo(say("unclaimed: %(line)s") % {"line": for_terminal(line)})
    for line in result.empty_lines():
        name, _, reason = line.rpartition(": ")
        echo(say("no record: %(line)s") % {"line": for_terminal(f"{name}: {say(reason)}")})
    count, numbers = count_in(lang), result.totals()
    totals = {key: count(value) for key, value in numbers.items()}
    echo(
        say("files: %(read)s read, %(unclaimed)s unclaimed, %(skipped)s skipped (hidden, editor "
            "or .empreinteignore)")
        % {"read": count(numbers["files"] - numbers["unclaimed_files"]),
           "unclaimed": totals["unclaimed_files"], "skipped": totals["skipped_files"]}
    )  # fmt: skip
    filtered = (
        say(", %(filtered)s blocked by a safety filter (estimated as runs, no output)") % totals
        if numbers["filtered"]
        else ""
    )
    echo(
        say("records: %(records)s read, %(accepted)s accepted (%(pending)s still in progress, "
            "estimated as full runs%(blocked)s), %(merged)s merged as duplicates, %(rejected)s "
            "rejected")
        % {**totals, "blocked": filtered}
    )  # fmt: skip

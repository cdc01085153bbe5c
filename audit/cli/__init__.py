"""The ``empreinte`` command line, in workflow order. Thin: it parses options, calls the stages,
prints.

Exit codes: 0 ok; 1 findings at or above ``--fail-on``; 2 bad input or usage; 3 internal error.
Only :func:`audit.cli.common.friendly` catches :class:`~audit.base.errors.EmpreinteError`.

The imports run one way: this package imports :mod:`audit.cli.common` (the app and the shared
options) and then each command module, which registers its commands on the app; a command module
imports ``common`` and never this package or another command module.
"""

from __future__ import annotations

import sys
import traceback
from typing import NoReturn

import typer

from audit.cli import core, forecast, measure, more, records, tables  # noqa: F401  (register)
from audit.cli.common import app, end_now, holding, may_end_now

__all__ = ["app", "main"]


#: The project's own packages: a module of theirs missing is a bug, not the environment.
OWN_PACKAGES = ("audit", "estimators")


def missing_dependency(exc: ModuleNotFoundError) -> str | None:
    """One line for a third-party module missing from the environment (a venv older than the
    project's dependencies), or None when the missing module is the project's own (a bug)."""
    name = exc.name or ""
    if not name or name.split(".")[0] in OWN_PACKAGES:
        return None
    return (
        f"empreinte: error: the Python module {name!r} is not installed in this environment "
        "(the project's dependencies changed since it was set up): run `make setup`, "
        "or `pip install -e .` in the project folder"
    )


def main() -> None:
    """Console entry point: a missing third-party module exits 2 with one line saying how to
    set up again; internal errors exit 3 with their traceback (never hidden). A command that
    held its run (:func:`~audit.cli.common.hold`) ends without freeing it object by object."""
    kept: list[object] = []
    try:
        with holding(kept):
            app()
    except SystemExit as stop:
        if kept and may_end_now(stop.code):  # a held run: not freed object by object
            end_now(int(stop.code or 0))
        raise
    except ModuleNotFoundError as exc:
        line = missing_dependency(exc)
        if line is None:
            _internal_error()
        typer.echo(line, err=True)
        sys.exit(2)
    except Exception:  # noqa: BLE001 - boundary: report any bug with its traceback, exit 3
        _internal_error()


def _internal_error() -> NoReturn:
    traceback.print_exc()
    typer.echo(
        "empreinte: internal error (a bug): please report it with the lines above.", err=True
    )
    sys.exit(3)

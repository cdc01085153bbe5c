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

import typer

from audit.cli import core, forecast, measure, more, tables  # noqa: F401  (register commands)
from audit.cli.common import app

__all__ = ["app", "main"]


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

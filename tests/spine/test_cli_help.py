"""Readable help (issue 19): option types a reader understands (``TEXT``, ``PATH``, ``fr|en``),
flags without a type, ``FOLDER`` rather than ``{folder}`` — in Typer's rich help and in its plain
one.

Typer 0.29 offers no supported way to do this for arguments and for the ``--help`` flag itself:
``metavar=`` renames an option's type but an argument keeps ``<path>`` in the type column and
``{NAME}`` in the usage line, and ``--help`` cannot be given a metavar. So ``audit/cli/help.py``
replaces two of Typer's methods (``_TyperParameter.display_type``,
``TyperArgument._usage_display_name``). These tests fail loudly when a Typer release renames what
the patch relies on or stops calling it: then look for a supported hook in the new release."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer import core
from typer.testing import CliRunner

from audit.cli import app, help

runner = CliRunner()
#: Typer's own renderings of a type (``<bool>``, ``<list[str]>``, ``<path>``) and of a required
#: argument in the usage line (``{folder}``).
RAW_TYPE = re.compile(r"<(bool|str|int|float|path|Path|date|list\[[^\]]*\])>")
RAW_USAGE = re.compile(r"\{[a-z_]+\}")


def test_the_patched_typer_hooks_still_exist() -> None:
    """What help.py replaces is still there and still what Typer calls."""
    assert core._TyperParameter.display_type is help._display_type
    assert core.TyperArgument._usage_display_name is help._usage_name
    for name in ("bare_type", "display_name_raw", "display_type_rich"):
        assert callable(getattr(core.TyperArgument, name, None)) or isinstance(
            getattr(core.TyperArgument, name, None), property
        ), name
    assert "type_descriptor" in core._TyperParameter.__annotations__


@pytest.mark.parametrize("command", help.WORKFLOW)
def test_rich_help_reads_plainly(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    assert RAW_TYPE.findall(result.output) == []
    assert RAW_USAGE.findall(result.output) == []
    assert re.search(r"--help\s+Show this message", result.output), result.output


def test_plain_help_reads_plainly() -> None:
    env = {**os.environ, "TYPER_USE_RICH": "0"}
    for command, expected in (("report", "report [OPTIONS] FOLDER\n"),
                              ("ingest", "ingest [OPTIONS] PATHS...\n")):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "audit", command, "--help"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        assert expected in done.stdout
        assert RAW_TYPE.findall(done.stdout) == []
        assert RAW_USAGE.findall(done.stdout) == []
    assert "--lang TEXT" in done.stdout or "--adapter TEXT" in done.stdout

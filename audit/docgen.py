"""Generated documentation: rebuilt by ``empreinte docs --out docs`` (``make docs``), checked by a
test that fails, naming that command, when a page drifts from the code or the data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from typer import core

from audit.base.models import json_schema
from audit.estimate.footprint import registry
from audit.ingest.docs import render_platforms_md
from audit.rights.docs import render_rules_md
from estimators.docs import render_coefficients_md
from estimators.validation_docs import render_validation_md

REBUILD = "make docs"


def _param_line(param: Any) -> str:
    names = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
    if param.param_type_name == "argument":
        names = "`" + (param.name or "").upper() + "`"
    help_text = (getattr(param, "help", None) or "").replace("\n", " ")
    default = param.default
    shown = (
        "" if default in (None, False, (), []) or callable(default) else f" (default: `{default}`)"
    )
    return f"- {names}: {help_text}{shown}"


def render_cli_md(app: typer.Typer) -> str:
    """The CLI reference, from the Typer app itself (the CLI passes it: docgen sits below it)."""
    command = typer.main.get_command(app)
    assert isinstance(command, core.TyperGroup)  # the app has subcommands
    lines = [
        "# Command-line reference",
        "",
        f"Generated from the code by `{REBUILD}`; do not edit by hand.",
        "",
        "Exit codes: 0 ok; 1 findings at or above `--fail-on`; 2 bad input or usage; "
        "3 internal error.",
        "",
    ]
    for name in sorted(command.commands):
        sub = command.commands[name]
        lines += [f"## `empreinte {name}`", "", (sub.help or "").strip(), ""]
        params = [p for p in sub.params if p.name != "help"]
        lines += [_param_line(p) for p in params] + ([""] if params else [])
    return "\n".join(lines).rstrip() + "\n"


def render_schema() -> str:
    """docs/schema.json: the JSON Schema of a generation record, keys sorted."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def render_all(app: typer.Typer) -> dict[str, str]:
    """Every generated page, by path relative to docs/; ``app`` is the CLI, for its reference."""
    return {
        "cli.md": render_cli_md(app),
        "coefficients.md": render_coefficients_md(registry()),
        "platforms.md": render_platforms_md(),
        "rules.md": render_rules_md(),
        "schema/generation.schema.json": render_schema(),
        "validation.md": render_validation_md(registry()),
    }


def write_docs(out: Path, app: typer.Typer) -> list[Path]:
    """Write every generated page under ``out``; the paths written."""
    written = []
    for name, text in render_all(app).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def drifted(out: Path, app: typer.Typer) -> list[str]:
    """Generated pages whose file is missing or differs."""
    return [
        name
        for name, text in render_all(app).items()
        if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
    ]

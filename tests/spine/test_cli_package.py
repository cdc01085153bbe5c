"""The command line is a package whose imports run one way (issue 21): ``audit/cli/__init__.py``
imports ``common`` and the command modules; a command module imports ``common`` (and ``help`` goes
below ``common``), never the package itself nor another command module. Checked on the source,
every import statement included (those inside functions too)."""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "audit" / "cli"
COMMANDS = ("core", "forecast", "measure", "more", "records", "tables")


def imported(module: str) -> set[str]:
    tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name == "audit.cli" or name.startswith("audit.cli.")}


def test_every_command_module_is_registered() -> None:
    found = {p.stem for p in CLI.glob("*.py")} - {"__init__", "common", "help"}
    assert found == set(COMMANDS)


def test_command_modules_import_common_only() -> None:
    for module in COMMANDS:
        names = imported(module)
        assert "audit.cli.common" in names, module
        assert all(name.startswith("audit.cli.common") for name in names), (module, names)


def test_common_and_help_import_no_command_module() -> None:
    assert imported("common") <= {"audit.cli.help", "audit.cli.help.WorkflowGroup",
                                  "audit.cli.help.readable_help"}  # fmt: skip
    assert imported("help") == set()

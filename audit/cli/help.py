"""The command line's help, read like the workflow: commands listed in the order they are used
(init → ingest → estimate → audit → report → credits, then the other tools), and option types a
reader understands (``TEXT``, ``PATH``, ``fr|en``…) instead of Typer's ``<bool>``,
``<list[str]>`` and ``{folder}``.

Typer 0.29 has no supported hook for the types: ``metavar=`` renames an option's type, but an
argument keeps ``<path>`` and ``{NAME}`` and the ``--help`` flag takes no metavar. So
:func:`readable_help` replaces two of Typer's methods (help text only, parsing unchanged);
``tests/spine/test_cli_help.py`` fails loudly when a Typer release renames or stops calling them."""

from __future__ import annotations

from typing import Any

from typer import core

#: Commands in the order a production uses them; the others follow in their own order.
WORKFLOW = ("init", "ingest", "estimate", "audit", "report", "credits", "compare", "whatif",
            "export", "measure", "plan", "forecast", "coefficients", "platforms", "demo", "docs",
            "version")  # fmt: skip

_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH", "date": "DATE"}


class WorkflowGroup(core.TyperGroup):
    """Typer's group, listing its commands in :data:`WORKFLOW` order."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Command names in :data:`WORKFLOW` order, the unlisted ones after in their own order."""
        names = list(super().list_commands(ctx))
        rank = {name: i for i, name in enumerate(WORKFLOW)}
        return sorted(names, key=lambda n: (rank.get(n, len(WORKFLOW)), names.index(n)))


def _display_type(self: Any, ctx: Any) -> str:
    """A flag shows nothing; a value shows its kind in capitals, choices as ``a|b``."""
    if getattr(self, "is_flag", False) or getattr(self, "count", False):
        return ""
    descriptor = self.type_descriptor
    if descriptor.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
    if descriptor.is_path:
        return "PATH"
    label = str(self.bare_type())
    if label.startswith("list["):
        label = label[5:-1]
    return _NAMES.get(label, label.upper())


def _usage_name(self: Any) -> str:
    """``FOLDER`` for a required argument, ``[FOLDER]`` for an optional one, ``…`` when several."""
    name = self.display_name_raw.upper()
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def readable_help() -> None:
    """Install the readable types on Typer's parameters (help text only; parsing unchanged)."""
    setattr(core._TyperParameter, "display_type", _display_type)  # noqa: B010
    setattr(core.TyperArgument, "_usage_display_name", _usage_name)  # noqa: B010

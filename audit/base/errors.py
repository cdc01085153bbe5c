"""The one exception tree of Empreinte. Only the CLI catches it.

    EmpreinteError                 base; ``exit_code`` tells the CLI what to return
    ├── InputError                 bad input or usage (exit 2)
    │   ├── ConfigError            production.yaml, CLI options
    │   ├── RecordError            one record of a log file (file, locator, field, value, choices)
    │   ├── LedgerError            rights/*.csv
    │   ├── TimelineError          timeline/ files
    │   └── PlanError              plan.csv / plan.xlsx (the forecast)
    ├── DataError                  our own data/ is inconsistent (exit 3)
    ├── MeasureError               codecarbon did not measure a local run (exit 3, no row written)
    └── RenderError                the report could not be written (exit 3)

Every message is one line: where (file:line or JSON pointer), which field, the value seen (repr) and,
when there is a closed set, the valid choices.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from audit.base.safetext import clip


def _where(file: str | Path | None, locator: str | int | None) -> str:
    if file is None:
        return ""
    loc = f":{locator}" if locator not in (None, "") else ""
    return f"{file}{loc}: "


def _same(text: str) -> str:
    """No translation: the English of the code."""
    return text


class EmpreinteError(Exception):
    """Base of every error Empreinte raises on purpose."""

    exit_code = 3


class InputError(EmpreinteError):
    """The user's input is wrong; the message says where and how to fix it."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        locator: str | int | None = None,
        field: str | None = None,
        value: object = None,
        choices: Iterable[str] | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.locator = locator
        self.field = field
        self.value = value
        self.choices = sorted(choices) if choices is not None else None
        self.reason = message
        super().__init__(self.line())

    def line(self, translate: Callable[[str], str] = _same) -> str:
        """The one line: where, field, reason, value seen and valid choices. ``translate`` puts
        the reason and the line's own words in the reader's language (the CLI passes the
        catalogue's); the file, field, value and choices stay as they are written."""
        parts = [_where(self.file, self.locator)]
        if self.field:
            parts.append(translate("%(field)s: ") % {"field": self.field})
        parts.append(translate(self.reason))
        if self.value is not None:
            parts.append(translate(" (got %(value)s)") % {"value": clip(repr(self.value))})
        if self.choices:
            parts.append(translate("; allowed: %(choices)s") % {"choices": ", ".join(self.choices)})
        return "".join(parts)


class ConfigError(InputError):
    """production.yaml or a command-line option is wrong."""


class RecordError(InputError):
    """One record of a platform log cannot be read."""


class LedgerError(InputError):
    """A row of rights/sources.csv, consents.csv or plans.csv is wrong."""


class TimelineError(InputError):
    """A timeline file cannot be read or does not fit the production."""


class PlanError(InputError):
    """A row or cell of the production's plan (plan.csv, plan.xlsx) is wrong."""


class DataError(EmpreinteError):
    """Empreinte's own data files (coefficients, terms) are inconsistent: a bug to report."""

    exit_code = 3


class MeasureError(EmpreinteError):
    """codecarbon did not measure (it returned nothing, or logged the exception it swallowed).

    ``empreinte measure`` exits 3 and writes no row: the row would be a guess (docs/measuring.md).
    """

    exit_code = 3


class RenderError(EmpreinteError):
    """The report could not be rendered."""

    exit_code = 3

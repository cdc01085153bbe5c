"""Exceptions of the estimators library (it cannot import ``audit``; the app maps these).

EstimatorError              base
├── CoefficientError        data/ is wrong: file:line, field, value, valid choices
├── UnknownCoefficientError an id that the registry does not hold (also a KeyError)
└── SignatureError          a Signature the library cannot estimate (also a ValueError)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class EstimatorError(Exception):
    """Base of every error the estimators raise on purpose."""


class CoefficientError(EstimatorError, ValueError):
    """A registry file is invalid. One line: ``file:line: field: message (got value); allowed``."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
        choices: Iterable[str] | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.value = value
        self.choices = sorted(choices) if choices is not None else None
        self.reason = message
        parts: list[str] = []
        if self.file is not None:
            parts.append(f"{self.file}:{line}: " if line is not None else f"{self.file}: ")
        if field:
            parts.append(f"{field}: ")
        parts.append(message)
        if value is not None:
            parts.append(f" (got {value!r})")
        if self.choices:
            parts.append(f"; allowed: {', '.join(self.choices)}")
        super().__init__("".join(parts))


class UnknownCoefficientError(EstimatorError, KeyError):
    """``Registry.get`` or ``Registry.cited`` was given an id that is not in the registry."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown coefficient"


class SignatureError(EstimatorError, ValueError):
    """A Signature that cannot be estimated (unknown modality, negative count...)."""

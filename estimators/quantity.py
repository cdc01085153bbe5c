"""Ranged quantities with provenance."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """How a figure was obtained (strongest first)."""

    measured = "measured"  # metered on the machine that ran it (codecarbon, wall meter)
    ecologits = "ecologits"  # EcoLogits model for this exact model (pinned version, offline)
    modelled = "modelled"  # scaled from measured open-model points of the same family
    proxy = "proxy"  # closed platform: reference bands from open models
    fallback = "fallback"  # a named model no route matches: its modality's band, reason given
    low_confidence = "low_confidence"  # no measurement exists for this kind of generation


@dataclass(frozen=True)
class Estimate:
    """A quantity with its low/central/high range, unit, status and the coefficients behind it."""

    low: float
    central: float
    high: float
    unit: str
    status: Status
    coefficient_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        if not (0 <= self.low <= self.central <= self.high):
            raise ValueError(
                f"estimate out of order: low={self.low} central={self.central} high={self.high}"
            )

    def scaled(self, factor: float) -> Estimate:
        """The same estimate times a non-negative exact factor (a count, a unit conversion)."""
        if factor < 0:
            raise ValueError("factor must be non-negative")
        return Estimate(
            self.low * factor,
            self.central * factor,
            self.high * factor,
            self.unit,
            self.status,
            self.coefficient_ids,
        )

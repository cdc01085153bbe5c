"""Ranged quantities with provenance."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from estimators.ranges import Range


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
    """A result record: a :class:`Range` in ``unit``, with its status and the coefficients behind
    it. ``low``, ``central`` and ``high`` read the range's corners."""

    range: Range
    unit: str
    status: Status
    coefficient_ids: tuple[str, ...]

    def __post_init__(self) -> None:
        r = self.range
        if not (0 <= r.low <= r.central <= r.high):
            raise ValueError(
                f"estimate out of order: low={r.low} central={r.central} high={r.high}"
            )

    @property
    def low(self) -> float:
        """The range's low corner."""
        return self.range.low

    @property
    def central(self) -> float:
        """The range's central value."""
        return self.range.central

    @property
    def high(self) -> float:
        """The range's high corner."""
        return self.range.high

    def scaled(self, factor: float) -> Estimate:
        """The same estimate times a non-negative exact factor (a count, a unit conversion)."""
        if factor < 0:
            raise ValueError("factor must be non-negative")
        return Estimate(self.range.scale(factor), self.unit, self.status, self.coefficient_ids)

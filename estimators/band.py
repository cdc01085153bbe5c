"""Low/central/high triples and the few operations the formulas need.

A formula is evaluated three times: at the low, the central and the high value of every
coefficient ("corner evaluation"), never by interval arithmetic on the results. Where a
coefficient divides (GPU power for GPU-hours) the low result uses its high value, and where an
exponent acts on a ratio below 1 the low result uses the largest exponent: both are still
evaluations at a coefficient's bound, chosen so that low ≤ central ≤ high holds.
"""

from __future__ import annotations

from typing import NamedTuple

from estimators.quantity import Estimate, Status


class Band(NamedTuple):
    """A low/central/high triple of non-negative floats, in one unit."""

    low: float
    central: float
    high: float

    @classmethod
    def point(cls, value: float) -> Band:
        """The same value at all three corners (an exact count, a measurement)."""
        return cls(value, value, value)

    def scale(self, factor: float) -> Band:
        """Each corner times the same non-negative factor."""
        return Band(self.low * factor, self.central * factor, self.high * factor)

    def divided(self, divisor: float) -> Band:
        """Each corner divided by the same positive number (a unit conversion, a fixed PUE)."""
        return Band(self.low / divisor, self.central / divisor, self.high / divisor)

    def times(self, other: Band) -> Band:
        """Corner by corner product of two increasing inputs."""
        return Band(self.low * other.low, self.central * other.central, self.high * other.high)

    def plus(self, other: Band) -> Band:
        """Corner by corner sum (both parts move together)."""
        return Band(self.low + other.low, self.central + other.central, self.high + other.high)

    def over(self, other: Band) -> Band:
        """Divide by a band: the low result uses the high divisor and vice versa."""
        return Band(self.low / other.high, self.central / other.central, self.high / other.low)

    def estimate(self, unit: str, status: Status, coefficient_ids: tuple[str, ...]) -> Estimate:
        """This band as an :class:`Estimate`."""
        return Estimate(self.low, self.central, self.high, unit, status, coefficient_ids)


def power_band(ratio: float, exponent: Band) -> Band:
    """``ratio ** exponent`` at the exponent's corners, ordered whatever side of 1 the ratio is."""
    at_low = ratio**exponent.low
    at_high = ratio**exponent.high
    central = ratio**exponent.central
    return Band(min(at_low, at_high, central), central, max(at_low, at_high, central))

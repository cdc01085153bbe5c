"""The one low/central/high type of Empreinte, and the few operations the formulas need.

:class:`Range` is used everywhere a quantity has a range: a coefficient's band, an estimator's
intermediate result, the quantity an :class:`~estimators.quantity.Estimate` carries, and the audit's
totals per film, per finished minute and per kept second. It holds no unit: the record or the
mapping that holds it names the unit (``Estimate.unit``, ``energy_wh``, ``carbon_g``).

A formula is evaluated three times: at the low, the central and the high value of every
coefficient ("corner evaluation"), never by interval arithmetic on the results. Where a
coefficient divides (GPU power for GPU-hours) the low result uses its high value, and where an
exponent acts on a ratio below 1 the low result uses the largest exponent: both are still
evaluations at a coefficient's bound, chosen so that low ≤ central ≤ high holds. A difference of
two ranges (a what-if's change) may be negative; nothing here forbids it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The corners of a range, in the order they are written (column suffixes ``_low`` … ``_high``).
BOUNDS: tuple[str, str, str] = ("low", "central", "high")


@dataclass(frozen=True)
class Range:
    """A low/central/high triple of floats, in one unit (named by whoever holds it)."""

    low: float
    central: float
    high: float

    @classmethod
    def point(cls, value: float) -> Range:
        """The same value at all three corners (an exact count, a measurement)."""
        return cls(value, value, value)

    @property
    def corners(self) -> tuple[float, float, float]:
        """(low, central, high)."""
        return (self.low, self.central, self.high)

    def scale(self, factor: float) -> Range:
        """Each corner times the same non-negative factor."""
        return Range(self.low * factor, self.central * factor, self.high * factor)

    def divided(self, divisor: float) -> Range:
        """Each corner divided by the same positive number (a unit conversion, a fixed PUE)."""
        return Range(self.low / divisor, self.central / divisor, self.high / divisor)

    def per(self, divisor: float) -> Range:
        """Each corner per unit of ``divisor`` (a minute, a kept second); zero when there is none."""
        if divisor <= 0:
            return Range(0.0, 0.0, 0.0)
        return self.divided(divisor)

    def times(self, other: Range) -> Range:
        """Corner by corner product of two increasing inputs."""
        return Range(self.low * other.low, self.central * other.central, self.high * other.high)

    def plus(self, other: Range) -> Range:
        """Corner by corner sum (both parts move together: full positive correlation)."""
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def over(self, other: Range) -> Range:
        """Divide by a range: the low result uses the high divisor and vice versa."""
        return Range(self.low / other.high, self.central / other.central, self.high / other.low)

    def overlaps(self, other: Range) -> bool:
        """Whether the two ranges share a value (touching counts)."""
        return self.low <= other.high and other.low <= self.high


def power_range(ratio: float, exponent: Range) -> Range:
    """``ratio ** exponent`` at the exponent's corners, ordered whatever side of 1 the ratio is."""
    at_low = ratio**exponent.low
    at_high = ratio**exponent.high
    central = ratio**exponent.central
    return Range(min(at_low, at_high, central), central, max(at_low, at_high, central))

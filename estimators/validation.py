"""Checking the validation set (data/validation.csv, :mod:`estimators.validation_set`).

A point **holds** when the estimate's range contains the measured value and its central value
is within a factor of ``validation.central_factor`` (2) of it. Points that set a coefficient (``used_for``)
are shown but not counted: only independent points measure the method.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimators.coefficients import Registry
from estimators.impacts import energy_basis, estimate, gpu_energy
from estimators.ranges import Range
from estimators.validation_set import GPU, LOCAL, Point

#: Central within this factor of the measurement (coefficient id; 2 in data/coefficients.csv).
HOLD_FACTOR_ID = "validation.central_factor"


@dataclass(frozen=True)
class Check:
    """A point, its estimate (Wh at the local facility boundary) and whether it holds."""

    point: Point
    energy_wh: Range
    method: str
    status: str
    factor: float

    @property
    def contains(self) -> bool:
        """Whether the measured value lies within the estimated range."""
        return self.energy_wh.low <= self.point.measured_wh <= self.energy_wh.high

    @property
    def ratio(self) -> float:
        """Central estimate / measured value."""
        return self.energy_wh.central / self.point.measured_wh

    @property
    def holds(self) -> bool:
        """Whether the point holds: inside the range, and the central estimate within ``factor`` of
        the measurement either way."""
        return self.contains and 1 / self.factor <= self.ratio <= self.factor

    @property
    def independent(self) -> bool:
        """Whether the measurement was used for no coefficient (so it tests the estimate rather than
        its fit)."""
        return not self.point.used_for


def check(point: Point, registry: Registry) -> Check:
    """Estimate one point as a local run, at the boundary it was measured at: the wall (node)
    energy of the run for a NODE measurement, its GPU energy for a GPU one."""
    impacts = estimate(point.signature, registry)
    energy = impacts.energy_wh.range
    if point.boundary == GPU:
        profile = registry.platform(LOCAL)
        energy, _ = gpu_energy(energy_basis(point.signature, registry, profile), registry)
    return Check(
        point, energy, impacts.method, impacts.status.value, registry.value(HOLD_FACTOR_ID)
    )


def validate(registry: Registry) -> list[Check]:
    """Every point of the validation set (read with the registry), checked."""
    return [check(p, registry) for p in registry.validation]


def held(checks: list[Check]) -> tuple[int, int]:
    """(independent points that hold, independent points)."""
    independent = [c for c in checks if c.independent]
    return sum(c.holds for c in independent), len(independent)

"""Adding estimates up (a department, a film).

Assumption: **full positive correlation**. The generations of a production share the same
coefficients (the same band for every Kling clip, the same M, the same grid), so if the truth is
near the low end for one it is near the low end for all: lows add, centrals add, highs add. This
gives the widest honest range; assuming independence would shrink it with the count and
understate the uncertainty, which is dominated by shared coefficients, not by per-job noise.
"""

from __future__ import annotations

from collections.abc import Sequence

from estimators.quantity import Estimate, Status
from estimators.ranges import Range

_STRENGTH = tuple(Status)  # strongest first


def weakest(statuses: Sequence[Status]) -> Status:
    """The least certain status of several (the one a sum must carry)."""
    return max(statuses, key=_STRENGTH.index)


def sum_estimates(estimates: Sequence[Estimate], unit: str | None = None) -> Estimate:
    """Sum under full positive correlation (lows add, highs add); weakest status; ids united.

    All estimates must share one unit. An empty sum needs ``unit`` and is an exact zero
    (status measured: there is nothing to be uncertain about).
    """
    if not estimates:
        if unit is None:
            raise ValueError("sum_estimates of nothing needs a unit")
        return Estimate(Range.point(0.0), unit, Status.measured, ())
    units = {e.unit for e in estimates} | ({unit} if unit else set())
    if len(units) > 1:
        raise ValueError(f"cannot add estimates in different units: {sorted(units)}")
    return Estimate(
        range=Range(
            sum(e.low for e in estimates),
            sum(e.central for e in estimates),
            sum(e.high for e in estimates),
        ),
        unit=estimates[0].unit,
        status=weakest([e.status for e in estimates]),
        coefficient_ids=tuple(sorted({cid for e in estimates for cid in e.coefficient_ids})),
    )

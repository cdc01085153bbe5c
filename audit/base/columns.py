"""Column names of the per-generation table and of its sums, from the estimate stage through the
aggregate to the report: named once here, never written as free strings elsewhere.

Each impact is named with its unit (``energy_wh``, ``carbon_g``, ``water_l``, ``adpe_kgsbeq``) and
has three columns, one per corner of its :class:`~estimators.ranges.Range` (``carbon_g_low``,
``carbon_g_central``, ``carbon_g_high``). :data:`Impact` is a ``Literal`` type: mypy refuses a
mapping keyed by impacts read with a name that is not one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

from estimators.ranges import BOUNDS, Range
from estimators.units import ADPE_UNIT, CARBON_UNIT, ENERGY_UNIT, WATER_UNIT

Impact = Literal["energy_wh", "carbon_g", "water_l", "adpe_kgsbeq"]
ENERGY: Final = "energy_wh"
CARBON: Final = "carbon_g"
WATER: Final = "water_l"
ADPE: Final = "adpe_kgsbeq"
#: The impacts in the order every table lists them.
IMPACT_NAMES: tuple[Impact, ...] = (ENERGY, CARBON, WATER, ADPE)
#: Each impact's unit, as the estimators write it.
UNITS: dict[Impact, str] = {ENERGY: ENERGY_UNIT, CARBON: CARBON_UNIT, WATER: WATER_UNIT,
                            ADPE: ADPE_UNIT}  # fmt: skip
#: The impacts the report's tables print (ADPe only in the summary and the attachments).
SHOWN_IN_TABLES: tuple[Impact, ...] = (ENERGY, CARBON, WATER)
#: The estimate status of each generation (an :class:`estimators.quantity.Status` value).
STATUS: Final = "estimate_status"


def low(impact: Impact) -> str:
    """``carbon_g`` → ``carbon_g_low``."""
    return f"{impact}_{BOUNDS[0]}"


def central(impact: Impact) -> str:
    """``carbon_g`` → ``carbon_g_central``."""
    return f"{impact}_{BOUNDS[1]}"


def high(impact: Impact) -> str:
    """``carbon_g`` → ``carbon_g_high``."""
    return f"{impact}_{BOUNDS[2]}"


def columns(impact: Impact) -> tuple[str, str, str]:
    """The impact's three columns: low, central, high."""
    return (low(impact), central(impact), high(impact))


#: Every value column of the per-generation table, impact by impact, low to high.
VALUE_COLUMNS: list[str] = [name for impact in IMPACT_NAMES for name in columns(impact)]


def range_of(row: Mapping[str, Any] | Any, impact: Impact) -> Range:
    """The impact's range in one row of a table (a ``pandas.Series`` or a mapping)."""
    return Range(float(row[low(impact)]), float(row[central(impact)]), float(row[high(impact)]))

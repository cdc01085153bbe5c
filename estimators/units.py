"""Units: the closed vocabulary of ``data/coefficients.csv`` and the exact conversions.

This is the only module of ``estimators`` allowed to hold numeric literals, and only exact
definitions (1 kWh = 1000 Wh, 1 h = 3600 s, 1 MP = 10^6 px...). Every other number is data.
"""

from __future__ import annotations

from typing import Final

#: Units a coefficient may carry (``unit`` column of coefficients.csv).
COEFFICIENT_UNITS: Final[frozenset[str]] = frozenset(
    {
        # energy per unit of output
        "Wh/image",  # per rendered image
        "Wh/MP",  # per output megapixel (10^6 px)
        "Wh/clip",  # per generated video clip at the stated reference configuration
        "Wh/audio_s",  # per second of generated audio
        "Wh/char",  # per character of synthesised speech
        "Wh/query",  # per text prompt/response
        "Wh",  # an amount of energy (e.g. one smartphone charge)
        # dimensionless
        "ratio",
        "exponent",
        # electricity and data centres
        "gCO2e/kWh",
        "L/kWh",
        "kgSbeq/kWh",
        "kW",
        # embodied hardware, per GPU-hour of use
        "gCO2e/GPU_h",
        "kgSbeq/GPU_h",
        # everyday equivalents and film baselines
        "gCO2e/km",
        "gCO2e/h",
        "L",
        "kgCO2e",
        "tCO2e",
        "tCO2e/min",
        "tCO2e/h",
        # reference configurations and defaults
        "px",
        "frames",
        "steps",
        "s",
        "fps",
        "chars",
        "chars/s",
        "B_params",
    }
)

#: Units of the results (Impacts fields).
ENERGY_UNIT: Final = "Wh"
CARBON_UNIT: Final = "gCO2e"
WATER_UNIT: Final = "L"
ADPE_UNIT: Final = "kgSbeq"

# Exact conversions.
WH_PER_KWH: Final = 1000
W_PER_KW: Final = 1000
S_PER_H: Final = 3600
S_PER_MIN: Final = 60
G_PER_KG: Final = 1000
G_PER_T: Final = 1_000_000
ML_PER_L: Final = 1000
PX_PER_MP: Final = 1_000_000
M_PER_B: Final = 1000  # millions per billion (model sizes)

# Exact counts (one job, nothing) used as defaults and neutral elements.
ONE: Final = 1
NONE_COUNT: Final = 0


def wh_to_kwh(energy_wh: float) -> float:
    """Wh → kWh."""
    return energy_wh / WH_PER_KWH


def kwh_to_wh(energy_kwh: float) -> float:
    """kWh → Wh."""
    return energy_kwh * WH_PER_KWH


def kg_to_g(mass_kg: float) -> float:
    """kg → g."""
    return mass_kg * G_PER_KG


def gpu_hours(energy_wh: float, power_kw: float) -> float:
    """GPU-hours of a job that drew ``energy_wh`` at an average ``power_kw``."""
    return energy_wh / (power_kw * W_PER_KW)

"""Choosing a readable unit for a quantity and printing it with its range."""

from __future__ import annotations

from audit.base.columns import ADPE, CARBON, ENERGY, WATER, Impact
from audit.base.i18n import Formatter, gettext
from audit.report.contract import Figure, RangeText
from estimators.ranges import Range

#: base unit → ladder of (threshold in base unit, display unit, divisor)
LADDERS: dict[Impact, tuple[tuple[float, str, float], ...]] = {
    ENERGY: ((1e6, "MWh", 1e6), (1e3, "kWh", 1e3), (0.0, "Wh", 1.0)),
    CARBON: ((1e6, "t CO₂e", 1e6), (1e3, "kg CO₂e", 1e3), (0.0, "g CO₂e", 1.0)),
    WATER: ((1e4, "m³", 1e3), (0.0, "L", 1.0)),
    ADPE: ((1e-3, "g Sb éq.", 1e-3), (0.0, "mg Sb éq.", 1e-6)),
}
ADPE_EN = {"g Sb éq.": "g Sb eq.", "mg Sb éq.": "mg Sb eq."}


def unit_for(kind: Impact, value: float) -> tuple[str, float]:
    """The display unit and divisor for a value of ``kind`` (energy_wh, carbon_g...)."""
    for threshold, unit, divisor in LADDERS[kind]:
        if abs(value) >= threshold:
            return unit, divisor
    _, unit, divisor = LADDERS[kind][-1]
    return unit, divisor


def quantity(fmt: Formatter, kind: Impact, value: float) -> str:
    """``value`` of ``kind`` in the unit that reads best for its size (kWh beyond 1,000 Wh…), with
    three significant figures."""
    unit, divisor = unit_for(kind, value)
    if fmt.lang == "en":
        unit = ADPE_EN.get(unit, unit)
    return f"{fmt.sig(value / divisor, 3)}\u00a0{unit}"


def ranged(fmt: Formatter, kind: Impact, rng: Range) -> RangeText:
    """Central value with unit, and the low–high range in the same unit."""
    unit, divisor = unit_for(kind, rng.central)
    if fmt.lang == "en":
        unit = ADPE_EN.get(unit, unit)
    return RangeText(
        central=f"{fmt.sig(rng.central / divisor, 3)}\u00a0{unit}",
        range=f"{fmt.sig(rng.low / divisor, 2)}\u2013{fmt.sig(rng.high / divisor, 2)}\u00a0{unit}",
        low=fmt.sig(rng.low / divisor, 2),
        high=fmt.sig(rng.high / divisor, 2),
        unit=unit,
    )


def figure(fmt: Formatter, key: Impact, label: str, total: Range, per_minute: Range) -> Figure:
    """A headline quantity: its label translated, central value and range, per finished minute."""
    shown = ranged(fmt, key, total)
    return Figure(
        label=gettext(fmt.lang, label),
        central=shown.central,
        range=shown.range,
        low=shown.low,
        high=shown.high,
        unit=shown.unit,
        per_minute=ranged(fmt, key, per_minute).central,
    )


#: Registry units (ASCII, as written in data/) → the unit a reader expects, per language.
#: Chemical subscripts, a space between number prefix and symbol, words instead of ids.
_UNIT_WORDS: dict[str, dict[str, str]] = {
    "fr": {"audio_s": "s d’audio", "char": "caractère", "chars": "caractères", "steps": "pas",
           "frames": "images", "fps": "i/s", "clip": "extrait", "query": "requête",
           "GPU_h": "h GPU", "MP": "Mpx", "ratio": "rapport", "unit": "unité",
           "exponent": "exposant"},
    "en": {"audio_s": "s of audio", "char": "character", "chars": "characters", "GPU_h": "GPU-h",
           "MP": "Mpx"},
}  # fmt: skip
_CHEMISTRY = (("CO2e", " CO₂e"), ("Sbeq", " Sb éq."))


def typeset_unit(unit: str, lang: str) -> str:
    """``gCO2e/h`` → ``g CO₂e/h``, ``kgSbeq/kWh`` → ``kg Sb éq./kWh`` (``kg Sb eq./kWh`` in
    English), ``Wh/audio_s`` → ``Wh/s d’audio``; units it does not know come back unchanged."""
    words = _UNIT_WORDS.get(lang, {})
    parts = []
    for part in unit.split("/"):
        for raw, shown in _CHEMISTRY:
            if part.endswith(raw):
                part = (part[: -len(raw)] + shown).strip()
        parts.append(words.get(part, part))
    text = "/".join(parts)
    return text.replace("éq.", "eq.") if lang == "en" else text

"""codecarbon around one local run: start and stop its offline tracker, and read what it measured.

:class:`Meter` runs codecarbon's ``OfflineEmissionsTracker`` with every setting that could upload or
change the figure explicit (:func:`tracker_settings`), so codecarbon's config files and
``CODECARBON_*`` variables cannot. codecarbon swallows its own exceptions; the meter checks that
the tracker started and that ``stop()`` returned a measurement, and raises
:class:`~audit.base.errors.MeasureError` with the exception codecarbon logged. :func:`reading_from` turns
codecarbon's ``EmissionsData`` into a :class:`Reading` in Wh that says whether each hardware part
was *metered* (RAPL, NVML, powermetrics) or *modelled* (TDP × load, constant RAM model): see
docs/measuring.md. :mod:`audit.estimate.measure` writes the reading as a canonical record.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from audit.base.errors import MeasureError

#: codecarbon's ``measure_power_secs``: one energy reading per second.
MEASURE_POWER_SECS = 1.0
WH_PER_KWH = 1000.0


@dataclass(frozen=True)
class Reading:
    """What codecarbon measured for one run, in Empreinte's units."""

    energy_wh: float
    cpu_energy_wh: float
    gpu_energy_wh: float
    ram_energy_wh: float
    duration_s: float
    hardware: str
    codecarbon_version: str
    energy_source: str  # "metered" or "modelled"
    energy_methods: str  # e.g. "cpu=tdp_load_model;ram=ram_model"
    cpu_tdp_w: float | None = None


#: codecarbon 3.x ``CPU._mode`` → (method, metered). RAPL, the Windows Energy Meter Interface and
#: Intel Power Gadget read energy counters; the load and constant modes model power from a TDP.
CPU_MODES: dict[str, tuple[str, bool]] = {
    "intel_rapl": ("rapl", True),
    "windows_emi": ("windows_emi", True),
    "intel_power_gadget": ("power_gadget", True),
    "cpu_load": ("tdp_load_model", False),
    "constant": ("tdp_constant", False),
}
#: Other codecarbon 3.x hardware classes → (method, metered). RAM is a constant model except on a
#: Raspberry Pi, whose PMIC meters it; GPUs are read through NVML or AMD SMI.
OTHER_PARTS: dict[str, tuple[str, bool]] = {
    "RAM": ("ram_model", False),
    "GPU": ("nvml_or_amdsmi", True),
    "AppleSiliconChip": ("powermetrics", True),
    "Raspberry": ("raspberry_pmic", True),
}


def component_methods(hardware: Iterable[object]) -> list[tuple[str, str, bool]]:
    """(part, method, metered) of each hardware object codecarbon set up; a class or mode this
    table does not know counts as modelled (never claim a meter that may not be there)."""
    parts = []
    for item in hardware:
        kind = type(item).__name__
        if kind == "CPU":
            method, metered = CPU_MODES.get(str(getattr(item, "_mode", "")), ("unknown", False))
        else:
            method, metered = OTHER_PARTS.get(kind, ("unknown", False))
        part = str(getattr(item, "chip_part", None) or kind).lower()
        parts.append((part, method, metered))
    return parts


def energy_source(parts: list[tuple[str, str, bool]]) -> str:
    """``metered`` when every compute part (CPU, GPU) read a meter, else ``modelled``. RAM is
    left out: codecarbon models it everywhere but on a Raspberry Pi (``energy_methods`` says so)."""
    compute = [metered for part, _, metered in parts if part != "ram"]
    return "metered" if compute and all(compute) else "modelled"


def _tdp(hardware: Iterable[object]) -> float | None:
    for item in hardware:
        if type(item).__name__ == "CPU" and getattr(item, "_mode", "") in ("cpu_load", "constant"):
            tdp = getattr(item, "_tdp", None)
            return float(tdp) if isinstance(tdp, int | float) else None
    return None


def reading_from(data: Any, hardware: list[object]) -> Reading:
    """A :class:`Reading` from codecarbon's ``EmissionsData`` (kWh) and its hardware objects."""
    parts = component_methods(hardware)
    gpu = str(data.gpu_model or "").strip()
    names = [str(data.cpu_model or "unknown CPU"), *([gpu] if gpu else [])]
    return Reading(
        energy_wh=float(data.energy_consumed) * WH_PER_KWH,
        cpu_energy_wh=float(data.cpu_energy) * WH_PER_KWH,
        gpu_energy_wh=float(data.gpu_energy) * WH_PER_KWH,
        ram_energy_wh=float(data.ram_energy) * WH_PER_KWH,
        duration_s=float(data.duration),
        hardware=" ".join(" + ".join(names).split()),
        codecarbon_version=str(data.codecarbon_version),
        energy_source=energy_source(parts),
        energy_methods=";".join(sorted(f"{part}={method}" for part, method, _ in parts)),
        cpu_tdp_w=_tdp(hardware),
    )


class _Tap(logging.Handler):
    """Keeps what codecarbon logs while it swallows an exception, to say why it failed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.exceptions: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:
            self.exceptions.append(f"{type(exc).__name__}: {exc}".strip().rstrip(":"))
        elif record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage().splitlines()[0])

    def cause(self) -> str:
        found = self.exceptions or self.errors
        return found[-1] if found else "no reason logged"


def _mute_streams(logger: logging.Logger, level: int) -> None:
    """codecarbon prints to stderr through its own StreamHandler; Empreinte says what matters."""
    for handler in logger.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setLevel(level)


def tracker_settings(country: str, measure_power_secs: float) -> dict[str, Any]:
    """Every OfflineEmissionsTracker setting that matters, explicit: no file, no upload, no API,
    no forced figure; config files and CODECARBON_* variables cannot change them."""
    return {
        "country_iso_code": country,
        "region": None,
        "cloud_provider": None,
        "cloud_region": None,
        "project_name": "empreinte",
        "measure_power_secs": measure_power_secs,
        "output_methods": [],
        "output_handlers": [],
        "emissions_endpoint": None,
        "electricitymaps_api_token": None,
        "allow_multiple_runs": True,
        "tracking_mode": "machine",
        "log_level": "warning",
        "pue": 1.0,
        "wue": 0.0,
        "force_cpu_power": None,
        "force_ram_power": None,
        "force_carbon_intensity_g_co2e_kwh": None,
        "force_mode_cpu_load": False,
        "gpu_ids": None,
        "metadata": None,
    }


def _running(tracker: Any) -> bool:
    """codecarbon 3.x sets ``_start_time`` in ``start()``; a swallowed failure leaves it unset."""
    return getattr(tracker, "_start_time", None) is not None


class Meter:
    """codecarbon around one run: ``with Meter("FRA") as m: …; reading = m.stop()``.

    Entering starts the tracker and raises :class:`MeasureError` when it did not start; leaving
    without :meth:`stop` (an exception in the run) stops it and discards the measurement.
    """

    def __init__(self, country: str, measure_power_secs: float = MEASURE_POWER_SECS) -> None:
        self.country = country
        self.interval_s = measure_power_secs
        self._tap = _Tap()
        self._logger = logging.getLogger("codecarbon")
        self._level = self._logger.level
        self._tracker: Any = None

    def __enter__(self) -> Meter:
        from codecarbon import OfflineEmissionsTracker

        self._logger.addHandler(self._tap)
        _mute_streams(self._logger, logging.CRITICAL + 1)
        started, tracker = False, None
        try:
            tracker = OfflineEmissionsTracker(**tracker_settings(self.country, self.interval_s))
            _mute_streams(self._logger, logging.CRITICAL + 1)  # __init__ installed a fresh one
            tracker.start()
            started = _running(tracker) and not self._tap.exceptions
        finally:
            if not started:
                if tracker is not None and _running(tracker):
                    tracker.stop()  # half started (it logged an exception): stop its threads
                self._release()
        if not started:
            raise MeasureError(f"codecarbon could not start measuring: {self._tap.cause()}")
        self._tracker = tracker
        return self

    def stop(self) -> Reading:
        """Stop the tracker; the reading, or MeasureError when codecarbon returned none."""
        tracker, self._tracker = self._tracker, None
        try:
            emissions = tracker.stop()
            data = getattr(tracker, "final_emissions_data", None)
            if emissions is None or data is None or self._tap.exceptions:
                raise MeasureError(f"codecarbon returned no measurement: {self._tap.cause()}")
            reading = reading_from(data, getattr(tracker, "_hardware", []))
        finally:
            self._release()
        if not (math.isfinite(reading.energy_wh) and reading.energy_wh > 0):
            raise MeasureError(f"codecarbon measured no energy (got {reading.energy_wh!r} Wh)")
        return reading

    def __exit__(self, *exc: object) -> None:
        if self._tracker is not None:
            tracker, self._tracker = self._tracker, None
            tracker.stop()
            self._release()

    def _release(self) -> None:
        self._logger.removeHandler(self._tap)
        _mute_streams(self._logger, logging.NOTSET)
        self._logger.setLevel(self._level)

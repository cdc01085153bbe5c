"""Measure a local generation run with codecarbon and log it as one canonical record.

``empreinte measure`` (:mod:`audit.cli_measure`) and :func:`track` run codecarbon's offline tracker
around the work and append one row to ``DIR/logs/measured.csv``; the canonical adapter reads it and
its ``measured_energy_wh`` is the estimate's central value (status ``measured``). The row says
whether codecarbon *metered* the energy (RAPL, NVML, powermetrics) or *modelled* it (TDP × load,
constant RAM model): see docs/measuring.md. Every tracker setting that could upload or change the
figure is explicit, so codecarbon's config files and ``CODECARBON_*`` variables cannot. codecarbon
swallows its own exceptions; :class:`Meter` checks start and stop and raises :class:`MeasureError`.
"""

from __future__ import annotations

import csv
import logging
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.errors import ConfigError, EmpreinteError
from audit.models import COLUMNS, Generation, Modality, to_row
from audit.production import Production, load_production
from audit.textio import sniff_delimiter

#: Where measured runs are logged, inside the production folder.
MEASURED_CSV = Path("logs") / "measured.csv"
#: Columns Empreinte writes (those set when reading or linking are left out).
CSV_COLUMNS = [
    c for c in COLUMNS if c not in {"source_file", "source_locator", "adapter", "shot_id", "kept"}
]
#: codecarbon's ``measure_power_secs``: one energy reading per second.
MEASURE_POWER_SECS = 1.0
_NOT_COUNTRIES = frozenset({"WORLD", "EU"})
WH_PER_KWH = 1000.0


class MeasureError(EmpreinteError):
    """codecarbon did not measure (it returned nothing, or logged the exception it swallowed)."""

    exit_code = 3


@dataclass(frozen=True)
class RunInfo:
    """What the run is: the record's fields that the tracker cannot know."""

    shot: str
    label: str | None = None
    platform: str = "comfyui"
    modality: str = "image"
    model: str | None = None
    outputs: int = 1
    record_id: str | None = None


@dataclass(frozen=True)
class Plan:
    """A checked run: where the row goes and in which country the machine is (ISO alpha-3)."""

    folder: Path
    info: RunInfo
    country: str

    @property
    def csv_path(self) -> Path:
        return self.folder / MEASURED_CSV


@dataclass
class Measurement:
    """The row a measured run appended (filled when the run ends)."""

    path: Path
    line: int = 0
    exit_code: int | None = None
    reading: Reading | None = None
    record: dict[str, Any] = field(default_factory=dict)


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


def local_platforms() -> list[str]:
    """Platforms that run on the production's own machine (``kind: local`` in platforms.yaml)."""
    from audit.footprint import registry

    return sorted(key for key, p in registry().platforms.items() if p.kind == "local")


def _check_text(field_name: str, value: str | None, *, required: bool = False) -> None:
    if value is None or value == "":
        if required:
            raise ConfigError("must not be empty", field=field_name, value=value)
        return
    if any(ch in value for ch in "\r\n\t\x00"):
        raise ConfigError("must be one line of text", field=field_name, value=value)


def check_info(info: RunInfo) -> None:
    """Reject a bad option before anything runs (ConfigError names the option)."""
    _check_text("--shot", info.shot, required=True)
    for name, value in (("--label", info.label), ("--model", info.model), ("--id", info.record_id)):
        _check_text(name, value)
    kinds, local = [m.value for m in Modality], local_platforms()
    if info.modality not in kinds:
        raise ConfigError("unknown", field="--modality", value=info.modality, choices=kinds)
    if info.platform not in local:
        raise ConfigError("not a local platform", field="--platform", value=info.platform,
                          choices=local)  # fmt: skip
    if info.outputs < 1:
        raise ConfigError("must be 1 or more", field="--outputs", value=info.outputs)


def country_for(production: Production, platform: str, folder: Path) -> str:
    """``compute_regions[platform]``, else the first territory as ISO alpha-3, else ConfigError."""
    import pycountry

    if platform in production.compute_regions:
        return production.compute_regions[platform]
    for code in production.territories:
        country = None if code in _NOT_COUNTRIES else pycountry.countries.get(alpha_2=code)
        if country is not None:
            return str(country.alpha_3)
    raise ConfigError(
        f"no country for the measured machine: add compute_regions: {{{platform}: FRA}} "
        "(ISO alpha-3 of where it runs)", file=folder / "production.yaml",
        field="compute_regions", value=production.territories,
    )  # fmt: skip


def prepare(folder: Path, info: RunInfo) -> Plan:
    """Check everything a measured run needs before it starts (a long render is not wasted)."""
    if not folder.is_dir():
        raise ConfigError("not a folder", file=folder)
    check_info(info)
    production = load_production(folder)
    plan = Plan(folder, info, country_for(production, info.platform, folder))
    _csv_format(plan.csv_path)
    return plan


def _csv_format(path: Path) -> tuple[str, str]:
    """Delimiter and line ending to append with; ConfigError when the file is not ours."""
    if not path.exists() or path.stat().st_size == 0:
        return ",", "\n"
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8: save it as CSV UTF-8, or move it aside", file=path) from None
    first = text.split("\n", 1)[0].rstrip("\r")
    delimiter = sniff_delimiter(first)
    header = [name.strip() for name in next(csv.reader([first], delimiter=delimiter), [])]
    if header != CSV_COLUMNS:
        raise ConfigError(
            "not the columns `empreinte measure` writes: move the file aside",
            file=path, locator=1, field="header", value=first[:60],
        )  # fmt: skip
    return delimiter, "\r\n" if "\r\n" in text else "\n"


def record_fields(
    info: RunInfo, reading: Reading, started_at: datetime, exit_code: int, region: str
) -> dict[str, Any]:
    """The canonical record of one measured run (the values of its CSV row)."""
    attributes: dict[str, Any] = {
        "codecarbon_version": reading.codecarbon_version, "energy_source": reading.energy_source,
        "energy_methods": reading.energy_methods, "cpu_energy_wh": round(reading.cpu_energy_wh, 6),
        "gpu_energy_wh": round(reading.gpu_energy_wh, 6),
        "ram_energy_wh": round(reading.ram_energy_wh, 6), "cpu_tdp_w": reading.cpu_tdp_w,
        "duration_s": round(reading.duration_s, 3), "tracking_mode": "machine",
        "label": info.label, "exit_code": exit_code,
    }  # fmt: skip
    return {
        "id": info.record_id, "platform": info.platform, "model": info.model,
        "modality": info.modality,
        "created_at": started_at.astimezone(UTC).isoformat(timespec="seconds"),
        "outputs_count": info.outputs, "shot_tag": info.shot,
        "status": "succeeded" if exit_code == 0 else "failed", "hardware": reading.hardware,
        "region": region, "measured_energy_wh": round(reading.energy_wh, 6),
        "attributes": {k: v for k, v in attributes.items() if v is not None},
    }  # fmt: skip


def _row(fields: dict[str, Any], path: Path, line: int) -> dict[str, str]:
    """Validate through :class:`Generation`, then one text cell per column (empty when None)."""
    stand_in = fields["id"] or f"{fields['platform']}:{path.stem}-{line}"
    gen = Generation(**{**fields, "id": stand_in}, source_file=MEASURED_CSV.as_posix(),
                     source_locator=str(line), adapter="canonical")  # fmt: skip
    row = to_row(gen)
    row["id"] = fields["id"]
    return {col: "" if row[col] is None else str(row[col]) for col in CSV_COLUMNS}


def append_record(path: Path, fields: dict[str, Any]) -> int:
    """Append ``fields`` as one row of ``path`` (header first when new); its line number."""
    delimiter, ending = _csv_format(path)
    text = path.read_bytes().decode("utf-8-sig") if path.exists() else ""
    if text and not text.endswith("\n"):
        text += ending
        with path.open("a", encoding="utf-8", newline="") as out:
            out.write(ending)
    line = text.count("\n") + 1 if text else 2
    row = _row(fields, path, line)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
        if not text:
            writer.writerow(CSV_COLUMNS)
        writer.writerow([row[col] for col in CSV_COLUMNS])
    return line


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
        "country_iso_code": country, "region": None, "cloud_provider": None, "cloud_region": None,
        "project_name": "empreinte", "measure_power_secs": measure_power_secs,
        "output_methods": [], "output_handlers": [], "emissions_endpoint": None,
        "electricitymaps_api_token": None, "allow_multiple_runs": True, "tracking_mode": "machine",
        "log_level": "warning", "pue": 1.0, "wue": 0.0, "force_cpu_power": None,
        "force_ram_power": None, "force_carbon_intensity_g_co2e_kwh": None,
        "force_mode_cpu_load": False, "gpu_ids": None, "metadata": None,
    }  # fmt: skip


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


def finish(
    plan: Plan, meter: Meter, started_at: datetime, exit_code: int, into: Measurement | None = None
) -> Measurement:
    """Stop the meter and append the run's row; what was written (filled into ``into``)."""
    done = into or Measurement(plan.csv_path)
    done.reading, done.exit_code = meter.stop(), exit_code
    done.record = record_fields(plan.info, done.reading, started_at, exit_code, plan.country)
    done.line = append_record(plan.csv_path, done.record)
    return done


@contextmanager
def track(
    folder: str | Path, shot: str, *, label: str | None = None, platform: str = "comfyui",
    modality: str = "image", model: str | None = None, outputs: int = 1,
    record_id: str | None = None, measure_power_secs: float = MEASURE_POWER_SECS,
) -> Iterator[Measurement]:  # fmt: skip
    """Measure the ``with`` block and append its row to ``folder/logs/measured.csv``.

    The yielded :class:`Measurement` is filled when the block ends. A block that raises is logged
    with ``exit_code`` 1 and status ``failed`` (the energy was spent), then the exception goes on.
    """
    info = RunInfo(shot, label, platform, modality, model, outputs, record_id)
    plan = prepare(Path(folder), info)
    result = Measurement(plan.csv_path)
    with Meter(plan.country, measure_power_secs) as meter:
        started_at = datetime.now(UTC)  # when the measured run happened: the real clock, on purpose
        try:
            yield result
        except Exception:
            finish(plan, meter, started_at, 1, into=result)
            raise
        finish(plan, meter, started_at, 0, into=result)

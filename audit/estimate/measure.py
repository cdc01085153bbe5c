"""Measure a local generation run with codecarbon and log it as one canonical record.

``empreinte measure`` (:mod:`audit.cli.measure`) and :func:`track` run codecarbon's offline tracker
(:class:`audit.estimate.meter.Meter`) around the work and append one row to ``DIR/logs/measured.csv``; the
canonical adapter reads it and its ``measured_energy_wh`` is the estimate's central value (status
``measured``). The row says whether codecarbon *metered* the energy (RAPL, NVML, powermetrics) or
*modelled* it (TDP × load, constant RAM model): see docs/measuring.md. Everything a run needs is
checked before it starts (:func:`prepare`); when codecarbon did not measure, the meter raises
:class:`~audit.base.errors.MeasureError` and no row is written.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.base.errors import ConfigError
from audit.base.models import COLUMNS, Generation, Modality, to_row
from audit.base.production import Production, load_production
from audit.base.textio import sniff_delimiter
from audit.estimate.footprint import registry
from audit.estimate.meter import MEASURE_POWER_SECS, Meter, Reading

#: Where measured runs are logged, inside the production folder.
MEASURED_CSV = Path("logs") / "measured.csv"
#: Columns Empreinte writes (those set when reading or linking are left out).
CSV_COLUMNS = [
    c for c in COLUMNS if c not in {"source_file", "source_locator", "adapter", "shot_id", "kept"}
]
_NOT_COUNTRIES = frozenset({"WORLD", "EU"})


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
        """The production's measured-runs CSV that the run appends to."""
        return self.folder / MEASURED_CSV


@dataclass
class Measurement:
    """The row a measured run appended (filled when the run ends)."""

    path: Path
    line: int = 0
    exit_code: int | None = None
    reading: Reading | None = None
    record: dict[str, Any] = field(default_factory=dict)


def local_platforms() -> list[str]:
    """Platforms that run on the production's own machine (``kind: local`` in platforms.yaml)."""
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
        raise ConfigError(
            "not a local platform", field="--platform", value=info.platform, choices=local
        )
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
        "(ISO alpha-3 of where it runs)",
        file=folder / "production.yaml",
        field="compute_regions",
        value=production.territories,
    )


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
    _check_place(path)
    if not path.exists() or path.stat().st_size == 0:
        return ",", "\n"
    return _format_of(path.read_bytes(), path)


def _check_place(path: Path) -> None:
    """``logs/measured.csv`` must be a plain file of this production: a link, or a ``logs/``
    leading out of the folder, is refused (we would append there, docs/security.md)."""
    folder = path.parent.parent.resolve()
    if not path.parent.resolve().is_relative_to(folder):
        raise ConfigError("logs/ is a link leading out of the production folder", file=path.parent)
    if path.is_symlink():
        raise ConfigError("is a link: `empreinte measure` appends only to a plain file", file=path)
    if path.exists() and not path.is_file():
        raise ConfigError("is not a regular file: move it aside", file=path)


def _format_of(data: bytes, path: Path) -> tuple[str, str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8: save it as CSV UTF-8, or move it aside", file=path) from None
    first = text.split("\n", 1)[0].rstrip("\r")
    delimiter = sniff_delimiter(first)
    header = [name.strip() for name in next(csv.reader([first], delimiter=delimiter), [])]
    if header != CSV_COLUMNS:
        raise ConfigError(
            "not the columns `empreinte measure` writes: move the file aside",
            file=path,
            locator=1,
            field="header",
            value=first[:60],
        )
    return delimiter, "\r\n" if "\r\n" in text else "\n"


def record_fields(
    info: RunInfo, reading: Reading, started_at: datetime, exit_code: int, region: str
) -> dict[str, Any]:
    """The canonical record of one measured run (the values of its CSV row)."""
    attributes: dict[str, Any] = {
        "codecarbon_version": reading.codecarbon_version,
        "energy_source": reading.energy_source,
        "energy_methods": reading.energy_methods,
        "cpu_energy_wh": round(reading.cpu_energy_wh, 6),
        "gpu_energy_wh": round(reading.gpu_energy_wh, 6),
        "ram_energy_wh": round(reading.ram_energy_wh, 6),
        "cpu_tdp_w": reading.cpu_tdp_w,
        "duration_s": round(reading.duration_s, 3),
        "tracking_mode": "machine",
        "label": info.label,
        "exit_code": exit_code,
    }
    return {
        "id": info.record_id,
        "platform": info.platform,
        "model": info.model,
        "modality": info.modality,
        "created_at": started_at.astimezone(UTC).isoformat(timespec="seconds"),
        "outputs_count": info.outputs,
        "shot_tag": info.shot,
        "status": "succeeded" if exit_code == 0 else "failed",
        "hardware": reading.hardware,
        "region": region,
        "measured_energy_wh": round(reading.energy_wh, 6),
        "attributes": {k: v for k, v in attributes.items() if v is not None},
    }


def _row(fields: dict[str, Any], path: Path, line: int) -> dict[str, str]:
    """Validate through :class:`Generation`, then one text cell per column (empty when None)."""
    stand_in = fields["id"] or f"{fields['platform']}:{path.stem}-{line}"
    gen = Generation(
        **{**fields, "id": stand_in},
        source_file=MEASURED_CSV.as_posix(),
        source_locator=str(line),
        adapter="canonical",
    )
    row = to_row(gen)
    row["id"] = fields["id"]
    return {col: "" if row[col] is None else str(row[col]) for col in CSV_COLUMNS}


def append_record(path: Path, fields: dict[str, Any]) -> int:
    """Append ``fields`` as one row of ``path`` (header first when new); its line number.

    The file is opened without following a link and locked while the row is added, so two
    measured runs ending together append one after the other."""
    import fcntl

    _check_place(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise ConfigError(f"cannot append: {exc.strerror}", file=path) from exc
    with os.fdopen(fd, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        data = handle.read()
        delimiter, ending = _format_of(data, path) if data else (",", "\n")
        text = data.decode("utf-8-sig")
        prefix = ending if text and not text.endswith("\n") else ""
        line = (text + prefix).count("\n") + 1 if text else 2
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=ending)
        if not text:
            writer.writerow(CSV_COLUMNS)
        row = _row(fields, path, line)
        writer.writerow([row[col] for col in CSV_COLUMNS])
        handle.write((prefix + buffer.getvalue()).encode("utf-8"))
    return line


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
    folder: str | Path,
    shot: str,
    *,
    label: str | None = None,
    platform: str = "comfyui",
    modality: str = "image",
    model: str | None = None,
    outputs: int = 1,
    record_id: str | None = None,
    measure_power_secs: float = MEASURE_POWER_SECS,
) -> Iterator[Measurement]:
    """Measure the ``with`` block and append its row to ``folder/logs/measured.csv``.

    The yielded :class:`Measurement` is filled when the block ends. A block that raises (or is
    interrupted) is logged with ``exit_code`` 1 and status ``failed`` (the energy was spent), then
    the exception goes on.
    """
    info = RunInfo(shot, label, platform, modality, model, outputs, record_id)
    plan = prepare(Path(folder), info)
    result = Measurement(plan.csv_path)
    with Meter(plan.country, measure_power_secs) as meter:
        started_at = datetime.now(UTC)  # when the measured run happened: the real clock, on purpose
        completed = False
        try:
            yield result
            completed = True
        finally:  # the energy was spent either way; the block's exception goes on unchanged
            finish(plan, meter, started_at, 0 if completed else 1, into=result)

"""Measuring for real with codecarbon (few runs: its first start takes 1–2 s), and codecarbon
failures, which it swallows, reported as one line with no row written."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from audit.base.errors import ConfigError, EmpreinteError, InputError, MeasureError
from audit.cli import app
from audit.estimate.measure import CSV_COLUMNS, track
from audit.estimate.meter import Meter
from audit.pipeline import Options, run

runner = CliRunner()
CPU_BOUND = "import time\nend = time.perf_counter() + 1.0\nwhile time.perf_counter() < end: pass\n"
#: What a codecarbon configuration could do behind Empreinte's back if it were read.
HOSTILE_CONFIG = """[codecarbon]
output_methods = csv
save_to_file = true
force_cpu_power = 1000
force_ram_power = 500
log_level = debug
"""


def _csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cpu_only_linux_without_rapl() -> str:
    """The energy methods codecarbon must report here: a TDP × load model and a RAM model."""
    readable = [
        p
        for p in Path("/sys/class/powercap").glob("intel-rapl*/energy_uj")
        if os.access(p, os.R_OK)
    ]
    if sys.platform != "linux" or readable or Path("/dev/nvidia0").exists():
        pytest.skip("this test pins a Linux machine without RAPL or GPU (the reference VM)")
    return "cpu=tdp_load_model;ram=ram_model"


def test_measure_a_cpu_bound_command(
    film: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected_methods = _cpu_only_linux_without_rapl()
    (workdir / ".codecarbon.config").write_text(HOSTILE_CONFIG, encoding="utf-8")
    monkeypatch.setenv("CODECARBON_OUTPUT_METHODS", "csv")
    command = [sys.executable, "-c", CPU_BOUND + "raise SystemExit(3)"]
    args = ["measure", str(film), "--shot", "SH010", "--label", "cpu loop", "--", *command]
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output  # the command's own exit code
    rows = _csv_rows(film / "logs" / "measured.csv")
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == CSV_COLUMNS
    attrs = json.loads(row["attributes"])
    energy = float(row["measured_energy_wh"])
    assert energy > 0
    parts = attrs["cpu_energy_wh"] + attrs["gpu_energy_wh"] + attrs["ram_energy_wh"]
    assert energy == pytest.approx(parts, abs=2e-6)
    assert attrs["energy_source"] == "modelled"
    assert attrs["energy_methods"] == expected_methods
    assert attrs["gpu_energy_wh"] == 0.0
    assert attrs["cpu_tdp_w"] != 1000  # the config's force_cpu_power was not applied
    assert attrs["ram_energy_wh"] * 3600 / attrs["duration_s"] < 500  # nor force_ram_power
    assert attrs["duration_s"] >= 1.0
    assert (attrs["exit_code"], attrs["label"], attrs["tracking_mode"]) == (
        3,
        "cpu loop",
        "machine",
    )
    assert (row["shot_tag"], row["status"], row["region"], row["platform"]) == (
        "SH010",
        "failed",
        "FRA",
        "comfyui",
    )
    assert attrs["codecarbon_version"] == "3.3.2"
    assert row["hardware"] != ""
    assert sorted(p.name for p in workdir.iterdir()) == [".codecarbon.config"]  # no emissions.csv
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith(f"empreinte: logs/measured.csv:2: {energy:.4g} Wh in ")
    assert summary.endswith(f"modelled by codecarbon, not metered ({expected_methods}); "
                            "command exit code 3")  # fmt: skip

    # the row reaches the estimate and the report: measured energy is the central value
    audit_run = run(film, Options(as_of=date(2026, 11, 20), require_timeline=False))
    table = audit_run.footprint.table
    assert list(table["estimate_status"]) == ["measured"]
    assert list(table["energy_wh_central"]) == [energy]
    assert list(table["energy_wh_low"]) == [energy]
    gen = audit_run.ingest.generations[0]
    assert (gen.id, gen.attributes["energy_source"]) == ("comfyui:measured-2", "modelled")


def test_track_appends_one_row_per_block(film: Path) -> None:
    with track(film, "SH020", label="notebook", model="sdxl", measure_power_secs=0.5) as done:
        total = sum(i * i for i in range(200_000))
    assert total == 2666646666700000
    assert (done.line, done.exit_code) == (2, 0)
    assert done.reading is not None
    assert done.record["measured_energy_wh"] == round(done.reading.energy_wh, 6)
    assert done.record["measured_energy_wh"] > 0
    with pytest.raises(ZeroDivisionError), track(film, "SH030") as failed:
        print(1 / 0)
    assert (failed.line, failed.exit_code) == (3, 1)
    rows = _csv_rows(film / "logs" / "measured.csv")
    assert [(r["shot_tag"], r["status"], r["model"]) for r in rows] == [
        ("SH020", "succeeded", "sdxl"),
        ("SH030", "failed", ""),
    ]
    assert [json.loads(r["attributes"])["exit_code"] for r in rows] == [0, 1]
    codecarbon_log = logging.getLogger("codecarbon")
    assert [type(h).__name__ for h in codecarbon_log.handlers].count("_Tap") == 0


class _FakeTracker:
    """Behaves like codecarbon 3.x when it fails: it logs the exception it swallows."""

    fail_at = "stop"
    settings: ClassVar[dict[str, Any]] = {}

    def __init__(self, **settings: Any) -> None:
        type(self).settings = settings
        self._start_time: float | None = None

    def _swallow(self) -> None:
        log = logging.getLogger("codecarbon")
        try:
            raise OSError("RAPL counter vanished")
        except OSError:
            log.warning("graceful shutdown. Exceptions:")
            log.warning(OSError, exc_info=True)

    def start(self) -> None:
        if self.fail_at == "start":
            self._swallow()
            return
        self._start_time = 1.0

    def stop(self) -> float | None:
        self._swallow()
        return None


@pytest.fixture
def fake_tracker(monkeypatch: pytest.MonkeyPatch) -> type[_FakeTracker]:
    import codecarbon

    monkeypatch.setattr(codecarbon, "OfflineEmissionsTracker", _FakeTracker)
    monkeypatch.setattr(_FakeTracker, "fail_at", "stop")
    monkeypatch.setattr(_FakeTracker, "settings", {})
    return _FakeTracker


def test_stop_returning_none_is_exit_3_and_no_row(
    film: Path, fake_tracker: type[_FakeTracker]
) -> None:
    command = [sys.executable, "-c", "raise SystemExit(5)"]
    result = runner.invoke(app, ["measure", str(film), "--shot", "SH010", "--", *command])
    assert result.exit_code == 3
    assert result.output == (
        "empreinte: error: codecarbon returned no measurement: OSError: RAPL counter vanished; "
        "no row written (the command exited 5)\n"
    )
    assert not (film / "logs" / "measured.csv").exists()
    assert fake_tracker.settings == {
        "country_iso_code": "FRA", "region": None, "cloud_provider": None, "cloud_region": None,
        "project_name": "empreinte", "measure_power_secs": 1.0, "output_methods": [],
        "output_handlers": [], "emissions_endpoint": None, "electricitymaps_api_token": None,
        "allow_multiple_runs": True, "tracking_mode": "machine", "log_level": "warning",
        "pue": 1.0, "wue": 0.0, "force_cpu_power": None, "force_ram_power": None,
        "force_carbon_intensity_g_co2e_kwh": None, "force_mode_cpu_load": False, "gpu_ids": None,
        "metadata": None,
    }  # fmt: skip


def test_a_tracker_that_did_not_start_runs_nothing(
    film: Path, workdir: Path, fake_tracker: type[_FakeTracker], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fake_tracker, "fail_at", "start")
    marker = workdir / "ran.txt"
    command = [sys.executable, "-c", f"open({str(marker)!r}, 'w').close()"]
    result = runner.invoke(app, ["measure", str(film), "--shot", "SH010", "--", *command])
    assert result.exit_code == 3
    assert result.output == (
        "empreinte: error: codecarbon could not start measuring: OSError: RAPL counter vanished\n"
    )
    assert not marker.exists()
    with pytest.raises(MeasureError), Meter("FRA"):
        pytest.fail("the block must not run")
    assert not (film / "logs" / "measured.csv").exists()


def test_unknown_command_is_exit_2_and_no_row(film: Path) -> None:
    args = ["measure", str(film), "--shot", "SH010", "--", "no-such-program-xyz"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.output == (
        "empreinte: error: command: cannot run the command: No such file or directory "
        "(got 'no-such-program-xyz')\n"
    )
    assert not (film / "logs" / "measured.csv").exists()


def test_bad_option_fails_before_codecarbon(film: Path, fake_tracker: type[_FakeTracker]) -> None:
    args = ["measure", str(film), "--shot", "SH010", "--modality", "film", "--", "true"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.output.startswith("empreinte: error: --modality: unknown (got 'film'); allowed: ")
    assert fake_tracker.settings == {}
    with pytest.raises(ConfigError):
        track(film / "missing", "SH010").__enter__()


def test_measure_error_is_in_the_one_exception_tree() -> None:
    """The CLI's single handler catches it and exits 3 (not 2: the user's input was fine)."""
    assert issubclass(MeasureError, EmpreinteError)
    assert not issubclass(MeasureError, InputError)
    assert MeasureError("codecarbon returned no measurement").exit_code == 3

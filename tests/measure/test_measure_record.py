"""The measured record without running codecarbon: metered or modelled, country, options, the
CSV row and how the canonical adapter reads it back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import ConfigError
from audit.base.production import load_production
from audit.estimate.measure import (
    CSV_COLUMNS,
    RunInfo,
    append_record,
    check_info,
    country_for,
    prepare,
    record_fields,
)
from audit.estimate.meter import component_methods, energy_source, reading_from
from audit.ingest.walk import ingest_folder
from tests.measure.measure_support import MODELLED, emissions_data, hardware, set_yaml

STARTED = datetime(2026, 9, 20, 12, 0, 5, tzinfo=UTC)


def test_each_codecarbon_part_is_metered_or_modelled() -> None:
    parts = component_methods(
        [
            hardware("RAM"),
            hardware("CPU", _mode="intel_rapl"),
            hardware("CPU", _mode="cpu_load"),
            hardware("CPU", _mode="constant"),
            hardware("CPU", _mode="windows_emi"),
            hardware("GPU"),
            hardware("AppleSiliconChip", chip_part="GPU"),
            hardware("Raspberry", chip_part="RAM"),
            hardware("Mystery"),
        ]
    )
    assert parts == [
        ("ram", "ram_model", False),
        ("cpu", "rapl", True),
        ("cpu", "tdp_load_model", False),
        ("cpu", "tdp_constant", False),
        ("cpu", "windows_emi", True),
        ("gpu", "nvml_or_amdsmi", True),
        ("gpu", "powermetrics", True),
        ("ram", "raspberry_pmic", True),
        ("mystery", "unknown", False),
    ]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([("ram", "ram_model", False), ("cpu", "rapl", True)], "metered"),
        ([("ram", "ram_model", False), ("cpu", "rapl", True), ("gpu", "nvml", True)], "metered"),
        ([("ram", "ram_model", False), ("cpu", "tdp_load_model", False)], "modelled"),
        ([("cpu", "tdp_load_model", False), ("gpu", "nvml", True)], "modelled"),
        ([("ram", "ram_model", False)], "modelled"),
        ([("cpu", "rapl", True), ("mystery", "unknown", False)], "modelled"),
    ],
)
def test_energy_source_is_metered_only_when_every_compute_part_is(
    parts: list[tuple[str, str, bool]], expected: str
) -> None:
    assert energy_source(parts) == expected


def test_reading_converts_kwh_and_names_the_hardware() -> None:
    reading = reading_from(
        emissions_data(),
        [hardware("RAM"), hardware("CPU", _mode="intel_rapl", _tdp=170), hardware("GPU")],
    )
    assert reading.energy_wh == 500.0
    assert (reading.cpu_energy_wh, reading.gpu_energy_wh, reading.ram_energy_wh) == (
        100.0,
        300.0,
        100.0,
    )
    assert reading.duration_s == 60.0
    assert reading.hardware == "AMD Ryzen 9 7950X + 1 x NVIDIA GeForce RTX 4090"
    assert reading.energy_methods == "cpu=rapl;gpu=nvml_or_amdsmi;ram=ram_model"
    assert reading.energy_source == "metered"
    assert reading.cpu_tdp_w is None  # a metered CPU rests on no TDP


def test_reading_of_a_modelled_cpu_keeps_its_tdp() -> None:
    data = emissions_data(gpu_model="", gpu_energy=0.0, cpu_model="Intel(R)  Xeon(R)\nProcessor")
    reading = reading_from(data, [hardware("RAM"), hardware("CPU", _mode="cpu_load", _tdp=8)])
    assert reading.hardware == "Intel(R) Xeon(R) Processor"
    assert reading.energy_source == "modelled"
    assert reading.energy_methods == "cpu=tdp_load_model;ram=ram_model"
    assert reading.cpu_tdp_w == 8.0


def test_country_from_compute_regions_then_first_territory(film: Path) -> None:
    assert country_for(load_production(film), "comfyui", film) == "FRA"
    set_yaml(film, "territories: [FR]", "territories: [WORLD, BE, FR]")
    assert country_for(load_production(film), "comfyui", film) == "BEL"
    set_yaml(film, "compute_regions: {}", "compute_regions: {comfyui: deu}")
    assert country_for(load_production(film), "comfyui", film) == "DEU"
    assert country_for(load_production(film), "a1111", film) == "BEL"


def test_no_country_is_one_config_line(film: Path) -> None:
    set_yaml(film, "territories: [FR]", "territories: [WORLD, EU]")
    with pytest.raises(ConfigError) as info:
        country_for(load_production(film), "comfyui", film)
    assert str(info.value) == (
        f"{film / 'production.yaml'}: compute_regions: no country for the measured machine: add "
        "compute_regions: {comfyui: FRA} (ISO alpha-3 of where it runs) (got ['WORLD', 'EU'])"
    )


@pytest.mark.parametrize(
    ("info", "message"),
    [
        (
            RunInfo("SH010", modality="picture"),
            "--modality: unknown (got 'picture'); allowed: image, image_edit, lipsync, music, "
            "sound, speech, text, upscale, video, video_edit, voice_clone",
        ),
        (
            RunInfo("SH010", platform="kling"),
            "--platform: not a local platform (got 'kling'); allowed: a1111, comfyui, local",
        ),
        (RunInfo("SH010", outputs=0), "--outputs: must be 1 or more (got 0)"),
        (RunInfo(""), "--shot: must not be empty (got '')"),
        (RunInfo("SH010", label="a\nb"), "--label: must be one line of text (got 'a\\nb')"),
    ],
)
def test_bad_options_are_refused_before_running(info: RunInfo, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_info(info)
    assert str(caught.value) == message


def test_record_fields_of_a_failed_run() -> None:
    info = RunInfo("SH010", label="take 3", model="sdxl", outputs=4)
    fields = record_fields(info, MODELLED, STARTED, 2, "FRA")
    assert fields == {
        "id": None,
        "platform": "comfyui",
        "model": "sdxl",
        "modality": "image",
        "created_at": "2026-09-20T12:00:05+00:00",
        "outputs_count": 4,
        "shot_tag": "SH010",
        "status": "failed",
        "hardware": "Intel(R) Xeon(R) Processor",
        "region": "FRA",
        "measured_energy_wh": 412.5,
        "attributes": {
            "codecarbon_version": "3.3.2",
            "energy_source": "modelled",
            "energy_methods": "cpu=tdp_load_model;ram=ram_model",
            "cpu_energy_wh": 12.5,
            "gpu_energy_wh": 0.0,
            "ram_energy_wh": 400.0,
            "cpu_tdp_w": 8.0,
            "duration_s": 72000.0,
            "tracking_mode": "machine",
            "label": "take 3",
            "exit_code": 2,
        },
    }


def test_rows_append_under_one_header_and_read_back(film: Path) -> None:
    path = film / "logs" / "measured.csv"
    first = record_fields(RunInfo("SH010", model="sdxl"), MODELLED, STARTED, 0, "FRA")
    second = record_fields(RunInfo("SH020", record_id="comfyui:abc"), MODELLED, STARTED, 1, "FRA")
    assert append_record(path, first) == 2
    assert append_record(path, second) == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert lines[0] == ",".join(CSV_COLUMNS)
    gens = {g.id: g for g in ingest_folder(film).generations}
    assert sorted(gens) == ["comfyui:abc", "comfyui:measured-2"]
    one, two = gens["comfyui:measured-2"], gens["comfyui:abc"]
    assert (one.shot_tag, one.model, one.status.value, one.measured_energy_wh) == (
        "SH010",
        "sdxl",
        "succeeded",
        412.5,
    )
    assert (one.region, one.hardware, one.created_at) == ("FRA", MODELLED.hardware, STARTED)
    assert one.attributes == first["attributes"]
    assert (two.shot_tag, two.status.value, two.attributes["exit_code"]) == ("SH020", "failed", 1)
    assert (one.source_file, one.source_locator, one.adapter) == (
        "logs/measured.csv",
        "2",
        "canonical",
    )


def test_appends_to_a_spreadsheet_saved_file(film: Path) -> None:
    """A file re-saved with ``;``, CRLF and no final line break: the row follows its format."""
    path = film / "logs" / "measured.csv"
    fields = record_fields(RunInfo("SH010"), MODELLED, STARTED, 0, "FRA")
    append_record(path, fields)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().removesuffix("\r\n").encode("utf-8"))
    assert append_record(path, fields) == 3
    raw = path.read_bytes().decode("utf-8")
    assert raw.count("\r\n") == 3
    assert raw.split("\r\n")[2].startswith(";comfyui;;")
    assert [g.shot_tag for g in ingest_folder(film).generations] == ["SH010", "SH010"]


def test_foreign_measured_csv_is_refused_before_running(film: Path) -> None:
    path = film / "logs" / "measured.csv"
    path.write_text("platform,modality,created_at\ncomfyui,image,2026-09-20\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        prepare(film, RunInfo("SH010"))
    assert str(caught.value) == (
        f"{path}:1: header: not the columns `empreinte measure` writes: move the file aside "
        "(got 'platform,modality,created_at')"
    )
    path.write_bytes(b"id,platform\n\xe9t\xe9\n")
    with pytest.raises(ConfigError) as caught:
        prepare(film, RunInfo("SH010"))
    assert str(caught.value) == f"{path}: not UTF-8: save it as CSV UTF-8, or move it aside"

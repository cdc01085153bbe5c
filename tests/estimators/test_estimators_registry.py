"""The registry loads, is internally consistent, and the loader rejects bad files with file:line."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from estimators.coefficients import Registry
from estimators.ecologits_bridge import known_video_models
from estimators.errors import CoefficientError, SignatureError, UnknownCoefficientError
from estimators.loading import load_registry
from estimators.units import COEFFICIENT_UNITS


def test_registry_counts_and_version(registry: Registry) -> None:
    csv_rows = [
        c for c in registry.coefficients.values() if not c.id.startswith(("grid.", "platform."))
    ]
    assert len(csv_rows) == 188
    assert len(registry.grid) == 25  # 24 countries of research §8.1 + WOR
    assert sum(len(v) for v in registry.grid_alternatives.values()) == 25
    assert len(registry.platforms) == 22  # with `local`, one's own machine
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d+", registry.data_version)


def test_units_and_orders(registry: Registry) -> None:
    for coef in registry.coefficients.values():
        assert coef.unit in COEFFICIENT_UNITS
        assert coef.low <= coef.value <= coef.high


def test_key_coefficients(registry: Registry) -> None:
    assert registry.band("image.band.energy").corners == (0.35, 2.2, 2.9)
    assert registry.band("video.band.energy").corners == (20, 340, 470)
    assert registry.band("video.alpha").corners == (1.0, 1.6, 2.0)
    assert registry.band("video.steps_ratio").corners == (0.1, 1.0, 1.0)
    assert registry.band("overhead.gpu_to_facility").corners == (1.3, 2.0, 2.4)
    assert registry.value("gpu.power") == 0.65
    assert registry.value("embodied.gpu_hour") == pytest.approx(
        (5700 / 8 + 164) / 26280 * 1000, rel=1e-3
    )
    assert registry.value("speech.band.energy") == pytest.approx(
        registry.value("audio_lm.band.energy") / 15, rel=1e-3
    )
    assert registry.value("equiv.car_km") == 218
    assert registry.value("baseline.ecoprod_per_min") == 0.27


def test_grid_primary_and_alternative(registry: Registry) -> None:
    assert registry.grid["FRA"].gco2e_per_kwh == pytest.approx(41.44)
    assert registry.grid["FRA"].source_id == "ecologits-0.11.3"
    (alt,) = registry.grid_alternatives["FRA"]
    assert alt.gco2e_per_kwh == pytest.approx(56.039)
    assert (alt.source_id, alt.year) == ("codecarbon-3.3", 2023)
    assert registry.value("grid.carbon.CHN") == pytest.approx(525.34)
    assert registry.value("grid.carbon.FRA.codecarbon-3.3") == pytest.approx(56.039)
    assert registry.value("grid.water.USA") == pytest.approx(3.1321)


def test_platforms(registry: Registry) -> None:
    assert registry.platform("kling").country == "CHN"
    assert registry.platform("Hailuo").key == "minimax"
    with pytest.raises(SignatureError, match=r"allowed: .*local"):
        registry.platform("not-a-platform")
    assert registry.platform("other").key == "unknown"
    local = registry.platform("local")
    assert (local.kind, local.pue.band.corners, local.wue.band.corners) == (
        "local",
        (1, 1, 1),
        (0, 0, 0),
    )
    assert registry.platform("comfyui").kind == "local"
    assert registry.band("platform.openai.pue").corners == (1.12, 1.20, 1.20)
    for profile in registry.platforms.values():
        if profile.grid_factor is not None:
            assert registry.get(profile.grid_factor).unit == "gCO2e/kWh"


def test_ecologits_names_exist() -> None:
    data = load_registry(Path(__file__).resolve().parents[2] / "data")
    assert {m.name for m in data.ecologits_video} == known_video_models()


def test_cited_includes_also_sources(registry: Registry) -> None:
    ids = [s.id for s in registry.cited(["image.band.energy", "grid.carbon.FRA"])]
    assert ids == ["ecologits-0.11.3", "luccioni-2024", "mlenergy-v2", "mlenergy-v3"]
    with pytest.raises(UnknownCoefficientError, match="nope"):
        registry.get("nope")


def test_model_points(registry: Registry) -> None:
    keys = sorted(p.key for p in registry.model_points["video"])
    assert len(keys) == 14
    (wan,) = [p for p in registry.model_points["video"] if p.key == "video.model.wan21t2v14b"]
    assert (wan.width_px, wan.height_px, wan.frames, wan.steps, wan.boundary) == (
        1280,
        720,
        81,
        50,
        "NODE",
    )
    assert len(registry.model_points["image"]) == 13


# --- the loader rejects broken files ------------------------------------------------------------


def _rewrite_row(path: Path, row_id: str, **changes: str) -> int:
    """Change cells of one row; return its line number (header = line 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    index = next(i for i, r in enumerate(rows) if r and r[0] == row_id)
    for col, value in changes.items():
        rows[index][header.index(col)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return index + 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"unit": "Wh/banana"}, "unit", "allowed:"),
        ({"low": "3.5"}, "", "need low <= value <= high"),
        ({"source_id": "nobody-2099"}, "source_id", "unknown source"),
        ({"boundary": "ROOM"}, "boundary", "allowed: FACILITY, GPU, LCA, NODE, NONE"),
        ({"value": "abc"}, "value", "valid number"),
    ],
)
def test_bad_row_names_file_and_line(
    data_copy: Path, changes: dict[str, str], field: str, words: str
) -> None:
    path = data_copy / "coefficients.csv"
    line = _rewrite_row(path, "image.band.energy", **changes)
    with pytest.raises(CoefficientError) as info:
        load_registry(data_copy)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: ")
    assert line == 2
    assert field in message
    assert words in message


def _rewrite_header(path: Path, new_header: list[str], drop: int | None = None) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0] = new_header
    if drop is not None:
        rows = [[c for i, c in enumerate(r) if i != drop] for r in rows]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_unknown_column(data_copy: Path) -> None:
    path = data_copy / "coefficients.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    _rewrite_header(path, [*header[:-1], "comment"])
    with pytest.raises(
        CoefficientError, match=rf"^{re.escape(str(path))}:1: header: unknown column 'comment'"
    ):
        load_registry(data_copy)


def test_missing_column(data_copy: Path) -> None:
    path = data_copy / "coefficients.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    _rewrite_header(path, [c for c in header if c != "locator"], drop=header.index("locator"))
    with pytest.raises(
        CoefficientError, match=rf"^{re.escape(str(path))}:1: header: missing column 'locator'"
    ):
        load_registry(data_copy)


def test_duplicate_id(data_copy: Path) -> None:
    path = data_copy / "coefficients.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + text.splitlines()[1] + "\n", encoding="utf-8")
    count = len(text.splitlines()) + 1
    with pytest.raises(CoefficientError, match=rf":{count}: id: duplicate id"):
        load_registry(data_copy)


def test_unknown_also_source(data_copy: Path) -> None:
    path = data_copy / "coefficients.csv"
    _rewrite_row(path, "video.alpha", notes="see [also: ghost-2030]")
    with pytest.raises(CoefficientError, match=r"source_id: unknown source.*'ghost-2030'"):
        load_registry(data_copy)


def test_grid_bad_source_and_missing_primary(data_copy: Path) -> None:
    path = data_copy / "grid.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([lines[0], lines[1].replace("ecologits-0.11.3", "x"), *lines[2:]]) + "\n"
    )
    with pytest.raises(
        CoefficientError, match=rf"^{re.escape(str(path))}:2: source_id: unknown source"
    ):
        load_registry(data_copy)
    path.write_text("\n".join([lines[0], *lines[2:]]) + "\n")  # AUS loses its primary row
    with pytest.raises(CoefficientError, match=r"country without a primary row.*'AUS'"):
        load_registry(data_copy)


def test_sources_yaml_needs_a_link(data_copy: Path) -> None:
    path = data_copy / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace('  doi: "10.1145/3630106.3658542"\n', "")
    path.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("luccioni-2024:") + 1
    with pytest.raises(CoefficientError, match=rf"^{re.escape(str(path))}:{line}: .*url or a doi"):
        load_registry(data_copy)


def test_platform_unknown_country(data_copy: Path) -> None:
    path = data_copy / "platforms.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("country: CHN", "country: ATL", 1), encoding="utf-8")
    line = text.splitlines().index("  kling:") + 1
    with pytest.raises(CoefficientError, match=rf":{line}: kling.country: country not in grid.csv"):
        load_registry(data_copy)


def test_missing_version(data_copy: Path) -> None:
    (data_copy / "VERSION").unlink()
    with pytest.raises(CoefficientError, match="VERSION: file is missing"):
        load_registry(data_copy)


def test_platform_grid_factor_must_match_country(data_copy: Path) -> None:
    path = data_copy / "platforms.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("grid_factor: grid.carbon.CHN", "grid_factor: grid.carbon.FRA", 1))
    line = text.splitlines().index("  kling:") + 1
    with pytest.raises(
        CoefficientError, match=rf":{line}: kling.grid_factor: must be 'grid.carbon.CHN'"
    ):
        load_registry(data_copy)

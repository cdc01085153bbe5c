"""plan and forecast from the command line; the final report's "forecast against final"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from audit.base.resources import example_dir
from audit.cli import app

runner = CliRunner()
RECIPE = "midjourney:image:40,magnific:upscale:2,kling:video:8"


@pytest.fixture
def film(tmp_path: Path) -> Path:
    root = tmp_path / "film"
    shutil.copytree(example_dir(), root)
    return root


def test_plan_from_timeline_then_forecast(film: Path) -> None:
    drafted = runner.invoke(app, ["plan", str(film), "--from-timeline", "--recipe", RECIPE])
    assert drafted.exit_code == 0, drafted.output
    rows = [line for line in (film / "plan.csv").read_text().splitlines()[1:]
            if not line.startswith('"#')]  # fmt: skip
    assert len(rows) == 14 * 3  # the example's cut has 14 picture shots
    again = runner.invoke(app, ["plan", str(film), "--from-timeline", "--recipe", RECIPE])
    assert again.exit_code == 2
    assert "--force" in again.output
    out = film / "forecast-out"
    result = runner.invoke(app, ["forecast", str(film), "--out", str(out), "--lang", "fr",
                                 "--lang", "en", "--as-of", "2026-11-20"])  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads((out / "forecast.json").read_text())
    assert document["footprint"]["generations"] == 14 * (40 + 2 + 8)
    energy = document["footprint"]["totals"]["energy_wh"]
    assert energy["low"] < energy["central"] < energy["high"]
    for name in ("forecast.pdf", "forecast.en.pdf"):
        reader = PdfReader(out / name)
        assert "forecast.json" in reader.attachments
        text = "".join(page.extract_text() for page in reader.pages)
        assert (
            "Empreinte prévisionnelle" if name == "forecast.pdf" else "Forecast footprint"
        ) in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--recipe", "klong:video:3", "--from-timeline"], "--recipe: unknown platform"),
        (["--recipe", "kling:video", "--from-timeline"], "platform:modality:attempts"),
        (["--recipe", "kling:video:3"], "one of --from-timeline or --shots"),
    ],
)
def test_plan_misuse_is_one_line(film: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["plan", str(film), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_forecast_without_plan_is_one_line(film: Path) -> None:
    result = runner.invoke(app, ["forecast", str(film)])
    assert result.exit_code == 2
    assert "no plan" in result.output


def test_report_sets_forecast_against_final(film: Path) -> None:
    runner.invoke(app, ["plan", str(film), "--from-timeline", "--recipe", RECIPE])
    out = film / "out"
    result = runner.invoke(app, ["report", str(film), "--out", str(out), "--as-of", "2026-11-20",
                                 "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    audit = json.loads((out / "audit.json").read_text())
    vs = audit["forecast"]["vs_final"]
    assert vs["film"]["actual_generations"] == audit["footprint"]["generations"]
    assert vs["film"]["planned_generations"] == 14 * 50
    carbon = vs["film"]["carbon_g"]
    parts = carbon["from_attempts"] + carbon["from_energy_per_generation"] + carbon["from_grid"]
    assert parts == pytest.approx(carbon["gap"])
    assert {row["key"] for row in vs["by_platform"]} >= {"kling", "midjourney", "magnific"}
    html = (out / "report.html").read_text()
    assert 'id="forecast"' in html
    assert "Forecast against final" in html


def test_export_forecast_line_for_carbonclap(film: Path) -> None:
    runner.invoke(app, ["plan", str(film), "--from-timeline", "--recipe", RECIPE])
    result = runner.invoke(app, ["export", str(film), "--format", "carbonclap", "--forecast",
                                 "--as-of", "2026-11-20"])  # fmt: skip
    assert result.exit_code == 0, result.output
    header, line_item = result.output.splitlines()[:2]
    assert header.startswith("role,section,item")
    assert "IA générative (prévisionnel)" in line_item
    assert "plan.csv" in line_item
    final = runner.invoke(app, ["export", str(film), "--format", "csv", "--forecast",
                                "--as-of", "2026-11-20"])  # fmt: skip
    assert final.exit_code == 0, final.output
    assert ",forecast_total," in final.output


def test_forecasts_compare_like_audits(film: Path, tmp_path: Path) -> None:
    """The classroom exercise: the same film planned two ways, forecast, then compared."""
    outs = []
    for name, recipe in (("many", "midjourney:image:150,kling:video:20"),
                         ("few", "midjourney:image:10,kling:video:2")):  # fmt: skip
        drafted = runner.invoke(app, ["plan", str(film), "--from-timeline", "--recipe", recipe,
                                      "--force"])  # fmt: skip
        assert drafted.exit_code == 0, drafted.output
        out = tmp_path / name
        result = runner.invoke(app, ["forecast", str(film), "--out", str(out), "--as-of",
                                     "2026-11-20", "--lang", "en"])  # fmt: skip
        assert result.exit_code == 0, result.output
        outs.append(out / "forecast.json")
    out = tmp_path / "comparison"
    compared = runner.invoke(app, ["compare", *map(str, outs), "--out", str(out), "--lang", "en"])
    assert compared.exit_code == 0, compared.output
    table = (out / "compare.csv").read_text()
    assert table.count("forecast from plan.csv") == 2

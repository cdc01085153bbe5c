"""plan and forecast from the command line; the final report's "forecast against final"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from audit.cli import app
from audit.resources import example_dir

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
    assert document["plan"]["generations"] == 14 * (40 + 2 + 8)
    assert document["totals"]["energy_wh"]["low"] < document["totals"]["energy_wh"]["central"]
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

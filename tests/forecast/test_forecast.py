"""Forecast: a plan estimated by the final report's own path, and set against the final footprint."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from audit.base.errors import PlanError
from audit.base.resources import example_dir
from audit.forecast.plan import COLUMNS, NUMBER_FIELDS, read_plan
from audit.forecast.versus import compare, platform_keys, split_gap, total_gap
from audit.ingest.registry import platforms
from audit.pipeline import AuditRun, Options, run, run_forecast

AS_OF = date(2026, 11, 20)
OPTIONS = Options(as_of=AS_OF)


@pytest.fixture(scope="module")
def final() -> AuditRun:
    return run(example_dir(), OPTIONS)


def plan_of(final: AuditRun) -> str:
    """A plan that plans exactly what the logs hold: one row per logged generation."""
    shots = dict(zip(final.footprint.table["id"], final.footprint.table["shot_id"], strict=True))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for gen in final.link.objects(np.arange(len(final.link.table))):
        cells = {
            "shot_id": shots[gen.id], "platform": gen.platform, "modality": gen.modality.value,
            "attempts": 1, "outputs": gen.outputs_count, "model": gen.model or "-",
            "region": gen.region or "-", "hardware": gen.hardware or "-",
            "status": gen.status.value, "attributes": json.dumps(gen.attributes),
        }  # fmt: skip
        for name in NUMBER_FIELDS:
            value = getattr(gen, name)
            cells[name] = "-" if value is None else value  # "-": unknown, no default
        writer.writerow(cells)
    return out.getvalue()


def production_with_plan(tmp_path: Path, plan: str, logs: bool = True) -> Path:
    root = tmp_path / "film"
    shutil.copytree(example_dir(), root)
    if not logs:
        shutil.rmtree(root / "logs")
        (root / "logs").mkdir()
    (root / "plan.csv").write_text(plan, encoding="utf-8")
    return root


def test_plan_matching_logs_gives_final_figures(tmp_path: Path, final: AuditRun) -> None:
    root = production_with_plan(tmp_path, plan_of(final))
    result = run_forecast(root, OPTIONS)
    assert result.plan.records == len(final.link.table)
    for name, rng in final.aggregates.totals.items():
        got = result.aggregates.totals[name]
        assert (got.low, got.central, got.high) == pytest.approx(
            (rng.low, rng.central, rng.high), rel=1e-12
        ), name
    by_platform = {
        g.key: g for g in compare(result, final.footprint.table, final.link.shot_ids)["platforms"]
    }
    assert all(abs(g.carbon_gap_g) < 1e-6 for g in by_platform.values())
    film = total_gap(list(by_platform.values()))
    assert film.planned == film.actual == len(final.link.table)


def test_empty_cells_take_sourced_defaults_without_history(tmp_path: Path) -> None:
    plan = "shot_id,platform,modality,attempts\nSH010,midjourney,image,\nSH010,kling,video,8\n"
    root = production_with_plan(tmp_path, plan, logs=False)
    result = run_forecast(root, OPTIONS)
    image, video = result.plan.rows
    assert image.cells["attempts"].origin == "default"
    assert image.attempts == 150
    assert image.cells["outputs"].value == 4  # a Midjourney job renders a grid of four
    assert video.cells["attempts"].origin == "plan"
    assert video.attempts == 8
    assert video.cells["duration_s"].source == "kling-api-docs"
    assert result.plan.records == 158
    assert result.aggregates.totals["energy_wh"].central > 0


def test_empty_cells_take_the_productions_history(tmp_path: Path, final: AuditRun) -> None:
    plan = "shot_id,platform,modality\nSC01_SH010,kling,video\n"
    root = production_with_plan(tmp_path, plan)
    row = run_forecast(root, OPTIONS).plan.rows[0]
    kling = [
        g
        for g in final.link.objects(np.arange(len(final.link.table)))
        if g.platform == "kling" and g.modality == "video"
    ]
    assert row.cells["attempts"].origin == "history"
    assert row.cells["duration_s"].origin == "history"
    assert row.value("duration_s") in {g.duration_s for g in kling}


def test_gap_split_adds_up() -> None:
    gap = split_gap("kling", (10, 1000.0, 500.0), (14, 1680.0, 420.0))
    parts = gap.from_attempts_g + gap.from_per_generation_g + gap.from_grid_g
    assert parts == pytest.approx(gap.carbon_gap_g)
    assert gap.from_attempts_g == pytest.approx(4 * 100.0 * 0.5)  # 4 more at 100 Wh, 0.5 g/Wh
    assert gap.from_grid_g < 0  # the actual ran on a cleaner grid


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ("shot_id,platform,modality\nSH1,klong,video\n", "platform: unknown platform"),
        ("shot_id,platform,modality\nSH1,kling,vidéo\n", "modality: unknown modality"),
        ("shot_id,platform,modality,attempts\nSH1,kling,video,2.5\n", "attempts: not a whole"),
        ("shot_id,platform,modalty\nSH1,kling,video\n", "modalty: unknown column"),
        ("shot_id,platform,modality,attempts\nSH1,kling,video,1e9\n", "more than 2,000,000"),
        ("shot_id,platform,modality\n", "the plan has no row"),
    ],
)
def test_bad_plans_are_one_line(tmp_path: Path, plan: str, message: str) -> None:
    root = production_with_plan(tmp_path, plan, logs=False)
    with pytest.raises(PlanError) as caught:
        run_forecast(root, OPTIONS)
    assert message in str(caught.value)
    assert str(caught.value).startswith("plan.csv")
    assert "\n" not in str(caught.value)


def test_every_plan_default_names_a_listed_source() -> None:
    from audit.estimate.footprint import registry
    from audit.forecast.defaults import plan_defaults

    sources = registry().sources
    defaults = plan_defaults()
    entries = [*defaults["modalities"].values(), *defaults["platforms"].values()]
    for entry in entries:
        for name, item in entry.items():
            assert item["source"] == "assumption" or item["source"] in sources, (name, item)
            assert item.get("locator"), (name, item)


def test_plan_platforms_meet_the_records_on_the_registry_key(tmp_path: Path) -> None:
    """A plan naming ``Veo`` plans what Veo's records (platform ``veo``) will be, not Google's
    hosting profile: forecast and final compare on one key (they split into google and veo
    rows before the registry)."""
    path = tmp_path / "plan.csv"
    path.write_text("shot_id,platform,modality\nSH1,Veo,video\nSH2,KlingAI,video\n")
    rows = read_plan(path, platform_keys()).rows
    assert [row.platform for row in rows] == ["veo", "kling"]
    assert set(platform_keys().values()) == set(platforms().platforms)

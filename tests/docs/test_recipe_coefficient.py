"""The recipe "add a coefficient" of docs/development.md, followed step by step on a copy of data/:
its source (the block tagged ``recipe-coefficient-source``) appended to sources.yaml, its rows
(``recipe-coefficient-rows``) to coefficients.csv and its route (``recipe-coefficient-route``) to
routes.csv. The registry loads them, an image generation whose model the route names is estimated
from the new energy row and cites it and its source, the coefficients page lists it, and one
without the route falls back to the image band. When the registry's files or columns change,
this test fails with the page."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from audit.base import resources
from audit.base.models import Generation
from audit.base.production import Production
from audit.estimate import footprint
from estimators.docs import render_coefficients_md
from tests.docs.docblocks import ROOT, block, named_paths, steps

ENERGY = "image.model.examplenet.energy"


def _production() -> Production:
    return Production.model_validate(
        {
            "title": "Recipe", "directors": ["A. Director"], "company": "Collective",
            "year": 2026, "runtime_s": 60, "release_date": date(2027, 1, 1),
            "distribution": ["festival"], "territories": ["FR"], "languages": ["fr"],
            "frame_rate": 25, "compute_regions": {"comfyui": "FR"},
        }
    )  # fmt: skip


def _generation(model: str) -> Generation:
    return Generation.model_validate(
        {
            "id": f"comfyui:{model}", "platform": "comfyui", "modality": "image", "model": model,
            "created_at": "2026-09-20T08:00:00Z", "width": 1024, "height": 1024, "steps": 30,
            "source_file": "logs/graph.json", "source_locator": "/prompt", "adapter": "comfyui",
        }
    )  # fmt: skip


def _append(path: Path, text: str) -> None:
    before = path.read_text(encoding="utf-8")
    path.write_text(before + ("" if before.endswith("\n") else "\n") + text, encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of data/ with the recipe's source, rows and route added (steps 1 to 3)."""
    folder = tmp_path / "data"
    shutil.copytree(resources.data_dir(), folder, ignore=shutil.ignore_patterns("examples"))
    _append(folder / "sources.yaml", block("development.md", "recipe-coefficient-source"))
    _append(folder / "coefficients.csv", block("development.md", "recipe-coefficient-rows"))
    _append(folder / "routes.csv", block("development.md", "recipe-coefficient-route"))
    return folder


def test_recipe_steps_name_files_that_exist() -> None:
    named = named_paths(steps("development.md", "Recipe: add a coefficient"))
    for name in ("data/sources.yaml", "data/coefficients.csv", "data/routes.csv", "data/VERSION"):
        assert name in named
    assert [path for path in named if not (ROOT / path).exists()] == []


def test_recipe_coefficient_is_loaded_and_cited(data: Path) -> None:
    reg = footprint.registry(data)
    assert reg.get(ENERGY).source_id == "example-lab-2026"
    assert reg.sources["example-lab-2026"].url == "https://example.org/benchmark"
    result = footprint.estimate_generations(
        [_generation("examplenet"), _generation("not-a-routed-model")], _production(), reg
    )
    cited = {
        gen_id: set(ids.split(";")) if isinstance(ids, str) else set(ids)
        for gen_id, ids in zip(result.table["id"], result.table["coefficient_ids"], strict=True)
    }
    assert ENERGY in cited["comfyui:examplenet"]
    assert ENERGY not in cited["comfyui:not-a-routed-model"]
    assert "image.band.energy" in cited["comfyui:not-a-routed-model"]
    # step 5: the generated page lists the new row
    assert ENERGY in render_coefficients_md(reg)
    # the shipped data is untouched: the recipe's example is not a real coefficient
    assert ENERGY not in footprint.registry().coefficients

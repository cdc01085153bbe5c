"""Local runs logged by hand (platform `local`), unknown platform keys, and what `estimate`
says of each generation (method, status, run, coefficients)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from audit.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "le-dernier-phare"
# A canonical CSV as docs/production-folder.md documents it; model names as published:
# the ComfyUI file of Comfy-Org/Wan_2.1_ComfyUI_repackaged (split_files/diffusion_models/) and
# the Hugging Face id the ML.ENERGY leaderboard lists (public/data/models/).
LOCAL_CSV = """platform,modality,created_at,model,width,height,frames,steps,hardware,outputs_count
local,video,2026-09-20T14:00:00+02:00,wan2.1_t2v_1.3B_fp16.safetensors,832,480,81,50,H100,1
local,image,2026-09-20T15:00:00+02:00,Efficient-Large-Model/SANA1.5_4.8B_1024px_diffusers,1024,1024,,20,2x H100,1
local,image,2026-09-20T16:00:00+02:00,sana1.5,1024,1024,,20,RTX 4090,1
"""


def _film(tmp_path: Path, csv_text: str, regions: str = "{local: FRA}") -> Path:
    assert runner.invoke(app, ["init", str(tmp_path / "film")]).exit_code == 0
    film = tmp_path / "film"
    yaml_path = film / "production.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8").replace(
            "compute_regions: {}", f"compute_regions: {regions}"
        ),
        encoding="utf-8",
    )
    (film / "logs" / "local.csv").write_text(csv_text, encoding="utf-8")
    return film


def _generations(film: Path) -> dict[str, dict[str, object]]:
    result = runner.invoke(app, ["estimate", str(film), "--json", "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    return {g["model"]: g for g in json.loads(result.output)["generations"]}


def test_local_runs_route_by_size_and_name_their_method(tmp_path: Path) -> None:
    gens = _generations(_film(tmp_path, LOCAL_CSV))
    wan = gens["wan2.1_t2v_1.3B_fp16.safetensors"]
    assert (wan["method"], wan["estimate_status"], wan["run"]) == (
        "video.model",
        "modelled",
        "full",
    )
    assert "video.model.wan21t2v13b.energy" in wan["coefficient_ids"]
    assert "overhead.gpu_to_facility" not in wan["coefficient_ids"]  # no cloud overhead
    sana = gens["Efficient-Large-Model/SANA1.5_4.8B_1024px_diffusers"]
    assert "image.model.sana15b48.energy" in sana["coefficient_ids"]
    assert "parallel.gpu_doubling" in sana["coefficient_ids"]  # "2x H100"
    unsized = gens["sana1.5"]
    assert (unsized["method"], unsized["estimate_status"]) == ("image.band", "fallback")
    assert "1.6B, 4.8B" in str(unsized["route_note"])


def test_local_region_comes_from_compute_regions(tmp_path: Path) -> None:
    film = _film(tmp_path, LOCAL_CSV)
    result = runner.invoke(app, ["estimate", str(film), "--json", "--as-of", "2026-11-20"])
    doc = json.loads(result.output)
    assert {g["region"] for g in doc["generations"]} == {"FRA"}
    assert doc["by_method"]
    assert all(m["platform"] == "local" for m in doc["by_method"])
    table = runner.invoke(app, ["estimate", str(film), "--as-of", "2026-11-20"])
    assert "video.model" in table.output
    assert "fallback" in table.output


def test_unknown_platform_key_is_one_line_naming_the_choices(tmp_path: Path) -> None:
    film = _film(
        tmp_path, LOCAL_CSV.replace("local,image,2026-09-20T16", "myrig,image,2026-09-20T16")
    )
    result = runner.invoke(app, ["estimate", str(film)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()[-1:]
    assert "logs/local.csv:4: platform: unknown platform key (got 'myrig')" in line
    allowed = line.split("allowed: ")[1].split(", ")
    assert {"local", "comfyui", "kling"} <= set(allowed)


def test_failed_kling_jobs_of_the_example_cost_their_elapsed_time() -> None:
    """The bundled example has failed Kling jobs with 36-120 s elapsed: no longer zero."""
    result = runner.invoke(app, ["estimate", str(EXAMPLE), "--json", "--as-of", "2026-11-20"])
    assert result.exit_code == 0
    failed = [
        g for g in json.loads(result.output)["generations"] if str(g["run"]).startswith("failed")
    ]
    assert len(failed) >= 8
    assert all(float(g["energy_wh_central"]) > 0 for g in failed)
    assert {g["run"] for g in failed} == {"failed.elapsed"}

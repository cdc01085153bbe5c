"""ComfyUI: /history runs, PNGs built here, and the real example files in ../shared/fixtures."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import RecordError
from audit.base.models import AssetRef, Modality, Status
from audit.ingest.base import Reject
from audit.ingest.comfyui import parse_graph, prompts
from audit.ingest.walk import ingest_files
from tests.ingest.ingest_support import GenIndex, PngMaker, Reader, one

WAN = "comfyui:aaaaaaaa-0000-4000-8000-000000000001"


def _sdxl_graph(fixtures: Path) -> str:
    return json.dumps(json.loads((fixtures / "comfyui" / "sdxl_graph.json").read_text())["graph"])


def test_history_wan_image_to_video(read: Reader, gens: GenIndex) -> None:
    run = gens(read("comfyui", "comfyui/history.json"))[WAN]
    assert run.created_at == datetime(2026, 9, 20, 8, 0, tzinfo=UTC)
    assert (run.platform, run.modality, run.task) == ("comfyui", Modality.video, "image_to_video")
    assert run.model == "wan2.1_i2v_480p_14B_fp8_e4m3fn.safetensors"
    assert (run.width, run.height, run.frames, run.fps) == (832, 480, 81, 16.0)
    assert run.duration_s == pytest.approx(81 / 16)
    assert (run.seed, run.steps, run.hardware) == (141097608094418, 30, "NVIDIA RTX 4090")
    assert run.inputs == [
        AssetRef(uri="wan2.1_i2v_480p_14B_fp8_e4m3fn.safetensors", role="checkpoint"),
        AssetRef(uri="storm_light_v2.safetensors", role="lora"),
        AssetRef(uri="SC02_SH030_00002_.png", role="image"),
    ]
    assert run.prompt == "the keeper wipes the salty glass, rain streaks"
    assert run.negative_prompt == "blurry, static, watermark"
    assert (run.outputs, run.outputs_count) == (["video/SC02_SH030_wan_00001.mp4"], 1)
    assert run.attributes == {"run_s": 210.0}
    assert run.source_locator == "/aaaaaaaa-0000-4000-8000-000000000001"


def test_history_paid_api_node(read: Reader, gens: GenIndex) -> None:
    run = gens(read("comfyui", "comfyui/history.json"))[
        "comfyui:aaaaaaaa-0000-4000-8000-000000000002"
    ]
    assert (run.platform, run.model, run.modality) == ("kling", "kling-v2-1", Modality.video)
    assert run.attributes == {"via": "comfyui", "api_node": "KlingImage2VideoNode", "run_s": 120.0}
    assert (run.prompt, run.negative_prompt) == ("the keeper turns towards the sea", "text")
    assert (run.inputs, run.task) == ([AssetRef(uri="keeper.png", role="image")], "image_to_video")


def test_history_interrupted_batch(read: Reader, gens: GenIndex) -> None:
    run = gens(read("comfyui", "comfyui/history.json"))[
        "comfyui:aaaaaaaa-0000-4000-8000-000000000003"
    ]
    assert (run.status, run.outputs, run.outputs_count) == (Status.cancelled, [], 4)
    assert (run.width, run.height, run.seed, run.steps) == (1024, 576, 42, 25)
    assert (run.prompt, run.negative_prompt) == ("a granite lighthouse at dusk", "text, watermark")
    assert run.attributes == {"run_s": 240.0}


def test_png_with_creation_time_and_hardware(
    tmp_path: Path, make_png: PngMaker, fixtures: Path, read: Reader
) -> None:
    graph = _sdxl_graph(fixtures)
    png = make_png(
        tmp_path / "SC02_SH030_00001_.png",
        {"prompt": graph, "workflow": "{}", "Creation Time": "2026-09-05T10:00:00Z",
         "hardware": json.dumps("NVIDIA RTX 4090")},
    )  # fmt: skip
    run = one(read("comfyui", png.name, root=tmp_path))
    assert run.id == "comfyui:" + hashlib.sha256(graph.encode()).hexdigest()[:16]
    assert run.created_at == datetime(2026, 9, 5, 10, 0, tzinfo=UTC)
    assert (run.outputs, run.outputs_count, run.hardware) == ([png.name], 4, "NVIDIA RTX 4090")
    assert (run.model, run.source_locator, run.attributes) == (
        "sd_xl_base_1.0.safetensors", "tEXt:prompt", {},
    )  # fmt: skip


def test_two_copies_of_one_png_merge(tmp_path: Path, make_png: PngMaker, fixtures: Path) -> None:
    graph = _sdxl_graph(fixtures)
    paths = [
        make_png(tmp_path / name, {"prompt": graph}, time=(2026, 9, 5, 10, 0, 0))
        for name in ("a.png", "b.png")
    ]
    totals = ingest_files(tmp_path, paths).totals()
    assert (totals["accepted"], totals["merged"]) == (1, 1)


def test_png_with_workflow_only_is_rejected(
    tmp_path: Path, make_png: PngMaker, read: Reader
) -> None:
    png = make_png(tmp_path / "w.png", {"workflow": "{}"}, time=(2026, 9, 5, 10, 0, 0))
    (item,) = read("comfyui", png.name, root=tmp_path)
    assert isinstance(item, Reject)
    assert item.line() == "w.png:tEXt:prompt: prompt: required"


def test_negative_through_zero_out_is_not_the_positive() -> None:
    graph = parse_graph(
        {
            "1": {"class_type": "CLIPTextEncode", "inputs": {"text": "storm"}},
            "2": {"class_type": "ConditioningZeroOut", "inputs": {"conditioning": ["1", 0]}},
            "3": {"class_type": "KSampler", "inputs": {"positive": ["1", 0], "negative": ["2", 0]}},
        },
        "prompt",
    )
    assert prompts(graph) == ("storm", None)


def test_graph_node_without_class_type() -> None:
    with pytest.raises(RecordError, match=r"^prompt\.7: node without class_type$"):
        parse_graph({"7": {"inputs": {}}}, "prompt")


def test_unfinished_run_is_rejected(tmp_path: Path, read: Reader) -> None:
    entry = {
        "prompt": [1, "p1", {"9": {"class_type": "SaveImage", "inputs": {}}}, {}, ["9"]],
        "outputs": {},
        "status": {"status_str": None, "completed": False,
                   "messages": [["execution_start", {"timestamp": 1789891200000}]]},
    }  # fmt: skip
    (tmp_path / "history.json").write_text(json.dumps({"p1": entry}))
    (item,) = read("comfyui", "history.json", root=tmp_path)
    assert isinstance(item, Reject)
    assert item.line() == (
        "history.json:/p1: status.status_str: run not finished (allowed: error, success)"
    )


# --- real ComfyUI example files (comfyanonymous/ComfyUI_examples, in ../shared/fixtures) ---------


@pytest.mark.shared
def test_real_flux_dev_png(shared_fixtures: Path, read: Reader) -> None:
    run = one(read("comfyui", "flux_dev_example.png", root=shared_fixtures / "comfyui"))
    assert (run.model, run.seed, run.steps) == ("flux1-dev.safetensors", 219670278747233, 20)
    assert (run.width, run.height, run.outputs_count) == (1024, 1024, 1)
    assert (run.modality, run.task, run.negative_prompt) == (Modality.image, "text_to_image", None)
    assert run.prompt is not None
    assert run.prompt.startswith("cute anime girl with massive fluffy")
    assert run.attributes == {"created_at_source": "file_mtime"}


@pytest.mark.shared
def test_real_sdxl_png(shared_fixtures: Path, read: Reader) -> None:
    run = one(read("comfyui", "sdxl_simple_example.png", root=shared_fixtures / "comfyui"))
    assert (run.model, run.seed, run.steps) == ("sd_xl_base_1.0.safetensors", 721897303308196, 25)
    assert [ref.uri for ref in run.inputs] == [
        "sd_xl_base_1.0.safetensors", "sd_xl_refiner_1.0.safetensors",
    ]  # fmt: skip
    assert (run.width, run.height) == (1024, 1024)
    assert run.prompt == "evening sunset scenery blue sky nature, glass bottle with a galaxy in it"
    assert run.negative_prompt == "text, watermark"


@pytest.mark.shared
def test_real_ltxv_webp(shared_fixtures: Path, read: Reader) -> None:
    run = one(read("comfyui", "ltxv_text_to_video.webp", root=shared_fixtures / "comfyui"))
    assert (run.modality, run.task) == (Modality.video, "text_to_video")
    assert (run.model, run.seed, run.steps) == (
        "ltx-video-2b-v0.9.safetensors",
        497797676867141,
        30,
    )
    assert (run.width, run.height, run.frames) == (768, 512, 97)
    assert run.fps == pytest.approx(24.0)  # the SaveAnimatedWEBP node's fps, the file's rate
    assert run.duration_s == pytest.approx(97 / 24)
    assert run.source_locator == "exif:prompt"
    assert run.negative_prompt is not None
    assert run.negative_prompt.startswith("low quality")

"""ComfyUI graphs that sample more than once: every pass behind every output node is counted.

Graphs below are written here in the API format ComfyUI embeds in its PNGs. Their shapes follow
comfyanonymous/ComfyUI_examples ``2_pass_txt2img/README.md`` (hires fix by latent upscale, and
``hiresfix_esrgan_workflow.png``: decode, ``ImageUpscaleWithModel``, rescale, ``VAEEncode``,
second ``KSampler``), ``sdxl/`` (base + refiner ``KSamplerAdvanced`` pair) and ``flux/``
(``SamplerCustomAdvanced`` fed by ``BasicScheduler`` sigmas). The real two-pass file is
d3x-at/sd-parsers ``tests/resources/parsers/ComfyUI`` in ../shared/fixtures/realworld.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from audit.base.production import load_production
from audit.base.resources import example_dir
from audit.estimate.footprint import estimate_generations, estimate_table, registry, signature
from audit.ingest.comfyui_graph import analyse, parse_graph
from audit.ingest.comfyui_passes import MAX_DEPTH, walk
from audit.ingest.walk import ingest_files
from estimators.methods import image_basis
from tests.ingest.ingest_support import PngMaker, Reader, one

Node = dict[str, Any]


def _node(class_type: str, **inputs: Any) -> Node:
    return {"class_type": class_type, "inputs": inputs}


def _ksampler(latent: str, steps: int, denoise: float = 1.0) -> Node:
    return _node("KSampler", seed=1, steps=steps, cfg=7.0, sampler_name="euler",
                 scheduler="normal", denoise=denoise, model=["1", 0], positive=["2", 0],
                 negative=["3", 0], latent_image=[latent, 0])  # fmt: skip


def _base(width: int = 512, height: int = 512, batch: int = 1) -> dict[str, Node]:
    return {
        "1": _node("CheckpointLoaderSimple", ckpt_name="v1-5-pruned-emaonly.safetensors"),
        "2": _node("CLIPTextEncode", text="a lighthouse at dusk", clip=["1", 1]),
        "3": _node("CLIPTextEncode", text="blurry", clip=["1", 1]),
        "4": _node("EmptyLatentImage", width=width, height=height, batch_size=batch),
        "5": _ksampler("4", 20),
        "6": _node("VAEDecode", samples=["5", 0], vae=["1", 2]),
    }


def _fields(graph: dict[str, Node]) -> dict[str, Any]:
    return analyse(parse_graph(json.dumps(graph), "prompt"))


def test_esrgan_hires_fix_counts_both_passes_at_their_sizes() -> None:
    graph = _base(batch=2) | {
        "10": _node("UpscaleModelLoader", model_name="RealESRGAN_x4plus.pth"),
        "11": _node("ImageUpscaleWithModel", upscale_model=["10", 0], image=["6", 0]),
        "12": _node("ImageScaleBy", upscale_method="area", scale_by=0.5, image=["11", 0]),
        "13": _node("VAEEncode", pixels=["12", 0], vae=["1", 2]),
        "14": _ksampler("13", 20, denoise=0.45),
        "15": _node("VAEDecode", samples=["14", 0], vae=["1", 2]),
        "16": _node("SaveImage", filename_prefix="hires", images=["15", 0]),
    }
    fields = _fields(graph)
    assert (fields["steps"], fields["width"], fields["height"]) == (29, 1024, 1024)
    assert fields["outputs_count"] == 2  # one save node, batch of 2
    assert fields["attributes"] == {
        "sampling_passes": 2,
        "passes": "KSampler #5: 20 steps at 512x512 x2; "
        "KSampler #14: 9 steps (20 x denoise 0.45) at 1024x1024 x2",
        "step_pixels": float(20 * 512 * 512 * 2 + 9 * 1024 * 1024 * 2),
    }


def test_latent_upscale_by_and_keep_aspect() -> None:
    graph = _base(512, 768) | {
        "10": _node(
            "LatentUpscaleBy", upscale_method="nearest-exact", scale_by=1.5, samples=["5", 0]
        ),
        "11": _ksampler("10", 12, denoise=0.5),
        "12": _node(
            "LatentUpscale",
            upscale_method="bilinear",
            width=0,
            height=1536,
            crop="disabled",
            samples=["11", 0],
        ),
        "13": _ksampler("12", 10, denoise=0.3),
        "14": _node("VAEDecode", samples=["13", 0], vae=["1", 2]),
        "15": _node("SaveImage", filename_prefix="x", images=["14", 0]),
    }
    walked = walk(parse_graph(graph, "prompt"))
    assert [(p.node, p.steps, p.size) for p in walked.passes] == [
        ("5", 20, (512, 768, 1)), ("11", 6, (768, 1152, 1)), ("13", 3, (1024, 1536, 1)),
    ]  # fmt: skip
    assert walked.final == (1024, 1536, 1)
    assert walked.total_steps == 29


@pytest.mark.shared
def test_sdxl_base_and_refiner_share_one_schedule(shared_fixtures: Path, read: Reader) -> None:
    run = one(read("comfyui", "sdxl_simple_example.png", root=shared_fixtures / "comfyui"))
    assert run.steps == 25  # 0-20 on the base, 20-25 on the refiner
    assert run.attributes["sampling_passes"] == 2
    assert run.attributes["step_pixels"] == 25 * 1024 * 1024


def test_custom_sampler_with_split_sigmas() -> None:
    graph = _base(1024, 1024) | {
        "20": _node("BasicScheduler", scheduler="simple", steps=30, denoise=1.0, model=["1", 0]),
        "21": _node("SplitSigmas", step=20, sigmas=["20", 0]),
        "22": _node(
            "SamplerCustomAdvanced",
            noise=["23", 0],
            guider=["24", 0],
            sampler=["25", 0],
            sigmas=["21", 0],
            latent_image=["4", 0],
        ),
        "26": _node(
            "SamplerCustomAdvanced",
            noise=["23", 0],
            guider=["24", 0],
            sampler=["25", 0],
            sigmas=["21", 1],
            latent_image=["22", 0],
        ),
        "23": _node("RandomNoise", noise_seed=7),
        "24": _node("BasicGuider", model=["1", 0], conditioning=["2", 0]),
        "25": _node("KSamplerSelect", sampler_name="euler"),
        "27": _node("VAEDecode", samples=["26", 0], vae=["1", 2]),
        "28": _node("SaveImage", filename_prefix="x", images=["27", 0]),
    }
    walked = walk(parse_graph(graph, "prompt"))
    assert [(p.node, p.steps) for p in walked.passes] == [("22", 20), ("26", 10)]
    assert walked.outputs_count == 1  # the first KSampler (#5) feeds no output: not counted


def test_composited_latents_take_the_destination_size() -> None:
    graph = _base(512, 512) | {
        "30": _node("EmptyLatentImage", width=1024, height=512, batch_size=1),
        "31": _ksampler("30", 15),
        "32": _node(
            "LatentComposite", x=256, y=0, feather=0, samples_to=["31", 0], samples_from=["5", 0]
        ),
        "33": _ksampler("32", 10, denoise=0.6),
        "34": _node("VAEDecode", samples=["33", 0], vae=["1", 2]),
        "35": _node("SaveImage", filename_prefix="x", images=["34", 0]),
    }
    walked = walk(parse_graph(graph, "prompt"))
    assert sorted((p.node, p.steps, p.size) for p in walked.passes) == [
        ("31", 15, (1024, 512, 1)), ("33", 6, (1024, 512, 1)), ("5", 20, (512, 512, 1)),
    ]  # fmt: skip
    assert walked.passes[-1].node == "33"  # the pass behind both others comes last


def test_tiled_upscale_pass() -> None:
    """Ultimate SD Upscale samples its tiles: a pass of steps x denoise at its output size
    (inputs as in ssitu/ComfyUI_UltimateSDUpscale nodes.py: image, upscale_by, steps, denoise,
    upscale_model)."""
    graph = _base(512, 768) | {
        "10": _node("UpscaleModelLoader", model_name="4x-UltraSharp.pth"),
        "11": _node("UltimateSDUpscale", image=["6", 0], model=["1", 0], positive=["2", 0],
                    negative=["3", 0], vae=["1", 2], upscale_by=2.0, seed=5, steps=20, cfg=7.0,
                    sampler_name="euler", scheduler="normal", denoise=0.3,
                    upscale_model=["10", 0], mode_type="Linear", tile_width=512,
                    tile_height=512, mask_blur=8, tile_padding=32),
        "12": _node("SaveImage", filename_prefix="usdu", images=["11", 0]),
    }  # fmt: skip
    walked = walk(parse_graph(graph, "prompt"))
    assert [(p.node, p.steps, p.size) for p in walked.passes] == [
        ("5", 20, (512, 768, 1)), ("11", 6, (1024, 1536, 1)),
    ]  # fmt: skip
    assert walked.final == (1024, 1536, 1)


def test_one_pass_saved_twice_is_not_counted_twice() -> None:
    """A run that saves its image and a 4x model upscale of it: two outputs, one sampling."""
    graph = _base(512, 512) | {
        "7": _node("SaveImage", filename_prefix="base", images=["6", 0]),
        "10": _node("UpscaleModelLoader", model_name="4x-UltraSharp.pth"),
        "11": _node("ImageUpscaleWithModel", upscale_model=["10", 0], image=["6", 0]),
        "12": _node("SaveImage", filename_prefix="up", images=["11", 0]),
    }
    fields = _fields(graph)
    assert (fields["width"], fields["height"], fields["outputs_count"]) == (2048, 2048, 2)
    assert fields["steps"] == 20
    assert fields["attributes"]["step_pixels"] == 20 * 512 * 512  # not 20 x 2048² x 2


def test_single_pass_graph_carries_no_pass_attributes() -> None:
    graph = _base() | {"7": _node("SaveImage", filename_prefix="x", images=["6", 0])}
    fields = _fields(graph)
    assert (fields["steps"], fields["width"], fields["outputs_count"]) == (20, 512, 1)
    assert fields["attributes"] == {}


def test_cycles_and_deep_chains_stay_bounded() -> None:
    chain: dict[str, Node] = {"0": _node("EmptyLatentImage", width=64, height=64, batch_size=1)}
    for k in range(1, 5000):  # far beyond MAX_DEPTH: the size is unknown, not a crash
        chain[str(k)] = _node("LatentNoop", samples=[str(k - 1), 0])
    chain |= {
        "s": _node("KSampler", steps=4, denoise=1.0, latent_image=["4999", 0]),
        "d": _node("VAEDecode", samples=["s", 0]),
        "o": _node("SaveImage", images=["d", 0]),
        "c1": _node("LatentUpscaleBy", scale_by=2.0, samples=["c2", 0]),
        "c2": _node("LatentUpscaleBy", scale_by=2.0, samples=["c1", 0]),
        "s2": _node("KSampler", steps=3, latent_image=["c1", 0]),
        "o2": _node("PreviewImage", images=["s2", 0]),
    }
    walked = walk(parse_graph(chain, "prompt"))
    assert len(chain) > MAX_DEPTH
    assert [(p.node, p.steps, p.size) for p in walked.passes] == [("s", 4, None)]
    assert walked.step_pixels() is None  # a pass of unknown size and no known output size


@pytest.mark.shared
def test_real_two_pass_graph(shared_fixtures: Path, read: Reader) -> None:
    folder = shared_fixtures / "realworld" / "comfyui"
    run = one(read("comfyui", "night_evening_day_morning_cropped.png", root=folder))
    assert (run.width, run.height) == (1088, 1920)  # the second pass's size, not 704x1280
    assert run.steps == 13 + 7  # 14 steps at denoise 0.5 run 7
    assert run.outputs_count == 2  # two SaveImage nodes
    assert run.model == "Anything-V3.0.ckpt"
    assert run.attributes["passes"] == (
        "KSampler #3: 13 steps at 704x1280; KSampler #24: 7 steps (14 x denoise 0.5) at 1088x1920"
    )
    assert run.attributes["step_pixels"] == 13 * 704 * 1280 + 7 * 1088 * 1920


def test_two_pass_png_through_the_adapter(tmp_path: Path, make_png: PngMaker, read: Reader) -> None:
    graph = _base(640, 384) | {
        "10": _node(
            "LatentUpscale",
            upscale_method="nearest-exact",
            width=1280,
            height=768,
            crop="disabled",
            samples=["5", 0],
        ),
        "11": _ksampler("10", 14, denoise=0.5),
        "12": _node("VAEDecode", samples=["11", 0], vae=["1", 2]),
        "13": _node("SaveImage", filename_prefix="x", images=["12", 0]),
    }
    make_png(tmp_path / "two.png", {"prompt": json.dumps(graph)})
    run = one(read("comfyui", "two.png", root=tmp_path))
    assert (run.steps, run.width, run.height, run.outputs_count) == (27, 1280, 768, 1)
    assert run.attributes["step_pixels"] == 20 * 640 * 384 + 7 * 1280 * 768


def test_passes_reach_the_estimate_by_records_and_by_table(
    tmp_path: Path, make_png: PngMaker
) -> None:
    """step_pixels travels from the graph to the estimate the same way whether the footprint
    is computed from the records or from the pipeline's columns."""
    graph = _base(640, 384) | {
        "10": _node("LatentUpscale", upscale_method="nearest-exact", width=1280, height=768,
                    crop="disabled", samples=["5", 0]),
        "11": _ksampler("10", 14, denoise=0.5),
        "12": _node("VAEDecode", samples=["11", 0], vae=["1", 2]),
        "13": _node("SaveImage", filename_prefix="x", images=["12", 0]),
        "14": _node("SaveImage", filename_prefix="first", images=["6", 0]),
    }  # fmt: skip
    logs = tmp_path / "logs"
    make_png(logs / "two.png", {"prompt": json.dumps(graph)})
    production = load_production(example_dir())
    ingested = ingest_files(tmp_path, [logs / "two.png"])
    (gen,) = ingested.generations
    none = np.full(1, None, dtype=object)
    by_records = estimate_generations([gen], production).table
    by_table = estimate_table(ingested.table, none, np.zeros(1, dtype=bool), production).table
    pd.testing.assert_frame_equal(by_records, by_table)
    sig = signature(gen, production)
    expected = image_basis(sig, registry(), registry().platform(sig.platform)).energy_wh.central
    weighted = (20 * 640 * 384 + 7 * 1280 * 768) / 27  # the passes' step-weighted pixels
    assert expected == pytest.approx(2.2 * weighted / 1024**2)  # band, not 2 x 1280x768

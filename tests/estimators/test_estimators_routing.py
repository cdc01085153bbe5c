"""Routing (data/routes.csv): family, version and size; a partial match is no match."""

from __future__ import annotations

from pathlib import Path

import pytest

from estimators.coefficients import Registry
from estimators.errors import CoefficientError
from estimators.impacts import estimate
from estimators.loading import load_registry
from estimators.quantity import Status
from estimators.routing import compact, names_model, size_tokens_b
from estimators.signature import Signature

# ComfyUI file names as Comfy-Org/Wan_2.1_ComfyUI_repackaged publishes them
# (split_files/diffusion_models/, linked from public ComfyUI setup scripts), and the model ids of
# the ML.ENERGY leaderboard (ml-energy/leaderboard public/data/models/*.json).
WAN_13B_FILE = "wan2.1_t2v_1.3B_fp16.safetensors"
WAN_14B_FILE = "wan2.1_t2v_14B_fp8_scaled.safetensors"


@pytest.mark.parametrize(
    ("model", "sizes"),
    [
        ("Wan2.1-T2V-1.3B", (1.3,)),
        (WAN_14B_FILE, (14.0,)),
        ("Efficient-Large-Model/SANA1.5_4.8B_1024px_diffusers", (4.8,)),
        ("Sana_1600M_1024px", (1.6,)),
        ("umt5_xxl_fp8_e4m3fn_scaled", ()),  # e4m3 is no size
        ("Wan2.2-T2V-A14B", ()),  # A14B is a label glued to a letter
        ("flux1-dev.safetensors", ()),
    ],
)
def test_size_tokens(model: str, sizes: tuple[float, ...]) -> None:
    assert size_tokens_b(model) == pytest.approx(sizes)


@pytest.mark.parametrize(
    ("model", "name", "whole"),
    [
        ("CogVideoX1.5-5B", "cogvideox", False),  # the version goes on: another model
        ("CogVideoX1.5-5B", "cogvideox1.5", True),
        ("cogvideox-5b", "cogvideox", True),  # what follows is a size, not a version
        ("kling-v2-1-master", "kling-v2", False),
        ("hunyuanvideo-1.5", "hunyuanvideo", False),
        ("SANA1.5_4.8B_1024px", "sana1.5", True),
        ("PixArt-Σ-XL-2-1024-MS", "pixart-sigma", True),
        ("xsdxl", "sdxl", False),  # not at the start of a word
    ],
)
def test_names_are_whole(model: str, name: str, whole: bool) -> None:
    assert names_model(model, compact(name)) is whole


def local(model: str, modality: str = "video", **sizes: int) -> Signature:
    return Signature("local", modality, model=model, **sizes)  # type: ignore[arg-type]


def test_wan_13b_goes_to_its_own_point_not_to_ecologits_14b(registry: Registry) -> None:
    """The issue's case: the 1.3B model is not EcoLogits' wan2.1 (calibrated on the 14B)."""
    for platform in ("local", "unknown"):
        sig = Signature(platform, "video", model=WAN_13B_FILE, width=832, height=480, frames=81,
                        steps=50)  # fmt: skip
        imp = estimate(sig, registry)
        assert imp.method == "video.model"
        assert "video.model.wan21t2v13b.energy" in imp.coefficient_ids
    assert registry.route("wan2.1", "video", "ecologits:").route is not None  # unsized: 14B
    assert registry.route(WAN_13B_FILE, "video", "ecologits:").route is None


def test_sana_48b_is_not_the_16b_point(registry: Registry) -> None:
    imp = estimate(local("SANA1.5_4.8B_1024px", "image", width=1024, height=1024), registry)
    assert "image.model.sana15b48.energy" in imp.coefficient_ids
    assert "image.model.sana15.energy" not in imp.coefficient_ids


def test_partial_match_falls_back_with_the_reason(registry: Registry) -> None:
    """SANA 1.5 exists in two sizes: a name without one is no match; fallback names why."""
    imp = estimate(local("sana1.5", "image", width=1024, height=1024), registry)
    assert (imp.method, imp.status) == ("image.band", Status.fallback)
    assert "1.6B, 4.8B" in imp.reason
    video = estimate(local("ltxv-2b-0.9.6", duration_s=5), registry)
    assert (video.method, video.status) == ("video.scaling", Status.fallback)
    assert "13B" in video.reason


def test_unknown_local_model_is_fallback_closed_model_stays_proxy(registry: Registry) -> None:
    own = estimate(local("my-finetune-v3", "image"), registry)
    assert own.status == Status.fallback
    assert "no measured route names 'my-finetune-v3'" in own.reason
    closed = estimate(Signature("kling", "video", model="kling-v2-1-master"), registry)
    assert closed.status == Status.proxy


def test_loader_rejects_a_route_to_nowhere(data_copy: Path) -> None:
    path = data_copy / "routes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("image.model.flux1dev,", "image.model.flux9,", 1), "utf-8")
    with pytest.raises(CoefficientError, match="route target not in the registry"):
        load_registry(data_copy)


def test_loader_rejects_a_bad_unsized_flag(data_copy: Path) -> None:
    path = data_copy / "routes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",12,yes,", ",12,maybe,", 1), "utf-8")
    with pytest.raises(CoefficientError, match=r"routes.csv:2: unsized: must be yes or no"):
        load_registry(data_copy)

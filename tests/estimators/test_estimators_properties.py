"""Hypothesis properties: non-negative, ordered, monotone, linear in outputs_count."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.coefficients import Registry
from estimators.impacts import Impacts, estimate
from estimators.loading import load_registry
from estimators.signature import Signature

REGISTRY: Registry = load_registry(Path(__file__).resolve().parents[2] / "data")
FIELDS = ("energy_wh", "carbon_g", "water_l", "adpe_kgsbeq", "embodied_g")

side = st.integers(min_value=64, max_value=4096)
platforms = st.sampled_from(
    ["midjourney", "kling", "pika", "comfyui", "suno", "unknown", "magnific"]
)
models = st.sampled_from(
    [None, "flux1-dev", "sdxl_base_1.0", "wan2.1_t2v_14B", "kling-v2-1", "ltx-video-2b"]
)
signatures = st.builds(
    Signature,
    platform=platforms,
    modality=st.sampled_from(
        ["image", "video", "upscale", "music", "sound", "speech", "lipsync", "text"]
    ),
    model=models,
    width=side,
    height=side,
    duration_s=st.floats(min_value=0.5, max_value=60),
    steps=st.one_of(st.none(), st.integers(min_value=1, max_value=100)),
    outputs_count=st.integers(min_value=0, max_value=8),
    characters=st.one_of(st.none(), st.integers(min_value=0, max_value=5000)),
    creativity=st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
    region=st.sampled_from([None, "FRA", "USA", "CHN", "PRT"]),
)


def corners(imp: Impacts, name: str) -> tuple[float, float, float]:
    est = getattr(imp, name)
    return (est.low, est.central, est.high)


def _leq(a: Impacts, b: Impacts) -> None:
    for name in FIELDS:
        for x, y in zip(corners(a, name), corners(b, name), strict=True):
            assert x <= y * (1 + 1e-12)


@given(signatures)
@settings(max_examples=300, deadline=None)
def test_non_negative_and_ordered(sig: Signature) -> None:
    imp = estimate(sig, REGISTRY)
    for name in FIELDS:
        low, central, high = corners(imp, name)
        assert 0 <= low <= central <= high


@given(signatures, st.integers(min_value=2, max_value=9))
@settings(max_examples=200, deadline=None)
def test_linear_in_outputs_count(sig: Signature, k: int) -> None:
    one = estimate(replace(sig, outputs_count=1), REGISTRY)
    many = estimate(replace(sig, outputs_count=k), REGISTRY)
    for name in FIELDS:
        assert corners(many, name) == pytest.approx(tuple(k * v for v in corners(one, name)))


@given(signatures, st.floats(min_value=1.01, max_value=4))
@settings(max_examples=200, deadline=None)
def test_monotone_in_duration(sig: Signature, factor: float) -> None:
    assert sig.duration_s is not None
    _leq(
        estimate(sig, REGISTRY),
        estimate(replace(sig, duration_s=sig.duration_s * factor), REGISTRY),
    )


@given(signatures, st.integers(min_value=1, max_value=2048))
@settings(max_examples=200, deadline=None)
def test_monotone_in_resolution(sig: Signature, extra: int) -> None:
    assert sig.width is not None
    _leq(estimate(sig, REGISTRY), estimate(replace(sig, width=sig.width + extra), REGISTRY))


@given(signatures, st.integers(min_value=1, max_value=100))
@settings(max_examples=200, deadline=None)
def test_monotone_in_steps(sig: Signature, extra: int) -> None:
    steps = sig.steps or 1
    low = replace(sig, steps=steps)
    _leq(estimate(low, REGISTRY), estimate(replace(low, steps=steps + extra), REGISTRY))


@given(
    st.sampled_from(["kling-v2-6", "veo-3.1", "sora-2-pro", "gen-4.5", "wan2.1"]),
    st.floats(min_value=1, max_value=12),
    st.floats(min_value=1.05, max_value=2),
    st.sampled_from([(1280, 720), (1920, 1080)]),
)
@settings(max_examples=40, deadline=None)
def test_ecologits_video_monotone(
    model: str, duration: float, factor: float, size: tuple[int, int]
) -> None:
    sig = Signature(
        "freepik", "video", model=model, width=size[0], height=size[1], duration_s=duration
    )
    short, long = (
        estimate(sig, REGISTRY),
        estimate(replace(sig, duration_s=duration * factor), REGISTRY),
    )
    assert short.method == "video.ecologits"
    _leq(short, long)

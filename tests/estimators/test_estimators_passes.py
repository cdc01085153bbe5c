"""Images sampled in several passes (``step_pixels``): each pass counted at its own size."""

from __future__ import annotations

import pytest

from estimators.coefficients import Registry
from estimators.methods import image_basis
from estimators.signature import Signature


def corners(basis: object) -> tuple[float, float, float]:
    energy = basis.energy_wh  # type: ignore[attr-defined]
    return (energy.low, energy.central, energy.high)


def test_one_pass_as_step_pixels_equals_the_plain_formula(registry: Registry) -> None:
    """step_pixels of a single pass (steps x pixels x batch) gives the plain estimate back,
    for a measured model (steps relative to its point) and for the band."""
    for model in ("flux1-dev.safetensors", "some-unmeasured-model.ckpt"):
        plain = Signature("comfyui", "image", model=model, width=832, height=1216, steps=30,
                          outputs_count=3)  # fmt: skip
        passes = Signature("comfyui", "image", model=model, width=832, height=1216, steps=30,
                           outputs_count=3, step_pixels=30 * 832 * 1216 * 3)  # fmt: skip
        assert corners(
            image_basis(passes, registry, registry.platform(passes.platform))
        ) == pytest.approx(corners(image_basis(plain, registry, registry.platform(plain.platform))))


def test_two_passes_at_their_own_sizes(registry: Registry) -> None:
    """FLUX.1-dev point: 2.208 Wh per 1024x1024 image at 50 steps (central). 20 steps at
    1024x1024 then 10 steps at 2048x2048: (20 x 1 + 10 x 4) / 50 = 1.2 images' worth;
    the two saved outputs are not counted again."""
    sig = Signature("comfyui", "image", model="flux1-dev.safetensors", width=2048, height=2048,
                    steps=30, outputs_count=2,
                    step_pixels=20 * 1024 * 1024 + 10 * 2048 * 2048)  # fmt: skip
    assert image_basis(
        sig, registry, registry.platform(sig.platform)
    ).energy_wh.central == pytest.approx(2.208 * 1.2)
    naive = Signature("comfyui", "image", model="flux1-dev.safetensors", width=2048,
                      height=2048, steps=30, outputs_count=2)  # fmt: skip
    assert image_basis(
        naive, registry, registry.platform(naive.platform)
    ).energy_wh.central == pytest.approx(2.208 * 30 / 50 * 8)


def test_band_counts_step_weighted_pixels(registry: Registry) -> None:
    """Band 2.2 Wh per 1024x1024 image: 13 steps at 704x1280 and 7 at 1088x1920 weigh
    (13 x 901,120 + 7 x 2,088,960) / 20 pixels."""
    sig = Signature("comfyui", "image", model="Anything-V3.0.ckpt", width=1088, height=1920,
                    steps=20, outputs_count=2,
                    step_pixels=13 * 704 * 1280 + 7 * 1088 * 1920)  # fmt: skip
    weighted = (13 * 704 * 1280 + 7 * 1088 * 1920) / 20
    assert image_basis(
        sig, registry, registry.platform(sig.platform)
    ).energy_wh.central == pytest.approx(2.2 * weighted / 1024**2)

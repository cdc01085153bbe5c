"""Hand-computed values for each method, from the registry's numbers (see docs/methodology.md)."""

from __future__ import annotations

import math

import pytest

from estimators.coefficients import Registry
from estimators.impacts import energy_basis, estimate
from estimators.methods import image_basis
from estimators.quantity import Status
from estimators.signature import Signature

M = (1.3, 2.0, 2.4)  # overhead.gpu_to_facility
P_KW = (0.62, 0.65, 0.69)  # gpu.power
EMB_G = 33.35  # embodied.gpu_hour
EMB_SB = 1.954e-6  # embodied.adpe_gpu_hour


def corners(actual: object) -> tuple[float, float, float]:
    return (actual.low, actual.central, actual.high)  # type: ignore[attr-defined]


def test_midjourney_grid_of_four(registry: Registry) -> None:
    """4 images at 1024x1024: GPU 4 x (0.35, 2.2, 2.9) Wh, x M, US grid 384.4 g/kWh."""
    imp = estimate(
        Signature("midjourney", "image", width=1024, height=1024, outputs_count=4), registry
    )
    gpu = (1.4, 8.8, 11.6)
    fac = tuple(g * m for g, m in zip(gpu, M, strict=True))
    assert corners(imp.energy_wh) == pytest.approx((1.82, 17.6, 27.84))
    embodied = (1.4 / 690 * EMB_G, 8.8 / 650 * EMB_G, 11.6 / 620 * EMB_G)
    assert corners(imp.embodied_g) == pytest.approx(embodied)
    assert corners(imp.carbon_g) == pytest.approx(
        tuple(f / 1000 * 384.4 + e for f, e in zip(fac, embodied, strict=True))
    )
    # water: E_fac/PUE x WUE corner by corner (PUE 1.09, 1.10, 1.15; WUE 0.13, 0.999, 0.999)
    # + E_fac x 3.1321 L/kWh
    wue, pue = (0.13, 0.999, 0.999), (1.09, 1.10, 1.15)
    assert corners(imp.water_l) == pytest.approx(
        tuple(f / 1000 / p * w + f / 1000 * 3.1321 for f, p, w in zip(fac, pue, wue, strict=True))
    )
    assert imp.adpe_kgsbeq.central == pytest.approx(0.0176 * 9.855e-8 + 8.8 / 650 * EMB_SB)
    assert (imp.method, imp.status, imp.region) == ("image.band", Status.proxy, "USA")
    assert "image.band.energy" in imp.coefficient_ids
    assert "grid.carbon.USA" in imp.carbon_g.coefficient_ids


def test_image_resolution_is_linear_in_pixels(registry: Registry) -> None:
    small = estimate(Signature("midjourney", "image", width=512, height=512), registry)
    assert small.energy_wh.central == pytest.approx(2.2 * 0.25 * 2.0)


def test_flux_local_model_point(registry: Registry) -> None:
    sig = Signature("comfyui", "image", model="flux1-dev.safetensors", width=1024, height=1024,
                    steps=25, region="FRA")  # fmt: skip
    basis = image_basis(sig, registry, registry.platform(sig.platform))
    assert basis.boundary == "GPU"
    spread = (0.8, 1.0, 1.2)  # model.stack_spread
    gpu = (1.855 / 2 * spread[0], 2.208 / 2, 2.208 / 2 * spread[2])
    assert corners(basis.energy_wh) == pytest.approx(gpu)
    imp = estimate(sig, registry)
    node = (1.15, 1.17, 2.22)  # overhead.node_over_gpu, PUE 1.0
    assert corners(imp.energy_wh) == pytest.approx(
        tuple(g * n for g, n in zip(gpu, node, strict=True))
    )
    assert imp.carbon_g.central == pytest.approx(
        2.208 / 2 * 1.17 / 1000 * 41.44 + 2.208 / 2 / 650 * EMB_G
    )
    assert imp.water_l.central == pytest.approx(
        2.208 / 2 * 1.17 / 1000 * 3.6737
    )  # no on-site water
    assert (imp.method, imp.status, imp.region) == ("image.model", Status.modelled, "FRA")


def test_kling_uncovered_model_scaling_1080p(registry: Registry) -> None:
    """kling-v2-1 is not in EcoLogits: E = E_ref x (L/L_ref)^alpha x steps x M; 1080p/720p = 2.25."""
    sig = Signature(
        "kling", "video", model="kling-v2-1-master", width=1920, height=1080, duration_s=5
    )
    imp = estimate(sig, registry)
    ratio = (1 + 120 / 4) * (1080 / 16) * (1920 / 16) / ((1 + 120 / 4) * (720 / 16) * (1280 / 16))
    assert ratio == pytest.approx(2.25)
    gpu = (20 * ratio**1.0 * 0.1, 340 * ratio**1.6, 470 * ratio**2.0)
    assert corners(imp.energy_wh) == pytest.approx(
        tuple(g * m for g, m in zip(gpu, M, strict=True))
    )
    assert imp.energy_wh.central == pytest.approx(2488.86, rel=1e-5)
    assert imp.carbon_g.central == pytest.approx(
        2488.862715 / 1000 * 525.34 + 1244.43 / 650 * EMB_G, rel=1e-5
    )
    assert (imp.method, imp.status, imp.region) == ("video.scaling", Status.proxy, "CHN")


def test_short_low_res_clip_keeps_order(registry: Registry) -> None:
    """Below the reference (ratio < 1) the low corner takes alpha = 2, the high alpha = 1."""
    imp = estimate(Signature("pika", "video", width=640, height=360, duration_s=2), registry)
    ratio = (1 + 48 / 4) * (360 / 16) * (640 / 16) / ((1 + 120 / 4) * 45 * 80)
    gpu = (20 * ratio**2 * 0.1, 340 * ratio**1.6, 470 * ratio**1.0)
    assert corners(imp.energy_wh) == pytest.approx(
        tuple(g * m for g, m in zip(gpu, M, strict=True))
    )


def test_wan_local_scaled_to_480p(registry: Registry) -> None:
    """The 720p WAN point scaled to 832x480 with alpha 1.6 lands on the blog's 480p run (109.5 Wh)."""
    sig = Signature("comfyui", "video", model="wan2.1_t2v_14B_fp16.safetensors", width=832,
                    height=480, frames=81, steps=50)  # fmt: skip
    imp = estimate(sig, registry)
    ratio = (480 * 832) / (720 * 1280)
    # spread of one model over hardware and serving stacks: 0.8 / 1 / 1.2 (model.stack_spread)
    assert corners(imp.energy_wh) == pytest.approx(
        (415.2 * ratio**2 * 0.8, 422.7 * ratio**1.6, 430.2 * ratio * 1.2)
    )
    assert imp.energy_wh.central == pytest.approx(109.5, rel=0.02)
    assert (imp.method, imp.status, imp.region) == ("video.model", Status.modelled, "WOR")


def test_upscale(registry: Registry) -> None:
    """4096x4096 output = 16.777216 MP x (0.11, 0.42, 2.1) Wh/MP x denoise (0.25, 0.5, 1) x M."""
    imp = estimate(Signature("magnific", "upscale", width=4096, height=4096), registry)
    mp = 4096 * 4096 / 1e6
    gpu = (mp * 0.11 * 0.25, mp * 0.42 * 0.5, mp * 2.1 * 1.0)
    assert corners(imp.energy_wh) == pytest.approx(
        tuple(g * m for g, m in zip(gpu, M, strict=True))
    )
    with_strength = estimate(
        Signature("magnific", "upscale", width=4096, height=4096, creativity=0.8, steps=56),
        registry,
    )
    assert with_strength.energy_wh.central == pytest.approx(mp * 0.42 * 0.8 * 2 * 2.0)
    default_size = estimate(Signature("magnific", "upscale"), registry)  # 1024^2 x 2^2
    assert default_size.energy_wh.central == pytest.approx(4 * 1024 * 1024 / 1e6 * 0.42 * 0.5 * 2.0)


def test_music_two_variants(registry: Registry) -> None:
    """A music LM (Suno) gets the autoregressive audio band, not the diffusion one."""
    imp = estimate(Signature("suno", "music", duration_s=120, outputs_count=2), registry)
    lm = (0.000972, 0.00782, 0.0428)  # Wh per audio second (audio_lm.band.energy)
    assert corners(imp.energy_wh) == pytest.approx(
        tuple(240 * b * m for b, m in zip(lm, M, strict=True))
    )
    assert (imp.method, imp.status, imp.region) == ("music.lm_band", Status.low_confidence, "WOR")
    central = 240 * 0.00782
    assert imp.carbon_g.central == pytest.approx(
        central * 2.0 / 1000 * 458.29 + central / 650 * EMB_G
    )


def test_audio_by_model_and_steps(registry: Registry) -> None:
    """Passoni et al.'s per-step series: Make-An-Audio at 25 steps is not at 100 steps (GPU
    0.0602 and 0.1828 Wh per 10-s clip measured); E = (fixed + steps x per_step) x spread."""

    def gpu(model: str, steps: int) -> float:
        sig = Signature("local", "sound", model=model, duration_s=10, steps=steps)
        basis = energy_basis(sig, registry, registry.platform("local"))
        assert (basis.method, basis.status) == ("audio.model", Status.modelled)
        return basis.energy_wh.central

    assert gpu("Make-An-Audio", 25) == pytest.approx(0.019677 + 25 * 0.0016623, rel=1e-4)
    assert gpu("Make-An-Audio", 25) == pytest.approx(0.0602, rel=0.05)
    assert gpu("Make-An-Audio-2", 100) == pytest.approx(0.1936, rel=0.05)
    assert gpu("Make-An-Audio", 100) > 2.5 * gpu("Make-An-Audio", 25)


def test_sound_default_duration(registry: Registry) -> None:
    imp = estimate(Signature("elevenlabs", "sound"), registry)
    assert corners(imp.energy_wh) == pytest.approx(
        (0.002 * 5 * 1.3, 0.067 * 10 * 2.0, 0.2 * 20 * 2.4)
    )
    assert imp.status == Status.low_confidence
    timed = estimate(Signature("elevenlabs", "sound", duration_s=10), registry)
    assert timed.status == Status.proxy


def test_speech_by_characters_and_seconds(registry: Registry) -> None:
    chars = estimate(Signature("elevenlabs", "speech", characters=1000), registry)
    per_char = (6.48e-05, 0.000521, 0.00285)  # audio_lm band / 15 characters per second
    assert corners(chars.energy_wh) == pytest.approx(
        tuple(1000 * c * m for c, m in zip(per_char, M, strict=True))
    )
    assert (chars.method, chars.status) == ("speech.lm_band", Status.low_confidence)
    seconds = estimate(Signature("elevenlabs", "voice_clone", duration_s=30), registry)
    assert seconds.energy_wh.central == pytest.approx(30 * 0.00782 * 2.0)
    assert seconds.method == "speech.lm_band"


def test_text_anchors(registry: Registry) -> None:
    imp = estimate(Signature("openai", "text", outputs_count=3), registry)
    assert corners(imp.energy_wh) == pytest.approx((0.72, 1.02, 12.9))  # facility, no M
    # GPU energy for embodied = E_fac / M, evaluated low with the high M
    assert imp.embodied_g.low == pytest.approx(0.72 / 2.4 / 690 * EMB_G)
    assert (imp.method, imp.status) == ("text.band", Status.proxy)


def test_measured_job(registry: Registry) -> None:
    imp = estimate(Signature("comfyui", "video", measured_energy_wh=120.0, outputs_count=4,
                             region="FRA"), registry)  # fmt: skip
    assert corners(imp.energy_wh) == (120.0, 120.0, 120.0)  # meter covers the job: no x outputs
    assert imp.carbon_g.central == pytest.approx(120 / 1000 * 41.44 + 120 / 1.17 / 650 * EMB_G)
    assert (imp.method, imp.status) == ("measured", Status.measured)


def test_lipsync_is_low_confidence_video(registry: Registry) -> None:
    imp = estimate(Signature("kling", "lipsync", duration_s=5), registry)
    assert corners(imp.energy_wh) == pytest.approx((20 * 0.1 * 1.3, 680.0, 470 * 2.4))
    assert (imp.method, imp.status) == ("lipsync.video_band", Status.low_confidence)


def test_region_override_and_fallback(registry: Registry) -> None:
    base = Signature("midjourney", "image")
    fra = estimate(Signature("midjourney", "image", region="FRA"), registry)
    assert fra.region == "FRA"
    assert fra.carbon_g.central < estimate(base, registry).carbon_g.central
    unlisted = estimate(Signature("midjourney", "image", region="PRT"), registry)
    assert unlisted.region == "WOR"
    assert math.isclose(unlisted.carbon_g.central, 4.4 / 1000 * 458.29 + 2.2 / 650 * EMB_G)


def test_unknown_modality(registry: Registry) -> None:
    from estimators.errors import SignatureError

    with pytest.raises(SignatureError, match="hologram"):
        estimate(Signature("unknown", "hologram"), registry)
    with pytest.raises(SignatureError, match="outputs_count"):
        Signature("unknown", "image", outputs_count=-1)


def test_creativity_outside_zero_one_is_clamped(registry: Registry) -> None:
    """A raw platform scale (e.g. negative) never fails: it is kept within upscale.denoise."""
    mp = 4 * 1024 * 1024 / 1e6  # default 2x of the 1024x1024 reference
    low = estimate(Signature("magnific", "upscale", creativity=-5.0), registry)
    high = estimate(Signature("magnific", "upscale", creativity=7.0), registry)
    assert low.energy_wh.central == pytest.approx(mp * 0.42 * 0.25 * 2.0)
    assert high.energy_wh.central == pytest.approx(mp * 0.42 * 1.0 * 2.0)


def test_equal_signatures_share_one_result(registry: Registry) -> None:
    from estimators.impacts import estimate_many

    a = Signature("midjourney", "image", width=1024, height=1024, outputs_count=4)
    b = Signature("midjourney", "image", width=1024, height=1024, outputs_count=4)
    assert a == b
    assert hash(a) == hash(b)
    assert list(estimate_many([a, b], registry)) == [a]

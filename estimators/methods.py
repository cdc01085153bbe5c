"""Energy methods for images, upscaling, audio, speech, text bands and measured jobs.

One formula per function; every number comes from the registry. Results are at the GPU,
NODE or FACILITY boundary (see :class:`estimators.basis.Basis`); ``impacts`` adds overheads.
"""

from __future__ import annotations

from estimators import ecologits_bridge
from estimators.band import Band
from estimators.basis import Basis, match_point, resolve_region, steps_ratio
from estimators.coefficients import PlatformProfile, Registry
from estimators.quantity import Status
from estimators.signature import Signature
from estimators.units import ONE, PX_PER_MP


def image_basis(sig: Signature, registry: Registry) -> Basis:
    """GPU energy of a text/image-to-image job: E = E_ref × (pixels / ref_pixels) × steps_ratio
    × outputs_count (linear in output pixels; every image of a grid counts).

    A job sampled in several passes (``step_pixels`` = Σ steps × pixels × batch) counts each
    pass at its own size instead: E = E_ref × step_pixels / (ref_pixels × ref_steps) for a
    measured model, E = E_band × step_pixels / (steps × ref_pixels) for the band (the passes'
    step-weighted pixels); outputs_count is then not applied (the passes are the whole job).
    Coefficients: image.model.<key>.{energy,width,height,steps} when the model is a measured
    open model (status modelled), else image.band.energy, image.ref.{width,height} (proxy).
    """
    point = match_point(registry.model_points.get("image", ()), sig.model)
    if point is not None:
        ref_px = float(point.width_px * point.height_px)
        steps, step_ids = steps_ratio(sig, point.steps, registry, closed=False)
        energy = registry.band(point.energy_id).times(steps)
        ids, method, status = point.coefficient_ids + step_ids, "image.model", Status.modelled
    else:
        ref_px = registry.value("image.ref.width") * registry.value("image.ref.height")
        energy = registry.band("image.band.energy")
        ids = ("image.band.energy", "image.ref.height", "image.ref.width")
        method, status = "image.band", Status.proxy
    if sig.step_pixels is not None and sig.steps:
        if point is not None:  # energy already carries steps / ref_steps: undo it per pass
            return Basis(registry.band(point.energy_id).scale(
                sig.step_pixels / (ref_px * point.steps)), "GPU", method, status, ids)  # fmt: skip
        weighted = sig.step_pixels / sig.steps
        return Basis(energy.scale(weighted / ref_px), "GPU", method, status, ids)
    pixels = sig.pixels if sig.pixels is not None else ref_px
    return Basis(energy.scale(pixels / ref_px * sig.outputs_count), "GPU", method, status, ids)


def upscale_output_px(sig: Signature, registry: Registry) -> tuple[float, tuple[str, ...]]:
    """Output pixels of an upscale: logged size, else reference image × scale².

    Coefficients: image.ref.width, image.ref.height, upscale.default_scale.
    """
    if sig.pixels is not None:
        return float(sig.pixels), ()
    ref_px = registry.value("image.ref.width") * registry.value("image.ref.height")
    ids: tuple[str, ...] = ("image.ref.height", "image.ref.width")
    scale = sig.scale_factor
    if scale is None:
        scale, ids = registry.value("upscale.default_scale"), (*ids, "upscale.default_scale")
    return ref_px * scale * scale, ids


def upscale_basis(sig: Signature, registry: Registry) -> Basis:
    """GPU energy of a diffusion upscale: E = output_MP × Wh/MP × denoise × steps_ratio × outputs.

    ``denoise`` is the logged creativity (0–1, kept within the upscale.denoise band) or the
    band itself; ``steps_ratio`` = steps / upscale.ref_steps when steps are logged, else 1.
    Coefficients: upscale.band.energy, upscale.denoise, upscale.ref_steps, upscale.default_scale.
    """
    pixels, ids = upscale_output_px(sig, registry)
    denoise = registry.band("upscale.denoise")
    if sig.creativity is not None:
        denoise = Band.point(min(max(sig.creativity, denoise.low), denoise.high))
    steps = ONE if sig.steps is None else sig.steps / registry.value("upscale.ref_steps")
    energy = registry.band("upscale.band.energy").times(denoise)
    factor = pixels / PX_PER_MP * steps * sig.outputs_count
    ids = (*ids, "upscale.band.energy", "upscale.denoise", "upscale.ref_steps")
    return Basis(energy.scale(factor), "GPU", "upscale.band", Status.proxy, tuple(sorted(ids)))


def audio_basis(sig: Signature, registry: Registry) -> Basis:
    """GPU energy of music or sound: E = Wh/audio_s × duration_s × outputs_count.

    Without a logged duration the modality's default duration band is used. Music LMs have no
    published measurement, so music is low_confidence; sound with a duration is proxy.
    Coefficients: audio.band.energy, music.default_duration_s, sound.default_duration_s.
    """
    ids = ["audio.band.energy"]
    if sig.duration_s is not None:
        duration = Band.point(sig.duration_s)
    else:
        default_id = f"{sig.modality}.default_duration_s"
        duration, ids = registry.band(default_id), [*ids, default_id]
    guessed = sig.modality == "music" or sig.duration_s is None
    status = Status.low_confidence if guessed else Status.proxy
    energy = registry.band("audio.band.energy").times(duration).scale(sig.outputs_count)
    return Basis(energy, "GPU", "audio.band", status, tuple(sorted(ids)))


def speech_basis(sig: Signature, registry: Registry) -> Basis:
    """GPU energy of speech or a voice clone (no TTS measurement exists: low_confidence).

    E = Wh/char × characters, else Wh/audio_s × duration_s, else Wh/char × default characters;
    × outputs_count. Coefficients: speech.band.energy, audio.band.energy,
    speech.default_characters.
    """
    ids: tuple[str, ...]
    if sig.characters is not None:
        energy = registry.band("speech.band.energy").scale(sig.characters)
        ids, method = ("speech.band.energy",), "speech.char_band"
    elif sig.duration_s is not None:
        energy = registry.band("audio.band.energy").scale(sig.duration_s)
        ids, method = ("audio.band.energy",), "speech.audio_band"
    else:
        chars = registry.band("speech.default_characters")
        energy = registry.band("speech.band.energy").times(chars)
        ids, method = ("speech.band.energy", "speech.default_characters"), "speech.char_band"
    return Basis(energy.scale(sig.outputs_count), "GPU", method, Status.low_confidence, ids)


def text_band_basis(sig: Signature, registry: Registry) -> Basis:
    """Facility energy of text prompts from per-prompt anchors: E = Wh/query × outputs_count.

    Coefficients: text.band.energy (Google median / OpenAI average / reasoning median).
    """
    energy = registry.band("text.band.energy").scale(sig.outputs_count)
    return Basis(energy, "FACILITY", "text.band", Status.proxy, ("text.band.energy",))


def measured_basis(sig: Signature) -> Basis:
    """A metered job: the measured energy is low, central and high (node or wall boundary).

    It covers the whole job, so outputs_count does not multiply it. Coefficients: none.
    """
    measured = sig.measured_energy_wh
    if measured is None:
        raise ValueError("measured_basis needs measured_energy_wh")
    return Basis(Band.point(measured), "NODE", "measured", Status.measured, ())


def text_basis(sig: Signature, registry: Registry, profile: PlatformProfile) -> Basis:
    """Text: EcoLogits ``llm_impacts`` when the provider, the model and tokens_out are known
    (status ecologits; EcoLogits' own PUE for the provider), else the per-prompt anchors.

    Coefficients: text.band.energy (fallback); EcoLogits models.json otherwise.
    """
    provider = profile.ecologits_provider
    if provider and sig.model and sig.tokens_out:
        region = resolve_region(sig, profile, registry)
        result = ecologits_bridge.llm(provider, sig.model, sig.tokens_out, region)
        if result is not None:
            n = sig.outputs_count
            return Basis(result.energy_wh.scale(n), "FACILITY", "text.ecologits", Status.ecologits,
                         (), embodied_g=result.embodied_g.scale(n),
                         embodied_adpe_kgsbeq=result.embodied_adpe_kgsbeq.scale(n))  # fmt: skip
    return text_band_basis(sig, registry)

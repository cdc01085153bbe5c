"""Energy methods for images, upscaling, audio, speech, text bands and measured jobs.

One formula per function; every number comes from the registry. Results are at the GPU,
NODE or FACILITY boundary (see :class:`estimators.basis.Basis`); ``impacts`` adds overheads.
"""

from __future__ import annotations

from estimators import ecologits_bridge
from estimators.basis import Basis, match_point, resolve_region, steps_ratio, unmatched_status
from estimators.coefficients import ModelPoint, PlatformProfile, Registry
from estimators.quantity import Status
from estimators.ranges import Range
from estimators.runs import run_factors
from estimators.signature import Signature
from estimators.units import NONE_COUNT, ONE, PX_PER_MP


def image_basis(sig: Signature, registry: Registry, profile: PlatformProfile) -> Basis:
    """GPU energy of a text/image-to-image job: E = E_ref × (pixels / ref_pixels) × steps_ratio
    × runs × outputs_count (linear in output pixels; every image of a grid counts).

    A job sampled in several passes (``step_pixels`` = Σ steps × pixels × batch) counts each
    pass at its own size instead: E = E_ref × step_pixels / (ref_pixels × ref_steps) for a
    measured model, E = E_band × step_pixels / (steps × ref_pixels) for the band (the passes'
    step-weighted pixels); outputs_count and extra passes are then not applied (the passes are
    the whole job).
    Coefficients: image.model.<key>.{energy,width,height,steps} and model.stack_spread when a
    route takes the model to a measured open model (status modelled), else image.band.energy,
    image.ref.{width,height} (proxy; fallback for a local or partly matched model).
    """
    point, reason = match_point(sig, registry, "image")
    runs, run_ids = run_factors(sig, registry)
    if point is not None:
        ref_px = float(point.width_px * point.height_px)
        steps, step_ids = steps_ratio(sig, point.steps, registry, closed=False)
        energy = registry.band(point.energy_id).times(steps)
        energy = energy.times(registry.band("model.stack_spread"))
        ids = (*point.coefficient_ids, *step_ids, "model.stack_spread")
        method, status = "image.model", Status.modelled
    else:
        ref_px = registry.value("image.ref.width") * registry.value("image.ref.height")
        energy = registry.band("image.band.energy")
        ids = ("image.band.energy", "image.ref.height", "image.ref.width")
        method, status = "image.band", unmatched_status(sig, profile, reason, Status.proxy)
    if sig.step_pixels is not None and sig.steps:
        return _passes_basis(sig, registry, point, energy, (ref_px, ids, method, status, reason))
    pixels = sig.pixels if sig.pixels is not None else ref_px
    return Basis(
        energy.times(runs).scale(pixels / ref_px * sig.outputs_count),
        "GPU",
        method,
        status,
        tuple(sorted({*ids, *run_ids})),
        reason=reason,
    )


def _passes_basis(
    sig: Signature,
    registry: Registry,
    point: ModelPoint | None,
    energy: Range,
    route: tuple[float, tuple[str, ...], str, Status, str],
) -> Basis:
    """A job sampled in several passes at its own sizes (``step_pixels``): for a measured model
    E = E_point × spread × step_pixels / (ref_pixels × ref_steps), else
    E = E_band × step_pixels / (steps × ref_pixels)."""
    ref_px, ids, method, status, reason = route
    step_pixels, steps = sig.step_pixels or NONE_COUNT, sig.steps or ONE
    if point is not None:  # energy already carries steps / ref_steps: undo it per pass
        per_pass = registry.band(point.energy_id).times(registry.band("model.stack_spread"))
        return Basis(
            per_pass.scale(step_pixels / (ref_px * point.steps)),
            "GPU",
            method,
            status,
            tuple(sorted(set(ids))),
            reason=reason,
        )
    return Basis(
        energy.scale(step_pixels / steps / ref_px),
        "GPU",
        method,
        status,
        tuple(sorted(set(ids))),
        reason=reason,
    )


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
        denoise = Range.point(min(max(sig.creativity, denoise.low), denoise.high))
    steps = ONE if sig.steps is None else sig.steps / registry.value("upscale.ref_steps")
    energy = registry.band("upscale.band.energy").times(denoise)
    factor = pixels / PX_PER_MP * steps * sig.outputs_count
    ids = (*ids, "upscale.band.energy", "upscale.denoise", "upscale.ref_steps")
    return Basis(energy.scale(factor), "GPU", "upscale.band", Status.proxy, tuple(sorted(ids)))


def audio_steps(sig: Signature, registry: Registry) -> tuple[Range, tuple[str, ...]]:
    """Denoising steps of an audio job: logged, else audio.steps.default (10 / 100 / 200)."""
    if sig.steps is not None:
        return Range.point(sig.steps), ()
    return registry.band("audio.steps.default"), ("audio.steps.default",)


def audio_duration(sig: Signature, registry: Registry) -> tuple[Range, tuple[str, ...]]:
    """Seconds of audio: logged, else the modality's default duration band."""
    if sig.duration_s is not None:
        return Range.point(sig.duration_s), ()
    default_id = f"{sig.modality}.default_duration_s"
    return registry.band(default_id), (default_id,)


def audio_model_basis(sig: Signature, registry: Registry, target: str) -> Basis:
    """GPU energy of a measured text-to-audio diffusion model (Passoni et al.): E = (fixed +
    steps × per_step) × duration / audio.ref_duration_s × spread × outputs_count.

    Coefficients: audio.model.<key>.{fixed,per_step}, audio.ref_duration_s, model.stack_spread,
    audio.steps.default and <modality>.default_duration_s when not logged.
    """
    steps, step_ids = audio_steps(sig, registry)
    duration, duration_ids = audio_duration(sig, registry)
    per_clip = steps.scale(registry.value(f"{target}.per_step")).plus(
        Range.point(registry.value(f"{target}.fixed"))
    )
    clips = duration.divided(registry.value("audio.ref_duration_s"))
    energy = per_clip.times(clips).times(registry.band("model.stack_spread"))
    ids = (
        f"{target}.fixed",
        f"{target}.per_step",
        "audio.ref_duration_s",
        "model.stack_spread",
        *step_ids,
        *duration_ids,
    )
    status = Status.modelled if not duration_ids else Status.low_confidence
    return Basis(energy.scale(sig.outputs_count), "GPU", "audio.model", status, tuple(sorted(ids)))


def audio_basis(sig: Signature, registry: Registry, profile: PlatformProfile) -> Basis:
    """GPU energy of music or sound. A measured diffusion model (data/routes.csv) → its own
    per-step series; music otherwise → the autoregressive audio band (music LMs such as Suno:
    no measurement, low_confidence); sound otherwise → the diffusion audio band.

    Coefficients: audio.model.*, audio_lm.band.energy, audio.band.energy, default durations.
    """
    found = registry.route(sig.model, sig.modality, "audio.model.")
    if found.route is not None:
        return audio_model_basis(sig, registry, found.route.target)
    duration, ids = audio_duration(sig, registry)
    if sig.modality == "music":
        energy = registry.band("audio_lm.band.energy").times(duration)
        ids, method, status = ("audio_lm.band.energy", *ids), "music.lm_band", Status.low_confidence
    else:
        energy = registry.band("audio.band.energy").times(duration)
        ids, method = ("audio.band.energy", *ids), "audio.band"
        status = unmatched_status(
            sig,
            profile,
            found.reason,
            Status.proxy if sig.duration_s is not None else Status.low_confidence,
        )
    return Basis(
        energy.scale(sig.outputs_count),
        "GPU",
        method,
        status,
        tuple(sorted(ids)),
        reason=found.reason,
    )


def speech_basis(sig: Signature, registry: Registry) -> Basis:
    """GPU energy of speech or a voice clone from the autoregressive audio band (neural TTS emits
    codec tokens like an LLM; no TTS measurement exists: low_confidence).

    E = Wh/char × characters, else Wh/audio_s × duration_s, else Wh/char × default characters;
    × outputs_count. Coefficients: speech.band.energy, audio_lm.band.energy,
    speech.default_characters.
    """
    ids: tuple[str, ...]
    if sig.characters is not None:
        energy = registry.band("speech.band.energy").scale(sig.characters)
        ids = ("speech.band.energy",)
    elif sig.duration_s is not None:
        energy = registry.band("audio_lm.band.energy").scale(sig.duration_s)
        ids = ("audio_lm.band.energy",)
    else:
        chars = registry.band("speech.default_characters")
        energy = registry.band("speech.band.energy").times(chars)
        ids = ("speech.band.energy", "speech.default_characters")
    return Basis(
        energy.scale(sig.outputs_count), "GPU", "speech.lm_band", Status.low_confidence, ids
    )


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
    return Basis(Range.point(measured), "NODE", "measured", Status.measured, ())


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
            return Basis(
                result.energy_wh.scale(n),
                "FACILITY",
                "text.ecologits",
                Status.ecologits,
                (),
                embodied_g=result.embodied_g.scale(n),
                embodied_adpe_kgsbeq=result.embodied_adpe_kgsbeq.scale(n),
                reason=ecologits_bridge.note(result),
            )
    return text_band_basis(sig, registry)

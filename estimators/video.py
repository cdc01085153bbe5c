"""Video energy: EcoLogits for covered models, measured open models, else the scaling model.

Scaling model (research coefficients.md §10.1): E = E_ref × (L / L_ref)^α × steps_ratio with
latent tokens L = (first + F / t_stride) · (H / s_stride) · (W / s_stride), F = frames.
Low/central/high are the formula evaluated at the coefficients' low/central/high values.
"""

from __future__ import annotations

from estimators import ecologits_bridge
from estimators.basis import Basis, match_point, resolve_region, steps_ratio, unmatched_status
from estimators.coefficients import ModelPoint, PlatformProfile, Registry
from estimators.quantity import Status
from estimators.ranges import power_range
from estimators.runs import run_factors
from estimators.signature import Signature

UNKNOWN = "unknown"
_TOKEN_IDS = ("video.tokens.first_frames", "video.tokens.space_stride", "video.tokens.time_stride")


def latent_tokens(width_px: float, height_px: float, frames: float, registry: Registry) -> float:
    """L = (first + F / t_stride) · (H / s_stride) · (W / s_stride), WAN-style latent tokens.

    Coefficients: video.tokens.first_frames, video.tokens.time_stride, video.tokens.space_stride.
    """
    space = registry.value("video.tokens.space_stride")
    time = registry.value("video.tokens.time_stride")
    first = registry.value("video.tokens.first_frames")
    return (first + frames / time) * (height_px / space) * (width_px / space)


def clip_frames(sig: Signature, registry: Registry, default_frames: float | None = None) -> float:
    """Frames of the clip: logged frames, else duration × fps (fps default video.fps.default),
    else ``default_frames`` (a measured model's own), else the reference duration × fps."""
    if sig.frames is not None:
        return float(sig.frames)
    fps = sig.fps if sig.fps is not None else registry.value("video.fps.default")
    if sig.duration_s is not None:
        return sig.duration_s * fps
    if default_frames is not None:
        return default_frames
    return registry.value("video.ref.duration_s") * fps


def _size(sig: Signature, width_px: float, height_px: float) -> tuple[float, float]:
    if sig.width is None or sig.height is None:
        return width_px, height_px
    return float(sig.width), float(sig.height)


def scaling_basis(
    sig: Signature,
    registry: Registry,
    *,
    status: Status = Status.proxy,
    method: str = "video.scaling",
    reason: str = "",
) -> Basis:
    """GPU energy from the reference-clip band: E = E_ref × (L/L_ref)^α × steps_ratio × runs ×
    outputs (runs: GPU split and extra passes, :func:`estimators.runs.run_factors`).

    Coefficients: video.band.energy, video.ref.{width,height,duration_s,steps}, video.alpha,
    video.steps_ratio (closed platforms), video.fps.default, video.tokens.*.
    """
    ref_w, ref_h = registry.value("video.ref.width"), registry.value("video.ref.height")
    ref_frames = registry.value("video.ref.duration_s") * registry.value("video.fps.default")
    width, height = _size(sig, ref_w, ref_h)
    ratio = latent_tokens(width, height, clip_frames(sig, registry), registry) / latent_tokens(
        ref_w, ref_h, ref_frames, registry
    )
    steps, step_ids = steps_ratio(sig, registry.value("video.ref.steps"), registry, closed=True)
    runs, run_ids = run_factors(sig, registry)
    energy = registry.band("video.band.energy").times(
        power_range(ratio, registry.band("video.alpha"))
    )
    ids = ("video.alpha", "video.band.energy", "video.fps.default", "video.ref.duration_s",
           "video.ref.height", "video.ref.steps", "video.ref.width", *step_ids, *_TOKEN_IDS,
           *run_ids)  # fmt: skip
    return Basis(
        energy.times(steps).times(runs).scale(sig.outputs_count),
        "GPU",
        method,
        status,
        tuple(sorted(set(ids))),
        reason=reason,
    )


def model_basis(sig: Signature, registry: Registry, point: ModelPoint) -> Basis:
    """Energy of a measured open model scaled to this clip: E = E_point × (L/L_point)^α ×
    steps/steps_point × spread × runs × outputs, at the measurement's boundary.

    Coefficients: video.model.<key>.*, video.alpha, video.fps.default, video.tokens.*,
    model.stack_spread (other hardware or serving stack), run factors.
    """
    width, height = _size(sig, point.width_px, point.height_px)
    frames = clip_frames(sig, registry, default_frames=point.frames)
    ratio = latent_tokens(width, height, frames, registry) / latent_tokens(
        point.width_px, point.height_px, point.frames or frames, registry
    )
    steps, _ = steps_ratio(sig, point.steps, registry, closed=False)
    runs, run_ids = run_factors(sig, registry)
    energy = registry.band(point.energy_id).times(power_range(ratio, registry.band("video.alpha")))
    energy = energy.times(registry.band("model.stack_spread")).times(runs)
    ids = (*point.coefficient_ids, "video.alpha", "video.fps.default", *_TOKEN_IDS,
           "model.stack_spread", *run_ids)  # fmt: skip
    return Basis(
        energy.times(steps).scale(sig.outputs_count),
        point.boundary,
        "video.model",
        Status.modelled,
        tuple(sorted(set(ids))),
    )


def ecologits_model(sig: Signature, registry: Registry) -> tuple[str, str] | None:
    """(EcoLogits model name, profile key that runs it) for the signature's model, if a route
    (data/routes.csv) takes it there."""
    found = registry.route(sig.model, sig.modality, "ecologits:")
    if found.route is None:
        return None
    name = found.route.target.removeprefix("ecologits:")
    owner = {e.name: e.runs_on for e in registry.ecologits_video}[name]
    return name, owner


def ecologits_basis(sig: Signature, registry: Registry, name: str, runs_on: str) -> Basis | None:
    """Facility energy and embodied impacts from EcoLogits ``video_impacts`` × outputs_count.

    Region, PUE and WUE are ours (the profile that runs the model, or the region override).
    Coefficients: platform.<key>.pue, platform.<key>.wue, video.fps.default, video.ref.*.
    """
    profile: PlatformProfile = registry.platforms[runs_on]
    width, height = _size(
        sig, registry.value("video.ref.width"), registry.value("video.ref.height")
    )
    fps = sig.fps if sig.fps is not None else registry.value("video.fps.default")
    duration = sig.duration_s if sig.duration_s is not None else clip_frames(sig, registry) / fps
    result = ecologits_bridge.video(
        name,
        int(width),
        int(height),
        float(duration),
        True if sig.with_audio is None else sig.with_audio,
        resolve_region(sig, profile, registry),
        (profile.pue.low, profile.pue.high),
        (profile.wue.low, profile.wue.high),
    )
    if result is None:
        return None
    n = sig.outputs_count
    ids = (profile.pue_id, profile.wue_id, "video.fps.default", "video.ref.duration_s",
           "video.ref.height", "video.ref.width")  # fmt: skip
    return Basis(
        result.energy_wh.scale(n),
        "FACILITY",
        "video.ecologits",
        Status.ecologits,
        tuple(sorted(ids)),
        runs_on=runs_on,
        embodied_g=result.embodied_g.scale(n),
        embodied_adpe_kgsbeq=result.embodied_adpe_kgsbeq.scale(n),
        reason=ecologits_bridge.note(result),
    )


def video_basis(sig: Signature, registry: Registry, profile: PlatformProfile) -> Basis:
    """Choose the video method: local runs prefer measured open models; cloud platforms prefer
    EcoLogits; both fall back to the other, then to the reference-clip scaling model.

    An EcoLogits model runs where its owner computes (``runs_on``), except on a local machine or
    when the owner is unknown: then the platform of the log is used.
    """
    point, reason = match_point(sig, registry, "video")
    if profile.kind == "local" and point is not None:
        return model_basis(sig, registry, point)
    covered = ecologits_model(sig, registry)
    if covered is not None:
        name, owner = covered
        runs_on = profile.key if profile.kind == "local" or owner == UNKNOWN else owner
        basis = ecologits_basis(sig, registry, name, runs_on)
        if basis is not None:
            return basis
    if point is not None:
        return model_basis(sig, registry, point)
    status = unmatched_status(sig, profile, reason, Status.proxy)
    return scaling_basis(sig, registry, status=status, reason=reason)

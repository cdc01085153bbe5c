"""From a Signature to energy, carbon, water and abiotic-resource estimates.

    facility energy  E_fac = E_gpu × M (cloud) | E_gpu × node/GPU × PUE (local)
                           | E_node × PUE | E_fac (EcoLogits, text anchors)
    embodied         GPU-hours × gCO2e/GPU_h, GPU-hours = E_gpu / P_avg   (or EcoLogits')
    carbon           E_fac × grid gCO2e/kWh + embodied
    water            E_fac / PUE × WUE_on-site + E_fac × EWIF_off-site     (Li et al. form; PUE
                     corner by corner, as EcoLogits applies it)
    ADPe             E_fac × kgSbeq/kWh + GPU-hours × kgSbeq/GPU_h          (or EcoLogits')

Each is evaluated at the low, central and high corners (see :mod:`estimators.ranges`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from estimators.basis import Basis, resolve_region
from estimators.coefficients import PlatformProfile, Registry
from estimators.errors import SignatureError
from estimators.methods import (
    audio_basis,
    image_basis,
    measured_basis,
    speech_basis,
    text_basis,
    upscale_basis,
)
from estimators.quantity import Estimate, Status
from estimators.ranges import Range
from estimators.runs import ended_basis
from estimators.signature import Signature
from estimators.units import (
    ADPE_UNIT,
    CARBON_UNIT,
    ENERGY_UNIT,
    ONE,
    W_PER_KW,
    WATER_UNIT,
    WH_PER_KWH,
)
from estimators.video import scaling_basis, video_basis

#: The job status that costs a full run without a rule lookup (the common case).
SUCCEEDED = "succeeded"


@dataclass(frozen=True)
class Impacts:
    """Footprint of one generation (all its outputs), each quantity low/central/high."""

    energy_wh: Estimate
    carbon_g: Estimate
    water_l: Estimate
    adpe_kgsbeq: Estimate
    embodied_g: Estimate
    region: str
    method: str
    status: Status
    coefficient_ids: tuple[str, ...]
    run: str = "full"
    reason: str = ""


def energy_basis(sig: Signature, registry: Registry, profile: PlatformProfile) -> Basis:
    """The energy of the job as it ended (:func:`estimators.runs.ended_basis`) by the method of
    its modality and route; a metered job is what its meter says, however it ended."""
    if sig.measured_energy_wh is not None:
        return measured_basis(sig)
    if sig.job_status == SUCCEEDED:
        return run_basis(sig, registry, profile)
    whole = replace(sig, outputs_count=max(sig.outputs_count, ONE))
    return ended_basis(run_basis(whole, registry, profile), sig, registry)


def run_basis(sig: Signature, registry: Registry, profile: PlatformProfile) -> Basis:
    """The energy method of a full run of this signature (before overheads)."""
    modality = sig.modality
    if modality in ("image", "image_edit"):
        return image_basis(sig, registry, profile)
    if modality in ("video", "video_edit"):
        return video_basis(sig, registry, profile)
    if modality == "lipsync":
        return scaling_basis(
            sig, registry, status=Status.low_confidence, method="lipsync.video_band"
        )
    if modality == "upscale":
        return upscale_basis(sig, registry)
    if modality in ("music", "sound"):
        return audio_basis(sig, registry, profile)
    if modality in ("speech", "voice_clone"):
        return speech_basis(sig, registry)
    if modality == "text":
        return text_basis(sig, registry, profile)
    raise SignatureError(
        f"modality: cannot estimate {modality!r}; allowed: audio and speech kinds, image, "
        "image_edit, lipsync, text, upscale, video, video_edit"
    )


def facility_energy(
    basis: Basis, profile: PlatformProfile, registry: Registry
) -> tuple[Range, tuple[str, ...]]:
    """Facility energy (Wh) from a basis at any boundary, and the coefficients used.

    Coefficients: overhead.gpu_to_facility (cloud GPU figures), overhead.node_over_gpu and
    platform.<key>.pue (local GPU figures), platform.<key>.pue (NODE figures).
    """
    pue = profile.pue.band
    if basis.boundary == "FACILITY":
        return basis.energy_wh, ()
    if basis.boundary == "NODE":
        return basis.energy_wh.times(pue), (profile.pue_id,)
    if profile.kind == "local":
        node = basis.energy_wh.times(registry.band("overhead.node_over_gpu"))
        return node.times(pue), ("overhead.node_over_gpu", profile.pue_id)
    return basis.energy_wh.times(registry.band("overhead.gpu_to_facility")), (
        "overhead.gpu_to_facility",
    )


def gpu_energy(basis: Basis, registry: Registry) -> tuple[Range, tuple[str, ...]]:
    """GPU energy (Wh) behind a basis, for GPU-hours: NODE ÷ node/GPU, FACILITY ÷ M.

    Coefficients: overhead.node_over_gpu, overhead.gpu_to_facility.
    """
    if basis.boundary == "GPU":
        return basis.energy_wh, ()
    ratio_id = "overhead.node_over_gpu" if basis.boundary == "NODE" else "overhead.gpu_to_facility"
    return basis.energy_wh.over(registry.band(ratio_id)), (ratio_id,)


def embodied(basis: Basis, registry: Registry) -> tuple[Range, Range, tuple[str, ...]]:
    """Embodied (gCO2e, kgSbeq): EcoLogits' when given, else GPU-hours × per-GPU-hour factors.

    GPU-hours = E_gpu / (P_avg × 1000). Coefficients: gpu.power, embodied.gpu_hour,
    embodied.adpe_gpu_hour.
    """
    if basis.embodied_g is not None and basis.embodied_adpe_kgsbeq is not None:
        return basis.embodied_g, basis.embodied_adpe_kgsbeq, ()
    gpu_wh, ids = gpu_energy(basis, registry)
    hours = gpu_wh.over(registry.band("gpu.power").scale(W_PER_KW))
    ids = (*ids, "embodied.adpe_gpu_hour", "embodied.gpu_hour", "gpu.power")
    return (
        hours.times(registry.band("embodied.gpu_hour")),
        hours.times(registry.band("embodied.adpe_gpu_hour")),
        ids,
    )


def _estimates(basis: Basis, profile: PlatformProfile, region: str, registry: Registry) -> Impacts:
    energy, energy_ids = facility_energy(basis, profile, registry)
    embodied_g, embodied_adpe, embodied_ids = embodied(basis, registry)
    energy_kwh = energy.divided(WH_PER_KWH)
    grid = {kind: f"grid.{kind}.{region}" for kind in ("carbon", "water", "adpe")}
    carbon = energy_kwh.scale(registry.value(grid["carbon"])).plus(embodied_g)
    water = (
        it_energy(energy_kwh, profile.pue.band)
        .times(profile.wue.band)
        .plus(energy_kwh.scale(registry.value(grid["water"])))
    )
    adpe = energy_kwh.scale(registry.value(grid["adpe"])).plus(embodied_adpe)
    base = (*basis.coefficient_ids, *energy_ids)
    status = basis.status

    def est(band: Range, unit: str, *extra: str) -> Estimate:
        return Estimate(band, unit, status, tuple(sorted(set((*base, *extra)))))

    estimates = (
        est(energy, ENERGY_UNIT),
        est(carbon, CARBON_UNIT, grid["carbon"], *embodied_ids),
        est(water, WATER_UNIT, grid["water"], profile.pue_id, profile.wue_id),
        est(adpe, ADPE_UNIT, grid["adpe"], *embodied_ids),
        Estimate(embodied_g, CARBON_UNIT, status, tuple(sorted(embodied_ids))),
    )
    every = sorted({cid for e in estimates for cid in e.coefficient_ids})
    return Impacts(
        *estimates,
        region=region,
        method=basis.method,
        status=status,
        coefficient_ids=tuple(every),
        run=basis.run,
        reason=basis.reason,
    )


def it_energy(facility: Range, pue: Range) -> Range:
    """IT energy E_fac / PUE corner by corner: low and high are EcoLogits' E_server at its min
    and max PUE exactly; the central value (central energy over central PUE) is kept between
    them when the two centrals disagree (EcoLogits' central is the mean of its corners).
    A point energy over a PUE band (a metered cloud job) keeps the corners in order too."""
    low, high = sorted((facility.low / pue.low, facility.high / pue.high))
    return Range(low, min(max(facility.central / pue.central, low), high), high)


def estimate(sig: Signature, registry: Registry) -> Impacts:
    """Impacts of ONE generation including all its outputs (linear in outputs_count, except a
    measured job whose meter already covers everything)."""
    profile = registry.platform(sig.platform)
    basis = energy_basis(sig, registry, profile)
    if basis.runs_on is not None:
        profile = registry.platforms[basis.runs_on]
    return _estimates(basis, profile, resolve_region(sig, profile, registry), registry)


def estimate_many(sigs: Iterable[Signature], registry: Registry) -> dict[Signature, Impacts]:
    """Impacts per distinct signature, each computed once (EcoLogits at most once per signature)."""
    out: dict[Signature, Impacts] = {}
    for sig in sigs:
        if sig not in out:
            out[sig] = estimate(sig, registry)
    return out

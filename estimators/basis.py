"""What an energy method returns, before data-centre overheads and grid factors."""

from __future__ import annotations

from dataclasses import dataclass

from estimators.coefficients import ModelPoint, PlatformProfile, Registry
from estimators.quantity import Status
from estimators.ranges import Range
from estimators.routing import NO_ROUTE
from estimators.signature import Signature
from estimators.units import ONE

#: ISO-like code of the world-average grid, the fallback region.
WORLD = "WOR"


@dataclass(frozen=True)
class Basis:
    """Energy of one generation (all outputs) at a stated boundary.

    ``boundary`` is GPU (accelerators only), NODE (whole machine) or FACILITY (with the data
    centre's overhead). Methods that get embodied impacts elsewhere (EcoLogits) set
    ``embodied_g`` and ``embodied_adpe_kgsbeq``; otherwise they come from GPU-hours. ``run``
    says how much of a run the job cost (``full``, ``pending``, ``failed.elapsed``...:
    :mod:`estimators.runs`); ``reason`` why a named model got no route of its own.
    """

    energy_wh: Range
    boundary: str
    method: str
    status: Status
    coefficient_ids: tuple[str, ...]
    runs_on: str | None = None
    embodied_g: Range | None = None
    embodied_adpe_kgsbeq: Range | None = None
    run: str = "full"
    reason: str = ""


def match_point(sig: Signature, registry: Registry, modality: str) -> tuple[ModelPoint | None, str]:
    """The measured open model ``sig.model`` routes to (data/routes.csv), or the reason why none."""
    found = registry.route(sig.model, sig.modality, f"{modality}.model.")
    if found.route is None:
        return None, found.reason
    return registry.point(found.route.target), ""


def unmatched_status(
    sig: Signature, profile: PlatformProfile, reason: str, default: Status
) -> Status:
    """``fallback`` for a named model no route takes on one's own machine, or whose family is
    measured at another size or version; else the modality's band status (``default``)."""
    partial = bool(sig.model) and not reason.startswith(NO_ROUTE)
    return Status.fallback if sig.model and (profile.kind == "local" or partial) else default


def steps_ratio(
    sig: Signature, reference_steps: float, registry: Registry, *, closed: bool
) -> tuple[Range, tuple[str, ...]]:
    """Steps relative to the reference: exact when logged; else the closed-platform band
    (``video.steps_ratio``) for closed services, or 1 (model defaults) for open models."""
    if sig.steps is not None:
        return Range.point(sig.steps / reference_steps), ()
    if closed:
        return registry.band("video.steps_ratio"), ("video.steps_ratio",)
    return Range.point(ONE), ()


def resolve_region(sig: Signature, profile: PlatformProfile, registry: Registry) -> str:
    """Where the job computed: the signature's override, else the platform's country, else the
    world (WOR). A country without grid factors in the registry also falls back to WOR."""
    region = sig.region or profile.country or WORLD
    return region if region in registry.grid else WORLD

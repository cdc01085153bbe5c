"""What an energy method returns, before data-centre overheads and grid factors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from estimators.band import Band
from estimators.coefficients import ModelPoint, PlatformProfile, Registry, normalise_name
from estimators.quantity import Status
from estimators.signature import Signature
from estimators.units import ONE

T = TypeVar("T")

#: ISO-like code of the world-average grid, the fallback region.
WORLD = "WOR"


@dataclass(frozen=True)
class Basis:
    """Energy of one generation (all outputs) at a stated boundary.

    ``boundary`` is GPU (accelerators only), NODE (whole machine) or FACILITY (with the data
    centre's overhead). Methods that get embodied impacts elsewhere (EcoLogits) set
    ``embodied_g`` and ``embodied_adpe_kgsbeq``; otherwise they come from GPU-hours.
    """

    energy_wh: Band
    boundary: str
    method: str
    status: Status
    coefficient_ids: tuple[str, ...]
    runs_on: str | None = None
    embodied_g: Band | None = None
    embodied_adpe_kgsbeq: Band | None = None


def best_alias(model: str | None, candidates: Iterable[tuple[Iterable[str], T]]) -> T | None:
    """The candidate whose longest normalised alias occurs in ``model`` (first one on ties)."""
    if not model:
        return None
    name = normalise_name(model)
    hits = [
        (len(key), -order, item)
        for order, (aliases, item) in enumerate(candidates)
        for key in map(normalise_name, aliases)
        if key and key in name
    ]
    if not hits:
        return None
    _, _, item = max(hits, key=lambda hit: (hit[0], hit[1]))
    return item


def match_point(points: tuple[ModelPoint, ...], model: str | None) -> ModelPoint | None:
    """The measured open model named in ``model`` (e.g. a ComfyUI checkpoint file), if any."""
    return best_alias(model, ((p.aliases, p) for p in points))


def steps_ratio(sig: Signature, reference_steps: float, registry: Registry, *,
                closed: bool) -> tuple[Band, tuple[str, ...]]:  # fmt: skip
    """Steps relative to the reference: exact when logged; else the closed-platform band
    (``video.steps_ratio``) for closed services, or 1 (model defaults) for open models."""
    if sig.steps is not None:
        return Band.point(sig.steps / reference_steps), ()
    if closed:
        return registry.band("video.steps_ratio"), ("video.steps_ratio",)
    return Band.point(ONE), ()


def resolve_region(sig: Signature, profile: PlatformProfile, registry: Registry) -> str:
    """Where the job computed: the signature's override, else the platform's country, else the
    world (WOR). A country without grid factors in the registry also falls back to WOR."""
    region = sig.region or profile.country or WORLD
    return region if region in registry.grid else WORLD

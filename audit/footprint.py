"""Estimate stage: every generation's energy, carbon, water and ADPe, from the estimators library.

Generations are reduced to their :class:`~estimators.signature.Signature` (what the estimate depends
on); each distinct signature is estimated once and the results are joined back, so a million records
cost a few thousand estimator calls, never one EcoLogits call per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from audit.errors import DataError
from audit.models import DEPARTMENT_BY_MODALITY, Generation
from audit.production import Production
from audit.resources import data_dir
from estimators.coefficients import Registry, load_registry
from estimators.errors import EstimatorError
from estimators.impacts import Impacts, estimate_many
from estimators.signature import Signature

#: Impact columns of the per-generation table: (prefix, Impacts attribute, unit).
IMPACTS: tuple[tuple[str, str, str], ...] = (
    ("energy_wh", "energy_wh", "Wh"),
    ("carbon_g", "carbon_g", "gCO2e"),
    ("water_l", "water_l", "L"),
    ("adpe_kgsbeq", "adpe_kgsbeq", "kgSbeq"),
)
BOUNDS = ("low", "central", "high")
VALUE_COLUMNS = [f"{prefix}_{bound}" for prefix, _, _ in IMPACTS for bound in BOUNDS]


def registry(folder: Path | None = None) -> Registry:
    """The coefficient registry shipped in data/ (our own data: a load error is a DataError)."""
    try:
        return load_registry(folder or data_dir())
    except (EstimatorError, OSError) as exc:
        raise DataError(f"coefficient registry: {exc}") from exc


def _flag(value: object) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    return str(value).lower() in {"on", "true", "1", "yes"}


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).lower().rstrip("x"))
    except ValueError:
        return None


#: Magnific's ``creativity`` is an integer from -10 to 10, default 0 (Freepik API reference,
#: image-upscaler creative; ComfyUI MagnificImageUpscalerCreativeNode docs). Mapped linearly to the
#: 0–1 denoise strength the upscale method takes: -10 → 0, 0 → 0.5, 10 → 1 (an assumption).
MAGNIFIC_CREATIVITY = (-10.0, 10.0)


def creativity_strength(platform: str, value: object) -> float | None:
    """A platform's creativity setting as a 0–1 denoise strength."""
    number = _number(value)
    if number is None:
        return None
    if platform == "magnific":
        low, high = MAGNIFIC_CREATIVITY
        return min(max((number - low) / (high - low), 0.0), 1.0)
    return number


#: Signature fields no estimator method reads today: left empty, so that records differing only in
#: them share one estimate (a property test checks that emptying them never changes an estimate).
UNREAD_FIELDS = ("task", "tokens_in", "mode")


def signature(gen: Generation, production: Production) -> Signature:
    """What an estimate of ``gen`` depends on, and nothing else (see :data:`UNREAD_FIELDS`)."""
    attrs = gen.attributes
    region = production.compute_regions.get(gen.platform) or gen.region
    return Signature(
        platform=gen.platform,
        modality=gen.modality.value,
        model=gen.model,
        width=gen.width,
        height=gen.height,
        duration_s=gen.duration_s,
        fps=gen.fps,
        frames=gen.frames,
        steps=gen.steps,
        outputs_count=gen.outputs_count,
        characters=gen.characters,
        tokens_out=gen.tokens_out,
        measured_energy_wh=gen.measured_energy_wh,
        with_audio=_flag(attrs.get("with_audio")),
        scale_factor=_number(attrs.get("scale_factor")),
        creativity=creativity_strength(gen.platform, attrs.get("creativity")),
        region=region,
    )


@dataclass
class Footprint:
    """Per-generation impacts (one row per generation) and the impacts of each signature."""

    table: pd.DataFrame
    by_signature: dict[Signature, Impacts]
    registry: Registry

    def coefficient_ids(self) -> list[str]:
        ids = {cid for impacts in self.by_signature.values() for cid in impacts.coefficient_ids}
        return sorted(ids)


def _impact_row(impacts: Impacts) -> dict[str, object]:
    row: dict[str, object] = {}
    for prefix, attr, _ in IMPACTS:
        est = getattr(impacts, attr)
        row.update(
            {f"{prefix}_low": est.low, f"{prefix}_central": est.central, f"{prefix}_high": est.high}
        )
    row.update(
        estimate_status=impacts.status.value,
        method=impacts.method,
        region=impacts.region,
        coefficient_ids=";".join(impacts.coefficient_ids),
    )
    return row


#: Columns of the per-generation table, in order.
TABLE_COLUMNS = [
    "id", "platform", "model", "modality", "department", "outputs_count", "shot_id", "kept",
    "source_file", "source_locator", *VALUE_COLUMNS, "estimate_status", "method", "region",
    "coefficient_ids",
]  # fmt: skip


def _signature_key(gen: Generation, production: Production) -> tuple[object, ...]:
    """Everything :func:`signature` reads, as a hashable key (equal keys, equal signatures)."""
    attrs = gen.attributes
    extra = (
        (attrs.get("with_audio"), attrs.get("scale_factor"), attrs.get("creativity"))
        if attrs else None
    )  # fmt: skip
    return (
        gen.platform, gen.modality, gen.model, gen.width, gen.height, gen.duration_s,
        gen.fps, gen.frames, gen.steps, gen.outputs_count, gen.characters, gen.tokens_out, gen.measured_energy_wh, production.compute_regions.get(gen.platform)
        or gen.region, extra,
    )  # fmt: skip


def _signatures(
    gens: list[Generation], production: Production
) -> tuple[list[Signature], list[int]]:
    """Distinct signatures, and for each generation the position of its own among them."""
    positions: dict[tuple[object, ...], int] = {}
    distinct: list[Signature] = []
    which: list[int] = []
    for gen in gens:
        key = _signature_key(gen, production)
        at = positions.get(key)
        if at is None:
            at = positions[key] = len(distinct)
            distinct.append(signature(gen, production))
        which.append(at)
    return distinct, which


def estimate_generations(
    generations: Iterable[Generation], production: Production, reg: Registry | None = None
) -> Footprint:
    """Estimate every generation once per distinct signature and join the results back."""
    reg = reg or registry()
    gens = list(generations)
    if not gens:
        return Footprint(pd.DataFrame([], columns=TABLE_COLUMNS), {}, reg)
    distinct, which = _signatures(gens, production)
    by_signature = estimate_many(distinct, reg)
    impacts = pd.DataFrame([_impact_row(by_signature[sig]) for sig in distinct])
    modality = [gen.modality.value for gen in gens]
    columns: dict[str, object] = {
        "id": [gen.id for gen in gens],
        "platform": [gen.platform for gen in gens],
        "model": [gen.model or "" for gen in gens],
        "modality": modality,
        "department": [DEPARTMENT_BY_MODALITY[m] for m in modality],
        "outputs_count": [gen.outputs_count for gen in gens],
        "shot_id": [gen.shot_id or "" for gen in gens],
        "kept": [bool(gen.kept) for gen in gens],
        "source_file": [gen.source_file for gen in gens],
        "source_locator": [gen.source_locator for gen in gens],
    }
    joined = impacts.iloc[which].reset_index(drop=True)
    columns.update({name: joined[name] for name in joined.columns})
    table = pd.DataFrame(columns, columns=TABLE_COLUMNS)
    return Footprint(table, by_signature, reg)

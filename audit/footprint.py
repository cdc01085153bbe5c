"""Estimate stage: every generation's energy, carbon, water and ADPe, from the estimators library.

Generations are reduced to their :class:`~estimators.signature.Signature` (what the estimate depends
on); each distinct signature is estimated once and the results are joined back, so a million records
cost a few thousand estimator calls, never one EcoLogits call per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from audit.errors import DataError, InputError
from audit.gentable import SIGNATURE_ATTRIBUTES, GenTable
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
    """The coefficient registry shipped in data/ (our own data: a load error is a DataError).
    Loaded once per folder and process (``whatif`` and ``compare`` estimate several times)."""
    return _registry((folder or data_dir()).resolve())


@cache
def _registry(folder: Path) -> Registry:
    try:
        return load_registry(folder)
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


def _amount(value: object) -> float | None:
    """A positive finite number (``step_pixels`` of a multi-pass ComfyUI graph), else None."""
    number = _number(value)
    return number if number is not None and 0 < number < float("inf") else None


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


def _count(value: object) -> int | None:
    number = _number(value)
    return None if number is None or number < 0 else int(number)


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
        step_pixels=_amount(attrs.get("step_pixels")),
        job_status=gen.status.value,
        elapsed_s=_elapsed(attrs.get("elapsed_s")),
        gpu=gen.hardware,
        gpu_count=_count(attrs.get("gpu_count")),
        extra_passes=_count(attrs.get("extra_passes")),
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
        run=impacts.run,
        region=impacts.region,
        coefficient_ids=";".join(impacts.coefficient_ids),
        route_note=impacts.reason,
    )
    return row


#: Columns of the per-generation table, in order.
TABLE_COLUMNS = [
    "id", "platform", "model", "modality", "department", "outputs_count", "shot_id", "kept",
    "source_file", "source_locator", *VALUE_COLUMNS, "estimate_status", "method", "run", "region",
    "coefficient_ids", "route_note",
]  # fmt: skip


_INT_FIELDS = ("width", "height", "frames", "steps", "outputs_count", "characters", "tokens_out")
_FLOAT_FIELDS = ("duration_s", "fps", "measured_energy_wh")
#: Columns an estimate depends on (rows equal in all of them share one signature).
_KEY_COLUMNS = (
    "platform", "modality", "model", *_INT_FIELDS, *_FLOAT_FIELDS, "attr_with_audio",
    "attr_scale_factor", "attr_creativity", "attr_step_pixels", "has_attributes", "status",
    "hardware", "attr_elapsed_s", "attr_gpu_count", "attr_extra_passes",
)  # fmt: skip


def check_platforms(platforms: list[str], files: list[str], locators: list[str],
                    reg: Registry) -> None:  # fmt: skip
    """Every platform key is one the registry knows (``empreinte platforms``): an unknown key is
    an input error naming the first record that carries it and the valid keys."""
    for platform, file, locator in zip(platforms, files, locators, strict=True):
        if reg.platform_key(platform) is None:
            raise InputError("unknown platform key", file=file, locator=locator, field="platform",
                             value=platform, choices=sorted(reg.platforms))  # fmt: skip


def _regions(table: GenTable, production: Production) -> np.ndarray:
    """Where each generation ran: the production's setting for its platform, else its own."""
    codes, platforms = pd.factorize(table.column("platform"))
    chosen = [production.compute_regions.get(p) or None for p in platforms.tolist()]
    override = np.asarray([*chosen, None], dtype=object)[codes]
    return np.where(pd.notna(override), override, table.column("region"))


def _row_signature(row: dict[str, Any], region: object) -> Signature:
    """The :class:`Signature` of one table row (same as :func:`signature` of its record)."""
    platform = row["platform"]

    def whole(name: str) -> int | None:
        value = row[name]
        return None if value != value else int(value)

    def real(name: str) -> float | None:
        value = row[name]
        return None if value != value else float(value)

    return Signature(
        platform=platform, modality=row["modality"], model=row["model"],
        width=whole("width"), height=whole("height"), duration_s=real("duration_s"),
        fps=real("fps"), frames=whole("frames"), steps=whole("steps"),
        outputs_count=whole("outputs_count") or 0, characters=whole("characters"),
        tokens_out=whole("tokens_out"), measured_energy_wh=real("measured_energy_wh"),
        with_audio=_flag(row["attr_with_audio"]), scale_factor=_number(row["attr_scale_factor"]),
        creativity=creativity_strength(platform, row["attr_creativity"]),
        region=None if region is None or region != region else str(region),
        step_pixels=_amount(row["attr_step_pixels"]),
        job_status=row["status"], elapsed_s=_elapsed(row["attr_elapsed_s"]),
        gpu=row["hardware"] if isinstance(row["hardware"], str) else None,
        gpu_count=_count(row["attr_gpu_count"]), extra_passes=_count(row["attr_extra_passes"]),
    )  # fmt: skip


def _elapsed(value: object) -> float | None:
    number = _number(value)
    return number if number is not None and number >= 0 else None


def _signatures(table: GenTable, production: Production) -> tuple[list[Signature], np.ndarray]:
    """Distinct signatures, and for each row the position of its own among them."""
    regions = _regions(table, production)
    codes = [table.codes_of(name) for name in _KEY_COLUMNS]
    codes.append(pd.factorize(regions)[0])
    which = _combined(codes)
    first = np.unique(which, return_index=True)[1]
    picked = {name: table.column(name)[first].tolist() for name in _KEY_COLUMNS}
    rows = [{name: picked[name][k] for name in _KEY_COLUMNS} for k in range(len(first))]
    distinct = [
        _row_signature(row, regions[k]) for row, k in zip(rows, first.tolist(), strict=True)
    ]
    return distinct, which


def _combined(codes: list[np.ndarray]) -> np.ndarray:
    """One code per distinct combination of the columns' codes, in order of first appearance."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1
    for column in codes:
        radix = int(column.max()) + 2
        if span * radix >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
            span = int(key.max()) + 1
        key = key * radix + (column + 1)
        span *= radix
    return pd.factorize(key)[0].astype(np.int64)


def estimate_table(
    table: GenTable,
    shot_ids: np.ndarray,
    kept: np.ndarray,
    production: Production,
    reg: Registry | None = None,
) -> Footprint:
    """Estimate every row once per distinct signature and join the results back.

    ``shot_ids`` and ``kept`` are the linking of each row (None / False when not linked)."""
    reg = reg or registry()
    if not len(table):
        return Footprint(pd.DataFrame([], columns=TABLE_COLUMNS), {}, reg)
    _, first = np.unique(table.codes_of("platform"), return_index=True)
    check_platforms(
        table.column("platform")[first].tolist(),
        table.column("source_file")[first].tolist(),
        table.column("source_locator")[first].tolist(),
        reg,
    )
    distinct, which = _signatures(table, production)
    modality = table.column("modality")
    codes, modalities = pd.factorize(modality)
    departments = np.asarray([DEPARTMENT_BY_MODALITY[m] for m in modalities], dtype=object)[codes]
    model = table.column("model")
    shots = np.where(pd.notna(shot_ids), shot_ids, "")
    columns: dict[str, object] = {
        "id": table.column("id"),
        "platform": table.column("platform"),
        "model": np.where(pd.notna(model), model, ""),
        "modality": modality,
        "department": departments,
        "outputs_count": table.column("outputs_count").astype(np.int64),
        "shot_id": shots,
        "kept": np.asarray(kept, dtype=bool),
        "source_file": table.column("source_file"),
        "source_locator": table.column("source_locator"),
    }
    return _footprint(columns, distinct, which, reg)


#: The record fields :func:`signature` reads, fetched together from a record's ``__dict__``.
_KEY_FIELDS = itemgetter(
    "platform", "modality", "model", "width", "height", "duration_s", "fps", "frames", "steps",
    "outputs_count", "characters", "tokens_out", "measured_energy_wh", "status", "hardware",
)  # fmt: skip


def _signature_key(gen: Generation, production: Production) -> tuple[object, ...]:
    """Everything :func:`signature` reads, as a hashable key (equal keys, equal signatures)."""
    fields = vars(gen)
    attrs = fields["attributes"]
    extra = tuple(map(attrs.get, SIGNATURE_ATTRIBUTES)) if attrs else None
    region = production.compute_regions.get(fields["platform"]) or fields["region"]
    return (*_KEY_FIELDS(fields), region, extra)


def _object_signatures(
    gens: list[Generation], production: Production
) -> tuple[list[Signature], list[int]]:
    """Distinct signatures of records, and for each record the position of its own."""
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
    """Estimate records (with ``shot_id``/``kept`` as linking set them), once per distinct
    signature. Records in hand are keyed row by row (one pass over each record is cheaper than
    turning them into columns first); :func:`estimate_table` does the same for a table."""
    reg = reg or registry()
    gens = list(generations)
    if not gens:
        return Footprint(pd.DataFrame([], columns=TABLE_COLUMNS), {}, reg)
    if any(reg.platform_key(p) is None for p in {gen.platform for gen in gens}):
        firsts = list({gen.platform: gen for gen in reversed(gens)}.values())
        check_platforms([g.platform for g in firsts], [g.source_file for g in firsts],
                        [g.source_locator for g in firsts], reg)  # fmt: skip
    distinct, which = _object_signatures(gens, production)
    modality = [gen.modality.value for gen in gens]
    columns: dict[str, object] = {
        "id": [gen.id for gen in gens],
        "platform": [gen.platform for gen in gens],
        "model": [gen.model or "" for gen in gens],
        "modality": modality,
        "department": [DEPARTMENT_BY_MODALITY[m] for m in modality],
        "outputs_count": np.asarray([gen.outputs_count for gen in gens], dtype=np.int64),
        "shot_id": [gen.shot_id or "" for gen in gens],
        "kept": np.asarray([bool(gen.kept) for gen in gens], dtype=bool),
        "source_file": [gen.source_file for gen in gens],
        "source_locator": [gen.source_locator for gen in gens],
    }
    return _footprint(columns, distinct, np.asarray(which, dtype=np.int64), reg)


def _footprint(
    columns: dict[str, object], distinct: list[Signature], which: np.ndarray, reg: Registry
) -> Footprint:
    """Estimate each distinct signature once and join the impacts back to every row."""
    by_signature = estimate_many(distinct, reg)
    impacts = pd.DataFrame([_impact_row(by_signature[sig]) for sig in distinct])
    others = [name for name in impacts.columns if name not in VALUE_COLUMNS]
    columns.update({name: impacts[name].to_numpy()[which] for name in others})
    # The twelve impact columns as one block, filled row by row as pandas lays a block out (one
    # contiguous row per column, so sums add in the same order); the others as they are.
    values = np.empty((len(VALUE_COLUMNS), len(which)))
    for k, name in enumerate(VALUE_COLUMNS):
        values[k] = impacts[name].to_numpy(dtype=np.float64)[which]
    frame = pd.concat(
        [
            pd.DataFrame({name: _kept_as_is(columns[name]) for name in columns}, copy=False),
            pd.DataFrame(values.T, columns=VALUE_COLUMNS, copy=False),
        ],
        axis=1,
    )
    return Footprint(frame[TABLE_COLUMNS], by_signature, reg)


def _kept_as_is(values: object) -> pd.Series:
    """A column as it is, without copy: text stays a NumPy object array (no conversion of a
    million cells to pandas' string type: the table is only read, grouped and written)."""
    array = np.asarray(values, dtype=object) if isinstance(values, list) else np.asarray(values)
    return pd.Series(array, dtype=array.dtype, copy=False)

"""What-if: the same production re-estimated under changed assumptions, against its baseline.

Changes apply to the columns of the generations' table before estimation (no record is built for
them); linking, estimation and aggregation are the pipeline's own pure functions, run again on the
changed table. Rights findings are the baseline's:
a what-if changes footprint assumptions, not who consented to what (see docs/classroom.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from audit.base.columns import IMPACT_NAMES, Impact
from audit.base.countries import alpha3
from audit.base.errors import ConfigError
from audit.base.gentable import GenTable, edited
from audit.ingest.registry import platforms
from audit.link.linker import link
from audit.pipeline import instance_ids, run_aggregate, run_estimate
from audit.report.audit_json import audit_document
from estimators.ranges import Range

if TYPE_CHECKING:
    from audit.link.result import LinkResult
    from audit.pipeline import AuditRun
    from estimators.coefficients import Registry

#: Roles of the allocations that make the kept chain (never thinned by ``--discard-ratio``).
KEPT_CHAIN = ("kept", "ancestor")
VIDEO_MODALITIES = ("video", "video_edit", "lipsync")
#: ``--resolution`` values: the short side of the frame, in pixels.
RESOLUTIONS = {"480p": 480, "540p": 540, "720p": 720, "1080p": 1080, "1440p": 1440, "2160p": 2160}
QUANTITIES: tuple[Impact, ...] = IMPACT_NAMES


@dataclass(frozen=True)
class Target:
    """A covered equivalent ``--platform SRC=KEY`` maps generations to (see docs/classroom.md)."""

    platform: str
    model: str
    modalities: tuple[str, ...]
    basis: str


#: Each target is a model the estimators cover with a published basis (data/platforms.yaml
#: ecologits_video_models, or a measured open model of data/coefficients.csv).
TARGETS: dict[str, Target] = {
    "veo": Target("google", "veo-3.1", ("video",), "EcoLogits google/veo-3.1"),
    "veo-fast": Target("google", "veo-3.1-fast", ("video",), "EcoLogits google/veo-3.1-fast"),
    "kling": Target("kling", "kling-v2.6", ("video",), "EcoLogits klingai/kling-v2.6"),
    "sora": Target("sora", "sora-2-pro", ("video",), "EcoLogits openai/sora-2-pro"),
    "runway": Target("runway", "gen-4.5", ("video",), "EcoLogits runway/gen-4.5"),
    "wan-local": Target(
        "comfyui", "wan2.1-i2v-14b", ("video",), "ML.ENERGY video.model.wan21t2v14b, local"
    ),
    "flux-local": Target("comfyui", "flux1-dev", ("image",), "ML.ENERGY image.model.flux1dev"),
    "sdxl-local": Target("comfyui", "sdxl", ("image",), "ML.ENERGY image.model.sdxl, local"),
    "midjourney": Target(
        "midjourney", "midjourney", ("image",), "reference image band (closed platform)"
    ),
}


@dataclass(frozen=True)
class WhatIf:
    """The changed assumptions; ``None`` or empty leaves the baseline's."""

    region: str | None = None
    platforms: tuple[tuple[str, str], ...] = ()
    discard_ratio: float | None = None
    resolution: str | None = None

    def describe(self) -> str:
        """A short, name-free description: ``region=FRA; platform kling=veo; …``."""
        parts = []
        if self.region:
            parts.append(f"region={self.region}")
        parts += [f"platform {src}={dst}" for src, dst in self.platforms]
        if self.discard_ratio is not None:
            parts.append(f"discard-ratio={self.discard_ratio:g}")
        if self.resolution:
            parts.append(f"resolution={self.resolution}")
        return "; ".join(parts) or "no change"

    def as_json(self) -> dict[str, Any]:
        """The what-if's settings as JSON (for --json and the written files)."""
        return {
            "region": self.region,
            "platforms": dict(self.platforms),
            "discard_ratio": self.discard_ratio,
            "resolution": self.resolution,
        }


@dataclass
class Changes:
    """What the what-if touched, counted for the reader."""

    removed: int = 0
    discarded: int = 0
    remapped: dict[str, int] = field(default_factory=dict)
    not_remapped: int = 0
    resized: int = 0
    unknown_size: int = 0
    region_platforms: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """What the what-if changed, counted, as JSON."""
        return {
            "discarded_generations": self.discarded,
            "removed_generations": self.removed,
            "remapped_generations": dict(sorted(self.remapped.items())),
            "not_remapped_other_modality": self.not_remapped,
            "resized_videos": self.resized,
            "videos_of_unknown_size": self.unknown_size,
            "region_platforms": self.region_platforms,
        }


def parse_region(value: str | None, registry: Registry) -> str | None:
    """The country code of ``--region`` (two or three letters), checked against the grid factors;
    None when not given."""
    if value is None:
        return None
    code = alpha3(value) or value.strip().upper()  # FR or FRA
    if code not in registry.grid:
        raise ConfigError(
            "no grid factors for this country", field="--region", value=value, choices=registry.grid
        )
    return code


def parse_platforms(values: Iterable[str], registry: Registry) -> tuple[tuple[str, str], ...]:
    """``SRC=TARGET`` pairs: SRC a platform key or alias (the platform registry's: ``veo``
    stays ``veo``, not the profile it computes on), TARGET a key of :data:`TARGETS`."""
    index = platforms()
    pairs: dict[str, str] = {}
    for raw in values:
        src, sep, dst = raw.partition("=")
        found = index.get(src.strip())
        if not sep or found is None or registry.platform_key(found.key) is None:
            raise ConfigError(
                "expected PLATFORM=TARGET with a known platform",
                field="--platform",
                value=raw,
                choices=index.platforms,
            )
        dst = dst.strip().lower()
        if dst not in TARGETS:
            raise ConfigError("unknown target", field="--platform", value=raw, choices=TARGETS)
        pairs[found.key] = dst
    return tuple(sorted(pairs.items()))


def parse_ratio(value: float | None) -> float | None:
    """``--discard-ratio`` checked to lie between 0 and 1; None when not given."""
    if value is None:
        return None
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ConfigError("must be between 0 and 1", field="--discard-ratio", value=value)
    return value


def parse_resolution(value: str | None) -> str | None:
    """``--resolution`` as a known resolution key (4k, uhd, hd and fullhd understood); None when not
    given."""
    if value is None:
        return None
    key = value.strip().lower()
    key = {"4k": "2160p", "uhd": "2160p", "hd": "720p", "fullhd": "1080p"}.get(key, key)
    if key not in RESOLUTIONS:
        raise ConfigError(
            "unknown resolution", field="--resolution", value=value, choices=RESOLUTIONS
        )
    return key


def discarded_rows(result: LinkResult) -> np.ndarray:
    """Table rows outside the kept chain (attempts, work that reached no shot), in id order."""
    frame = result.allocation_frame()
    in_chain = np.zeros(len(result.table), dtype=bool)
    in_chain[frame["row"].to_numpy()[frame["role"].isin(KEPT_CHAIN).to_numpy()]] = True
    rows = np.flatnonzero(~in_chain)
    order: np.ndarray = rows[np.argsort(result.table.column("id")[rows], kind="stable")]
    return order


def discarded_ids(result: LinkResult) -> list[str]:
    """Sorted ids of generations outside the kept chain (attempts, work that reached no shot)."""
    ids: list[str] = result.table.column("id")[discarded_rows(result)].tolist()
    return ids


def thinned(result: LinkResult, ratio: float, changes: Changes) -> set[str]:
    """Ids to drop so that ``ratio`` of the discarded generations stay, in every platform and
    modality alike (the first by sorted id of each group; each count rounds half up)."""
    rows = discarded_rows(result)
    groups = pd.DataFrame(
        {name: result.table.column(name)[rows] for name in ("platform", "modality")}
    ).groupby(["platform", "modality"], sort=False)
    rank = groups.cumcount().to_numpy()
    keep = np.floor(groups["platform"].transform("size").to_numpy() * ratio + 0.5)
    drop = result.table.column("id")[rows[rank >= keep]]
    changes.discarded = len(rows)
    changes.removed = len(drop)
    return set(drop.tolist())


def capped_sizes(
    width: np.ndarray, height: np.ndarray, short_side: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sizes no larger than ``short_side`` on their short side (aspect kept, even pixel counts),
    and which rows were resized; an unknown size (NaN) stays unknown."""
    short = np.fmin(width, height)
    resized = short > short_side  # NaN compares False
    factor = short_side / short[resized]
    width, height = width.copy(), height.copy()
    for side in (width, height):
        side[resized] = np.maximum(2.0, 2.0 * np.round(side[resized] * factor / 2))
    return width, height, resized


def capped_columns(table: GenTable, short_side: int, changes: Changes) -> dict[str, np.ndarray]:
    """Width and height of the video rows capped at ``short_side`` (counted in ``changes``)."""
    video = np.isin(table.column("modality"), VIDEO_MODALITIES)
    width, height = table.column("width"), table.column("height")
    changes.unknown_size += int((video & (np.isnan(width) | np.isnan(height))).sum())
    new_width, new_height, resized = capped_sizes(width, height, short_side)
    resized &= video
    changes.resized += int(resized.sum())
    return {
        "width": np.where(resized, new_width, width),
        "height": np.where(resized, new_height, height),
    }


def remapped_columns(
    table: GenTable, pairs: dict[str, str], changes: Changes
) -> dict[str, np.ndarray]:
    """Platform and model of the rows ``--platform`` moves to a covered equivalent (counted in
    ``changes``; a row of a modality the target does not make stays)."""
    platform, modality = table.column("platform"), table.column("modality")
    new_platform, new_model = platform.copy(), table.column("model").copy()
    codes, names = pd.factorize(platform)
    for code, name in enumerate(names.tolist()):
        key = pairs.get(name)
        if key is None and (found := platforms().get(name)) is not None:
            key = pairs.get(found.key)  # records spelling their platform with an alias
        if key is None:
            continue
        target = TARGETS[key]
        asked = codes == code
        fits = np.isin(modality, target.modalities)
        changes.not_remapped += int((asked & ~fits).sum())
        moved = asked & fits
        if moved.any():
            changes.remapped[f"{name}={key}"] = int(moved.sum())
            new_platform[moved], new_model[moved] = target.platform, target.model
    return {"platform": new_platform, "model": new_model}


def changed_table(table: GenTable, whatif: WhatIf, changes: Changes) -> GenTable:
    """The table with platform re-mapping and the resolution cap applied to its columns."""
    columns: dict[str, np.ndarray] = {}
    if whatif.platforms:
        columns.update(remapped_columns(table, dict(whatif.platforms), changes))
    if whatif.resolution:
        columns.update(capped_columns(table, RESOLUTIONS[whatif.resolution], changes))
    return edited(table, columns) if columns else table


def relink(baseline: AuditRun, drop: set[str]) -> LinkResult:
    """Link again without the dropped generations (the kept chain is never dropped)."""
    table = baseline.ingest.table
    kept = np.flatnonzero(~table.id_index().isin(list(drop)))
    return link(
        table.take(kept),
        baseline.timeline,
        baseline.root,
        instance_ids=instance_ids(baseline.provenance),
    )


def variant(baseline: AuditRun, whatif: WhatIf) -> tuple[AuditRun, Changes]:
    """The baseline re-estimated under ``whatif``; findings and inputs stay the baseline's. The
    changes are made to the columns; records are built only for what a reader asks."""
    changes = Changes()
    linked = baseline.link
    if whatif.discard_ratio is not None:
        linked = relink(baseline, thinned(linked, whatif.discard_ratio, changes))
    linked = linked.with_table(changed_table(linked.table, whatif, changes))
    production = baseline.production
    if whatif.region:
        platforms = sorted(set(linked.table.column("platform").tolist()))
        changes.region_platforms = platforms
        production = production.model_copy(
            update={"compute_regions": {p: whatif.region for p in platforms}}
        )
    footprint = run_estimate(production, linked)
    aggregates = run_aggregate(production, linked, footprint)
    changed = replace(
        baseline, production=production, link=linked, footprint=footprint, aggregates=aggregates
    )
    return changed, changes


@dataclass(frozen=True)
class Delta:
    """One figure, baseline against variant. The change is taken at equal coefficients (low with
    low, central with central, high with high), as ranges add in docs/methodology.md."""

    quantity: str
    scope: str
    baseline: Range
    variant: Range

    @property
    def change(self) -> Range:
        """Variant minus baseline as a range: corners compared at equal coefficients, then
        ordered."""
        at_low = self.variant.low - self.baseline.low
        at_high = self.variant.high - self.baseline.high
        central = self.variant.central - self.baseline.central
        return Range(min(at_low, at_high), central, max(at_low, at_high))

    @property
    def relative(self) -> float | None:
        """The central change relative to the baseline, or None for a baseline of zero."""
        if not self.baseline.central:
            return None
        return self.change.central / self.baseline.central

    @property
    def overlap(self) -> bool:
        """True when the two ranges overlap: the difference cannot be told apart."""
        return self.baseline.overlaps(self.variant)


def deltas(baseline: AuditRun, changed: AuditRun) -> list[Delta]:
    """Totals and per finished minute, for every quantity."""
    out = []
    for scope in ("totals", "per_minute"):
        base, var = getattr(baseline.aggregates, scope), getattr(changed.aggregates, scope)
        out += [Delta(q, scope, base[q], var[q]) for q in QUANTITIES]
    return out


def whatif_document(baseline: AuditRun, changed: AuditRun, whatif: WhatIf, changes: Changes) -> Any:
    """The variant's audit.json document, with a ``whatif`` key naming its assumptions."""
    doc = audit_document(changed)
    doc["whatif"] = {
        "description": whatif.describe(),
        "assumptions": whatif.as_json(),
        "changes": changes.as_json(),
        "baseline": {
            "generations": baseline.aggregates.generations,
            "totals": {q: vars(r) for q, r in sorted(baseline.aggregates.totals.items())},
        },
        "findings": "baseline",
    }
    return doc


def delta_rows(items: Sequence[Delta]) -> list[dict[str, Any]]:
    """Plain rows (whatif.csv, ``--json``)."""
    rows = []
    for d in items:
        change = d.change
        rows.append(
            {
                "quantity": d.quantity,
                "scope": "per_finished_minute" if d.scope == "per_minute" else "total",
                **{f"baseline_{k}": getattr(d.baseline, k) for k in ("low", "central", "high")},
                **{f"variant_{k}": getattr(d.variant, k) for k in ("low", "central", "high")},
                **{f"change_{k}": getattr(change, k) for k in ("low", "central", "high")},
                "change_relative": d.relative,
                "ranges_overlap": d.overlap,
            }
        )
    return rows

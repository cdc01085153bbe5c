"""What-if: the same production re-estimated under changed assumptions, against its baseline.

Changes apply to the generations before estimation; linking, estimation and aggregation are the
pipeline's own pure functions, run again on the changed records. Rights findings are the baseline's:
a what-if changes footprint assumptions, not who consented to what (see docs/classroom.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from audit.base.countries import alpha3
from audit.base.errors import ConfigError
from audit.base.models import Generation
from audit.estimate.aggregate import Range
from audit.ingest.registry import platforms
from audit.link.linker import link
from audit.pipeline import instance_ids, run_aggregate, run_estimate
from audit.report.audit_json import audit_document

if TYPE_CHECKING:
    from audit.link.result import LinkResult
    from audit.pipeline import AuditRun
    from estimators.coefficients import Registry

#: Roles of the allocations that make the kept chain (never thinned by ``--discard-ratio``).
KEPT_CHAIN = ("kept", "ancestor")
VIDEO_MODALITIES = ("video", "video_edit", "lipsync")
#: ``--resolution`` values: the short side of the frame, in pixels.
RESOLUTIONS = {"480p": 480, "540p": 540, "720p": 720, "1080p": 1080, "1440p": 1440, "2160p": 2160}
QUANTITIES = ("energy_wh", "carbon_g", "water_l", "adpe_kgsbeq")


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


def discarded_ids(result: LinkResult) -> list[str]:
    """Sorted ids of generations outside the kept chain (attempts, work that reached no shot)."""
    chain = {a.generation_id for a in result.allocations if a.role in KEPT_CHAIN}
    return sorted(g.id for g in result.generations if g.id not in chain)


def thinned(result: LinkResult, ratio: float, changes: Changes) -> set[str]:
    """Ids to drop so that ``ratio`` of the discarded generations stay, in every platform and
    modality alike (the first by sorted id of each group; each count rounds half up)."""
    groups: dict[tuple[str, str], list[str]] = {}
    by_id = {g.id: g for g in result.generations}
    for gid in discarded_ids(result):
        gen = by_id[gid]
        groups.setdefault((gen.platform, gen.modality.value), []).append(gid)
    drop: set[str] = set()
    for ids in groups.values():
        drop.update(ids[math.floor(len(ids) * ratio + 0.5) :])
    changes.discarded = sum(len(ids) for ids in groups.values())
    changes.removed = len(drop)
    return drop


def capped(gen: Generation, short_side: int, changes: Changes) -> Generation:
    """A video generation no larger than ``short_side`` (aspect kept, even pixel counts)."""
    if gen.modality.value not in VIDEO_MODALITIES:
        return gen
    if gen.width is None or gen.height is None:
        changes.unknown_size += 1
        return gen
    if min(gen.width, gen.height) <= short_side:
        return gen
    factor = short_side / min(gen.width, gen.height)
    width, height = (max(2, 2 * round(side * factor / 2)) for side in (gen.width, gen.height))
    changes.resized += 1
    return gen.model_copy(update={"width": width, "height": height})


def remapped(gen: Generation, pairs: dict[str, str], changes: Changes) -> Generation:
    """``gen`` moved to the covered equivalent ``--platform`` asks for (counted in ``changes``), or
    unchanged when not asked or of another modality."""
    key = pairs.get(gen.platform)
    if key is None and (found := platforms().get(gen.platform)) is not None:
        key = pairs.get(found.key)  # a record spelling its platform with an alias
    if key is None:
        return gen
    target = TARGETS[key]
    if gen.modality.value not in target.modalities:
        changes.not_remapped += 1
        return gen
    changes.remapped[f"{gen.platform}={key}"] = changes.remapped.get(f"{gen.platform}={key}", 0) + 1
    return gen.model_copy(update={"platform": target.platform, "model": target.model})


def changed_generations(
    generations: Sequence[Generation], whatif: WhatIf, changes: Changes
) -> list[Generation]:
    """The generations with platform re-mapping and the resolution cap applied, in order."""
    pairs = dict(whatif.platforms)
    out = []
    for gen in generations:
        if pairs:
            gen = remapped(gen, pairs, changes)
        if whatif.resolution:
            gen = capped(gen, RESOLUTIONS[whatif.resolution], changes)
        out.append(gen)
    return out


def relink(baseline: AuditRun, drop: set[str]) -> LinkResult:
    """Link again without the dropped generations (the kept chain is never dropped)."""
    kept = [g for g in baseline.ingest.generations if g.id not in drop]
    return link(
        kept, baseline.timeline, baseline.root, instance_ids=instance_ids(baseline.provenance)
    )


def variant(baseline: AuditRun, whatif: WhatIf) -> tuple[AuditRun, Changes]:
    """The baseline re-estimated under ``whatif``; findings and inputs stay the baseline's."""
    changes = Changes()
    linked = baseline.link
    if whatif.discard_ratio is not None:
        linked = relink(baseline, thinned(linked, whatif.discard_ratio, changes))
    linked = linked.with_generations(changed_generations(linked.generations, whatif, changes))
    production = baseline.production
    if whatif.region:
        platforms = sorted({g.platform for g in linked.generations})
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
        return ranges_overlap(self.baseline, self.variant)


def ranges_overlap(a: Range, b: Range) -> bool:
    """low_a ≤ high_b and low_b ≤ high_a."""
    return a.low <= b.high and b.low <= a.high


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

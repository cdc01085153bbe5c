"""Joining generations to the shots and audio cues of the final cut.

For each shot: the kept generations (the clip's media is their output), their ancestors, and the
sibling attempts. A generation serving several shots is split equally among them, in its
strongest role (kept/ancestor links win over attempt links). What reaches no shot is listed in
``not_in_cut``, never dropped. Rules and a worked example: docs/linking.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from audit.link.coverage import union_seconds
from audit.link.keys import Index, LocalMedia, build_index, match_clip
from audit.link.lineage import Graph, attempts_for, build_graph, reach
from audit.link.model import Clip, ClipKind, Timeline
from audit.link.names import stem
from audit.models import Generation

Role = Literal["kept", "ancestor", "attempt"]
_RANK: dict[str, int] = {"kept": 0, "ancestor": 1, "attempt": 2}
#: Audio cue ids start with this, so they never collide with picture shot ids.
CUE_PREFIX = "cue:"


@dataclass(frozen=True)
class Allocation:
    """A share of one generation given to one shot or audio cue (weights of a generation sum
    to 1)."""

    generation_id: str
    shot_id: str
    role: Role
    weight: float


@dataclass(frozen=True)
class ShotLink:
    """What serves one picture shot or audio cue. ``join_keys`` tell how the kept ones were
    found (platform_id, file_name, content_hash, c2pa_instance_id)."""

    shot_id: str
    sequence: str | None
    kind: ClipKind
    duration_s: float
    kept_ids: tuple[str, ...]
    ancestor_ids: tuple[str, ...]
    attempt_ids: tuple[str, ...]
    platforms: tuple[str, ...]
    clip_names: tuple[str, ...]
    join_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class CutSummary:
    """Per film: generations (and outputs) in the cut, discarded attempts, not in the cut."""

    generations: int
    in_cut: int
    attempts: int
    not_in_cut: int
    outputs: int
    outputs_in_cut: int

    @property
    def share_in_cut(self) -> float:
        """Fraction of generations whose output (or a descendant's) is in the cut."""
        return self.in_cut / self.generations if self.generations else 0.0


@dataclass(frozen=True)
class LinkResult:
    """Generations with ``shot_id``/``kept`` set, their allocations, shots, cues and leftovers."""

    generations: list[Generation]
    allocations: list[Allocation]
    shots: list[ShotLink]
    audio: list[ShotLink]
    unexplained_clips: list[Clip]
    not_in_cut: list[str]
    warnings: list[str]

    def summary(self) -> CutSummary:
        in_cut = [g for g in self.generations if g.kept]
        tried = [g for g in self.generations if g.shot_id is not None and not g.kept]
        return CutSummary(
            generations=len(self.generations),
            in_cut=len(in_cut),
            attempts=len(tried),
            not_in_cut=len(self.not_in_cut),
            outputs=sum(g.outputs_count for g in self.generations),
            outputs_in_cut=sum(g.outputs_count for g in in_cut),
        )


@dataclass(frozen=True)
class _Unit:
    """A picture shot or an audio cue, before linking."""

    shot_id: str
    sequence: str | None
    kind: ClipKind
    duration_s: float
    clips: tuple[Clip, ...]


def cue_id(clip: Clip) -> str:
    """``cue:`` + the media file stem (or clip name): one cue per sound file, however cut."""
    return CUE_PREFIX + stem(clip.media_name or clip.name)


def _units(timeline: Timeline) -> list[_Unit]:
    """Picture shots, then audio cues; audio clips of picture media (sync sound) are skipped."""
    units = [_Unit(s.shot_id, s.sequence, "picture", s.duration_s, s.clips) for s in timeline.shots]
    picture_media = {(c.media_name or c.name).lower() for s in timeline.shots for c in s.clips}
    cues: dict[str, list[Clip]] = {}
    for clip in timeline.audio:
        if (clip.media_name or clip.name).lower() not in picture_media:
            cues.setdefault(cue_id(clip), []).append(clip)
    for cue, clips in cues.items():
        span = union_seconds([(c.record_in_s, c.record_out_s) for c in clips])
        units.append(_Unit(cue, None, "audio", span, tuple(clips)))
    return units


def link(
    generations: list[Generation],
    timeline: Timeline,
    root: Path,
    instance_ids: dict[str, str] | None = None,
) -> LinkResult:
    """Link every generation to the shots of ``timeline``; ``root`` is the production folder.

    ``instance_ids`` maps a clip's media file name to its C2PA instance id (from the provenance
    scan); generations whose ``attributes["c2pa_instance_id"]`` equals it are kept.
    """
    index = build_index(generations)
    graph = build_graph(index)
    local = LocalMedia(root)
    units = _units(timeline)
    roles, keys, unexplained, warnings = _walk_units(units, index, graph, local, instance_ids)
    warnings = graph.warnings + warnings + local.warnings + _unknown_tags(index, units, roles)
    allocations = _allocate(index, units, roles)
    links = _shot_links(index, units, allocations, keys)
    return LinkResult(
        generations=_copies(generations, allocations),
        allocations=allocations,
        shots=[item for item in links if item.kind == "picture"],
        audio=[item for item in links if item.kind == "audio"],
        unexplained_clips=sorted(
            unexplained, key=lambda c: (c.kind != "picture", c.record_in_s, c.track)
        ),
        not_in_cut=sorted(g.id for i, g in enumerate(generations) if i not in roles),
        warnings=warnings,
    )


def _walk_units(
    units: list[_Unit],
    index: Index,
    graph: Graph,
    local: LocalMedia,
    instance_ids: dict[str, str] | None,
) -> tuple[dict[int, dict[int, Role]], list[set[str]], list[Clip], list[str]]:
    """Roles of generations by unit (best role per unit), join keys by unit, unexplained clips
    and warnings."""
    roles: dict[int, dict[int, Role]] = {}
    keys: list[set[str]] = []
    unexplained: list[Clip] = []
    warnings: list[str] = []
    for u, unit in enumerate(units):
        kept, found, missed = _kept(unit, index, local, instance_ids)
        keys.append(found)
        unexplained += missed
        ancestors = reach(kept, graph.parents, stop=kept)
        tried = attempts_for(graph, index, kept | ancestors, unit.shot_id)
        plan: tuple[tuple[set[int], Role], ...] = (
            (kept, "kept"),
            (ancestors, "ancestor"),
            (tried, "attempt"),
        )
        for members, role in plan:
            for i in members:
                _give(roles, i, u, role)
        if not kept and tried:
            warnings.append(
                f"{unit.shot_id}: {len(tried)} generation(s) tagged or related, but none made "
                f"the media of its clips ({', '.join(c.name for c in unit.clips)})"
            )
    return roles, keys, unexplained, warnings


def _kept(
    unit: _Unit, index: Index, local: LocalMedia, instance_ids: dict[str, str] | None
) -> tuple[set[int], set[str], list[Clip]]:
    """Generations whose output is the media of the unit's clips, the keys used, and the clips
    no generation explains."""
    kept: set[int] = set()
    found: set[str] = set()
    missed: list[Clip] = []
    for clip in unit.clips:
        hits, key = match_clip(clip, index, local, instance_ids)
        if key is None:
            missed.append(clip)
        else:
            kept.update(hits)
            found.add(key)
    return kept, found, missed


def _give(roles: dict[int, dict[int, Role]], i: int, unit: int, role: Role) -> None:
    current = roles.setdefault(i, {}).get(unit)
    if current is None or _RANK[role] < _RANK[current]:
        roles[i][unit] = role


def _chosen(unit_roles: dict[int, Role]) -> dict[int, Role]:
    """The units a generation is allocated to: where it is kept or an ancestor, else all."""
    strong: dict[int, Role] = {u: r for u, r in unit_roles.items() if r != "attempt"}
    return strong or unit_roles


def _allocate(
    index: Index, units: list[_Unit], roles: dict[int, dict[int, Role]]
) -> list[Allocation]:
    """Equal split among the chosen units; in generation order, then timeline order."""
    out: list[Allocation] = []
    for i in sorted(roles):
        chosen = _chosen(roles[i])
        weight = 1.0 / len(chosen)
        gen_id = index.gens[i].id
        out += [Allocation(gen_id, units[u].shot_id, chosen[u], weight) for u in sorted(chosen)]
    return out


def _copies(gens: list[Generation], allocations: list[Allocation]) -> list[Generation]:
    """Copies with ``shot_id`` (first unit in timeline order) and ``kept`` set."""
    first: dict[str, Allocation] = {}
    for alloc in allocations:
        first.setdefault(alloc.generation_id, alloc)
    out = []
    for gen in gens:
        found = first.get(gen.id)
        shot = found.shot_id if found else None
        kept = found is not None and found.role != "attempt"
        out.append(gen.model_copy(update={"shot_id": shot, "kept": kept}))
    return out


def _shot_links(
    index: Index,
    units: list[_Unit],
    allocations: list[Allocation],
    keys: Sequence[set[str]],
) -> list[ShotLink]:
    """One ShotLink per unit, from the allocations (one pass over them)."""
    position = {unit.shot_id: u for u, unit in enumerate(units)}
    ids: list[dict[str, list[str]]] = [{"kept": [], "ancestor": [], "attempt": []} for _ in units]
    platforms: list[set[str]] = [set() for _ in units]
    for alloc in allocations:
        u = position[alloc.shot_id]
        ids[u][alloc.role].append(alloc.generation_id)
        platforms[u].add(index.gens[index.by_id[alloc.generation_id]].platform)
    return [
        ShotLink(
            shot_id=unit.shot_id,
            sequence=unit.sequence,
            kind=unit.kind,
            duration_s=unit.duration_s,
            kept_ids=tuple(sorted(ids[u]["kept"])),
            ancestor_ids=tuple(sorted(ids[u]["ancestor"])),
            attempt_ids=tuple(sorted(ids[u]["attempt"])),
            platforms=tuple(sorted(platforms[u])),
            clip_names=tuple(dict.fromkeys(c.name for c in unit.clips)),
            join_keys=tuple(sorted(keys[u])),
        )
        for u, unit in enumerate(units)
    ]


def _unknown_tags(index: Index, units: list[_Unit], roles: dict[int, dict[int, Role]]) -> list[str]:
    """One line per shot tag that names no shot of the cut, when its generations reach none."""
    shots = {unit.shot_id for unit in units}
    lines = []
    for tag in sorted(set(index.by_tag) - shots):
        orphans = [i for i in index.by_tag[tag] if i not in roles]
        if orphans:
            lines.append(
                f"{len(orphans)} generation(s) tagged '{tag}', which is not a shot of "
                "the cut; they are listed as not in the final cut"
            )
    return lines

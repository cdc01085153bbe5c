"""Joining generations to the shots and audio cues of the final cut.

For each shot: the kept generations (the clip's media is their output), their ancestors, and the
sibling attempts. A generation serving several shots is split equally among them, in its
strongest role (kept/ancestor links win over attempt links). What reaches no shot is listed in
``not_in_cut``, never dropped. Rules and a worked example: docs/linking.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from audit.gentable import GenTable, from_generations
from audit.link.coverage import union_seconds
from audit.link.keys import Index, LocalMedia, build_index, match_clip
from audit.link.lineage import Graph, attempts_for, build_graph
from audit.link.model import Clip, ClipKind, Timeline
from audit.link.names import id_candidates, stem
from audit.models import Generation

Role = Literal["kept", "ancestor", "attempt"]
T = TypeVar("T")
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


_ROLES: tuple[Role, ...] = ("kept", "ancestor", "attempt")


@dataclass(eq=False)
class LinkResult:
    """Allocations of table rows to units (shots, then audio cues), and what linking noticed.

    ``allocation_rows`` has one row per (generation row, unit) share: ``row``, ``unit``, ``rank``
    (0 kept, 1 ancestor, 2 attempt) and ``weight``, sorted by row then unit. Objects — the
    generations with ``shot_id``/``kept`` set, :class:`Allocation` and :class:`ShotLink` lists —
    are built when first asked for.
    """

    table: GenTable
    allocation_rows: pd.DataFrame
    units: list[_Unit]
    join_keys: list[tuple[str, ...]]
    unexplained_clips: list[Clip]
    warnings: list[str]
    replaced: list[Generation] | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _memo(self, name: str, make: Callable[[], T]) -> T:
        if name not in self._cache:
            self._cache[name] = make()
        found: T = self._cache[name]
        return found

    @property
    def first_unit(self) -> np.ndarray:
        """Per row: the first unit (timeline order) it is allocated to, or -1."""
        return self._memo("first_unit", self._first_unit)

    def _first_unit(self) -> np.ndarray:
        first = np.full(len(self.table), -1, dtype=np.int64)
        rows = self.allocation_rows["row"].to_numpy()
        at = np.unique(rows, return_index=True)[1]
        first[rows[at]] = self.allocation_rows["unit"].to_numpy()[at]
        kept = np.zeros(len(self.table), dtype=bool)
        kept[rows[at]] = self.allocation_rows["rank"].to_numpy()[at] < 2
        self._cache["kept"] = kept
        return first

    @property
    def kept(self) -> np.ndarray:
        """Per row: True when its first allocation is as kept or ancestor (in the cut)."""
        self.first_unit  # noqa: B018 - computes both
        kept: np.ndarray = self._cache["kept"]
        return kept

    @property
    def shot_ids(self) -> np.ndarray:
        """Per row: the shot id it served first, or None."""
        names = np.asarray([*(u.shot_id for u in self.units), None], dtype=object)
        picked: np.ndarray = names[self.first_unit]
        return picked

    @property
    def generations(self) -> list[Generation]:
        """Generations with ``shot_id`` (first unit in timeline order) and ``kept`` set."""
        return self._memo("generations", self._copies)

    def _copies(self) -> list[Generation]:
        gens = self.replaced if self.replaced is not None else self.table.generations()
        shots, kept = self.shot_ids.tolist(), self.kept.tolist()
        return [
            gen.model_copy(update={"shot_id": shot, "kept": flag})
            for gen, shot, flag in zip(gens, shots, kept, strict=True)
        ]

    def allocation_frame(self) -> pd.DataFrame:
        """generation_id, shot_id, role, weight (and the generation's row in the table): one
        row per share."""
        frame = self.allocation_rows
        unit_ids = np.asarray([u.shot_id for u in self.units], dtype=object)
        return pd.DataFrame(
            {
                "row": frame["row"].to_numpy(),
                "generation_id": self.table.column("id")[frame["row"].to_numpy()],
                "shot_id": pd.Categorical.from_codes(frame["unit"].to_numpy(), pd.Index(unit_ids)),
                "role": np.asarray(_ROLES, dtype=object)[frame["rank"].to_numpy()],
                "weight": frame["weight"].to_numpy(),
            }
        )

    @property
    def allocations(self) -> list[Allocation]:
        return self._memo("allocations", self._allocations)

    def _allocations(self) -> list[Allocation]:
        frame = self.allocation_frame().drop(columns="row").astype({"shot_id": object})
        return [Allocation(*values) for values in frame.itertuples(index=False, name=None)]

    @property
    def not_in_cut(self) -> list[str]:
        """Sorted ids of generations that reach no shot or cue."""
        return self._memo(
            "not_in_cut", lambda: sorted(self.table.column("id")[self.first_unit < 0])
        )

    @property
    def shots(self) -> list[ShotLink]:
        return [link for link in self._links() if link.kind == "picture"]

    @property
    def audio(self) -> list[ShotLink]:
        return [link for link in self._links() if link.kind == "audio"]

    def _links(self) -> list[ShotLink]:
        return self._memo("links", lambda: shot_links(self))

    def unit_counts(self) -> pd.DataFrame:
        """Per unit: kept, ancestors, attempts (counts) and platforms (joined, sorted)."""
        return unit_counts(self)

    def summary(self) -> CutSummary:
        first, kept = self.first_unit, self.kept
        outputs = self.table.column("outputs_count")
        return CutSummary(
            generations=len(self.table),
            in_cut=int(kept.sum()),
            attempts=int(((first >= 0) & ~kept).sum()),
            not_in_cut=int((first < 0).sum()),
            outputs=int(outputs.sum()),
            outputs_in_cut=int(outputs[kept].sum()),
        )

    def with_generations(self, gens: list[Generation]) -> LinkResult:
        """The same links over changed records (same ids, same order), e.g. for ``whatif``."""
        return LinkResult(
            from_generations(gens), self.allocation_rows, self.units, self.join_keys,
            self.unexplained_clips, self.warnings, replaced=gens,
        )  # fmt: skip


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
    generations: GenTable | Sequence[Generation],
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
    index.by_pid.prepare(
        cand for unit in units for clip in unit.clips
        for name in (clip.media_name, clip.name) if name for cand in id_candidates(name)
    )  # fmt: skip
    shares, keys, unexplained, warnings = _walk_units(units, index, graph, local, instance_ids)
    allocation_rows = _allocate(shares)
    linked = _rows_linked(len(index.table), allocation_rows)
    warnings = graph.warnings + warnings + local.warnings + _unknown_tags(index, units, linked)
    return LinkResult(
        table=index.table,
        allocation_rows=allocation_rows,
        units=units,
        join_keys=[tuple(sorted(k)) for k in keys],
        unexplained_clips=sorted(
            unexplained, key=lambda c: (c.kind != "picture", c.record_in_s, c.track)
        ),
        warnings=warnings,
    )


def _walk_units(
    units: list[_Unit],
    index: Index,
    graph: Graph,
    local: LocalMedia,
    instance_ids: dict[str, str] | None,
) -> tuple[list[np.ndarray], list[set[str]], list[Clip], list[str]]:
    """(row, unit, rank) arrays of every unit's kept, ancestors and attempts, join keys by
    unit, unexplained clips and warnings."""
    shares: list[np.ndarray] = []
    keys: list[set[str]] = []
    unexplained: list[Clip] = []
    warnings: list[str] = []
    for u, unit in enumerate(units):
        kept_set, found, missed = _kept(unit, index, local, instance_ids)
        keys.append(found)
        unexplained += missed
        kept = np.asarray(sorted(kept_set), dtype=np.int64)
        ancestors = graph.reach(kept, graph.parents, stop=kept)
        tried = attempts_for(graph, index, np.union1d(kept, ancestors), unit.shot_id)
        for rank, members in enumerate((kept, ancestors, tried)):
            if len(members):
                shares.append(
                    np.stack([members, np.full(len(members), u), np.full(len(members), rank)])
                )
        if not len(kept) and len(tried):
            warnings.append(
                f"{unit.shot_id}: {len(tried)} generation(s) tagged or related, but none made "
                f"the media of its clips ({', '.join(c.name for c in unit.clips)})"
            )
    return shares, keys, unexplained, warnings


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


def _allocate(shares: list[np.ndarray]) -> pd.DataFrame:
    """Equal split among the chosen units: where a row is kept or an ancestor, else all units
    it was an attempt for. Sorted by row, then unit (timeline order)."""
    if not shares:
        empty = np.zeros(0, dtype=np.int64)
        return pd.DataFrame({"row": empty, "unit": empty, "rank": empty, "weight": empty * 1.0})
    rows, units, ranks = np.concatenate(shares, axis=1)
    order = np.lexsort((units, rows))
    rows, units, ranks = rows[order], units[order], ranks[order]
    strong = np.zeros(int(rows.max()) + 1, dtype=bool)
    strong[rows[ranks < 2]] = True
    chosen = (ranks < 2) | ~strong[rows]
    rows, units, ranks = rows[chosen], units[chosen], ranks[chosen]
    count = np.bincount(rows)
    return pd.DataFrame({"row": rows, "unit": units, "rank": ranks, "weight": 1.0 / count[rows]})


def _rows_linked(count: int, allocation_rows: pd.DataFrame) -> np.ndarray:
    linked = np.zeros(count, dtype=bool)
    linked[allocation_rows["row"].to_numpy()] = True
    return linked


def unit_counts(result: LinkResult) -> pd.DataFrame:
    """Per unit (in unit order): kept, ancestors, attempts and platforms."""
    frame = result.allocation_rows
    size = len(result.units)
    counts = {
        name: np.bincount(
            frame["unit"].to_numpy()[frame["rank"].to_numpy() == rank], minlength=size
        )
        for rank, name in enumerate(("kept", "ancestors", "attempts"))
    }
    platforms = result.table.column("platform")[frame["row"].to_numpy()]
    pairs = pd.DataFrame(
        {"unit": frame["unit"].to_numpy(), "platform": platforms}
    ).drop_duplicates()
    joined = pairs.sort_values("platform").groupby("unit")["platform"].agg(", ".join)
    return pd.DataFrame({**counts, "platforms": [joined.get(u, "") for u in range(size)]})


def shot_links(result: LinkResult) -> list[ShotLink]:
    """One ShotLink per unit, from the allocations (ids sorted, platforms sorted)."""
    frame = result.allocation_rows
    ids = result.table.column("id")
    platforms = result.table.column("platform")
    members: list[list[list[str]]] = [[[], [], []] for _ in result.units]
    seen: list[set[str]] = [set() for _ in result.units]
    for row, unit, rank in frame[["row", "unit", "rank"]].itertuples(index=False, name=None):
        members[unit][rank].append(ids[row])
        seen[unit].add(platforms[row])
    return [
        ShotLink(
            shot_id=unit.shot_id,
            sequence=unit.sequence,
            kind=unit.kind,
            duration_s=unit.duration_s,
            kept_ids=tuple(sorted(members[u][0])),
            ancestor_ids=tuple(sorted(members[u][1])),
            attempt_ids=tuple(sorted(members[u][2])),
            platforms=tuple(sorted(seen[u])),
            clip_names=tuple(dict.fromkeys(c.name for c in unit.clips)),
            join_keys=result.join_keys[u],
        )
        for u, unit in enumerate(result.units)
    ]


def _unknown_tags(index: Index, units: list[_Unit], linked: np.ndarray) -> list[str]:
    """One line per shot tag that names no shot of the cut, when its generations reach none."""
    shots = {unit.shot_id for unit in units}
    tags = index.by_tag
    lines = []
    for code, tag in sorted(enumerate(tags.all_keys()), key=lambda pair: pair[1]):
        if tag in shots:
            continue
        orphans = int((~linked[tags.rows_of(code)]).sum())
        if orphans:
            lines.append(
                f"{orphans} generation(s) tagged '{tag}', which is not a shot of "
                "the cut; they are listed as not in the final cut"
            )
    return lines

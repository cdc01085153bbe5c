"""Joining generations to the shots and audio cues of the final cut.

For each shot: the kept generations (the clip's media is their output), their ancestors, and the
sibling attempts. A generation serving several shots is split equally among them, in its
strongest role (kept/ancestor links win over attempt links). What reaches no shot is listed in
``not_in_cut``, never dropped. Rules and a worked example: docs/linking.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from audit.gentable import GenTable
from audit.link.coverage import union_seconds
from audit.link.keys import Index, LocalMedia, build_index, match_clip
from audit.link.lineage import Graph, build_graph
from audit.link.model import Clip, Timeline
from audit.link.names import id_candidates, stem
from audit.link.pairs import Pairs, attempts, reach
from audit.link.result import (
    CUE_PREFIX,
    LinkResult,
    _Unit,
)
from audit.models import Generation


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
    keys: list[set[str]] = []
    unexplained: list[Clip] = []
    kept_rows: list[int] = []
    kept_units: list[int] = []
    for u, unit in enumerate(units):
        kept_set, found, missed = _kept(unit, index, local, instance_ids)
        keys.append(found)
        unexplained += missed
        kept_rows += sorted(kept_set)
        kept_units += [u] * len(kept_set)
    if not units:
        return [], keys, unexplained, []
    kept = Pairs.of(np.asarray(kept_rows, dtype=np.int64), np.asarray(kept_units), len(units))
    ancestors = reach(kept, graph.parents, kept)
    tried = attempts(graph, index, kept | ancestors, [unit.shot_id for unit in units])
    shares = [
        np.stack([found.rows, found.units, np.full(len(found.keys), rank)])
        for rank, found in enumerate((kept, ancestors, tried))
    ]
    return shares, keys, unexplained, _unmade(units, kept, tried)


def _unmade(units: list[_Unit], kept: Pairs, tried: Pairs) -> list[str]:
    """One warning per unit with attempts but no kept generation, in unit order."""
    has_kept = np.bincount(kept.units, minlength=len(units))
    tries = np.bincount(tried.units, minlength=len(units))
    return [
        f"{unit.shot_id}: {tries[u]} generation(s) tagged or related, but none made "
        f"the media of its clips ({', '.join(c.name for c in unit.clips)})"
        for u, unit in enumerate(units)
        if not has_kept[u] and tries[u]
    ]


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
    if not sum(share.shape[1] for share in shares):
        empty = np.zeros(0, dtype=np.int64)
        return pd.DataFrame({"row": empty, "unit": empty, "rank": empty, "weight": empty * 1.0})
    rows, units, ranks = np.concatenate(shares, axis=1)
    order = np.argsort(rows * (int(units.max()) + 1) + units)  # pairs are distinct: no ties
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

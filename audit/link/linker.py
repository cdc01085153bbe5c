"""Joining generations to the shots and audio cues of the final cut.

For each shot: the kept generations (the clip's media is their output), their ancestors, and the
sibling attempts. A generation serving several shots is split equally among them, in its
strongest role (kept/ancestor links win over attempt links). What reaches no shot is listed in
``not_in_cut``, never dropped. Rules and a worked example: docs/linking.md.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from audit.base.codes import factorized, stable_order
from audit.base.gentable import GenTable
from audit.base.models import Generation
from audit.link.coverage import union_seconds
from audit.link.keys import Index, LocalMedia, build_index, match_clip
from audit.link.lineage import Graph, build_graph, input_id_candidates
from audit.link.model import Clip, Timeline
from audit.link.names import id_candidates, sequence_of, shot_id_in, stem
from audit.link.pairs import Pairs, attempts, reach
from audit.link.result import (
    CUE_PREFIX,
    LinkResult,
    _Unit,
)
from audit.link.status import AUDIO_MODALITIES, use_status
from audit.link.usernames import file_name_key


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
    units = _units(timeline)
    graph = _prepared_graph(index, units)
    local = LocalMedia(root)
    matches = [_kept(unit, index, local, instance_ids) for unit in units]
    units, matches, renamed = _named_by_kept(units, matches, index)
    shares, unresolved, warnings = _walk_units(units, matches, index, graph)
    allocation_rows = _allocate(shares)
    linked = _rows_linked(len(index.table), allocation_rows)
    use, audio_unchecked = _use(index, graph, timeline, units, matches, allocation_rows, unresolved)
    notes = [AUDIO_UNCHECKED] if audio_unchecked else []
    warnings = (
        graph.warnings
        + renamed
        + warnings
        + local.warnings
        + notes
        + _unknown_tags(index, units, linked)
    )
    missed = [c for m in matches for c, key in zip(m.clips, m.keys, strict=True) if not key]
    return LinkResult(
        table=index.table,
        allocation_rows=allocation_rows,
        units=units,
        join_keys=[tuple(sorted({k for k in m.keys if k})) for m in matches],
        unexplained_clips=sorted(
            missed, key=lambda c: (c.kind != "picture", c.record_in_s, c.track)
        ),
        warnings=warnings,
        use=use,
        clip_keys=[tuple(m.keys) for m in matches],
        unresolved=unresolved,
        audio_unchecked=audio_unchecked,
        generated_inputs=graph.generated_inputs,
    )


def _use(
    index: Index,
    graph: Graph,
    timeline: Timeline,
    units: list[_Unit],
    matches: list[_Match],
    allocation_rows: pd.DataFrame,
    unresolved: np.ndarray,
) -> tuple[np.ndarray, bool]:
    """Use status of every row (docs/linking.md, "Use status"), and whether the cut has no
    audio track to check the production's sound generations against."""
    codes, kinds = factorized(index.table, "modality")
    sound = np.append(np.isin(np.asarray(kinds, dtype=object), list(AUDIO_MODALITIES)), False)
    sound = sound[codes]  # code -1 (no modality): the appended False
    audio_unchecked = bool(timeline.shots) and not timeline.audio and bool(sound.any())
    pairs = zip(units, matches, strict=True)
    audio_unexplained = any(unit.kind == "audio" and None in match.keys for unit, match in pairs)
    use = use_status(
        allocation_rows,
        unresolved,
        index.succeeded,
        sound,
        graph.parents,
        audio_unchecked,
        audio_unexplained,
    )
    return use, audio_unchecked


def _prepared_graph(index: Index, units: list[_Unit]) -> Graph:
    """The lineage graph, with the platform-id lookup grouped once for the clips' names and the
    unexplained inputs' paths, and the output-stem lookup deferred to the clips' names."""
    names = [name for unit in units for c in unit.clips for name in (c.media_name, c.name) if name]
    uri_candidates = input_id_candidates(index)
    index.by_pid.prepare(
        itertools.chain(
            (cand for name in names for cand in id_candidates(name)), *uri_candidates.values()
        )
    )
    index.by_user_output.defer(key for name in names if (key := file_name_key(name)))
    return build_graph(index, uri_candidates)


#: Said once when the cut has picture only.
AUDIO_UNCHECKED = (
    "the cut has no audio track: music, voice and sound generations could not be checked "
    "against it; they are counted as possibly in the film"
)


@dataclass
class _Match:
    """What the join keys found for one unit: kept rows, and the key of each clip (None: none)."""

    kept: set[int]
    clips: tuple[Clip, ...]
    keys: list[str | None]


def _kept(
    unit: _Unit, index: Index, local: LocalMedia, instance_ids: dict[str, str] | None
) -> _Match:
    """Generations whose output is the media of the unit's clips, and the key of each clip."""
    kept: set[int] = set()
    keys: list[str | None] = []
    for clip in unit.clips:
        hits, key = match_clip(clip, index, local, instance_ids)
        kept.update(hits)
        keys.append(key)
    return _Match(kept, unit.clips, keys)


def _shot_of_kept(kept: set[int], index: Index) -> str | None:
    """The one shot id the tags (or prompts) of kept generations name, else None."""
    tags = index.by_tag
    tags.code(None)  # grouped
    codes = {int(index.tag_codes[row]) for row in kept} - {-1}
    shots = {shot_id_in(str(tags.keys[code])) for code in codes} - {None}
    return shots.pop() if len(shots) == 1 else None


def _named_by_kept(
    units: list[_Unit], matches: list[_Match], index: Index
) -> tuple[list[_Unit], list[_Match], list[str]]:
    """Picture units whose clips carry no shot id (``video_683….mp4``) take the shot id of their
    kept generations' tag; units that end up with one id are merged. One line per rename."""
    out: dict[str, tuple[_Unit, _Match]] = {}
    lines = []
    for unit, match in zip(units, matches, strict=True):
        shot = None
        if unit.kind == "picture" and not shot_id_in(unit.shot_id) and match.kept:
            shot = _shot_of_kept(match.kept, index)
        if shot:
            lines.append(
                f"{unit.shot_id}: no shot id in the clip's name; shot {shot} "
                "from the tag of its kept generation"
            )
            unit = replace(unit, shot_id=shot, sequence=sequence_of(shot))
        if unit.shot_id in out:
            first, seen = out[unit.shot_id]
            unit = replace(
                first, duration_s=first.duration_s + unit.duration_s, clips=first.clips + unit.clips
            )
            match = _Match(seen.kept | match.kept, unit.clips, seen.keys + match.keys)
        out[unit.shot_id] = (unit, match)
    return [u for u, _ in out.values()], [m for _, m in out.values()], lines


def _walk_units(
    units: list[_Unit], matches: list[_Match], index: Index, graph: Graph
) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """(row, unit, rank) arrays of every unit's kept, ancestors and attempts (an unresolved
    unit's candidates with their ancestors), which units are unresolved, and warnings."""
    kept_rows: list[int] = []
    kept_units: list[int] = []
    for u, match in enumerate(matches):
        kept_rows += sorted(match.kept)
        kept_units += [u] * len(match.kept)
    if not units:
        return [], np.zeros(0, dtype=bool), []
    kept = Pairs.of(np.asarray(kept_rows, dtype=np.int64), np.asarray(kept_units), len(units))
    ancestors = reach(kept, graph.parents, kept)
    chain = kept | ancestors
    tried = attempts(graph, index, chain, [unit.shot_id for unit in units])
    has_kept = np.bincount(kept.units, minlength=len(units)) > 0
    open_ = Pairs(tried.keys[~has_kept[tried.units]], len(units))
    if len(open_.keys):  # candidates' inputs are work for their unresolved shot too
        tried = tried | reach(open_, graph.parents, chain | tried)
    unresolved = ~has_kept & (np.bincount(tried.units, minlength=len(units)) > 0)
    shares = [
        np.stack([found.rows, found.units, np.full(len(found.keys), rank)])
        for rank, found in enumerate((kept, ancestors, tried))
    ]
    return shares, unresolved, _unmade(units, unresolved, tried)


def _unmade(units: list[_Unit], unresolved: np.ndarray, tried: Pairs) -> list[str]:
    """One warning per unresolved unit (candidates, no kept generation), in unit order."""
    tries = np.bincount(tried.units, minlength=len(units))
    return [
        f"{unit.shot_id}: {tries[u]} generation(s) tagged or related, but none made "
        f"the media of its clips ({', '.join(c.name for c in unit.clips)}); unresolved: "
        "they are its candidates"
        for u, unit in enumerate(units)
        if unresolved[u]
    ]


def _allocate(shares: list[np.ndarray]) -> pd.DataFrame:
    """Equal split among the chosen units: where a row is kept or an ancestor, else all units
    it was an attempt for. Sorted by row, then unit (timeline order)."""
    if not sum(share.shape[1] for share in shares):
        empty = np.zeros(0, dtype=np.int64)
        return pd.DataFrame({"row": empty, "unit": empty, "rank": empty, "weight": empty * 1.0})
    rows, units, ranks = np.concatenate(shares, axis=1)
    order = stable_order(rows * (int(units.max()) + 1) + units)  # pairs are distinct: no ties
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

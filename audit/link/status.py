"""Use status of every generation, and how well the cut is explained (docs/linking.md, "Use
status" and "Linking quality").

- **in the film**: kept for a clip, or an ancestor of a kept one;
- **possibly in the film**: a candidate of an unresolved shot (its generations are known, the
  kept one is not); an audio generation when the cut has no audio track (or one linked to
  nothing when some sound clip of the cut is unexplained); every succeeded generation when
  nothing at all could be kept; and every input (ancestor) of one of those;
- **not in the film**: the rest (failed jobs, discarded takes of resolved shots, tests).

The rights rules run on all three (docs/rules.md, "What is checked").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from audit.base.codes import unique_rows
from audit.link.lineage import Csr
from audit.link.model import IN_FILM, NOT_IN_FILM, POSSIBLY, Clip

if TYPE_CHECKING:
    from audit.link.result import LinkResult

#: Modalities that are sound: possibly in a cut that has no audio track.
AUDIO_MODALITIES = frozenset({"music", "sound", "speech", "voice_clone"})
#: Why a clip is left unexplained, for the advice the report gives.
ADVICE_UNRESOLVED = "unresolved"
ADVICE_UNTAGGED = "untagged"


def ancestors_of(rows: np.ndarray, parents: Csr) -> np.ndarray:
    """Every row reachable from ``rows`` through parents (``rows`` included), as a mask."""
    count = len(parents.indptr) - 1
    seen = np.zeros(count, dtype=bool)
    frontier = unique_rows(rows, count)
    seen[frontier] = True
    while len(frontier):
        found = unique_rows(parents.neighbours(frontier), count)
        frontier = found[~seen[found]]
        seen[frontier] = True
    return seen


def use_status(
    allocation_rows: pd.DataFrame,
    unresolved: np.ndarray,
    succeeded: np.ndarray,
    sound: np.ndarray,
    parents: Csr,
    audio_unchecked: bool,
    audio_unexplained: bool = False,
) -> np.ndarray:
    """Per row: :data:`IN_FILM`, :data:`POSSIBLY` or :data:`NOT_IN_FILM` (int8).

    ``unresolved`` flags the units with candidates and no kept generation; ``sound`` the rows
    that are music, sound, speech or a voice clone (:data:`AUDIO_MODALITIES`); ``audio_unchecked``
    says the cut has no audio track to check sound against; ``audio_unexplained``, that some of
    its sound clips are explained by no generation (then sound generations linked to nothing
    may be them)."""
    count = len(succeeded)
    rows = allocation_rows["row"].to_numpy()
    ranks = allocation_rows["rank"].to_numpy()
    units = allocation_rows["unit"].to_numpy()
    in_film = np.zeros(count, dtype=bool)
    in_film[rows[ranks < 2]] = True
    maybe = np.zeros(count, dtype=bool)
    if len(unresolved):
        maybe[rows[(ranks == 2) & unresolved[units]]] = True
    if audio_unchecked:
        maybe |= sound
    elif audio_unexplained:
        linked = np.zeros(count, dtype=bool)
        linked[rows] = True
        maybe |= sound & ~linked
    if not in_film.any():
        maybe[:] = True
    maybe &= succeeded & ~in_film
    maybe = ancestors_of(np.flatnonzero(maybe), parents) & ~in_film
    status = np.full(count, NOT_IN_FILM, dtype=np.int8)
    status[maybe] = POSSIBLY
    status[in_film] = IN_FILM
    return status


@dataclass(frozen=True)
class Unexplained:
    """A clip no generation explains, its shot, and what would explain it."""

    clip: Clip
    shot_id: str
    seconds: float
    candidates: int
    advice: str


@dataclass(frozen=True)
class LinkQuality:
    """How much of the cut's picture is explained by a generation, and by which key."""

    picture_s: float
    explained_s: float
    by_key: dict[str, float]
    unexplained: list[Unexplained]
    unresolved_shots: list[str]
    audio_unchecked: bool

    @property
    def explained_share(self) -> float:
        """The share of the picture's seconds that a generation explains (0 for a cut without
        picture)."""
        return self.explained_s / self.picture_s if self.picture_s else 0.0


def clip_seconds(unit_duration_s: float, clips: tuple[Clip, ...]) -> list[float]:
    """A unit's screen time shared among its clips in proportion to their lengths (equally
    when none has a length)."""
    lengths = [max(c.duration_s, 0.0) for c in clips]
    total = sum(lengths)
    if not total:
        return [unit_duration_s / len(clips) if clips else 0.0 for _ in clips]
    return [unit_duration_s * length / total for length in lengths]


def advice_for(candidates: int) -> str:
    """Which naming advice of docs/linking.md would explain the clip: name it after one of its
    shot's candidates, or keep a platform id in its name (or record it as a source)."""
    return ADVICE_UNRESOLVED if candidates else ADVICE_UNTAGGED


def link_quality(result: LinkResult) -> LinkQuality:
    """Share of the cut's picture seconds explained by a generation, by key; the unexplained
    clips with their shot and advice; the unresolved shots."""
    counts = result.unit_counts()
    unresolved = result.unresolved if result.unresolved is not None else np.zeros(0, dtype=bool)
    picture = explained = 0.0
    by_key: dict[str, float] = {}
    missed: list[Unexplained] = []
    for u, unit in enumerate(result.units):
        if unit.kind != "picture":
            continue
        keys = result.clip_keys[u] if u < len(result.clip_keys) else (None,) * len(unit.clips)
        candidates = int(counts["attempts"].iloc[u]) if unresolved[u : u + 1].any() else 0
        for clip, key, seconds in zip(
            unit.clips, keys, clip_seconds(unit.duration_s, unit.clips), strict=True
        ):
            picture += seconds
            if key:
                explained += seconds
                by_key[key] = by_key.get(key, 0.0) + seconds
            else:
                missed.append(
                    Unexplained(clip, unit.shot_id, seconds, candidates, advice_for(candidates))
                )
    return LinkQuality(
        picture_s=picture,
        explained_s=explained,
        by_key=dict(sorted(by_key.items())),
        unexplained=missed,
        unresolved_shots=[
            u.shot_id for u, flag in zip(result.units, unresolved, strict=False) if flag
        ],
        audio_unchecked=result.audio_unchecked,
    )

"""Screen time: which clip is seen at each instant of the cut.

Where picture clips overlap, the one seen is the one an editing program would show: a clip with
media beats a title or colour generator, then the higher track beats the lower one. Summing the
visible time of every clip of a shot gives the shot's duration, so shots add up exactly to the
picture time less its gaps.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from audit.link.model import Clip, Shot
from audit.link.names import sequence_of


@dataclass(frozen=True)
class Span:
    """Where a clip may be seen (already cut to its compound clip's window) and how it ranks."""

    start_s: float
    end_s: float
    priority: tuple[int, ...]


def visible_seconds(spans: Sequence[Span]) -> list[float]:
    """Seconds each span is the top one, in the order given (a sweep over start and end times)."""
    seen = [0.0] * len(spans)
    order = sorted(
        (i for i, span in enumerate(spans) if span.end_s > span.start_s),
        key=lambda i: spans[i].start_s,
    )
    ends = sorted({span.end_s for span in spans} | {span.start_s for span in spans})
    width = max((len(span.priority) for span in spans), default=0)
    ranks = [
        tuple(-p for p in span.priority) + (0,) * (width - len(span.priority)) for span in spans
    ]
    heap: list[tuple[tuple[int, ...], int, int]] = []  # (negated priority, -index, index)
    nxt = 0
    for left, right in pairwise(ends):
        while nxt < len(order) and spans[order[nxt]].start_s <= left:
            i = order[nxt]
            heapq.heappush(heap, (ranks[i], -i, i))
            nxt += 1
        while heap and spans[heap[0][2]].end_s <= left:
            heapq.heappop(heap)
        if heap:
            seen[heap[0][2]] += right - left
    return seen


def union_seconds(intervals: Sequence[tuple[float, float]]) -> float:
    """Length of the union of [start, end) intervals, seconds."""
    total = 0.0
    current_start: float | None = None
    current_end = 0.0
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if current_start is None or start > current_end:
            if current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_start is not None:
        total += current_end - current_start
    return total


def assemble_shots(
    placed: Sequence[tuple[Clip, Span]], sequences: dict[str, str] | None = None
) -> list[Shot]:
    """Group picture clips by shot id; a shot lasts the screen time of its clips.

    A shot starts where it is first seen (a clip of a compound clip may start before the window
    the compound clip shows).

    ``sequences`` names the sequence of a shot id when the source says so (shots.csv); else the
    sequence is the scene part of a normalised id (``SC01_SH020`` → ``SC01``).
    """
    sequences = sequences or {}
    seen = visible_seconds([span for _, span in placed])
    clips: dict[str, list[Clip]] = {}
    seconds: dict[str, float] = {}
    first: dict[str, float] = {}
    for (clip, span), visible in zip(placed, seen, strict=True):
        clips.setdefault(clip.shot_id, []).append(clip)
        seconds[clip.shot_id] = seconds.get(clip.shot_id, 0.0) + visible
        start_s = span.start_s if span.end_s > span.start_s else clip.record_in_s
        first[clip.shot_id] = min(first.get(clip.shot_id, start_s), start_s)
    shots = [
        Shot(
            shot_id=shot_id,
            sequence=sequences.get(shot_id) or sequence_of(shot_id),
            kind="picture",
            record_in_s=first[shot_id],
            duration_s=seconds[shot_id],
            clips=tuple(sorted(members, key=lambda c: (c.record_in_s, c.track, c.name))),
        )
        for shot_id, members in clips.items()
    ]
    return sorted(shots, key=lambda s: (s.record_in_s, s.shot_id))

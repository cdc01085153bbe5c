"""Walking what OpenTimelineIO returns into placed clips: tracks numbered as editors number them
(V1…, A1…), compound clips (nested stacks) entered and trimmed to the window they are seen through,
each clip with its media file name, its shot id and its extent in exact seconds (23.976 read as
24000/1001)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import opentimelineio as otio

from audit.base.rates import parse_rate
from audit.link.coverage import Span
from audit.link.model import Clip, ClipKind
from audit.link.names import basename, shot_id_in


@cache
def _exact_rate(rate: float) -> float:
    """23.976 (as the AAF adapter rounds it) is 24000/1001; other rates stay as they are."""
    try:
        exact = parse_rate(rate).exact
    except ValueError:
        return rate
    return float(exact) if exact.denominator == 1001 else rate


def seconds(time: Any) -> float:
    """Seconds of an OTIO time, at the exact NTSC rate its rounded rate stands for."""
    return float(time.value) / _exact_rate(float(time.rate))


def track_extent(track: Any) -> float:
    """Seconds a track lasts: its items end to end, transitions left out (they overlap)."""
    return float(
        sum(
            seconds(child.duration())
            for child in track
            if not isinstance(child, otio.schema.Transition)
        )
    )


@dataclass(frozen=True)
class _Where:
    """Where a composition sits: the track it hangs from and the window it is seen through."""

    kind: ClipKind
    track: int
    rank: tuple[int, ...]


def walk_stack(
    stack: Any,
    offset_s: float,
    window: tuple[float, float],
    where: _Where | None,
    rank: tuple[int, ...],
) -> Iterator[tuple[Clip, Span]]:
    """Clips of a stack; top level when ``where`` is None (tracks numbered V1…, A1…)."""
    counts = {"picture": 0, "audio": 0}
    for index, track in enumerate(stack):
        if not isinstance(track, otio.schema.Track) or not track.enabled:
            continue
        kind: ClipKind = "audio" if track.kind == otio.schema.TrackKind.Audio else "picture"
        if where is None:
            counts[kind] += 1
            inner = _Where(kind, counts[kind], ())
        else:
            inner = _Where(
                "audio" if "audio" in (kind, where.kind) else "picture", where.track, (*rank, index)
            )
        yield from _walk_track(track, offset_s, window, inner)


def _walk_track(
    track: Any, offset_s: float, window: tuple[float, float], where: _Where
) -> Iterator[tuple[Clip, Span]]:
    for child in track:
        if not isinstance(child, otio.schema.Clip | otio.schema.Stack) or not child.enabled:
            continue
        placed = track.range_of_child(child)
        start_s = offset_s + seconds(placed.start_time)
        end_s = start_s + seconds(placed.duration)
        if isinstance(child, otio.schema.Stack):
            trim = child.source_range
            inner_offset = start_s - (seconds(trim.start_time) if trim is not None else 0.0)
            inner_window = (max(window[0], start_s), min(window[1], end_s))
            yield from walk_stack(child, inner_offset, inner_window, where, where.rank)
            continue
        clip = _clip(child, where, start_s)
        span = Span(
            max(window[0], start_s),
            min(window[1], end_s),
            (int(clip.media_url is not None), where.track, *where.rank),
        )
        yield clip, span


def _clip(item: Any, where: _Where, start_s: float) -> Clip:
    media_name, media_url = _media(item.media_reference)
    name = item.name or media_name or f"{where.kind}{where.track}@{start_s:g}s"
    markers = [marker.name for marker in item.markers]
    shot_id = next(
        (found for text in (name, media_name, *markers) if (found := shot_id_in(text))), name
    )
    return Clip(
        name=name,
        media_name=media_name,
        media_url=media_url,
        kind=where.kind,
        track=where.track,
        record_in_s=start_s,
        duration_s=seconds(item.trimmed_range().duration),
        shot_id=shot_id,
    )


def _media(ref: Any) -> tuple[str | None, str | None]:
    """(file name, URL) of a media reference; generators and missing media have none."""
    if isinstance(ref, otio.schema.ExternalReference) and ref.target_url:
        return basename(ref.target_url), ref.target_url
    if isinstance(ref, otio.schema.ImageSequenceReference):
        url = ref.abstract_target_url("#")
        return basename(url), url
    return None, None

"""Reading the final cut from ``timeline/``: OTIO, EDL, Premiere/FCP7 XML, FCPXML or shots.csv.

OpenTimelineIO and its adapter plugins read every edit format (an EDL needs the frame rate, which
the file does not carry). This module only walks what OTIO returns: picture and audio clips,
compound clips (nested stacks) included, each with its media file name and shot id. Formats,
rules and choices are documented in docs/linking.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import opentimelineio as otio

from audit.errors import TimelineError
from audit.link.coverage import Span, assemble_shots
from audit.link.model import Clip, ClipKind, Shot, Timeline
from audit.link.names import basename, shot_id_in
from audit.link.shotscsv import SHOTS_CSV, read_shots_csv
from audit.production import Production

__all__ = ["Clip", "Shot", "Timeline", "find_timeline_file", "read_timeline", "read_timeline_file"]

#: File suffix → OpenTimelineIO adapter name.
ADAPTERS: dict[str, str] = {
    ".otio": "otio_json",
    ".edl": "cmx_3600",
    ".xml": "fcp_xml",
    ".fcpxml": "fcpx_xml",
}
#: What OTIO and its plugins raise on a file they cannot read.
_READ_ERRORS = (otio.exceptions.OTIOError, ValueError, KeyError, TypeError, ParseError)
_EDL_RATE = re.compile(r"Timecode '([0-9:;]+)' has frames beyond (\d+)")


def find_timeline_file(folder: Path, wanted: str | None = None) -> Path:
    """The one timeline file of ``folder/timeline/``; ``wanted`` (production.yaml ``timeline``)
    picks one by file name or stem when there are several."""
    where = folder / "timeline"
    found = sorted(
        path
        for path in (where.iterdir() if where.is_dir() else ())
        if path.is_file()
        and (path.suffix.lower() in ADAPTERS or path.name.lower() == SHOTS_CSV)
        and not path.name.startswith(".")
    )
    choices = [path.name for path in found]
    if not found:
        raise TimelineError(
            "no timeline file; export the final cut as .otio, .edl, .xml (Premiere/FCP7), "
            ".fcpxml, or write shots.csv",
            file=where,
        )
    if len(found) == 1:
        return found[0]
    named = [p for p in found if wanted is not None and wanted in (p.name, p.stem)]
    if len(named) == 1:
        return named[0]
    raise TimelineError(
        f"{len(found)} timeline files; keep one, or name it in production.yaml (timeline: …)",
        file=where,
        field="timeline",
        value=wanted,
        choices=choices,
    )


def read_timeline(folder: Path, production: Production, rate: float | None = None) -> Timeline:
    """Read the final cut of a production folder (``rate`` overrides ``frame_rate`` for EDLs)."""
    path = find_timeline_file(folder, production.timeline)
    display = _display(path, folder)
    frame_rate = rate if rate is not None else production.frame_rate
    if path.name.lower() == SHOTS_CSV:
        placed, sequences, extent = read_shots_csv(path, frame_rate=frame_rate, display=display)
        return _timeline(
            display,
            "shots.csv",
            frame_rate,
            "shots_csv",
            extent,
            placed,
            sequences,
            "read from shots.csv (no edit timeline)",
        )
    return read_timeline_file(
        path, frame_rate=frame_rate, timeline_name=production.timeline, display=display
    )


def read_timeline_file(
    path: Path,
    *,
    frame_rate: float,
    timeline_name: str | None = None,
    display: str | None = None,
) -> Timeline:
    """Read one edit file with OpenTimelineIO. ``frame_rate`` is used for EDLs only."""
    shown = display or str(path)
    adapter = ADAPTERS.get(path.suffix.lower())
    if adapter is None:
        raise TimelineError("not a timeline file", file=shown, choices=[*ADAPTERS, SHOTS_CSV])
    loaded = _load(path, shown, adapter, frame_rate)
    timeline, note = _pick(loaded, timeline_name, path, shown)
    if adapter == "cmx_3600":
        note = _join(note, f"EDL read at {frame_rate:g} fps (an EDL does not say its rate)")
        rate = frame_rate
    else:
        start = timeline.global_start_time
        rate = float(start.rate if start is not None else timeline.duration().rate)
    placed = list(_walk_stack(timeline.tracks, 0.0, (float("-inf"), float("inf")), None, ()))
    extent = max([_track_extent(t) for t in timeline.video_tracks()] or [0.0])
    seen_ends = (
        span.end_s for clip, span in placed if clip.kind == "picture" and span.end_s > span.start_s
    )
    extent = max([extent, *seen_ends])
    return _timeline(shown, timeline.name or path.stem, rate, adapter, extent, placed, {}, note)


def _timeline(
    display: str,
    name: str,
    rate: float,
    adapter: str,
    extent_s: float,
    placed: list[tuple[Clip, Span]],
    sequences: dict[str, str],
    note: str,
) -> Timeline:
    picture = [(clip, span) for clip, span in placed if clip.kind == "picture"]
    audio = sorted(
        (clip for clip, _ in placed if clip.kind == "audio"),
        key=lambda c: (c.record_in_s, c.track, c.name),
    )
    return Timeline(
        path=display,
        name=name,
        rate=rate,
        adapter=adapter,
        duration_s=extent_s,
        shots=assemble_shots(picture, sequences),
        audio=audio,
        note=note,
    )


def _display(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second


def _load(path: Path, shown: str, adapter: str, rate: float) -> Any:
    try:
        if adapter == "cmx_3600":
            return otio.adapters.read_from_file(str(path), adapter_name=adapter, rate=rate)
        return otio.adapters.read_from_file(str(path), adapter_name=adapter)
    except otio.exceptions.UnsupportedSchemaError as exc:
        if adapter == "otio_json":
            return _load_newer_otio(path, shown, exc)
        raise TimelineError(f"cannot read: {exc}", file=shown) from exc
    except _READ_ERRORS as exc:
        found = _EDL_RATE.search(str(exc)) if adapter == "cmx_3600" else None
        if found:
            raise TimelineError(
                f"timecode {found.group(1)} has frames beyond {found.group(2)} at {rate:g} fps; "
                "set frame_rate in production.yaml or pass --rate",
                file=shown,
            ) from exc
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise TimelineError(f"cannot read as {adapter}: {message}", file=shown) from exc


def _load_newer_otio(path: Path, shown: str, first: Exception) -> Any:
    """An .otio written by a newer OpenTimelineIO: step known schemas back, then read.

    Only ``Marker.3`` is known (its colour became a ``Color.1`` object; 0.18 reads
    ``Marker.2`` with a colour name). Anything else stays an error that says so.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TimelineError(f"cannot read: {exc}", file=shown) from exc
    try:
        return otio.adapters.read_from_string(json.dumps(_downgrade(data)), "otio_json")
    except _READ_ERRORS as exc:
        raise TimelineError(
            f"written by a newer OpenTimelineIO than {otio.__version__} ({first}); "
            "re-export it or upgrade opentimelineio",
            file=shown,
        ) from exc


def _downgrade(node: Any) -> Any:
    if isinstance(node, list):
        return [_downgrade(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _downgrade(value) for key, value in node.items()}
    if out.get("OTIO_SCHEMA") == "Marker.3":
        out["OTIO_SCHEMA"] = "Marker.2"
        color = out.get("color")
        if isinstance(color, dict):
            out["color"] = str(color.get("name") or "RED").upper()
    return out


def _timelines(node: Any) -> Iterator[Any]:
    if isinstance(node, otio.schema.Timeline):
        yield node
    elif isinstance(node, otio.schema.SerializableCollection):
        for child in node:
            yield from _timelines(child)


def _pick(loaded: Any, wanted: str | None, path: Path, shown: str) -> tuple[Any, str]:
    """The timeline to use, and a note when the file held several."""
    found = list(_timelines(loaded))
    names = [t.name or f"#{i + 1}" for i, t in enumerate(found)]
    if not found:
        raise TimelineError("holds no timeline (sequence or project)", file=shown)
    if wanted is not None and wanted in names:
        chosen = names.index(wanted)
        note = f"using timeline '{wanted}' (production.yaml timeline)" if len(found) > 1 else ""
        return found[chosen], note
    if len(found) == 1:
        return found[0], ""
    if wanted is not None and wanted not in (path.name, path.stem):
        raise TimelineError(
            "no timeline of that name in the file",
            file=shown,
            field="timeline",
            value=wanted,
            choices=names,
        )
    lengths = [t.duration().to_seconds() for t in found]
    chosen = max(range(len(found)), key=lambda i: (lengths[i], -i))
    listed = ", ".join(f"'{n}' {s:g} s" for n, s in zip(names, lengths, strict=True))
    return found[chosen], (
        f"{path.name} holds {len(found)} timelines ({listed}); using '{names[chosen]}', the "
        "longest (first of equals); set timeline in production.yaml to choose another"
    )


def _track_extent(track: Any) -> float:
    return float(
        sum(
            child.duration().to_seconds()
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


def _walk_stack(
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
        start_s = offset_s + placed.start_time.to_seconds()
        end_s = start_s + placed.duration.to_seconds()
        if isinstance(child, otio.schema.Stack):
            trim = child.source_range
            inner_offset = start_s - (trim.start_time.to_seconds() if trim is not None else 0.0)
            inner_window = (max(window[0], start_s), min(window[1], end_s))
            yield from _walk_stack(child, inner_offset, inner_window, where, where.rank)
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
        duration_s=item.trimmed_range().duration.to_seconds(),
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

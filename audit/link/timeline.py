"""Reading the final cut from ``timeline/``: OTIO, EDL, xmeml, FCPXML, AAF or shots.csv.

OpenTimelineIO and its adapter plugins read OTIO, Premiere/FCP7 xmeml, Avid AAF and EDLs (an EDL
does not state its rate: ``edl.py`` finds which rates fit it). Final Cut's FCPXML is read by
``fcpxml.py`` with exact rational time. This module finds the file, picks the timeline in it and
assembles the shots; ``otiowalk.py`` walks what OTIO returns into placed clips.
Formats, rules and known limits are documented in docs/linking.md.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import opentimelineio as otio

from audit.base.errors import TimelineError
from audit.base.production import Production
from audit.base.rates import Rate, parse_rate
from audit.link import fcpxml
from audit.link.coverage import Span, assemble_shots
from audit.link.edl import read_edl
from audit.link.model import Clip, Shot, Timeline
from audit.link.otiofile import check_bounds, load_otio, otio_timelines
from audit.link.otiowalk import seconds, track_extent, walk_stack
from audit.link.shotscsv import SHOTS_CSV, read_shots_csv
from audit.link.stated import disagreement, xmeml_check

__all__ = ["Clip", "Shot", "Timeline", "find_timeline_file", "read_timeline", "read_timeline_file"]

#: File suffix → reader: an OpenTimelineIO adapter, or Empreinte's own FCPXML reader.
ADAPTERS: dict[str, str] = {
    ".otio": "otio_json",
    ".edl": "cmx_3600",
    ".xml": "fcp_xml",
    ".fcpxml": "fcpx_xml",
    ".fcpxmld": "fcpx_xml",  # a bundle: a folder holding Info.fcpxml
    ".aaf": "AAF",
}


def _is_timeline(path: Path) -> bool:
    suffix = path.suffix.lower()
    if path.name.startswith("."):
        return False
    if suffix == ".fcpxmld":
        return path.is_dir()
    return path.is_file() and (suffix in ADAPTERS or path.name.lower() == SHOTS_CSV)


def find_timeline_file(folder: Path, wanted: str | None = None) -> Path:
    """The one timeline file of ``folder/timeline/``; ``wanted`` (production.yaml ``timeline``)
    picks one by file name or stem when there are several."""
    where = folder / "timeline"
    if where.exists() and not where.resolve().is_relative_to(folder.resolve()):
        raise TimelineError("link points outside the production folder", file=where)
    found = sorted(
        path for path in (where.iterdir() if where.is_dir() else ()) if _is_timeline(path)
    )
    choices = [path.name for path in found]
    if not found:
        raise TimelineError(
            "no timeline file; export the final cut as .otio, .edl, .xml (Premiere/FCP7), "
            ".fcpxml or .fcpxmld (Final Cut Pro), .aaf (Avid), or write shots.csv",
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
    """Read the final cut of a production folder (``rate``, from ``--rate``, overrides
    ``frame_rate``)."""
    path = find_timeline_file(folder, production.timeline)
    display = _display(path, folder)
    frame_rate = parse_rate(rate if rate is not None else production.frame_rate)
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
        path,
        frame_rate=frame_rate,
        timeline_name=production.timeline,
        display=display,
        rate_source="--rate" if rate is not None else "frame_rate",
    )


def read_timeline_file(
    path: Path,
    *,
    frame_rate: float | str,
    timeline_name: str | None = None,
    display: str | None = None,
    rate_source: str = "frame_rate",
) -> Timeline:
    """Read one edit file. ``frame_rate`` is the declared rate: an EDL is read at it when it
    fits (else the error names the rates that do); other formats state their own."""
    shown = display or str(path)
    adapter = ADAPTERS.get(path.suffix.lower())
    if adapter is None:
        raise TimelineError("not a timeline file", file=shown, choices=[*ADAPTERS, SHOTS_CSV])
    declared = parse_rate(frame_rate)
    check_bounds(path, shown, adapter)
    if adapter == "cmx_3600":
        loaded, rate, rate_note = read_edl(_edl_text(path, shown), declared, shown, rate_source)
        timeline, note = _pick(loaded, timeline_name, path, shown)
        return _from_otio(path, shown, adapter, timeline, rate, _join(note, rate_note))
    if adapter == "fcpx_xml":
        read = _read_fcpxml(path, shown, declared, timeline_name)
    else:
        timeline, note = _pick(load_otio(path, shown, adapter), timeline_name, path, shown)
        rate, rate_note = _otio_rate(timeline, declared)
        read = _from_otio(path, shown, adapter, timeline, rate, _join(note, rate_note))
    stated = parse_rate(read.rate)
    if stated.label != declared.label:  # the file's own rate wins; say the declared one differs
        also = f"the file states {stated.label} fps ({rate_source} {declared.label} is for EDLs)"
        read = replace(read, note=_join(read.note, also))
    return read


def _from_otio(
    path: Path, shown: str, adapter: str, timeline: Any, rate: Rate, note: str
) -> Timeline:
    """The cut an OpenTimelineIO adapter read: clips placed, extent, and the file's statement."""
    try:
        placed = list(walk_stack(timeline.tracks, 0.0, (float("-inf"), float("inf")), None, ()))
        extent = max([track_extent(t) for t in timeline.video_tracks()] or [0.0])
    except (
        otio.exceptions.OTIOError,
        ValueError,
        TypeError,
        AttributeError,
        RecursionError,
    ) as exc:
        raise TimelineError(
            f"{adapter} read a timeline whose times cannot be placed ({exc}); re-export the cut",
            file=shown,
        ) from exc
    seen_ends = (
        span.end_s for clip, span in placed if clip.kind == "picture" and span.end_s > span.start_s
    )
    extent = max([extent, *seen_ends])
    if adapter == "fcp_xml":
        length = max(extent, seconds(timeline.duration()))
        read = [(c.name, c.record_in_s, c.record_out_s) for c, _ in placed if c.kind == "picture"]
        note = _join(note, xmeml_check(path, timeline.name, length, rate, read))
    return _timeline(shown, timeline.name or path.stem, rate, adapter, extent, placed, {}, note)


def _read_fcpxml(path: Path, shown: str, declared: Rate, wanted: str | None) -> Timeline:
    root, resources = fcpxml.load(path, shown)
    found = fcpxml.projects(root)
    if not found:
        raise TimelineError(
            "holds no project (a clip or event exported alone); in Final Cut Pro select the "
            "project itself, then File > Export XML",
            file=shown,
        )
    names = [project.name for project in found]
    index, note = _choose(names, [float(p.stated_s) for p in found], wanted, path, shown)
    project = found[index]
    try:
        rate, rate_note = fcpxml.sequence_rate(project.sequence, resources, declared)
        placed, end = fcpxml.read_project(project, resources)
    except ValueError as exc:
        raise TimelineError(f"project '{project.name}': {exc}", file=shown) from exc
    seen = [span.end_s for clip, span in placed if clip.kind == "picture"]
    extent = max([float(end), *seen])
    note = _join(note, rate_note)
    if project.stated_s:  # Final Cut's duration runs to the end of sound past the picture too
        heard = [span.end_s for _, span in placed if span.end_s > span.start_s]
        whole = max([extent, *heard])
        note = _join(note, disagreement("sequence duration", whole, float(project.stated_s), rate))
    return _timeline(shown, project.name, rate, "fcpx_xml", extent, placed, {}, note)


def _edl_text(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TimelineError(f"cannot read: {exc.strerror or exc}", file=shown) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _otio_rate(timeline: Any, declared: Rate) -> tuple[Rate, str]:
    """The rate a timeline states (global start time, else its duration's), made exact."""
    start = timeline.global_start_time
    stated = float(start.rate if start is not None else timeline.duration().rate)
    try:
        return parse_rate(stated), ""
    except ValueError:
        return declared, f"the timeline states no usable rate ({stated:g}); {declared.label} used"


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
    return "; ".join(part for part in (first, second) if part)


def _pick(loaded: Any, wanted: str | None, path: Path, shown: str) -> tuple[Any, str]:
    """The timeline to use, and a note when the file held several."""
    found = list(otio_timelines(loaded))
    names = [t.name or f"#{i + 1}" for i, t in enumerate(found)]
    lengths = [seconds(t.duration()) for t in found]
    index, note = _choose(names, lengths, wanted, path, shown)
    return found[index], note


def _choose(
    names: list[str], lengths: list[float], wanted: str | None, path: Path, shown: str
) -> tuple[int, str]:
    """Which of a file's timelines to use: the one named, the only one, else the longest."""
    if not names:
        raise TimelineError("holds no timeline (sequence or project)", file=shown)
    if wanted is not None and wanted in names:
        chosen = names.index(wanted)
        note = f"using timeline '{wanted}' (production.yaml timeline)" if len(names) > 1 else ""
        return chosen, note
    if len(names) == 1:
        return 0, ""
    if wanted is not None and wanted not in (path.name, path.stem):
        raise TimelineError(
            "no timeline of that name in the file",
            file=shown,
            field="timeline",
            value=wanted,
            choices=names,
        )
    chosen = max(range(len(names)), key=lambda i: (lengths[i], -i))
    listed = ", ".join(f"'{n}' {s:g} s" for n, s in zip(names, lengths, strict=True))
    return chosen, (
        f"{path.name} holds {len(names)} timelines ({listed}); using '{names[chosen]}', the "
        "longest (first of equals); set timeline in production.yaml to choose another"
    )

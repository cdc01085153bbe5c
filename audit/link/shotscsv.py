"""``timeline/shots.csv``: the shot list of a production without an exported edit.

Columns (header names, any order; others are ignored): ``shot_id`` and ``duration_s`` required;
``sequence``, ``record_in`` (seconds, or a timecode ``HH:MM:SS:FF`` at the production's frame
rate; ``HH:MM:SS;FF`` at 29.97 or 59.94 is drop frame), ``media`` (file name or URL of the clip's media) and ``kind`` (``picture`` or ``audio``)
optional. A French Excel file (``;``, decimal comma, cp1252) reads the same.
"""

from __future__ import annotations

import re
from pathlib import Path

from audit.base.errors import InputError, TimelineError
from audit.base.limits import MAX_TIMELINE_BYTES, check_size
from audit.base.rates import Rate, parse_rate, timecode_frames
from audit.base.textio import parse_number, read_csv_rows
from audit.link.coverage import Span
from audit.link.model import Clip, ClipKind
from audit.link.names import basename, shot_id_in

SHOTS_CSV = "shots.csv"
COLUMNS = ("shot_id", "sequence", "record_in", "duration_s", "media", "kind")
_REQUIRED = ("shot_id", "duration_s")
_KINDS = ("picture", "audio")
_TIMECODE = re.compile(r"^\d{1,2}:\d{2}:\d{2}[:;]\d{2}$")
_CLOCK = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2}(?:[.,]\d+)?)$")


def read_shots_csv(
    path: Path, *, frame_rate: float | str, display: str
) -> tuple[list[tuple[Clip, Span]], dict[str, str], float]:
    """Clips placed on the cut, sequences by shot id, and the picture extent in seconds.

    A blank ``record_in`` follows the previous row of the same kind. Timecodes count from the
    earliest one (edits often start at 01:00:00:00).
    """
    try:
        check_size(path, MAX_TIMELINE_BYTES, "shots.csv")
        rows = list(read_csv_rows(path))
    except InputError as exc:
        raise TimelineError(exc.reason, file=display, locator=exc.locator) from exc
    header = set(rows[0][1]) if rows else set()
    for column in _REQUIRED:
        if rows and column not in header:
            raise TimelineError(
                "missing column", file=display, locator=1, field=column, choices=COLUMNS
            )
    rate = parse_rate(frame_rate)
    starts = [_record_in(row, line, rate, display) for line, row in rows]
    origin = min((s for s, is_tc in starts if s is not None and is_tc), default=0.0)
    placed: list[tuple[Clip, Span]] = []
    sequences: dict[str, str] = {}
    ends = {"picture": 0.0, "audio": 0.0}
    for (line, row), (start, is_tc) in zip(rows, starts, strict=True):
        kind = _kind(row, line, display)
        duration_s = _duration(row, line, display)
        if start is None:
            record_in_s = ends[kind]
        else:
            record_in_s = rate.seconds(int(start - origin)) if is_tc else start
        clip = _clip(row, kind, record_in_s, duration_s, line, display)
        ends[kind] = clip.record_out_s
        if row.get("sequence"):
            sequences.setdefault(clip.shot_id, row["sequence"])
        placed.append((clip, Span(clip.record_in_s, clip.record_out_s, (1, 1))))
    extent = max((c.record_out_s for c, _ in placed if c.kind == "picture"), default=0.0)
    return placed, sequences, extent


def _clip(
    row: dict[str, str],
    kind: ClipKind,
    record_in_s: float,
    duration_s: float,
    line: int,
    display: str,
) -> Clip:
    raw_id = row.get("shot_id", "")
    if not raw_id:
        raise TimelineError("empty shot id", file=display, locator=line, field="shot_id")
    media = row.get("media") or None
    return Clip(
        name=raw_id,
        media_name=basename(media),
        media_url=media,
        kind=kind,
        track=1,
        record_in_s=record_in_s,
        duration_s=duration_s,
        shot_id=shot_id_in(raw_id) or raw_id,
    )


def _kind(row: dict[str, str], line: int, display: str) -> ClipKind:
    raw = (row.get("kind") or "picture").lower()
    if raw == "audio":
        return "audio"
    if raw == "picture":
        return "picture"
    raise TimelineError(
        "unknown kind", file=display, locator=line, field="kind", value=raw, choices=_KINDS
    )


def _duration(row: dict[str, str], line: int, display: str) -> float:
    raw = row.get("duration_s", "")
    try:
        value = parse_number(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise TimelineError(
            "must be a positive number of seconds",
            file=display,
            locator=line,
            field="duration_s",
            value=raw,
        )
    return value


def _record_in(
    row: dict[str, str], line: int, rate: Rate, display: str
) -> tuple[float | None, bool]:
    """(seconds, False), or (frames, True) for a timecode; (None, False) when blank."""
    raw = row.get("record_in", "")
    if not raw:
        return None, False
    if _TIMECODE.match(raw):
        try:
            return timecode_frames(raw, rate), True
        except ValueError as exc:
            raise TimelineError(
                f"{exc}; set frame_rate in production.yaml or pass --rate",
                file=display,
                locator=line,
                field="record_in",
                value=raw,
            ) from None
    clock = _CLOCK.match(raw)
    if clock:
        hours_text, minutes_text, seconds_text = clock.groups()
        hours = int(hours_text or 0)
        return hours * 3600 + int(minutes_text) * 60 + parse_number(seconds_text), False
    try:
        value = parse_number(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        raise TimelineError(
            "must be seconds (12.5), MM:SS.s or a timecode (HH:MM:SS:FF)",
            file=display,
            locator=line,
            field="record_in",
            value=raw,
        )
    return value, False

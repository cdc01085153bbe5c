"""What a timeline file says of itself, checked against what was read from its clips.

FCPXML states each sequence's ``duration``; Premiere / Final Cut 7 xmeml states a sequence's
``<duration>`` in frames at its ``<rate>`` (``<ntsc>TRUE</ntsc>`` makes 24 into 24000/1001).
When the clips read do not end where the file says (more than one frame apart), or the rate read
is not the rate stated, the timeline's note carries a warning: the figures per minute and the
shares of the film rest on these numbers.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree as ET

from audit.base.rates import Rate


def disagreement(what: str, read_s: float, stated_s: float, rate: Rate) -> str:
    """A warning when ``read_s`` and ``stated_s`` are more than one frame apart, else ''."""
    if abs(read_s - stated_s) <= 1 / float(rate) + 1e-9:
        return ""
    return (
        f"warning: the clips read end at {read_s:.3f} s but the file's {what} is "
        f"{stated_s:.3f} s ({(read_s - stated_s) * float(rate):+.0f} frames at {rate.label} fps)"
    )


def _sequence(path: Path, name: str | None) -> ET.Element | None:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    sequences = list(root.iter("sequence"))
    named = [s for s in sequences if (s.findtext("name") or "") == (name or "")]
    found = named or sequences
    return found[0] if found else None


def _sequence_rate(sequence: ET.Element) -> Fraction | None:
    timebase = (sequence.findtext("rate/timebase") or "").strip()
    ntsc = (sequence.findtext("rate/ntsc") or "").strip().upper() == "TRUE"
    if not timebase.isdigit() or int(timebase) == 0:
        return None
    return Fraction(int(timebase) * (1000 if ntsc else 1), 1001 if ntsc else 1)


def xmeml_stated(path: Path, name: str | None) -> tuple[Fraction, Fraction] | None:
    """(duration in seconds, rate) the xmeml sequence named ``name`` states, if it does."""
    sequence = _sequence(path, name)
    rate = _sequence_rate(sequence) if sequence is not None else None
    frames = (sequence.findtext("duration") or "").strip() if sequence is not None else ""
    if rate is None or not frames.isdigit():
        return None
    return Fraction(int(frames)) / rate, rate


def xmeml_placements(path: Path, name: str | None) -> list[tuple[str, Fraction, Fraction]]:
    """(name, start s, end s) of each clipitem of the sequence's video tracks, where the file
    states both (``-1`` marks an edge under a transition); nested sequences are left out."""
    sequence = _sequence(path, name)
    rate = _sequence_rate(sequence) if sequence is not None else None
    if sequence is None or rate is None:
        return []
    found = []
    for item in sequence.iterfind("media/video/track/clipitem"):
        start, end = ((item.findtext(tag) or "").strip() for tag in ("start", "end"))
        enabled = (item.findtext("enabled") or "TRUE").strip().upper() != "FALSE"
        nested = item.find("sequence") is not None  # its clips are placed inside it
        if enabled and not nested and start.isdigit() and end.isdigit():
            name_text = (item.findtext("name") or "").strip()
            found.append((name_text, int(start) / rate, int(end) / rate))
    return found


def misplaced(
    stated: list[tuple[str, Fraction, Fraction]],
    read: list[tuple[str, float, float]],
    rate: Rate,
) -> str:
    """A warning naming the clips not read where the file places them (within one frame)."""
    frame = 1 / float(rate) + 1e-9
    off = [
        (name, start)
        for name, start, end in stated
        if not any(
            name == other and abs(start - a) <= frame and abs(end - b) <= frame
            for other, a, b in read
        )
    ]
    if not off:
        return ""
    name, start = off[0]
    return (
        f"warning: {len(off)} of {len(stated)} clips are not read where the file places them "
        f"(first: '{name}' at {float(start):.3f} s)"
    )


def xmeml_check(
    path: Path, name: str | None, read_s: float, rate: Rate, read: list[tuple[str, float, float]]
) -> str:
    """Warnings when an xmeml sequence's own duration, rate or clip places disagree with what
    was read."""
    stated = xmeml_stated(path, name)
    if stated is None:
        return ""
    duration_s, stated_rate = stated
    notes = []
    if stated_rate != rate.exact:
        notes.append(
            f"warning: the sequence states {float(stated_rate):.3f} fps, read {rate.label}"
        )
    if found := disagreement("sequence duration", read_s, float(duration_s), rate):
        notes.append(found)
    if found := misplaced(xmeml_placements(path, name), read, rate):
        notes.append(found)
    return "; ".join(notes)

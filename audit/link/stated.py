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

from audit.rates import Rate


def disagreement(what: str, read_s: float, stated_s: float, rate: Rate) -> str:
    """A warning when ``read_s`` and ``stated_s`` are more than one frame apart, else ''."""
    if abs(read_s - stated_s) <= 1 / float(rate) + 1e-9:
        return ""
    return (
        f"warning: the clips read end at {read_s:.3f} s but the file's {what} is "
        f"{stated_s:.3f} s ({(read_s - stated_s) * float(rate):+.0f} frames at {rate.label} fps)"
    )


def xmeml_stated(path: Path, name: str | None) -> tuple[Fraction, Fraction] | None:
    """(duration in seconds, rate) the xmeml sequence named ``name`` states, if it does."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    sequences = list(root.iter("sequence"))
    named = [s for s in sequences if (s.findtext("name") or "") == (name or "")]
    for sequence in named or sequences[:1]:
        timebase = sequence.findtext("rate/timebase")
        frames = sequence.findtext("duration")
        if not (timebase and frames):
            return None
        ntsc = (sequence.findtext("rate/ntsc") or "").strip().upper() == "TRUE"
        try:
            rate = Fraction(int(timebase.strip()) * (1000 if ntsc else 1), 1001 if ntsc else 1)
            return Fraction(int(frames.strip())) / rate, rate
        except (ValueError, ZeroDivisionError):
            return None
    return None


def xmeml_check(path: Path, name: str | None, read_s: float, rate: Rate) -> str:
    """Warnings when an xmeml sequence's own duration or rate disagree with what was read."""
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
    return "; ".join(notes)

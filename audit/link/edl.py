"""CMX 3600 EDLs: the frame rate the file does not state, checked against what it holds.

An EDL is a list of events, each with source and record timecodes; nothing says at what rate
they count. What the file does say narrows it down: the ``FCM:`` line (drop frame or not), the
largest frame number seen (frame 24 rules out 24 fps), and every event's source and record
durations, which agree (in frames) only at the rate the EDL was written at. The declared rate
(``frame_rate`` in production.yaml, or ``--rate``) is used when it fits; when it cannot be right,
the error names the rates that would fit. See docs/linking.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import opentimelineio as otio

from audit.base.errors import TimelineError
from audit.base.rates import COMMON_RATES, Rate, timecode_frames
from audit.link.otiofile import READ_ERRORS

_TC = r"\d{1,2}[:;.]\d{2}[:;.]\d{2}[:;.,]\d{2}"
_EVENT = re.compile(rf"^\s*(\d{{1,6}})\s+(\S+)\s.*?({_TC})\s+({_TC})\s+({_TC})\s+({_TC})\s*$")
#: Share of events whose durations may disagree at the EDL's rate (unflagged speed changes).
_MOSTLY = 0.2
#: Reels that are black or colour, not media: their source timecodes mean nothing.
_NO_SOURCE = {"BL", "BLK", "BLACK", "AX_BL"}
_ANY_TC = re.compile(r"\b(\d{1,2}:\d{2}:\d{2})[:.,](\d{2})\b")
_FRAMES = re.compile(r"[:;.,](\d{2})$")
#: Lines saying the event's source runs at another speed than the record (so durations differ).
_SPEED = re.compile(r"^\s*(M2\s|\*\s*\*?\s*FREEZE FRAME)", re.IGNORECASE)


@dataclass
class EdlFacts:
    """What an EDL says about its own rate."""

    fcm_drop: bool | None = None
    semicolons: bool = False
    largest: tuple[int, str] = (-1, "")
    #: (event number, source in, source out, record in, record out) of events at normal speed
    events: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    #: events whose source has no length but whose record has (a sound EDL's placeholders)
    empty_sources: list[str] = field(default_factory=list)

    def misfit(self, rate: Rate) -> str | None:
        """Why the ``FCM:`` line or a frame number rules ``rate`` out, or None."""
        drop = self.fcm_drop if self.fcm_drop is not None else self.semicolons
        if rate.drop_frame != drop:
            if self.fcm_drop is None:
                return "drop-frame timecode (;)" if drop else "no drop-frame timecode (;)"
            return "FCM: DROP FRAME" if drop else "FCM: NON-DROP FRAME"
        if self.largest[0] >= rate.nominal:
            return f"frame {self.largest[0]} seen in {self.largest[1]}"
        return None

    def disagreements(self, rate: Rate) -> list[str]:
        """Events whose source and record durations differ when counted at ``rate``."""
        found = []
        for number, *codes in self.events:
            src_in, src_out, rec_in, rec_out = (timecode_frames(tc, rate) for tc in codes)
            if src_out - src_in != rec_out - rec_in:
                found.append(
                    f"event {number}: source {codes[0]}–{codes[1]} and record "
                    f"{codes[2]}–{codes[3]} last {src_out - src_in} and {rec_out - rec_in} frames"
                )
        return found


def edl_facts(text: str) -> EdlFacts:
    """Read the rate clues of an EDL's text: its ``FCM:`` lines, drop-frame separators, the largest
    frame number and its events at normal speed (whose durations are later counted at each rate)."""
    facts = EdlFacts()
    pending: tuple[str, str, str, str, str] | None = None
    for line in text.splitlines():
        upper = line.strip().upper()
        if upper.startswith("FCM:"):
            facts.fcm_drop = "NON" not in upper and "DROP" in upper
            continue
        found = _EVENT.match(line)
        if found is None:
            if pending is not None and _SPEED.match(line):
                pending = None
            continue
        if pending is not None:
            facts.events.append(pending)
        number, reel, src_in, src_out, rec_in, rec_out = found.groups()
        codes = (src_in, src_out, rec_in, rec_out)
        pending = (number, *codes)
        if reel.upper() in _NO_SOURCE:
            pending = None
        elif codes[0] == codes[1] and codes[2] != codes[3]:
            facts.empty_sources.append(number)
            pending = None
        for code in codes:
            facts.semicolons |= ";" in code
            frame = _FRAMES.search(code)
            assert frame is not None  # every code matched _TC, which ends in two digits
            frames = int(frame.group(1))
            if frames > facts.largest[0]:
                facts.largest = (frames, code)
    if pending is not None:
        facts.events.append(pending)
    return facts


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def pick_edl_rate(
    facts: EdlFacts, declared: Rate, shown: str, source: str
) -> tuple[Rate, str, list[str]]:
    """The rate to read the EDL at, a note saying how it was chosen, and the events whose
    durations disagree even at that rate (speed changes the EDL does not flag)."""
    framed = [rate for rate in COMMON_RATES if facts.misfit(rate) is None]
    seen = {rate.label: facts.disagreements(rate) for rate in framed}
    bad = dict(seen)
    least = min((len(found) for found in bad.values()), default=0)
    # durations decide only when, at the best rate, most events agree; sound EDLs whose sources
    # count at another rate (pycmx tests/edls/INS4_R1_DX_092117.edl) disagree nearly everywhere
    if least > _MOSTLY * len(facts.events):
        bad = {label: [] for label in bad}
        least = 0
    labels = [rate.label for rate in framed if len(bad[rate.label]) == least]
    if declared.label in labels:
        others = [label for label in labels if label != declared.label]
        also = f"; it also reads at {_join(others[:4])}" if others else ""
        return (
            declared,
            f"EDL read at {declared.label} fps ({source}; an EDL does not state its rate, "
            f"checked against its timecodes{also})",
            seen[declared.label],
        )
    why = facts.misfit(declared) or bad[declared.label][0]
    fits = f"it reads at {_join(labels[:4])}" if labels else "no usual rate fits it"
    fix = "set frame_rate in production.yaml" if source == "frame_rate" else "pass another --rate"
    raise TimelineError(
        f"{source} {declared.label} does not fit this EDL ({why}); {fits} — {fix}", file=shown
    )


def read_edl(text: str, rate: Rate, shown: str, source: str) -> tuple[Any, Rate, str]:
    """An EDL's text read with OpenTimelineIO at the rate that fits it: (timeline, rate, note)."""
    facts = edl_facts(text)
    chosen, note, unflagged = pick_edl_rate(facts, rate, shown, source)
    if chosen.drop_frame:  # OpenTimelineIO counts drop frame only with ';' before the frames
        text = _ANY_TC.sub(r"\1;\2", text)
    loose = bool(unflagged or facts.empty_sources)
    if unflagged:
        note += (
            f"; {len(unflagged)} event(s) whose source and record durations differ (a speed "
            f"change the EDL does not flag, or sources counted at another rate; first "
            f"{unflagged[0]}) read at their source length"
        )
    if facts.empty_sources:
        note += (
            f"; {len(facts.empty_sources)} event(s) with an empty source range (first "
            f"{facts.empty_sources[0]}) kept at their source length"
        )
    try:
        loaded = _otio_edl(text, chosen, loose)
    except READ_ERRORS as exc:  # the plugin's own failures included: the file is what it fails on
        strict = _said(exc)
        if loose:
            raise _unreadable(chosen, strict, shown) from exc
        try:  # OTIO stops on the first mismatch or overlap; read on, at source lengths, and say so
            loaded = _otio_edl(text, chosen, True)
        except READ_ERRORS as again:
            raise _unreadable(chosen, _said(again), shown) from again
        note += f"; read past OpenTimelineIO's objection ({strict}), at source lengths"
    return loaded, chosen, note


def _otio_edl(text: str, rate: Rate, loose: bool) -> Any:
    return otio.adapters.read_from_string(
        text, "cmx_3600", rate=float(rate.exact), ignore_timecode_mismatch=loose
    )


def _said(exc: Exception) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    if "duration don't match" in message:  # never OTIO's RationalTime text
        found = re.search(r"for clip (.*)$", message)
        return "source and record durations differ" + (f" for {found.group(1)}" if found else "")
    return message


def _unreadable(rate: Rate, message: str, shown: str) -> TimelineError:
    return TimelineError(
        f"cannot read this EDL at {rate.label} fps: {message}; check that event, or re-export "
        "the EDL (CMX 3600)",
        file=shown,
    )

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

from audit.errors import TimelineError
from audit.rates import COMMON_RATES, Rate, timecode_frames

_TC = r"\d{1,2}[:;.]\d{2}[:;.]\d{2}[:;.,]\d{2}"
_EVENT = re.compile(rf"^\s*(\d{{1,6}})\s.*?({_TC})\s+({_TC})\s+({_TC})\s+({_TC})\s*$")
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

    def misfit(self, rate: Rate, *, durations: bool = True) -> str | None:
        """Why ``rate`` cannot be this EDL's rate, or None when it fits."""
        drop = self.fcm_drop if self.fcm_drop is not None else self.semicolons
        if rate.drop_frame != drop:
            if self.fcm_drop is None:
                return "drop-frame timecode (;)" if drop else "no drop-frame timecode (;)"
            return "FCM: DROP FRAME" if drop else "FCM: NON-DROP FRAME"
        if self.largest[0] >= rate.nominal:
            return f"frame {self.largest[0]} seen in {self.largest[1]}"
        for number, *codes in self.events if durations else ():
            src_in, src_out, rec_in, rec_out = (timecode_frames(tc, rate) for tc in codes)
            if src_out - src_in != rec_out - rec_in:
                return (
                    f"event {number}: source {codes[0]}–{codes[1]} and record "
                    f"{codes[2]}–{codes[3]} last {src_out - src_in} and {rec_out - rec_in} frames"
                )
        return None


def edl_facts(text: str) -> EdlFacts:
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
        number, *codes = found.groups()
        pending = (number, *codes)  # type: ignore[assignment]
        if codes[0] == codes[1] and codes[2] != codes[3]:
            facts.empty_sources.append(number)
            pending = None
        for code in codes:
            facts.semicolons |= ";" in code
            frames = int(_FRAMES.search(code).group(1))  # type: ignore[union-attr]
            if frames > facts.largest[0]:
                facts.largest = (frames, code)
    if pending is not None:
        facts.events.append(pending)
    return facts


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def pick_edl_rate(facts: EdlFacts, declared: Rate, shown: str, source: str) -> tuple[Rate, str]:
    """The rate to read the EDL at, and a note saying how it was chosen."""
    fitting = [rate for rate in COMMON_RATES if facts.misfit(rate) is None]
    checked = "events' durations"
    if not fitting:  # durations disagree at every rate: an unflagged speed change
        fitting = [rate for rate in COMMON_RATES if facts.misfit(rate, durations=False) is None]
        checked = "frame numbers (source and record durations disagree at every rate)"
    labels = [rate.label for rate in fitting]
    declared_fits = facts.misfit(declared, durations=checked.startswith("events"))
    if declared_fits is None:
        others = [label for label in labels if label != declared.label]
        also = f"; it also reads at {_join(others[:4])}" if others else ""
        return declared, (
            f"EDL read at {declared.label} fps ({source}; an EDL does not state its rate, "
            f"checked against its {checked}{also})"
        )
    fits = f"it reads at {_join(labels[:4])}" if labels else "no usual rate fits it"
    fix = "set frame_rate in production.yaml" if source == "frame_rate" else "pass another --rate"
    raise TimelineError(
        f"{source} {declared.label} does not fit this EDL ({declared_fits}); {fits} — {fix}",
        file=shown,
    )


def read_edl(text: str, rate: Rate, shown: str, source: str) -> tuple[Any, Rate, str]:
    """An EDL's text read with OpenTimelineIO at the rate that fits it: (timeline, rate, note)."""
    facts = edl_facts(text)
    chosen, note = pick_edl_rate(facts, rate, shown, source)
    if chosen.drop_frame:  # OpenTimelineIO counts drop frame only with ';' before the frames
        text = _ANY_TC.sub(r"\1;\2", text)
    loose = "disagree at every rate" in note or bool(facts.empty_sources)
    if facts.empty_sources:
        note += (
            f"; {len(facts.empty_sources)} event(s) with an empty source range (first "
            f"{facts.empty_sources[0]}) kept at their source length"
        )
    try:
        loaded = otio.adapters.read_from_string(
            text, "cmx_3600", rate=float(chosen.exact), ignore_timecode_mismatch=loose
        )
    except (otio.exceptions.OTIOError, ValueError, KeyError, TypeError, IndexError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        if "duration don't match" in message:  # facts said it fits: only a speed change is left
            message = "an event's source and record durations differ"
        raise TimelineError(
            f"cannot read this EDL at {chosen.label} fps: {message}; check the event, or "
            "re-export the EDL (CMX 3600)",
            file=shown,
        ) from exc
    return loaded, chosen, note

"""What the linker knows about the final cut: clips, shots and the timeline that holds them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ClipKind = Literal["picture", "audio"]


#: Use status codes of a generation, and their names (audit.json, generations and findings).
IN_FILM, POSSIBLY, NOT_IN_FILM = 0, 1, 2
USE_NAMES = ("in_film", "possibly_in_film", "not_in_film")


@dataclass(frozen=True)
class Clip:
    """One clip of the cut, on a picture or an audio track.

    ``record_in_s`` is where the clip starts in the cut (seconds from the start of the timeline,
    through any compound clip that holds it); ``duration_s`` is its own trimmed length, as
    OpenTimelineIO reads it. ``track`` counts picture tracks (V1, V2…) and audio tracks (A1…)
    separately, from 1, as editing software does; a clip inside a compound clip carries the track
    of the compound clip.
    """

    name: str
    media_name: str | None
    media_url: str | None
    kind: ClipKind
    track: int
    record_in_s: float
    duration_s: float
    shot_id: str

    @property
    def record_out_s(self) -> float:
        """Where the clip ends on the timeline, in seconds."""
        return self.record_in_s + self.duration_s


@dataclass(frozen=True)
class Shot:
    """The clips that share one shot id. ``duration_s`` is the shot's visible screen time."""

    shot_id: str
    sequence: str | None
    kind: ClipKind
    record_in_s: float
    duration_s: float
    clips: tuple[Clip, ...]


@dataclass(frozen=True)
class Timeline:
    """The final cut, as read from ``timeline/``.

    ``duration_s`` is the picture extent (end of the longest picture track); the shots' durations
    add up to it less the time no picture clip covers (:attr:`gap_s`).
    """

    path: str
    name: str
    rate: float
    adapter: str
    duration_s: float
    shots: list[Shot]
    audio: list[Clip]
    note: str

    @property
    def clips(self) -> list[Clip]:
        """Every clip, picture then audio, in timeline order."""
        picture = sorted(
            (clip for shot in self.shots for clip in shot.clips),
            key=lambda c: (c.record_in_s, c.track, c.name),
        )
        return [*picture, *self.audio]

    @property
    def gap_s(self) -> float:
        """Picture time no clip covers (black), seconds."""
        return max(0.0, self.duration_s - sum(shot.duration_s for shot in self.shots))

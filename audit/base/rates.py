"""Frame rates as editors write them, and SMPTE timecode (drop frame included).

``23.976``, ``23.98``, ``24000/1001`` and ``23,976`` are the same rate: 24000/1001 frames per
second. :func:`parse_rate` maps what people write (in ``production.yaml``, ``--rate`` or a
timeline) to the exact rational rate; :class:`Rate` is a ``float`` (so it goes wherever a number of
frames per second does) that also keeps the exact fraction and the drop-frame flag.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

__all__ = ["COMMON_RATES", "Rate", "parse_rate", "timecode_frames"]

#: How the rates editors use are written; ``parse_rate`` accepts any of them (and others).
RATE_FORMS = "23.976, 23.98, 24000/1001, 24, 25, 29.97, 29.97 DF, 30, 48, 50, 59.94, 60"
_NTSC_BASES = (24, 30, 48, 60, 96, 120)
_NTSC_TOLERANCE = 0.011  # 23.97, 23.976 and 23.98 are all 24000/1001; 24 is not
#: Suffixes saying drop frame or not, longest first (``ndf`` before ``df``).
_DROP_SUFFIXES = (
    ("non-drop frame", False),
    ("non drop frame", False),
    ("non-drop", False),
    ("nondrop", False),
    ("ndf", False),
    ("drop frame", True),
    ("drop-frame", True),
    ("drop", True),
    ("df", True),
)
_TIMECODE = re.compile(r"^(\d{1,2})[:;.](\d{2})[:;.](\d{2})([:;.,])(\d{2,3})$")


class Rate(float):
    """Frames per second: a float, with the exact fraction and the drop-frame flag."""

    exact: Fraction
    drop_frame: bool

    def __new__(cls, exact: Fraction | int, drop_frame: bool = False) -> Rate:
        value = Fraction(exact)
        made = super().__new__(cls, float(value))
        made.exact = value
        made.drop_frame = drop_frame
        return made

    def __reduce__(self) -> tuple[type[Rate], tuple[Fraction, bool]]:
        return (Rate, (self.exact, self.drop_frame))

    @property
    def nominal(self) -> int:
        """Frames counted per second of timecode (24 for 23.976, 30 for 29.97)."""
        return round(self.exact)

    @property
    def label(self) -> str:
        """As editors write it: ``23.976``, ``29.97 DF``, ``25``."""
        if self.exact.denominator == 1:
            text = str(self.exact.numerator)
        elif self.exact.denominator == 1001:
            text = f"{float(self.exact):.3f}".rstrip("0").rstrip(".")
            text = "23.976" if self.nominal == 24 else text
        else:
            text = f"{float(self.exact):.3f}".rstrip("0").rstrip(".")
        return f"{text} DF" if self.drop_frame else text

    def seconds(self, frames: int | Fraction) -> float:
        """Seconds of ``frames`` frames at this rate."""
        return float(Fraction(frames) / self.exact)


#: The rates of cinema and television, in the order an EDL's rate is guessed.
COMMON_RATES: tuple[Rate, ...] = (
    Rate(24),
    Rate(Fraction(24000, 1001)),
    Rate(25),
    Rate(30),
    Rate(Fraction(30000, 1001)),
    Rate(Fraction(30000, 1001), drop_frame=True),
    Rate(48),
    Rate(Fraction(48000, 1001)),
    Rate(50),
    Rate(60),
    Rate(Fraction(60000, 1001)),
    Rate(Fraction(60000, 1001), drop_frame=True),
)


def parse_rate(value: object) -> Rate:
    """The exact rate of ``value`` (a number, a ``Rate``, or text such as ``29.97 DF``).

    Raises ValueError with a message naming the accepted forms.
    """
    if isinstance(value, Rate):
        return value
    drop: bool | None = None
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction | str):
        raise ValueError(f"not a frame rate; write it as {RATE_FORMS}")
    if isinstance(value, str):
        text, drop = _drop_suffix(value.strip().lower())
        text = text.removesuffix("fps").removesuffix("i").removesuffix("p").strip()
        number = _number(text.replace(",", "."))
    elif isinstance(value, float) and not math.isfinite(value):  # .nan, .inf in YAML
        raise ValueError(f"not a frame rate; write it as {RATE_FORMS}")
    else:
        number = Fraction(value)
    if not 0 < number <= 240:
        raise ValueError(f"frame rate out of range (0, 240]; write it as {RATE_FORMS}")
    exact = _snap(number)
    if drop and exact not in (Fraction(30000, 1001), Fraction(60000, 1001)):
        raise ValueError("drop-frame timecode exists only at 29.97 and 59.94")
    return Rate(exact, drop_frame=bool(drop))


def _drop_suffix(text: str) -> tuple[str, bool | None]:
    for suffix, is_drop in _DROP_SUFFIXES:
        if text.endswith(suffix):
            return text.removesuffix(suffix).rstrip(" -"), is_drop
    return text, None


def _number(text: str) -> Fraction:
    try:
        if "/" in text:
            top, bottom = text.split("/", 1)
            return Fraction(int(top.strip()), int(bottom.strip()))
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"not a frame rate; write it as {RATE_FORMS}") from None


def _snap(number: Fraction) -> Fraction:
    """24000/1001 for anything written near 23.976; whole rates stay whole."""
    for base in _NTSC_BASES:
        ntsc = Fraction(base * 1000, 1001)
        if abs(number - ntsc) < _NTSC_TOLERANCE:
            return ntsc
    if abs(number - round(number)) < Fraction(1, 10**6):
        return Fraction(round(number))
    return number.limit_denominator(1001)


def timecode_frames(timecode: str, rate: Rate) -> int:
    """Frames from 00:00:00:00 to ``timecode`` (``HH:MM:SS:FF``; ``;`` before FF means drop frame).

    Raises ValueError when the timecode is malformed or its frames do not fit the rate.
    """
    found = _TIMECODE.match(timecode.strip())
    if found is None:
        raise ValueError("not a timecode HH:MM:SS:FF")
    hours, minutes, secs, _, frames = (
        int(part) if index != 3 else 0 for index, part in enumerate(found.groups())
    )
    nominal = rate.nominal
    if frames >= nominal or minutes > 59 or secs > 59:
        raise ValueError(f"timecode has frame {frames}, beyond {nominal - 1} at {rate.label} fps")
    drop = rate.drop_frame or (found.group(4) in ";," and rate.exact.denominator == 1001)
    total = (hours * 3600 + minutes * 60 + secs) * nominal + frames
    if drop and nominal in (30, 60):
        per_minute = nominal // 15  # 2 frames at 29.97, 4 at 59.94
        all_minutes = hours * 60 + minutes
        total -= per_minute * (all_minutes - all_minutes // 10)
    return total

"""Linking: every generation to a shot of the final cut, every attempt counted.

:func:`read_timeline` reads the cut from ``timeline/``; :func:`link` joins generations to its
shots and audio cues. See docs/linking.md.
"""

from audit.link.linker import link
from audit.link.model import Clip, Shot, Timeline
from audit.link.result import Allocation, CutSummary, LinkResult, ShotLink
from audit.link.timeline import read_timeline, read_timeline_file

__all__ = [
    "Allocation",
    "Clip",
    "CutSummary",
    "LinkResult",
    "Shot",
    "ShotLink",
    "Timeline",
    "link",
    "read_timeline",
    "read_timeline_file",
]

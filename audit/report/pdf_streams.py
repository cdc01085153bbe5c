"""The PDF's streams made into bytes once, just before pydyf writes the file.

pydyf 0.13's ``PDF.write`` asks every object for its bytes (``data``) to write it and, when the
file has an identifier (PDF/A needs one), asks every object again to hash the whole file for the
second half of ``/ID``: each page's content stream and font is compressed a second time at zlib's
level 9, and each attached file (76 MiB at 1,000,000 generations) copied twice more. A
:class:`Frozen` object holds the bytes its stream gave the first time, so the file written is
the same, byte for byte, for a third of pydyf's writing time.

Only public parts of pydyf are used: ``PDF.objects``, and an object's ``number``,
``generation``, ``offset``, ``free``, ``data`` and ``compressible``, from which ``PDF.write``
makes the file.
"""

from __future__ import annotations

from typing import Any

import pydyf


# pydyf ships no types: its Object is Any to mypy, so subclassing it is flagged
class Frozen(pydyf.Object):  # type: ignore[misc]
    """A PDF object whose bytes (``data``) were made once, from ``original``, in its place
    (same number, generation and state). A stream never goes into a compressed object stream:
    neither does its frozen copy."""

    def __init__(self, original: Any) -> None:
        super().__init__()
        self.number = original.number
        self.generation = original.generation
        self.offset = original.offset
        self.free = original.free
        self._data: bytes = original.data

    @property
    def data(self) -> bytes:
        """The bytes the stream gave when frozen (its dictionary, ``stream``, its content)."""
        return self._data

    @property
    def compressible(self) -> bool:
        """Never: pydyf writes streams outside the compressed object stream."""
        return False


def freeze_streams(pdf: Any) -> int:
    """Replace each stream of the pydyf ``pdf`` by its :class:`Frozen` bytes, in place; returns
    how many. Call it last, once nothing changes the streams any more (a WeasyPrint finisher
    runs right before the file is written)."""
    frozen = 0
    for index, obj in enumerate(pdf.objects):
        if isinstance(obj, pydyf.Stream) and obj.free != "f":
            pdf.objects[index] = Frozen(obj)
            frozen += 1
    return frozen

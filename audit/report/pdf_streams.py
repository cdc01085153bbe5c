"""The PDF's streams made into bytes once, just before pydyf writes the file.

pydyf 0.13's ``PDF.write`` asks every object for its bytes (``data``) to write it and, when the
file has an identifier (PDF/A needs one), asks every object again to hash the whole file for the
second half of ``/ID``: each page's content stream and font is compressed a second time at zlib's
level 9, and each attached file (76 MiB at 1,000,000 generations) copied twice more. A
:class:`Frozen` object holds the object's bytes as written, made once (an attached file's copied
once instead of three times), so the file written is the same, byte for byte, for less time and
memory.

Only public parts of pydyf are used: ``PDF.objects``, ``Dictionary``, and an object's
``number``, ``generation``, ``offset``, ``free``, ``indirect``, ``data`` and ``compressible``,
from which ``PDF.write`` makes the file. An attached file's object is laid out as pydyf 0.13's
``Stream.data`` and ``Object.indirect`` lay it out (tests/report/test_pdf_streams.py compares
the files byte for byte).
"""

from __future__ import annotations

from typing import Any

import pydyf

#: What closes an object written whole (pydyf's ``Object.indirect``) and a stream's content.
END = b"\nendobj"
STREAM, ENDSTREAM = b"\nstream\n", b"\nendstream"


# pydyf ships no types: its Object is Any to mypy, so subclassing it is flagged
class Frozen(pydyf.Object):  # type: ignore[misc]
    """A PDF object whose bytes were made once, from ``original``, in its place (same number,
    generation and state): the object written whole (``indirect``), of which ``data`` is a view.
    A stream never goes into a compressed object stream: neither does its frozen copy."""

    def __init__(self, original: Any) -> None:
        super().__init__()
        self.number = original.number
        self.generation = original.generation
        self.offset = original.offset
        self.free = original.free
        self._start = len(self._header())
        self._indirect = self._whole(original)

    def _header(self) -> bytes:
        return f"{self.number} {self.generation} obj\n".encode()

    def _whole(self, stream: Any) -> bytes:
        """pydyf's ``indirect`` of ``stream``; for an attached file (one block of bytes, not
        compressed by pydyf), the same bytes joined at once rather than copied twice."""
        if stream.compress or len(stream.stream) != 1 or type(stream.stream[0]) is not bytes:
            return bytes(stream.indirect)
        content = stream.stream[0]
        extra = pydyf.Dictionary({**stream.extra, "Length": len(content)})
        parts = (self._header(), extra.data, STREAM, content, ENDSTREAM, END)
        return b"".join(parts)

    @property
    def indirect(self) -> bytes:
        """The object as the file holds it: ``N G obj``, the stream, ``endobj``."""
        return self._indirect

    @property
    def data(self) -> memoryview:
        """The stream's bytes (its dictionary, ``stream``, its content): a view, not a copy."""
        return memoryview(self._indirect)[self._start : len(self._indirect) - len(END)]

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

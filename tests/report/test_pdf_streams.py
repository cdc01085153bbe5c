"""audit/report/pdf_streams.py: the PDF's streams made into bytes once before pydyf writes the
file. The file must be the same, byte for byte, as pydyf writes it from the streams themselves,
with or without an identifier, compressed or not; each stream's bytes are asked for once."""

from __future__ import annotations

import io
import zlib
from typing import Any

import pydyf
import pytest

from audit.report.pdf_streams import Frozen, freeze_streams


# pydyf ships no types: its Stream is Any to mypy, so subclassing it is flagged
class CountedStream(pydyf.Stream):  # type: ignore[misc]
    """A stream that counts how often pydyf asks for its bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked = 0

    @property
    def data(self) -> bytes:
        self.asked += 1
        return bytes(super().data)


def _document() -> tuple[pydyf.PDF, list[CountedStream]]:
    """A page with a drawn content stream (compressed by pydyf), a large stored stream and a
    stream deflated ahead (FlateDecode, left alone), as WeasyPrint makes them."""
    pdf = pydyf.PDF()
    content = CountedStream(compress=True)
    content.rectangle(10, 10, 200, 100)
    content.fill()
    pdf.add_object(content)
    page = pydyf.Dictionary(
        {"Type": "/Page", "Parent": pdf.pages.reference, "Contents": content.reference}
    )
    pdf.add_page(page)
    stored = CountedStream([bytes(range(256)) * 4096], {"Type": "/EmbeddedFile"}, compress=False)
    text = b'{"schema": "empreinte.audit"}\n' * 1000
    deflated = CountedStream(
        [zlib.compress(text, 1)], {"Type": "/EmbeddedFile", "Filter": "/FlateDecode"}
    )
    for stream in (stored, deflated):
        pdf.add_object(stream)
    return pdf, [content, stored, deflated]


def _written(freeze: bool, identifier: Any, compress: bool) -> tuple[bytes, list[int]]:
    pdf, streams = _document()
    if freeze:
        assert freeze_streams(pdf) == len(streams)
        assert [type(pdf.objects[stream.number]) for stream in streams] == [Frozen] * 3
    output = io.BytesIO()
    pdf.write(output, b"1.7", identifier, compress)
    return output.getvalue(), [stream.asked for stream in streams]


@pytest.mark.parametrize("identifier", [b"0123456789abcdef" * 2, True, False])
@pytest.mark.parametrize("compress", [True, False])
def test_frozen_streams_write_the_same_file(identifier: Any, compress: bool) -> None:
    plain, asked_plain = _written(False, identifier, compress)
    frozen, asked_frozen = _written(True, identifier, compress)
    assert frozen == plain
    # the page's content once; the attached files' blocks of bytes joined without asking
    assert asked_frozen == [1, 0, 0]
    # pydyf alone asks twice when it hashes the file for its identifier
    assert asked_plain == ([2, 2, 2] if identifier else [1, 1, 1])
    if identifier:
        assert b"/ID [" in plain


def test_a_frozen_object_takes_the_place_of_its_stream() -> None:
    pdf, streams = _document()
    numbers = [obj.number for obj in pdf.objects]
    freeze_streams(pdf)
    assert [obj.number for obj in pdf.objects] == numbers
    frozen = pdf.objects[streams[1].number]
    assert not frozen.compressible
    assert frozen.reference == streams[1].reference
    assert bytes(frozen.data).startswith(b"<</Type /EmbeddedFile/Length 1048576>>\nstream\n")
    assert bytes(frozen.data).endswith(b"\nendstream")
    assert frozen.indirect == b"5 0 obj\n" + bytes(frozen.data) + b"\nendobj"

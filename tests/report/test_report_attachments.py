"""The PDF's attachments are compressed ahead, in another thread, while the report is laid out
(audit/report/render.py ``deflate``): the PDF is the same, byte for byte, as when pydyf compresses
them itself, but for attachments above ``LARGE`` bytes, deflated faster by ISA-L; each
attachment reads back whole."""

from __future__ import annotations

import zlib
from concurrent.futures import Future
from datetime import date
from pathlib import Path

import pypdf
import pytest
from isal import isal_zlib

from audit.report.render import LARGE, LARGE_LEVEL, ZLIB_LEVEL, Attachment, deflate, write_pdf
from tests.report.report_support import WEASYPRINT_ICC_LEAK

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

HTML = "<html><body><p>Rapport</p></body></html>"
DATA = ("id,prompt\n" + "".join(f"g:{i},phare {i % 97}, vague\n" for i in range(20000))).encode()
JSON = b'{"schema": "empreinte.audit"}\n'


class CountedFuture(Future[bytes]):
    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.calls = 0
        self.set_result(deflate(data))

    def result(self, timeout: float | None = None) -> bytes:
        self.calls += 1
        return super().result(timeout)


def _pdf(path: Path, attachments: list[Attachment]) -> bytes:
    assert write_pdf(HTML, path, attachments, date(2026, 11, 20), b"0" * 32) == []
    return path.read_bytes()


def test_deflate_is_what_pydyf_does() -> None:
    compressor = zlib.compressobj(level=9)
    assert ZLIB_LEVEL == 9
    assert len(DATA) <= LARGE
    assert deflate(DATA) == compressor.compress(DATA) + compressor.flush()


def test_large_attachment_deflated_faster_and_whole(tmp_path: Path) -> None:
    """Above LARGE bytes, ISA-L's fast level instead of pydyf's (a thirtieth of zlib's level 9's
    time on audit.json); the PDF's attachment decompresses to the very bytes."""
    large = DATA * (LARGE // len(DATA) + 1)
    compressor = isal_zlib.compressobj(level=LARGE_LEVEL)
    deflated = deflate(large)
    assert deflated == compressor.compress(large) + compressor.flush()
    assert zlib.decompress(deflated) == large
    future: Future[bytes] = Future()
    future.set_result(deflated)
    _pdf(tmp_path / "large.pdf", [Attachment("generations.csv", large, "rows", "text/csv", future)])
    reader = pypdf.PdfReader(tmp_path / "large.pdf")
    assert reader.attachments == {"generations.csv": [large]}


def test_attachments_deflated_ahead_give_the_same_pdf(tmp_path: Path) -> None:
    futures = [CountedFuture(DATA), CountedFuture(JSON)]
    ahead = [
        Attachment("generations.csv", DATA, "rows", "text/csv", futures[0]),
        Attachment("audit.json", JSON, "audit", "application/json", futures[1]),
    ]
    plain = [Attachment(a.name, a.data, a.description, a.mime) for a in ahead]
    assert _pdf(tmp_path / "ahead.pdf", ahead) == _pdf(tmp_path / "plain.pdf", plain)
    assert [f.calls for f in futures] == [1, 1]
    reader = pypdf.PdfReader(tmp_path / "ahead.pdf")
    assert reader.attachments == {"generations.csv": [DATA], "audit.json": [JSON]}

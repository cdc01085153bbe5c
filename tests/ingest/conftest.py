"""Fixtures for the ingest tests: the synthetic fixture folder, reading through one adapter, and
PNG files built on the fly with Pillow (no binary fixtures in the repository)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from audit.ingest.base import Item, Source
from audit.ingest.registry import get
from tests.ingest.ingest_support import FIXTURES, GenIndex, PngMaker, Reader, by_id


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def read() -> Reader:
    """``read("kling", "kling/requests.jsonl", ...)``: every item one adapter yields, in order."""

    def _read(adapter: str, *names: str, root: Path = FIXTURES) -> list[Item]:
        sources = [Source(root / name, name) for name in names]
        return list(get(adapter).read_many(sources))

    return _read


@pytest.fixture
def make_png() -> PngMaker:
    """Write a 16×9 PNG with text chunks (``ztxt`` ones compressed) and an optional tIME chunk."""

    def _make(
        path: Path,
        text: dict[str, str],
        *,
        ztxt: dict[str, str] | None = None,
        time: tuple[int, int, int, int, int, int] | None = None,
    ) -> Path:
        info = PngInfo()
        if time is not None:
            info.add(b"tIME", struct.pack(">HBBBBB", *time))
        for key, value in text.items():
            info.add_text(key, value)
        for key, value in (ztxt or {}).items():
            info.add_text(key, value, zip=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (16, 9), (20, 40, 70)).save(path, format="PNG", pnginfo=info)
        return path

    return _make


@pytest.fixture
def gens() -> GenIndex:
    return by_id

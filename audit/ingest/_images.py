"""Metadata of generated images: PNG text chunks, WEBP EXIF strings and when a PNG was made.

Only metadata is read, never pixels. Pillow runs as strict as its defaults whatever another library
set process-wide (:func:`strict_images`), and its failures become one
:class:`~audit.base.errors.RecordError` line naming the file.
"""

from __future__ import annotations

import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError

from audit.base.errors import RecordError
from audit.ingest._dates import EXPECTED, parse_time
from audit.ingest._util import mtime_utc
from audit.ingest.base import Source, head


@contextmanager
def strict_images() -> Iterator[None]:
    """Pillow as strict as it is by default while metadata is read.

    WeasyPrint sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` when it is imported; with it,
    an oversized or truncated text chunk is silently dropped instead of raising, so what a PNG
    yields would depend on whether a report was rendered earlier in the same process.
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def open_image(source: Source) -> Image.Image:
    """Open an image lazily; Pillow's failures become one RecordError line.

    Only metadata is read, never pixels, so Pillow's decompression-bomb warning (a large image)
    is silenced; an image beyond its hard limit (twice that) is refused with one line.
    """
    try:
        with warnings.catch_warnings(), strict_images():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(source.path)
    except Image.DecompressionBombError as exc:
        raise RecordError(
            "image dimensions beyond Pillow's safety limit; not read",
            file=source.name,
            locator="IHDR",
            field="file",
            value=str(exc).split(" pixels")[0].split("(")[-1] + " px",
        ) from exc
    except UnidentifiedImageError as exc:
        raise RecordError("not an image Pillow can read", file=source.name, field="file") from exc
    except ValueError as exc:
        raise RecordError(
            f"metadata too large ({exc})", file=source.name, locator="text chunks", field="file"
        ) from exc
    except OSError as exc:
        raise RecordError(f"cannot read image ({exc})", file=source.name, field="file") from exc


def png_text(source: Source) -> dict[str, str]:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG, as plain strings."""
    with strict_images(), open_image(source) as image:
        try:
            chunks = getattr(image, "text", None) or {}
        except ValueError as exc:
            raise RecordError(
                f"metadata too large ({exc})",
                file=source.name,
                locator="text chunks",
                field="file",
            ) from exc
        except (OSError, SyntaxError) as exc:
            raise RecordError(f"cannot read image ({exc})", file=source.name, field="file") from exc
        return {str(k): str(v) for k, v in chunks.items()}


def image_size(source: Source) -> tuple[int, int]:
    """(width, height) in pixels, from the image header (no pixel is decoded)."""
    with strict_images(), open_image(source) as image:
        width, height = image.size
    return int(width), int(height)


def exif_strings(source: Source) -> dict[str, str]:
    """EXIF strings written as ``key:value`` (ComfyUI's ``prompt:{...}`` in animated WEBP)."""
    with strict_images(), open_image(source) as image:
        try:
            exif = image.getexif()
        except (OSError, ValueError, SyntaxError) as exc:
            raise RecordError(
                f"unreadable EXIF ({exc})", file=source.name, locator="exif", field="file"
            ) from exc
        pairs = [str(v).split(":", 1) for v in exif.values() if isinstance(v, str) and ":" in v]
    return {key: value for key, value in pairs}


def png_time(source: Source, text: dict[str, str]) -> tuple[datetime, str]:
    """When the PNG was made: the ``Creation Time`` text chunk (any form of the one date parser:
    Midjourney writes RFC 1123, ``Thu, 20 Jun 2024 22:50:03 GMT``, as the PNG specification
    recommends; others ISO 8601), the ``tIME`` chunk, else the file's modification time.
    Returns (UTC time, where it came from)."""
    stamp = text.get("Creation Time")
    if stamp:
        try:
            return parse_time(stamp)[0], "Creation Time"
        except ValueError as exc:
            raise RecordError(
                EXPECTED,
                file=source.name,
                locator="tEXt:Creation Time",
                field="Creation Time",
                value=stamp,
            ) from exc
    data = head(source.path)
    at = data.find(b"tIME")
    if at >= 4 and struct.unpack(">I", data[at - 4 : at])[0] == 7 and len(data) >= at + 11:
        year, month, day, hour, minute, second = struct.unpack(">HBBBBB", data[at + 4 : at + 11])
        try:
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC), "tIME"
        except ValueError:
            pass  # an invalid tIME chunk is ignored: the file time below still says something
    return mtime_utc(source.path), "file_mtime"


#: Text chunks of a PNG and the most of one read while sniffing (a prompt is far smaller).
_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")
SNIFF_CHUNK_BYTES = 1 << 20


def png_chunk_text(path: Path, keyword: str) -> str | None:
    """The text of the PNG text chunk named ``keyword`` (tEXt, zTXt or iTXt, compressed or
    not), found by walking the chunk headers up to the image data; None when absent, too large
    or unreadable. For sniffing: no pixel, and no other chunk's data, is read."""
    wanted = keyword.encode("latin-1") + b"\x00"
    try:
        with path.open("rb") as fh:
            if fh.read(8) != b"\x89PNG\r\n\x1a\n":
                return None
            while len(header := fh.read(8)) == 8:
                length, kind = struct.unpack(">I4s", header)
                if kind == b"IDAT" or kind == b"IEND":
                    return None
                if kind not in _TEXT_CHUNKS or length > SNIFF_CHUNK_BYTES:
                    fh.seek(length + 4, 1)
                    continue
                data = fh.read(length)
                fh.seek(4, 1)
                if data.startswith(wanted):
                    return _chunk_text(kind, data[len(wanted) :])
    except (OSError, zlib.error, UnicodeDecodeError, ValueError):
        return None
    return None


def _chunk_text(kind: bytes, body: bytes) -> str:
    """The text of a text chunk after its keyword (iTXt: flag, method, language, keyword)."""
    if kind == b"tEXt":
        return body.decode("latin-1")
    if kind == b"zTXt":
        return _inflate(body[1:]).decode("latin-1", errors="replace")
    compressed = body[:1] == b"\x01"
    _, _, rest = body[2:].partition(b"\x00")  # language tag
    _, _, text = rest.partition(b"\x00")  # translated keyword
    return (_inflate(text) if compressed else text).decode("utf-8", errors="replace")


def _inflate(data: bytes) -> bytes:
    """Decompressed, at most SNIFF_CHUNK_BYTES (a compressed chunk cannot balloon)."""
    return zlib.decompressobj().decompress(data, SNIFF_CHUNK_BYTES)

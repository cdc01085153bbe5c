"""AUTOMATIC1111 "stealth" infotext: the generation text hidden in a PNG's pixels, no text chunk.

The ``stealth_pnginfo`` extension (neggles/sd-webui-stealth-pnginfo, also read by sd-parsers and
sd-prompt-reader) writes, in the least significant bits of the pixels taken column by column
(x outer, y inner): a 15-byte signature, a 32-bit big-endian count of the bits that follow, then
the infotext in UTF-8, gzip-compressed for the ``…comp`` signatures. ``stealth_pnginfo`` and
``stealth_pngcomp`` use one bit per pixel, the alpha channel's; ``stealth_rgbinfo`` and
``stealth_rgbcomp`` three, the red, green and blue channels'.

:func:`has_signature` looks at the first pixel column only, decoded from the first compressed
rows (no whole-image decode while sniffing); :func:`read_stealth` decodes the image with Pillow
and NumPy, at most :data:`MAX_PIXELS` pixels, and inflates at most :data:`MAX_TEXT` bytes.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from audit.base.errors import RecordError
from audit.ingest._images import open_image
from audit.ingest.base import Source

#: Signature → (channels carrying bits, gzip-compressed).
SIGNATURES = {
    b"stealth_pnginfo": ("alpha", False), b"stealth_pngcomp": ("alpha", True),
    b"stealth_rgbinfo": ("rgb", False), b"stealth_rgbcomp": ("rgb", True),
}  # fmt: skip
_SIG_BITS = 15 * 8
#: Largest image whose pixels are searched (beyond: one line says it was not read).
MAX_PIXELS = 40_000_000
#: Largest infotext accepted once inflated.
MAX_TEXT = 1 << 20
#: Largest share of the compressed pixel data read while sniffing.
_SNIFF_INPUT = 4 << 20
_PNG = b"\x89PNG\r\n\x1a\n"


def _first_column(path: Path, rows: int) -> tuple[int, bytes] | None:
    """(channels, first pixel of each of the first ``rows`` rows) of an 8-bit, non-interlaced
    RGB or RGBA PNG, decoded from its first compressed rows; None for other PNGs."""
    with path.open("rb") as fh:
        head = fh.read(33)
        if len(head) < 33 or not head.startswith(_PNG) or head[12:16] != b"IHDR":
            return None
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", head[16:29])
        channels = {2: 3, 6: 4}.get(colour)
        if channels is None or depth != 8 or interlace or not width or height < rows:
            return None
        stride = 1 + width * channels
        raw = _inflate_prefix(fh, rows * stride)
    if raw is None or len(raw) < rows * stride:
        return None
    column, previous = bytearray(), bytes(channels)
    for row in range(rows):
        kind, pixel = raw[row * stride], raw[row * stride + 1 : row * stride + 1 + channels]
        if kind > 4:
            return None
        # In the first column the left neighbours are 0: Sub adds 0, Paeth picks the pixel above.
        up = {0: bytes(channels), 1: bytes(channels), 3: bytes(b // 2 for b in previous)}
        base = up.get(kind, previous)
        previous = bytes((p + b) & 0xFF for p, b in zip(pixel, base, strict=True))
        column += previous
    return channels, bytes(column)


def _inflate_prefix(fh: BinaryIO, wanted: int) -> bytes | None:
    """The first ``wanted`` bytes of the image data (IDAT chunks inflated as they come), reading
    at most _SNIFF_INPUT bytes of chunks."""
    inflater, out, read = zlib.decompressobj(), bytearray(), 0
    while len(out) < wanted and read < _SNIFF_INPUT:
        header = fh.read(8)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header)
        data = fh.read(min(size, _SNIFF_INPUT - read))
        read += len(data)
        if kind == b"IEND":
            break
        if kind == b"IDAT":
            try:
                out += inflater.decompress(data, wanted - len(out))
            except zlib.error:
                return None
        if len(data) < size:  # larger than what sniffing reads, or a truncated file
            break
        fh.read(4)  # CRC
    return bytes(out)


#: An image shorter than the signature is decoded whole to sniff it, up to this many pixels.
_SMALL = 1_000_000


def has_signature(path: Path) -> bool:
    """Whether the pixels carry a stealth signature: for an image at least 120 pixels high, in
    the first column (alpha: its first 120 pixels; RGB: its first 40); a shorter image of at
    most a megapixel is decoded whole."""
    with path.open("rb") as fh:
        head = fh.read(24)
    width, height = struct.unpack(">II", head[16:24]) if len(head) == 24 else (0, 0)
    if height < _SIG_BITS and 0 < width * height <= _SMALL:
        try:
            rgb, alpha = _bitstream(Source(path, path.name))
        except RecordError:
            return False
        return any(
            b is not None and bytes(np.packbits(b[:_SIG_BITS])) in SIGNATURES for b in (alpha, rgb)
        )
    for rows in (_SIG_BITS, _SIG_BITS // 3):
        found = _first_column(path, rows)
        if found is None:
            continue
        channels, column = found
        pixels = np.frombuffer(column, dtype=np.uint8).reshape(rows, channels)
        if rows == _SIG_BITS and channels == 4:
            bits = pixels[:, 3] & 1
        elif rows < _SIG_BITS:
            bits = (pixels[:, :3] & 1).reshape(-1)
        else:
            continue
        if bytes(np.packbits(bits)) in SIGNATURES:
            return True
    return False


def _bitstream(source: Source) -> tuple[np.ndarray, np.ndarray | None]:
    """Least significant bits in writing order: (alpha bits, RGB bits), from at most
    MAX_PIXELS pixels."""
    with open_image(source) as image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise RecordError(
                f"image of {width * height / 1e6:.0f} MP: stealth infotext not searched "
                f"(limit {MAX_PIXELS / 1e6:.0f} MP)",
                field="file",
            )
        if image.mode not in ("RGB", "RGBA"):
            return np.zeros(0, dtype=np.uint8), None
        try:
            pixels = np.asarray(image)
        except (OSError, ValueError, SyntaxError) as exc:
            raise RecordError(f"cannot read the pixels ({exc})", field="file") from exc
    columns = np.swapaxes(pixels, 0, 1) & 1  # (x, y, channel): x outer, y inner
    alpha = columns[:, :, 3].reshape(-1) if pixels.shape[2] == 4 else None
    return columns[:, :, :3].reshape(-1), alpha


def read_stealth(source: Source) -> tuple[str, str] | None:
    """(signature, infotext) hidden in the pixels, or None when there is none."""
    rgb, alpha = _bitstream(source)
    for bits in (alpha, rgb):
        if bits is None or bits.size < _SIG_BITS + 32:
            continue
        signature = bytes(np.packbits(bits[:_SIG_BITS]))
        if signature not in SIGNATURES:
            continue
        length = int.from_bytes(np.packbits(bits[_SIG_BITS : _SIG_BITS + 32]).tobytes(), "big")
        start = _SIG_BITS + 32
        if length <= 0 or length % 8 or start + length > bits.size:
            raise RecordError(
                "stealth infotext length beyond the image", field="stealth", value=length
            )
        payload = bytes(np.packbits(bits[start : start + length]))
        return signature.decode(), _text(payload, SIGNATURES[signature][1])
    return None


def _text(payload: bytes, compressed: bool) -> str:
    if compressed:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            payload = inflater.decompress(payload, MAX_TEXT)
        except zlib.error as exc:
            raise RecordError(f"stealth infotext not gzip ({exc})", field="stealth") from exc
        if inflater.unconsumed_tail:
            raise RecordError(f"stealth infotext over {MAX_TEXT} bytes", field="stealth")
    return payload.decode("utf-8", errors="replace")

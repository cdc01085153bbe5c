"""AUTOMATIC1111 "stealth" infotext: the generation text in the pixels' low bits, no text chunk.

The images are written here by :func:`hide`, from the format as neggles/sd-webui-stealth-pnginfo
``scripts/stealth_pnginfo.py`` writes it (and d3x-at/sd-parsers, receyuki/sd-prompt-reader read
it): pixels column by column, a 15-byte signature, a 32-bit bit count, the UTF-8 infotext
(gzip for ``stealth_pngcomp``/``stealth_rgbcomp``), one bit per pixel in the alpha channel or
three in red, green and blue. The infotext is the real one of d3x-at/sd-parsers
``tests/resources/parsers/AUTOMATIC1111`` (../shared/fixtures/realworld/a1111/).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from audit.ingest.base import Reject
from tests.ingest.ingest_support import Reader, one
from tests.ingest.test_ingest_sniff import claimants

INFOTEXT = (
    "a lighthouse keeper at dusk, <lora:oilpaint:0.6>\nNegative prompt: blurry\n"
    "Steps: 28, Sampler: DPM++ 2M, CFG scale: 6, Seed: 1234, Size: 512x768, "
    'Model hash: 0f1e2d3c4b, Model: dreamshaper_8, Lora hashes: "oilpaint: 1a2b3c"'
)


def hide(path: Path, text: str, *, signature: str = "stealth_pngcomp", size=(96, 160),
         text_chunk: str | None = None) -> Path:  # fmt: skip
    """Write a PNG whose pixels' low bits carry ``text`` as the extension does."""
    payload = text.encode()
    if signature.endswith("comp"):
        payload = gzip.compress(payload)
    bits = np.unpackbits(np.frombuffer(signature.encode() + len(payload * 8).to_bytes(4, "big")
                                       + payload, dtype=np.uint8))  # fmt: skip
    alpha = "png" in signature
    width, height = size
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (height, width, 4 if alpha else 3), dtype=np.uint8)
    if alpha:
        pixels[:, :, 3] = 255
    columns = np.swapaxes(pixels, 0, 1).copy()  # x outer, y inner, as the extension writes
    target = columns[:, :, 3] if alpha else columns[:, :, :3]
    flat = target.reshape(-1)
    assert bits.size <= flat.size, "image too small for the text"
    flat[: bits.size] = (flat[: bits.size] & 0xFE) | bits
    if alpha:
        columns[:, :, 3] = flat.reshape(width, height)
    else:
        columns[:, :, :3] = flat.reshape(width, height, 3)
    info = PngInfo()
    if text_chunk is not None:
        info.add_text("parameters", text_chunk)
    image = Image.fromarray(np.swapaxes(columns, 0, 1), "RGBA" if alpha else "RGB")
    image.save(path, format="PNG", pnginfo=info)
    return path


@pytest.mark.parametrize(
    "signature", ["stealth_pngcomp", "stealth_pnginfo", "stealth_rgbcomp", "stealth_rgbinfo"]
)
def test_stealth_infotext_read(tmp_path: Path, read: Reader, signature: str) -> None:
    hide(tmp_path / "00042-1234.png", INFOTEXT, signature=signature)
    assert claimants(tmp_path / "00042-1234.png") == ["a1111"]
    image = one(read("a1111", "00042-1234.png", root=tmp_path))
    assert image.source_locator == f"pixels:{signature}"
    assert (image.prompt, image.negative_prompt) == (
        "a lighthouse keeper at dusk, <lora:oilpaint:0.6>", "blurry",
    )  # fmt: skip
    assert (image.steps, image.seed, image.width, image.height) == (28, 1234, 512, 768)
    assert image.model == "dreamshaper_8"
    assert [ref.role for ref in image.inputs] == ["checkpoint", "lora"]


def test_stealth_short_image_spans_columns(tmp_path: Path, read: Reader) -> None:
    """An image shorter than the signature: the bits run on into the next columns (sniffed by
    decoding the small image whole)."""
    hide(tmp_path / "wide.png", INFOTEXT, signature="stealth_pnginfo", size=(400, 64))
    assert claimants(tmp_path / "wide.png") == ["a1111"]
    image = one(read("a1111", "wide.png", root=tmp_path))
    assert image.steps == 28


def test_text_chunk_wins_over_stealth(tmp_path: Path, read: Reader) -> None:
    hide(tmp_path / "both.png", INFOTEXT, text_chunk="other\nSteps: 5, Size: 64x64, Seed: 1")
    image = one(read("a1111", "both.png", root=tmp_path))
    assert (image.source_locator, image.steps) == ("tEXt:parameters", 5)


def test_plain_images_are_not_claimed(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    Image.fromarray(rng.integers(0, 256, (200, 50, 4), dtype=np.uint8), "RGBA").save(
        tmp_path / "noise.png"
    )
    Image.new("RGB", (300, 300), (10, 20, 30)).save(tmp_path / "flat.png")
    Image.new("L", (300, 300), 0).save(tmp_path / "grey.png")
    assert [claimants(tmp_path / n) for n in ("noise.png", "flat.png", "grey.png")] == [[], [], []]


def test_truncated_stealth_length_is_one_line(tmp_path: Path, read: Reader) -> None:
    path = hide(tmp_path / "cut.png", INFOTEXT, signature="stealth_pnginfo")
    with Image.open(path) as image:
        pixels = np.array(image)
    columns = np.swapaxes(pixels, 0, 1).copy()
    alpha = columns[:, :, 3].reshape(-1)
    alpha[120:152] = (alpha[120:152] & 0xFE) | 1  # bit count 2**32 - 1: beyond the image
    columns[:, :, 3] = alpha.reshape(columns.shape[:2])
    Image.fromarray(np.swapaxes(columns, 0, 1), "RGBA").save(path)
    (item,) = read("a1111", "cut.png", root=tmp_path)
    assert isinstance(item, Reject)
    assert item.line() == (
        "cut.png:tEXt:parameters: stealth: stealth infotext length beyond the image "
        "(got 4294967295)"
    )


@pytest.mark.shared
def test_real_infotext_hidden_reads_as_its_text_chunk(
    shared_fixtures: Path, tmp_path: Path, read: Reader
) -> None:
    folder = shared_fixtures / "realworld" / "a1111"
    chunk = one(read("a1111", "automatic1111_cropped.png", root=folder))
    with Image.open(folder / "automatic1111_cropped.png") as image:
        text = image.text["parameters"]
    hide(tmp_path / "hidden.png", text)
    hidden = one(read("a1111", "hidden.png", root=tmp_path))
    assert hidden.id == chunk.id  # same infotext, same record
    assert (hidden.prompt, hidden.steps, hidden.width, hidden.model) == (
        "photo of a duck", 15, 512, "realistic_realisticVisionV20_v20",
    )  # fmt: skip

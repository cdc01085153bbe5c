"""AUTOMATIC1111 / Forge: the infotext parser, and PNG / JPEG / WEBP images built with Pillow."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from audit.base.models import AssetRef, Modality
from audit.ingest._util import mtime_utc
from audit.ingest.a1111 import decode_user_comment, parse_infotext, parse_params
from audit.ingest.base import Reject
from audit.ingest.registry import get
from tests.ingest.ingest_support import PngMaker, Reader, one

# Synthetic infotext in the documented shape (platforms-and-rights.md §1.16).
TXT2IMG = (
    "a lighthouse at dusk, <lora:seaStyle:0.8>, oil painting\n"
    "warm light\n"
    "Negative prompt: blurry, text\n"
    "watermark\n"
    "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 965400086, "
    "Size: 512x768, Model hash: 45dee52b, Model: lighthouseMix_v2, Denoising strength: 0.45, "
    'Hires upscale: 2, Hires upscaler: Latent, Lora hashes: "seaStyle: 1a2b3c4d5e6f, '
    'fogDetail: 0f9e8d7c6b5a", Version: v1.10.1'
)
IMG2IMG = (
    "the keeper, portrait\n"
    "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 12, Size: 640x640, Model: base15, "
    "Denoising strength: 0.6"
)


def _id(text: str) -> str:
    return "a1111:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def test_parse_params_quoted_values() -> None:
    assert parse_params('Steps: 20, Lora hashes: "a: 1, b: 2", Note: "say \\"hi\\""') == {
        "Steps": "20", "Lora hashes": "a: 1, b: 2", "Note": 'say "hi"',
    }  # fmt: skip
    assert parse_params("just a prompt, with commas") is None
    assert parse_params('Steps: "unterminated') is None


def test_parse_infotext_parts() -> None:
    info = parse_infotext(TXT2IMG)
    assert info.prompt == "a lighthouse at dusk, <lora:seaStyle:0.8>, oil painting\nwarm light"
    assert info.negative == "blurry, text\nwatermark"
    assert len(info.params) == 13
    assert info.params["Lora hashes"] == "seaStyle: 1a2b3c4d5e6f, fogDetail: 0f9e8d7c6b5a"
    plain = parse_infotext("only a prompt\non two lines")
    assert (plain.prompt, plain.negative, plain.params) == ("only a prompt\non two lines", None, {})


def test_png_txt2img_with_hires(tmp_path: Path, make_png: PngMaker, read: Reader) -> None:
    make_png(
        tmp_path / "00012-965400086.png", {"parameters": TXT2IMG}, time=(2026, 9, 26, 20, 15, 0)
    )
    gen = one(read("a1111", "00012-965400086.png", root=tmp_path))
    assert (gen.id, gen.platform, gen.model) == (_id(TXT2IMG), "a1111", "lighthouseMix_v2")
    assert (gen.modality, gen.task) == (Modality.image, "text_to_image")
    assert gen.created_at == datetime(2026, 9, 26, 20, 15, tzinfo=UTC)
    # hires fix: 28 steps at 512x768, then 28 more (no Hires steps: Steps again) at 1024x1536
    assert (gen.seed, gen.steps, gen.width, gen.height) == (965400086, 56, 1024, 1536)
    assert gen.negative_prompt == "blurry, text\nwatermark"
    assert gen.inputs == [
        AssetRef(uri="lighthouseMix_v2", role="checkpoint"),
        AssetRef(uri="seaStyle", role="lora"),
        AssetRef(uri="fogDetail", role="lora"),
    ]
    assert gen.outputs == ["00012-965400086.png"]
    assert gen.source_locator == "tEXt:parameters"
    assert gen.attributes == {
        "sampler": "DPM++ 2M", "schedule_type": "Karras", "cfg_scale": 6.5,
        "model_hash": "45dee52b", "denoising_strength": 0.45, "hires_upscale": 2.0,
        "hires_upscaler": "Latent", "lora_hashes": "seaStyle: 1a2b3c4d5e6f, fogDetail: 0f9e8d7c6b5a",
        "version": "v1.10.1", "sampling_passes": 2,
        "passes": "first pass: 28 steps at 512x768; hires pass: 28 steps at 1024x1536",
        "step_pixels": float(28 * 512 * 768 + 28 * 1024 * 1536),
    }  # fmt: skip


def test_hires_steps_of_the_second_pass(tmp_path: Path, make_png: PngMaker, read: Reader) -> None:
    """Hires steps: 12 (A1111 runs the requested steps of the hires pass: modules/
    sd_samplers_common.py setup_img2img_steps with steps given, t_enc = steps - 1)."""
    text = "keeper\nSteps: 20, Seed: 3, Size: 512x512, Denoising strength: 0.3, Hires resize: 1024x1024, Hires steps: 12"
    make_png(tmp_path / "h.png", {"parameters": text})
    gen = one(read("a1111", "h.png", root=tmp_path))
    assert (gen.steps, gen.width, gen.height) == (32, 1024, 1024)
    assert gen.attributes["step_pixels"] == 20 * 512 * 512 + 12 * 1024 * 1024


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_exif_user_comment_img2img(tmp_path: Path, read: Reader, fmt: str) -> None:
    name = f"keeper.{fmt.lower().replace('jpeg', 'jpg')}"
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\x00" + IMG2IMG.encode("utf-16-be")
    Image.new("RGB", (8, 8)).save(tmp_path / name, format=fmt, exif=exif)
    assert get("a1111").sniff(tmp_path / name)
    gen = one(read("a1111", name, root=tmp_path))
    assert (gen.id, gen.task, gen.width, gen.height, gen.seed) == (
        _id(IMG2IMG), "image_to_image", 640, 640, 12,
    )  # fmt: skip
    assert gen.created_at == mtime_utc(tmp_path / name)
    assert gen.attributes == {
        "sampler": "Euler a", "cfg_scale": 7.0, "denoising_strength": 0.6,
        "created_at_source": "file_mtime",
    }  # fmt: skip
    assert gen.source_locator == "exif:UserComment"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"UNICODE\x00" + "Steps: 1".encode("utf-16-be"), "Steps: 1"),
        (b"UNICODE\x00" + "Steps: 1".encode("utf-16-le"), "Steps: 1"),
        (b"ASCII\x00\x00\x00Steps: 1", "Steps: 1"),
        (b"Steps: 1\x00", "Steps: 1"),
    ],
)
def test_decode_user_comment(raw: bytes, text: str) -> None:
    assert decode_user_comment(raw) == text


def test_bad_values_are_rejected(tmp_path: Path, make_png: PngMaker, read: Reader) -> None:
    make_png(tmp_path / "bad.png", {"parameters": "x\nSteps: many, Sampler: Euler, Seed: 1"})
    make_png(tmp_path / "size.png", {"parameters": "x\nSteps: 2, Size: big, Seed: 1"})
    items = read("a1111", "bad.png", "size.png", root=tmp_path)
    assert [i.line() for i in items if isinstance(i, Reject)] == [
        "bad.png:tEXt:parameters: Steps: expected a whole number (got 'many')",
        "size.png:tEXt:parameters: Size: expected a size like '1280x720' (got 'big')",
    ]

"""Each file is claimed by exactly the adapter written for it, and by no other."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from audit.base.resources import example_dir
from audit.ingest.registry import BUILTIN, adapters
from tests.ingest.ingest_support import PngMaker

FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Fixture folder → the adapter that must claim its files (README.md: nobody).
EXPECTED = {
    "midjourney": "midjourney", "magnific": "magnific", "kling": "kling", "suno": "suno",
    "elevenlabs": "elevenlabs", "comfyui": "comfyui", "canonical": "canonical",
    "runway": "runway", "openai": "openai", "veo": "veo", "luma": "luma", "pika": "pika",
    "minimax": "minimax", "firefly": "firefly", "stability": "stability", "udio": "udio",
}  # fmt: skip
NOT_RECORDS = {"README.md", "sdxl_graph.json"}


def claimants(path: Path) -> list[str]:
    """Every built-in adapter whose suffixes and sniff accept ``path``."""
    found = adapters(include_plugins=False)
    return [
        name
        for name, adapter in found.items()
        if path.suffix.lower() in adapter.suffixes and adapter.sniff(path)
    ]


def _fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file())


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_synthetic_fixture_claimed_by_its_adapter_only(path: Path) -> None:
    folder = path.relative_to(FIXTURES).parts[0]
    expected = [] if path.name in NOT_RECORDS else [EXPECTED[folder]]
    assert claimants(path) == expected


def test_builtin_order_ends_with_canonical() -> None:
    assert BUILTIN[-1] == "audit.ingest.canonical:CanonicalAdapter"
    assert list(adapters(include_plugins=False)) == [
        "comfyui", "a1111", "midjourney", "elevenlabs", "suno", "udio", "kling", "runway",
        "openai", "veo", "luma", "pika", "minimax", "firefly", "stability", "magnific",
        "canonical",
    ]  # fmt: skip


def test_images(tmp_path: Path, make_png: PngMaker) -> None:
    mj = make_png(tmp_path / "mj.png", {"Description": "x --v 7 Job ID: 1", "Author": "a"})
    comfy = make_png(tmp_path / "c.png", {"prompt": "{}"})
    comfy_ztxt = make_png(tmp_path / "z.png", {}, ztxt={"workflow": "{}"})
    plain = make_png(tmp_path / "p.png", {"Software": "GIMP"})
    webp = tmp_path / "plain.webp"
    Image.new("RGB", (8, 8)).save(webp, format="WEBP")
    a1111 = make_png(tmp_path / "a.png", {"parameters": "x\nSteps: 20, Seed: 1"})
    both = make_png(tmp_path / "b.png", {"parameters": "x\nSteps: 20", "prompt": "{}"})
    infotext = b"UNICODE\x00" + "x\nSteps: 20, Seed: 1".encode("utf-16-be")
    exif_files = [_exif_image(tmp_path / f"a.{ext}", fmt, infotext) for ext, fmt in _EXIF_FORMATS]
    other = _exif_image(
        tmp_path / "other.jpg", "JPEG", b"UNICODE\x00" + "hello".encode("utf-16-be")
    )
    paths = (mj, comfy, comfy_ztxt, plain, webp, a1111, both, *exif_files, other)
    assert [claimants(p) for p in paths] == [
        ["midjourney"], ["comfyui"], ["comfyui"], [], [], ["a1111"], ["comfyui"],
        ["a1111"], ["a1111"], [],
    ]  # fmt: skip


_EXIF_FORMATS = (("jpg", "JPEG"), ("webp", "WEBP"))


def _exif_image(path: Path, fmt: str, comment: bytes) -> Path:
    """An 8×8 image whose EXIF UserComment (0x9286 in IFD 0x8769) is ``comment``."""
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = comment
    Image.new("RGB", (8, 8)).save(path, format=fmt, exif=exif)
    return path


def test_other_json_is_not_claimed(tmp_path: Path) -> None:
    texts = {
        "runway.json": '{"id": "t1", "status": "SUCCEEDED", "output": ["https://x/a.mp4"]}',
        "list.json": "[1, 2, 3]",
        "bin.json": "\x00\x01garbage",
        "notes.jsonl": '{"note": "task_id and body are words here"}',
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    assert {name: claimants(tmp_path / name) for name in texts} == {key: [] for key in texts}


#: What claims each real third-party file of ../shared/fixtures (see its README.md) that an
#: ingest adapter reads. Every other file there is claimed by no adapter: the C2PA images are
#: read by the provenance stage (audit/ingest/provenance.py), the timelines by linking, and the licence
#: texts and README are not inputs.
SHARED_CLAIMS = {
    "comfyui/flux_dev_example.png": ["comfyui"],  # PNG text chunks prompt + workflow
    "comfyui/sdxl_simple_example.png": ["comfyui"],
    "comfyui/ltxv_text_to_video.webp": ["comfyui"],  # EXIF strings prompt:{...}
    "realworld/comfyui/night_evening_day_morning_cropped.png": ["comfyui"],  # two-pass graph
    "realworld/a1111/automatic1111_cropped.png": ["a1111"],  # tEXt parameters
    "realworld/a1111/automatic1111_cropped.jpg": ["a1111"],  # EXIF UserComment
}


@pytest.mark.shared
def test_shared_fixtures(shared_fixtures: Path) -> None:
    claimed = {
        p.relative_to(shared_fixtures).as_posix(): claimants(p)
        for p in sorted(shared_fixtures.rglob("*"))
        if p.is_file()
    }
    assert set(SHARED_CLAIMS) <= set(claimed), "a real fixture file is missing"
    assert {name: found for name, found in claimed.items() if found} == SHARED_CLAIMS


def test_example_logs_claimed_by_folder_adapter() -> None:
    logs = example_dir() / "logs"
    if not logs.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{logs} is missing")
        pytest.skip(f"{logs} not generated yet (python data/examples/generate.py)")
    wrong = {}
    for path in sorted(p for p in logs.rglob("*") if p.is_file()):
        folder = path.relative_to(logs).parts[0]
        expected = ["canonical"] if path.suffix == ".csv" else [EXPECTED[folder]]
        if claimants(path) != expected:
            wrong[path.relative_to(logs).as_posix()] = claimants(path)
    assert wrong == {}

"""Malformed inputs too big or too binary to commit, built at test time: binary garbage for every
adapter and suffix, enormous metadata, absurd image dimensions, JSON nested too deeply, numbers of
more digits than Python converts, a ComfyUI graph thousands of nodes deep, A1111 images."""

from __future__ import annotations

import io
import json
import random
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from audit.base.errors import InputError
from audit.ingest import canonical
from audit.ingest.registry import adapters
from audit.ingest.walk import IngestResult, ingest_files
from tests.robustness.corpus_support import check_reconciled

ADAPTERS = sorted(adapters(include_plugins=False))
SUFFIXES = sorted({s for a in adapters(include_plugins=False).values() for s in a.suffixes})
GRAPH = {
    "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl.safetensors"}},
    "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse", "clip": ["1", 1]}},
    "3": {"class_type": "KSampler", "inputs": {"positive": ["2", 0], "negative": ["2", 0]}},
    "4": {"class_type": "SaveImage", "inputs": {"images": ["3", 0]}},
}
INFOTEXT = "a lighthouse at dusk\nNegative prompt: text\nSteps: 20, Sampler: Euler a, Size: 512x512"


def _both(root: Path, paths: list[Path], adapter: str | None = None) -> IngestResult:
    """Lenient result (counts checked); strict mode raises its first reject, as one line."""
    result = ingest_files(root, paths, adapter_name=adapter, lenient=True)
    check_reconciled(result, paths)
    if result.rejects:
        with pytest.raises(InputError) as caught:
            ingest_files(root, paths, adapter_name=adapter)
        assert str(caught.value) == result.rejects[0].line()
    return result


def _png(texts: dict[str, str], ztxt: dict[str, str] | None = None) -> bytes:
    info = PngInfo()
    for key, value in texts.items():
        info.add_text(key, value)
    for key, value in (ztxt or {}).items():
        info.add_text(key, value, zip=True)
    out = io.BytesIO()
    Image.new("RGB", (16, 9), (20, 40, 70)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _absurd_png(texts: dict[str, str]) -> bytes:
    """A PNG whose header claims 100,000 × 100,000 pixels (10 gigapixels)."""
    out = b"\x89PNG\r\n\x1a\n" + _chunk(
        b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    )
    for key, value in texts.items():
        out += _chunk(b"tEXt", key.encode("latin-1") + b"\x00" + value.encode("latin-1"))
    return out + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_binary_garbage_sniffed(tmp_path: Path, suffix: str) -> None:
    """Random bytes under every suffix: unclaimed (listed) or rejected, never a traceback."""
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(random.Random(suffix).randbytes(4096))
    result = _both(tmp_path, [path])
    assert not result.generations
    assert result.unclaimed == [path.name] or result.rejects


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_binary_garbage_forced(tmp_path: Path, adapter: str) -> None:
    """The same garbage read by force (``--adapter``): one reject naming the file."""
    suffix = adapters(include_plugins=False)[adapter].suffixes[0]
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(adapter).randbytes(4096))
    result = _both(tmp_path, [path], adapter)
    assert not result.generations
    assert [r.file for r in result.rejects] == [path.name]


@pytest.mark.parametrize("key", ["prompt", "workflow", "parameters", "Description"])
def test_enormous_compressed_text_chunk(tmp_path: Path, key: str) -> None:
    """A 4 MB zTXt chunk (beyond Pillow's safety limit for text): one line, no traceback."""
    path = tmp_path / "big.png"
    texts = {"prompt": json.dumps(GRAPH)} if key != "prompt" else {}
    path.write_bytes(_png(texts, {key: "x" * (4 << 20)}))
    result = _both(tmp_path, [path])
    assert not result.generations
    assert result.rejects[0].line().startswith("big.png:text chunks: file: metadata too large")


@pytest.mark.parametrize(
    ("adapter", "texts"),
    [
        ("comfyui", {"prompt": json.dumps(GRAPH)}),
        ("a1111", {"parameters": INFOTEXT}),
        ("midjourney", {"Description": "a cat Job ID: 12345678-1234-4234-8234-123456789abc"}),
    ],
)
def test_absurd_image_dimensions(tmp_path: Path, adapter: str, texts: dict[str, str]) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(_absurd_png(texts))
    result = _both(tmp_path, [path])
    assert [f.adapter for f in result.files] == [adapter]
    assert [r.line() for r in result.rejects] == [
        "huge.png:IHDR: file: image dimensions beyond Pillow's safety limit; not read "
        "(got '10000000000 px')"
    ]


def test_enormous_prompt_in_json_is_kept_whole(tmp_path: Path) -> None:
    """A 20 MB prompt is an odd record, not a broken one: accepted, not truncated."""
    prompt = "phare " * ((20 << 20) // 6)
    record = {"id": "u-big", "song_path": "https://x.example/u.mp3", "finished": True,
              "prompt": prompt, "created_at": "2026-09-25T10:00:00Z"}  # fmt: skip
    path = tmp_path / "songs.json"
    path.write_text(json.dumps({"songs": [record]}), encoding="utf-8")
    result = _both(tmp_path, [path], "udio")
    assert [len(g.prompt or "") for g in result.generations] == [len(prompt)]


@pytest.mark.parametrize("column_reader", [False, True])
def test_csv_cell_beyond_the_csv_field_limit(
    tmp_path: Path, column_reader: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 200,000-character cell: the csv module refuses it; both readers say so in one line."""
    if column_reader:
        monkeypatch.setattr(canonical, "COLUMN_READER_MIN_BYTES", 0)
    path = tmp_path / "journal.csv"
    path.write_text(
        "platform,modality,created_at,prompt\n"
        "kling,video,2026-09-01T10:00:00Z,short\n"
        f"kling,video,2026-09-01T10:00:00Z,{'x' * 200_000}\n",
        encoding="utf-8",
    )
    result = _both(tmp_path, [path])
    assert [g.id for g in result.generations] == ["kling:journal-2"]
    assert [r.line() for r in result.rejects] == [
        "journal.csv:3: file: unreadable CSV: field larger than field limit (131072)"
    ]


#: Refused by the depth count before the parser (audit/base/limits.py).
DEEP = "invalid JSON: nested too deeply (100000 levels, more than the limit of 200)"


@pytest.mark.parametrize(
    ("name", "adapter", "line"),
    [
        ("deep.json", "suno", f"deep.json:1:1: file: {DEEP}"),
        ("deep.jsonl", "kling", f"deep.jsonl:1: record: {DEEP}"),
        ("deep.jsonl", "canonical", f"deep.jsonl:1: file: {DEEP}"),
    ],
)
def test_json_nested_too_deeply(tmp_path: Path, name: str, adapter: str, line: str) -> None:
    path = tmp_path / name
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = _both(tmp_path, [path], adapter)
    assert [r.line() for r in result.rejects] == [line]


def test_integer_of_5000_digits(tmp_path: Path) -> None:
    path = tmp_path / "manual.jsonl"
    path.write_text('{"platform": "a", "modality": "image", "created_at": "2026-01-01", '
                    f'"seed": {"9" * 5000}}}\n', encoding="utf-8")  # fmt: skip
    result = _both(tmp_path, [path])
    assert result.rejects[0].line().startswith("manual.jsonl:1: file: invalid JSON: Exceeds the")


def test_comfyui_graph_thousands_of_nodes_deep(tmp_path: Path) -> None:
    """The negative-prompt walk has its own stack: a 5,000-node chain is read."""
    graph = dict(GRAPH)
    graph["3"] = {"class_type": "KSampler", "inputs": {"positive": ["2", 0], "negative": ["5", 0]}}
    for n in range(5, 5000):
        graph[str(n)] = {"class_type": "ConditioningCombine", "inputs": {"c": [str(n + 1), 0]}}
    graph["5000"] = {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry"}}
    path = tmp_path / "chain.png"
    path.write_bytes(_png({"prompt": json.dumps(graph)}))
    result = _both(tmp_path, [path])
    assert [(g.prompt, g.negative_prompt) for g in result.generations] == [
        ("a lighthouse", "blurry")
    ]


def test_comfyui_node_ids_int_refuses(tmp_path: Path) -> None:
    graph = {"²": GRAPH["1"], "9" * 5000: GRAPH["4"], "2": GRAPH["2"]}
    path = tmp_path / "ids.png"
    path.write_bytes(_png({"prompt": json.dumps(graph)}))
    result = _both(tmp_path, [path])
    assert [g.model for g in result.generations] == ["sdxl.safetensors"]


def test_a1111_png_reads(tmp_path: Path) -> None:
    path = tmp_path / "00001-1234.png"
    path.write_bytes(_png({"parameters": INFOTEXT}))
    result = _both(tmp_path, [path])
    assert [(g.prompt, g.negative_prompt, g.width) for g in result.generations] == [
        ("a lighthouse at dusk", "text", 512)
    ]


def test_ingest_stays_strict_after_weasyprint_loosened_pillow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint's import sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process; ingest
    must still refuse an oversized chunk rather than silently drop it (and restore the flag)."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    path = tmp_path / "big.png"
    path.write_bytes(_png({"prompt": json.dumps(GRAPH)}, {"workflow": "x" * (4 << 20)}))
    result = _both(tmp_path, [path])
    assert result.rejects[0].line().startswith("big.png:text chunks: file: metadata too large")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True

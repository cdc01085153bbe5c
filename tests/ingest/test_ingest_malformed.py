"""Broken input gives one clear line naming file, locator and field: raised in strict mode,
collected in lenient mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.base.errors import RecordError
from audit.ingest.walk import ingest_files
from tests.ingest.ingest_support import PngMaker

KLING_BAD_TIME = (
    '{"code": 0, "data": {"task_id": "1", "task_status": "succeed", "created_at": "yesterday"}}'
)


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


CASES = [
    pytest.param(
        "archive.json",
        '[{"id": "x", "job_type": "v7_diffusion", "full_command": "a',
        None,
        "archive.json:1:58: file: invalid JSON: Unterminated string starting at",
        id="truncated-json",
    ),
    pytest.param(
        "bad.json",
        KLING_BAD_TIME,
        None,
        "bad.json:/data: data.created_at: expected a number (got 'yesterday')",
        id="wrong-type-field",
    ),
    pytest.param(
        "clips.json",
        '{"clips": [{"id": "c", "status": "complete", "created_at": '
        '"2026-09-02T10:00:00Z", "model_name": "chirp-v4", "metadata": {"duration": "long"}}]}',
        None,
        "clips.json:/clips/0: metadata.duration: expected a number (got 'long')",
        id="wrong-type-nested",
    ),
    pytest.param(
        "history.json",
        '{"history": "none", "history_item_id": "x"}',
        None,
        "history.json:/history: history: expected a list (got 'str')",
        id="wrong-container-type",
    ),
    pytest.param(
        "garbage.json",
        b"\x81\x8d\x8f\x90\x9d\xff",
        "suno",
        "garbage.json:byte 0: file: not UTF-8 nor cp1252 text",
        id="garbage-bytes",
    ),
    pytest.param(
        "number.json",
        "42",
        "suno",
        "number.json:/: file: top level must be a JSON object or list (got 'int')",
        id="wrong-top-level",
    ),
    pytest.param(
        "page.json",
        '{"history": [17]}',
        "elevenlabs",
        "page.json:/history/0: record: not a JSON object (got int)",
        id="record-not-object",
    ),
]


@pytest.mark.parametrize(("name", "data", "adapter", "line"), CASES)
def test_strict_raises_one_line(
    tmp_path: Path, name: str, data: str | bytes, adapter: str | None, line: str
) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(RecordError) as caught:
        ingest_files(tmp_path, [path], adapter_name=adapter)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(line)


@pytest.mark.parametrize(("name", "data", "adapter", "line"), CASES)
def test_lenient_collects(
    tmp_path: Path, name: str, data: str | bytes, adapter: str | None, line: str
) -> None:
    path = _write(tmp_path, name, data)
    result = ingest_files(tmp_path, [path], adapter_name=adapter, lenient=True)
    assert len(result.rejects) == 1
    assert result.rejects[0].line().startswith(line)
    assert (result.files[0].rejected, result.files[0].accepted) == (1, 0)


def test_garbage_png_with_comfy_chunk_names(tmp_path: Path) -> None:
    truncated = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x10tEXtprompt\x00{}broken"
    paths = [_write(tmp_path, "x.png", truncated), _write(tmp_path, "y.png", b"GIF tEXtprompt\x00")]
    result = ingest_files(tmp_path, paths, lenient=True)
    assert [r.line() for r in result.rejects] == [
        "x.png:file: file: cannot read image (Truncated File Read)",
        "y.png:file: file: not an image Pillow can read",
    ]


def test_oversized_ztxt_metadata(tmp_path: Path, make_png: PngMaker) -> None:
    huge = '{"nodes": "' + "x" * (1 << 21) + '"}'
    path = make_png(tmp_path / "big.png", {"prompt": "{}"}, ztxt={"workflow": huge})
    with pytest.raises(RecordError) as caught:
        ingest_files(tmp_path, [path])
    message = str(caught.value)
    assert message.startswith("big.png:text chunks: file: metadata too large (Decompressed data")
    assert "\n" not in message


def test_lenient_keeps_good_records_beside_bad_ones(tmp_path: Path) -> None:
    good = '{"history_item_id": "ok", "date_unix": 1789024500, "text": "Oui."}'
    bad = '{"history_item_id": "ko", "date_unix": "hier"}'
    path = _write(tmp_path, "items.json", f"[{good}, {bad}]")
    result = ingest_files(tmp_path, [path], lenient=True)
    assert [g.id for g in result.generations] == ["elevenlabs:ok"]
    assert [r.line() for r in result.rejects] == [
        "items.json:/1: date_unix: expected a number (got 'hier')"
    ]

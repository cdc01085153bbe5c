"""MiniMax (Hailuo): task queries joined with the request log (task_id) and file retrieves
(file_id)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import RecordError
from audit.base.models import AssetRef, Generation, Modality, Status
from audit.ingest.base import Merged
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import Reader, one

FILES = ("minimax/requests.jsonl", "minimax/query.jsonl", "minimax/files.json")


def _ingest(fixtures: Path, *, lenient: bool = True) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=lenient)


def test_join_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "minimax/requests.jsonl": ("minimax", 0, 2, 1),
        "minimax/query.jsonl": ("minimax", 2, 0, 0),
        "minimax/files.json": ("minimax", 1, 1, 0),
    }
    assert [r.line() for r in result.rejects] == [
        "minimax/requests.jsonl:3: task_id: request without result: fetch GET "
        "/v1/query/video_generation?task_id=<task_id> (got '106916112212039')",
    ]


def test_strict_mode_raises(fixtures: Path) -> None:
    with pytest.raises(RecordError, match=r"^minimax/requests\.jsonl:3: task_id: request without"):
        _ingest(fixtures, lenient=False)


def test_subject_reference_joined_with_file(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}["minimax:106916112212032"]
    assert gen.created_at == datetime(2026, 9, 22, 14, 0, tzinfo=UTC)
    assert (gen.model, gen.modality, gen.task) == ("S2V-01", Modality.video, "subject_to_video")
    assert (gen.prompt, gen.duration_s, gen.width, gen.height) == (
        "[Push in] the keeper smiles", 6.0, None, None,
    )  # fmt: skip
    assert gen.inputs == [
        AssetRef(uri="https://cdn.example/keeper-face.jpg", role="subject_reference")
    ]
    assert gen.outputs == ["https://public-cdn-video.minimax.example/output.mp4"]
    # file created_at 1790085720 = 2026-09-22T14:02:00Z, two minutes after the logged request
    assert gen.attributes == {
        "resolution": "768P", "prompt_optimizer": True, "file_id": "205258526306433",
        "file_bytes": 5896337, "status_msg": "success", "elapsed_s": 120.0,
    }  # fmt: skip
    assert gen.source_locator == "1"


def test_failed_task(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}["minimax:106916112212033"]
    assert (gen.status, gen.outputs, gen.outputs_count, gen.task) == (
        Status.failed, [], 0, "image_to_video",
    )  # fmt: skip
    assert gen.inputs == [AssetRef(uri="https://cdn.example/fog.png", role="image")]
    assert gen.attributes == {
        "resolution": "1080P", "status_msg": "video description contains sensitive content",
    }  # fmt: skip


def test_query_and_file_without_request(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "all.jsonl").write_text(
        '{"task_id": 7, "status": "Success", "file_id": 8, "base_resp": {"status_code": 0}}\n'
        '{"file": {"file_id": "8", "created_at": 1790085720, "filename": "output.mp4"}}\n'
    )
    items = read("minimax", "all.jsonl", root=tmp_path)
    gen = one([i for i in items if not isinstance(i, Merged)])
    assert (gen.id, gen.model, gen.task, gen.outputs) == ("minimax:7", None, None, ["output.mp4"])
    assert gen.created_at == datetime(2026, 9, 22, 14, 2, tzinfo=UTC)
    assert gen.attributes == {"file_id": "8", "created_at_source": "file.created_at"}
    assert items[1] == Merged("all.jsonl", "2", "minimax:7")


def test_unfinished_task_is_pending(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "q.json").write_text('{"task_id": "1", "status": "Processing", "base_resp": {}}')
    (item,) = read("minimax", "q.json", root=tmp_path)
    assert isinstance(item, Generation)
    assert (item.id, item.status) == ("minimax:1", "pending")


def test_query_gives_the_exact_frame_size(tmp_path: Path, read: Reader) -> None:
    """Every query answer carries ``video_width``/``video_height`` (MiniMax client typings'
    VideoStatusResponse; the query → file_id → files/retrieve chain of MiniMax-AI/MiniMax-MCP
    minimax_mcp/server.py); values are our own."""
    query = {"task_id": "176843862716480", "status": "Success", "file_id": "176844028768320",
             "video_width": 1366, "video_height": 768,
             "base_resp": {"status_code": 0, "status_msg": "success"}}  # fmt: skip
    (tmp_path / "query.json").write_text(json.dumps(query), encoding="utf-8")
    gen = one(read("minimax", "query.json", root=tmp_path))
    assert (gen.width, gen.height) == (1366, 768)


def test_file_retrieve_alone_stands_as_an_output(tmp_path: Path, fixtures: Path) -> None:
    (tmp_path / "files.json").write_text(
        (fixtures / "minimax" / "files.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = ingest_files(tmp_path, [tmp_path / "files.json"])  # strict
    found = {g.id: g for g in result.generations}
    orphan = found["minimax:file-205258526306499"]
    assert (orphan.modality, orphan.model, orphan.prompt) == (Modality.video, None, None)
    assert orphan.outputs == ["https://public-cdn-video.minimax.example/orphan.mp4"]
    assert orphan.created_at == datetime.fromtimestamp(1790089320, tz=UTC)
    assert orphan.attributes["created_at_source"] == "file.created_at"
    assert orphan.attributes["file_bytes"] == 1024

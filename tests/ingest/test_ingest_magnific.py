"""Magnific (Freepik API): results joined with the request log."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import RecordError
from audit.base.models import AssetRef, Modality, Status
from audit.ingest.freepik import scale_of
from audit.ingest.walk import IngestResult, ingest_files

FILES = ("magnific/requests.jsonl", "magnific/results.json", "magnific/result-single.json")
MJ_UPSCALE = "https://cdn.midjourney.com/11111111-aaaa-4bbb-8ccc-000000000002/0_0.png"


def _ingest(fixtures: Path, *, lenient: bool = True) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=lenient)


def test_join_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "magnific/requests.jsonl": ("magnific", 0, 2, 1),
        "magnific/results.json": ("magnific", 2, 0, 0),
        "magnific/result-single.json": ("magnific", 1, 0, 0),
    }
    (reject,) = result.rejects
    assert reject.line() == (
        "magnific/requests.jsonl:4: task_id: request without result: fetch GET "
        "/v1/ai/<endpoint>/<task_id> (image-upscaler, mystic) into the results (got 'mag-0003')"
    )


def test_strict_mode_raises_on_request_without_result(fixtures: Path) -> None:
    with pytest.raises(RecordError, match=r"^magnific/requests\.jsonl:4: task_id: request without"):
        _ingest(fixtures, lenient=False)


def test_joined_values(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    first = found["magnific:mag-0001"]
    assert (first.modality, first.task, first.status) == (
        Modality.upscale,
        "upscale",
        Status.succeeded,
    )
    assert first.created_at == datetime(2026, 9, 20, 8, 0, tzinfo=UTC)
    assert (first.width, first.height) == (2912 * 4, 1632 * 4)
    assert first.inputs == [AssetRef(uri=MJ_UPSCALE, role="image")]
    assert first.outputs == ["https://cdn.magnific.example/mag-0001.png"]
    assert (first.model, first.prompt, first.outputs_count) == (
        "image-upscaler", "cinematic still, salt spray", 1,
    )  # fmt: skip
    assert first.attributes == {
        "scale_factor": 4.0, "creativity": 2, "hdr": 0, "resemblance": 0,
        "optimized_for": "films_n_photography",
    }  # fmt: skip
    assert (first.source_file, first.source_locator) == ("magnific/results.json", "/0")
    failed = found["magnific:mag-0002"]
    assert (failed.status, failed.outputs, failed.outputs_count) == (Status.failed, [], 0)
    assert failed.created_at == datetime(2026, 9, 20, 8, 3, 30, tzinfo=UTC)
    assert (failed.width, failed.model_version) == (None, "magnific_sparkle")
    assert failed.attributes["scale_factor"] == pytest.approx(2.0)


def test_result_without_request_uses_file_time(tmp_path: Path, fixtures: Path) -> None:
    target = tmp_path / "result-single.json"
    shutil.copy(fixtures / "magnific" / "result-single.json", target)
    os.utime(target, (1790000000, 1790000000))
    (gen,) = ingest_files(tmp_path, [target]).generations
    assert gen.created_at == datetime.fromtimestamp(1790000000, tz=UTC)
    assert gen.attributes == {"created_at_source": "file_mtime"}
    assert (gen.source_locator, gen.model, gen.inputs) == ("/", None, [])


@pytest.mark.parametrize(("raw", "scale"), [("4x", 4.0), ("16X", 16.0), (2, 2.0), ("2", 2.0)])
def test_scale_of(raw: object, scale: float) -> None:
    assert scale_of(raw) == pytest.approx(scale)


def test_scale_of_rejects_words() -> None:
    with pytest.raises(RecordError, match=r"request\.scale_factor: expected a scale like '4x'"):
        scale_of("big")

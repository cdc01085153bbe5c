"""Adobe Firefly: call logs (request beside response) and bare responses."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from audit.ingest._util import mtime_utc
from audit.ingest.walk import IngestResult, ingest_files
from audit.models import AssetRef, Modality
from tests.ingest.ingest_support import Reader, one

FILES = ("firefly/calls.jsonl", "firefly/response.json")


def _ingest(fixtures: Path) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES], lenient=True)


def test_counts(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.accepted, f.merged, f.rejected) for f in result.files}
    assert counts == {
        "firefly/calls.jsonl": ("firefly", 2, 0, 1),
        "firefly/response.json": ("firefly", 1, 0, 0),
    }
    assert [r.line() for r in result.rejects] == [
        "firefly/calls.jsonl:3: response: request without its response: log both"
    ]


def test_two_variations_with_style_reference(fixtures: Path) -> None:
    gen = {g.id: g for g in _ingest(fixtures).generations}["firefly:ff-req-0001"]
    assert gen.created_at == datetime(2026, 9, 23, 8, 0, tzinfo=UTC)
    assert (gen.modality, gen.task, gen.model) == (Modality.image, "text_to_image", None)
    assert (gen.width, gen.height, gen.outputs_count, gen.seed) == (2048, 2048, 2, None)
    assert gen.outputs == [
        "https://pre-signed-firefly.example/1.jpg",
        "https://pre-signed-firefly.example/2.jpg",
    ]
    assert gen.inputs == [AssetRef(uri="https://cdn.example/style.jpg", role="sref")]
    assert gen.attributes == {
        "content_class": "art", "seeds": "101|202", "num_variations": 2,
        "style_presets": "muted_color|watercolor", "request_id": "ff-req-0001",
    }  # fmt: skip


def test_structure_reference_without_request_id(fixtures: Path) -> None:
    (gen,) = [g for g in _ingest(fixtures).generations if g.source_locator == "2"]
    line = json.loads((fixtures / "firefly/calls.jsonl").read_text().splitlines()[1])
    text = json.dumps(line["response"], sort_keys=True, separators=(",", ":"))
    assert gen.id == "firefly:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    assert (gen.task, gen.seed, gen.width, gen.height) == ("image_to_image", 303, 1792, 2304)
    assert gen.inputs == [AssetRef(uri="firefly-upload:up-0077", role="image")]


def test_bare_response(fixtures: Path, read: Reader) -> None:
    gen = one(read("firefly", "firefly/response.json"))
    assert (gen.prompt, gen.seed, gen.width, gen.height) == (None, 9, 1024, 1024)
    assert gen.created_at == mtime_utc(fixtures / "firefly/response.json")
    assert gen.attributes == {"content_class": "photo", "created_at_source": "file_mtime"}

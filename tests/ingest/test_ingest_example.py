"""The bundled example production ingests cleanly: every file claimed, nothing rejected, the
Midjourney PNGs merged into their archive jobs, joined requests counted as merged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audit.base.resources import example_dir
from audit.ingest.walk import IngestResult, ingest_folder


@pytest.fixture(scope="module")
def example() -> IngestResult:
    root = example_dir()
    if not (root / "logs").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{root}/logs is missing")
        pytest.skip(f"{root}/logs not generated yet (python data/examples/generate.py)")
    return ingest_folder(root)


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def test_nothing_rejected_or_unclaimed(example: IngestResult) -> None:
    totals = example.totals()
    assert (totals["rejected"], totals["unclaimed_files"]) == (0, 0)
    assert totals["records"] == totals["accepted"] + totals["merged"]


def test_per_file_accounting(example: IngestResult) -> None:
    logs = example_dir() / "logs"
    files = {f.name.removeprefix("logs/"): f for f in example.files}
    for name in ("kling/requests.jsonl", "magnific/requests.jsonl"):
        assert (files[name].accepted, files[name].merged) == (0, _lines(logs / name))
    pngs = [f for name, f in files.items() if name.startswith("midjourney/png/")]
    assert len(pngs) == 3
    assert all((f.adapter, f.accepted, f.merged) == ("midjourney", 0, 1) for f in pngs)
    voice = [f for name, f in files.items() if name.startswith("elevenlabs/voice-")]
    assert [(f.adapter, f.records) for f in voice] == [("elevenlabs", 0)]


def test_voice_evidence_reaches_the_narration(example: IngestResult) -> None:
    narration = [g for g in example.generations if g.platform == "elevenlabs"]
    assert narration
    assert {g.attributes.get("voice_category") for g in narration} == {"cloned"}
    assert {g.attributes.get("voice_is_owner") for g in narration} == {True}
    assert all(g.created_at.tzinfo is not None for g in example.generations)

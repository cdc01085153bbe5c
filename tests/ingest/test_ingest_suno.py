"""Suno: feed clips, generate responses, lineage and status."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from audit.base.models import Modality, Status
from audit.ingest.base import Reject
from tests.ingest.ingest_support import GenIndex, Reader

FIRST = "c0000001-0000-4000-8000-000000000001"


def test_feed_clips(read: Reader, gens: GenIndex) -> None:
    items = read("suno", "suno/clips.json")
    found = gens(items)
    assert len(items) == len(found) == 3
    clip = found[f"suno:{FIRST}"]
    assert clip.created_at == datetime(2026, 9, 2, 14, 5, 0, 250000, tzinfo=UTC)
    assert (clip.modality, clip.task, clip.status) == (
        Modality.music,
        "text_to_music",
        Status.succeeded,
    )
    assert (clip.model, clip.model_version, clip.account) == ("chirp-v4-5", "v4.5", "marebasse")
    assert clip.duration_s == pytest.approx(120.5)
    assert (
        clip.prompt == "melancholic breton folk, solo cello\n[Intro: cello drone]\n[Outro: waves]"
    )
    assert clip.negative_prompt == "drums"
    assert clip.outputs == [f"https://cdn1.suno.ai/{FIRST}.mp3"]
    assert (clip.outputs_count, clip.parent_ids, clip.source_locator) == (1, [], "/clips/0")
    assert clip.attributes == {
        "title": "Marée basse", "handle": "marebasse", "display_name": "marebasse",
        "is_public": False, "tags": "melancholic breton folk, solo cello",
    }  # fmt: skip


def test_extension_lineage_and_error(read: Reader, gens: GenIndex) -> None:
    found = gens(read("suno", "suno/clips.json"))
    extension = found["suno:c0000001-0000-4000-8000-000000000002"]
    assert extension.parent_ids == [f"suno:{FIRST}"]
    assert extension.task == "concat"
    assert extension.duration_s == pytest.approx(60.0)
    failed = found["suno:c0000001-0000-4000-8000-000000000003"]
    assert (failed.status, failed.outputs, failed.outputs_count) == (Status.failed, [], 0)
    assert failed.created_at == datetime(2026, 9, 3, 8, 0, tzinfo=UTC)
    assert failed.prompt == "a sea shanty"
    assert failed.attributes == {"error_message": "moderation"}


def test_generate_response(read: Reader, gens: GenIndex) -> None:
    items = read("suno", "suno/generate.json")
    edit = gens(items)["suno:c0000002-0000-4000-8000-000000000001"]
    assert (edit.task, edit.parent_ids, edit.source_locator) == (
        "edit",
        [f"suno:{FIRST}"],
        "/clips/0",
    )
    assert edit.duration_s == pytest.approx(95.25)
    assert not [item for item in items if isinstance(item, Reject)]
    streaming = gens(items)["suno:c0000002-0000-4000-8000-000000000002"]
    assert (streaming.status, streaming.source_locator) == ("pending", "/clips/1")

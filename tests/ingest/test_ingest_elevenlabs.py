"""ElevenLabs: history pages in three wrappings; voice objects as evidence (0 records)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from audit.base.models import AssetRef, Modality
from audit.ingest.base import Reject
from audit.ingest.walk import IngestResult, ingest_files
from tests.ingest.ingest_support import GenIndex, Reader

FILES = (
    "elevenlabs/history-page-1.json",
    "elevenlabs/history-pages.json",
    "elevenlabs/items.json",
    "elevenlabs/voice-vx_lib.json",
    "elevenlabs/voice-vx_narr.json",
)


def _ingest(fixtures: Path) -> IngestResult:
    return ingest_files(fixtures, [fixtures / name for name in FILES])


def test_voice_files_are_evidence_not_records(fixtures: Path) -> None:
    result = _ingest(fixtures)
    counts = {f.name: (f.adapter, f.records, f.accepted) for f in result.files}
    assert counts == {
        "elevenlabs/history-page-1.json": ("elevenlabs", 3, 3),
        "elevenlabs/history-pages.json": ("elevenlabs", 2, 2),
        "elevenlabs/items.json": ("elevenlabs", 1, 1),
        "elevenlabs/voice-vx_lib.json": ("elevenlabs", 0, 0),
        "elevenlabs/voice-vx_narr.json": ("elevenlabs", 0, 0),
    }


def test_cloned_voice_tts_item(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    item = found["elevenlabs:hist_0001"]
    assert item.created_at == datetime(2026, 9, 10, 7, 15, tzinfo=UTC)
    assert (item.modality, item.task, item.model) == (
        Modality.speech,
        "tts",
        "eleven_multilingual_v2",
    )
    assert (item.characters, item.prompt) == (1008 - 1000, "Bonjour.")
    assert item.outputs == ["elevenlabs_hist_0001.mp3"]
    assert item.inputs == [AssetRef(uri="elevenlabs-voice:vx_narr", role="voice")]
    assert item.attributes == {
        "source": "TTS", "voice_id": "vx_narr", "voice_name": "Narrateur",
        "voice_category": "cloned", "output_format": "mp3_44100_128", "request_id": "req_0001",
        "voice_is_owner": True, "voice_verified": False,
    }  # fmt: skip
    assert item.source_locator == "/history/0"


def test_library_voice_speech_to_speech(fixtures: Path) -> None:
    item = {g.id: g for g in _ingest(fixtures).generations}["elevenlabs:hist_0002"]
    assert (item.task, item.characters, item.prompt) == ("speech_to_speech", 0, None)
    assert item.attributes["voice_category"] == "professional"
    assert item.attributes["voice_sharing_owner"] == "owner_abc"
    assert (item.attributes["voice_is_owner"], item.attributes["voice_verified"]) == (False, True)


def test_dialogue_item(fixtures: Path) -> None:
    item = {g.id: g for g in _ingest(fixtures).generations}["elevenlabs:hist_0003"]
    assert item.prompt == "Où est la lampe ?\nLà-haut."
    assert item.characters == 17 + 1 + 8
    assert item.inputs == [
        AssetRef(uri="elevenlabs-voice:vx_narr", role="voice"),
        AssetRef(uri="elevenlabs-voice:vx_lib", role="voice"),
    ]
    assert item.attributes == {
        "source": "TTS", "voice_id": "vx_lib|vx_narr", "voice_name": "Library voice|Narrateur",
        "request_id": "req_0003",
    }  # fmt: skip


def test_list_of_pages_and_list_of_items(fixtures: Path) -> None:
    found = {g.id: g for g in _ingest(fixtures).generations}
    dubbing, designed = found["elevenlabs:hist_0004"], found["elevenlabs:hist_0005"]
    assert (dubbing.task, dubbing.source_locator, dubbing.characters) == (
        "dubbing",
        "/0/history/0",
        9,
    )
    assert (designed.modality, designed.task) == (Modality.voice_clone, "voice_generation")
    assert designed.source_locator == "/1/history/0"
    assert found["elevenlabs:hist_0006"].source_locator == "/0"


def test_without_voice_file_no_evidence(read: Reader, gens: GenIndex) -> None:
    item = gens(read("elevenlabs", "elevenlabs/items.json"))["elevenlabs:hist_0006"]
    assert "voice_is_owner" not in item.attributes
    assert item.attributes["voice_category"] == "cloned"


def test_counter_going_down_is_rejected(tmp_path: Path, read: Reader) -> None:
    (tmp_path / "h.json").write_text(
        '{"history": [{"history_item_id": "h1", "date_unix": 1789024500, '
        '"character_count_change_from": 10, "character_count_change_to": 4}]}'
    )
    (item,) = read("elevenlabs", "h.json", root=tmp_path)
    assert isinstance(item, Reject)
    assert item.line() == (
        "h.json:/history/0: character_count_change_to: character counter went down (got 4)"
    )

"""ElevenLabs Music: ``GET /v1/music/chats`` objects, each chat's nested song one music record.

Shape (test data written here, not copied): a real capture of ``GET /v1/music/chats`` documented
in a public browser-extension capture contract found by code search (``{"chats": [{id, user_id,
created_at_utc, title, current_song_id, song: {id, created_at_utc, finished_at_utc,
generation_settings: {model_id, prompt, song_length_ms}, metadata: {title, genres, languages},
download_url, status: "completed", product_type_source: "Music"}}]}``; its note that a chat is
seen before its song is filled in); song fields cross-checked with elevenlabs/elevenlabs-python
``src/elevenlabs/types/song_source_context.py`` (song_id, chat_id, generation_settings).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from audit.base.models import Modality, Status
from audit.ingest.base import Reject
from audit.ingest.walk import ingest_files
from tests.ingest.ingest_support import FIXTURES, GenIndex, Reader
from tests.ingest.test_ingest_sniff import claimants

SONG = "elevenlabs:songLighthouse000001"


def test_music_chats_page(read: Reader, gens: GenIndex) -> None:
    found = gens(read("elevenlabs", "elevenlabs/music-chats.json"))
    song = found[SONG]
    assert (song.modality, song.task, song.model) == (Modality.music, "text_to_music", "music_v1")
    assert song.created_at == datetime(2026, 9, 18, 14, 2, 10, 120000, tzinfo=UTC)
    assert (song.status, song.duration_s, song.outputs_count) == (Status.succeeded, 90.0, 1)
    assert song.prompt == "slow cello and foghorn drone, minor key"
    assert song.outputs == [
        "https://storage.googleapis.com/example-bucket/songs/songLighthouse000001.mp3"
    ]  # the signed query, which expires, is not kept
    assert song.attributes == {
        "chat_id": "chatLighthouse0000001", "source": "Music", "title": "Phare au loin",
        "genres": "ambient|neoclassical", "run_s": 31.76,
    }  # fmt: skip
    assert song.source_locator == "/chats/0"
    waiting = found["elevenlabs:songStorm00000000002"]
    assert (waiting.status, waiting.source_locator) == (Status.pending, "/chats/1")


def test_chat_seen_before_its_song_is_replaced_by_the_song(tmp_path: Path) -> None:
    """The pending chat-only snapshot and the finished chat share the song id: one record."""
    logs = tmp_path / "logs" / "elevenlabs"
    logs.mkdir(parents=True)
    page = json.loads((FIXTURES / "elevenlabs" / "music-chats.json").read_text())
    early = dict(page["chats"][0])
    del early["song"]
    (logs / "early.json").write_text(json.dumps({"chats": [early]}))
    (logs / "late.json").write_text(json.dumps({"chats": [page["chats"][0]]}))
    result = ingest_files(tmp_path, sorted(logs.iterdir()))
    (song,) = result.generations
    assert (song.id, song.status, song.source_file) == (
        SONG,
        Status.succeeded,
        "logs/elevenlabs/late.json",
    )


def test_unknown_song_status_is_one_line(tmp_path: Path, read: Reader) -> None:
    chat = {"id": "c1", "created_at_utc": "2026-09-18T14:02:10Z", "current_song_id": "s1",
            "song": {"id": "s1", "status": "exploded", "created_at_utc": "2026-09-18T14:02:10Z",
                     "generation_settings": {"model_id": "music_v1"}}}  # fmt: skip
    (tmp_path / "m.json").write_text(json.dumps({"chats": [chat]}))
    (item,) = read("elevenlabs", "m.json", root=tmp_path)
    assert isinstance(item, Reject)
    assert item.line().startswith("m.json:/chats/0: song.status: unknown song status (allowed: ")


def test_music_chats_claimed_by_elevenlabs_only() -> None:
    assert claimants(FIXTURES / "elevenlabs" / "music-chats.json") == ["elevenlabs"]

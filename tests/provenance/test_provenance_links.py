"""Links leading out of the production folder are never read for Content Credentials."""

from pathlib import Path

from audit.ingest.provenance import media_files


def test_links_out_of_the_folder_are_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(b"\xff\xd8\xff")
    film = tmp_path / "film"
    (film / "media").mkdir(parents=True)
    (film / "media" / "kept.jpg").write_bytes(b"\xff\xd8\xff")
    (film / "media" / "escape.jpg").symlink_to(outside)
    assert [p.name for p in media_files(film)] == ["kept.jpg"]

"""Nothing silent (issue 17): every file of logs/ is read, or refused with one line saying why and
which adapter came closest; files left out on purpose are counted; strict mode stops on an
unclaimed data file, ``--lenient`` lists it. Test data is written here, by hand."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from audit.base.errors import InputError
from audit.ingest.walk import IngestResult, ingest_files, ingest_folder

ROW = "kling,video,2026-09-01T10:00:00Z"


def _film(tmp_path: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = tmp_path / "film" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (tmp_path / "film" / "logs").mkdir(parents=True, exist_ok=True)
    return tmp_path / "film"


def _lines(film: Path) -> list[str]:
    return ingest_folder(film, lenient=True).unclaimed_lines()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int) -> bytes:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    end = _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + header + end


def _photo(text: dict[str, str]) -> bytes:
    info = PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _workbook(sheet: str, rows: list[list[object]]) -> bytes:
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    for row in rows:
        page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MISTAKES: dict[str, tuple[bytes, str]] = {
    "m.csv": (
        f"platform,modalty,created_at\n{ROW}\n".encode(),
        "header has unknown column 'modalty' (did you mean 'modality'?)",
    ),
    "x.json": (b'{"code": 0, "data": {"items": []}}', "JSON of no known shape (keys: code, data)"),
    "m.jsonl": (
        b'{"platform": "kling", "modalty": "video", "created_at": "2026-09-01T10:00:00Z"}\n',
        "JSON Lines record has unknown key 'modalty' (did you mean 'modality'?)",
    ),
    "u16.csv": (
        f"platform,modality,created_at\n{ROW}\n".encode("utf-16-le"),
        "not UTF-8: UTF-16 LE without BOM — re-save as UTF-8 or CSV UTF-8",
    ),
    "empty.json": (b"", "empty file"),
    "garbage.json": (b"\x13\x37" + bytes(range(256)) * 4, "binary data, not text"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "invalid JSON: nested too deeply"),
    "huge.png": (_png(200_000, 10), "image of absurd dimensions (200000×10 px; more than"),
    "plain.png": (_photo({"Software": "GIMP"}), "image with no generation metadata (text chunks:"),
    "nulls.json": (b"[null, null]", "JSON list of 2 items, none an object, 2 of them null"),
    "book.xlsx": (
        _workbook("Feuil1", [["platform", "modalty", "created_at"], ["kling", "video", "x"]]),
        "header has unknown column 'modalty' (did you mean 'modality'?)",
    ),
    "text.xlsx": (
        f"platform,modality,created_at\n{ROW}\n".encode(),
        "text, not a workbook: a CSV saved under a .xlsx name? rename it .csv",
    ),
    "broken.xlsx": (b"PK\x03\x04" + bytes(range(256)), "not a workbook Excel can open"),
    "mj.json": (
        json.dumps(
            [{"id": "j1", "full_command": "a lighthouse --ar 16:9", "enqueue_time": "2026-09-01"}]
        ).encode(),
        "JSON list of 1 items of no known shape (keys: enqueue_time, full_command, id); "
        "nearest adapter: midjourney (shares enqueue_time, full_command), not its shape",
    ),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_gets_one_line(tmp_path: Path, name: str) -> None:
    data, reason = MISTAKES[name]
    film = _film(tmp_path, {f"logs/{name}": data})
    (line,) = _lines(film)
    assert line.startswith(f"logs/{name}: {reason}"), line
    assert "\n" not in line


@pytest.mark.parametrize("name", sorted(n for n in MISTAKES if not n.endswith(".png")))
def test_strict_mode_stops_on_an_unclaimed_data_file(tmp_path: Path, name: str) -> None:
    data, reason = MISTAKES[name]
    film = _film(tmp_path, {f"logs/{name}": data})
    with pytest.raises(InputError) as caught:
        ingest_folder(film)
    assert str(caught.value).startswith(f"logs/{name}: {reason}")
    assert str(caught.value).endswith("(--lenient lists it and goes on)")
    assert caught.value.exit_code == 2


def test_images_without_metadata_do_not_stop_a_strict_run(tmp_path: Path) -> None:
    film = _film(tmp_path, {"logs/plain.png": _photo({}), "logs/j.csv": _canonical()})
    result = ingest_folder(film)
    assert result.unclaimed_lines() == ["logs/plain.png: image with no generation metadata"]
    assert len(result.generations) == 1


def _canonical(encoding: str = "utf-8", sep: str = ",") -> bytes:
    text = sep.join(("platform", "modality", "created_at")) + "\n" + ROW.replace(",", sep) + "\n"
    return text.encode(encoding)


@pytest.mark.parametrize(("name", "encoding", "sep"), [
    ("u16.csv", "utf-16", ","), ("u16.tsv", "utf-16", "\t"), ("unicode.txt", "utf-16", "\t"),
    ("be.csv", "utf-16-be", ";"),
])  # fmt: skip
def test_utf16_with_bom_is_read(tmp_path: Path, name: str, encoding: str, sep: str) -> None:
    data = _canonical(encoding, sep)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    film = _film(tmp_path, {f"logs/{name}": data})
    result = ingest_folder(film)
    assert [(g.platform, g.modality.value) for g in result.generations] == [("kling", "video")]


def test_hidden_and_editor_files_are_skipped_and_counted(tmp_path: Path) -> None:
    film = _film(tmp_path, {
        "logs/.DS_Store": b"\x00\x00", "logs/Thumbs.db": b"\x00", "logs/~$journal.xlsx": b"x",
        "logs/journal.csv~": b"x", "logs/.hidden/j.csv": _canonical(), "logs/README.md": b"# n",
        "logs/journal.csv": _canonical(),
    })  # fmt: skip
    result = ingest_folder(film)
    assert [s.line() for s in result.skipped] == [
        "logs/.DS_Store: skipped: hidden or editor file",
        "logs/.hidden/j.csv: skipped: hidden or editor file",
        "logs/README.md: skipped: notes beside the records",
        "logs/Thumbs.db: skipped: hidden or editor file",
        "logs/journal.csv~: skipped: hidden or editor file",
        "logs/~$journal.xlsx: skipped: hidden or editor file",
    ]
    assert result.totals()["skipped_files"] == 6
    assert result.totals()["files"] == 1


def test_empreinteignore_excludes_files_on_purpose(tmp_path: Path) -> None:
    film = _film(tmp_path, {
        ".empreinteignore": b"# drafts\nlogs/old/\n*.bak.json\n!logs/old/keep.csv\n",
        "logs/old/a.csv": b"not,a,log\n", "logs/old/keep.csv": _canonical(),
        "logs/x.bak.json": b"{}", "logs/journal.csv": _canonical(),
    })  # fmt: skip
    result = ingest_folder(film)  # strict: the excluded garbage does not stop it
    assert [s.line() for s in result.skipped] == [
        "logs/old/a.csv: skipped: excluded by .empreinteignore",
        "logs/x.bak.json: skipped: excluded by .empreinteignore",
    ]
    assert sorted(f.name for f in result.files) == ["logs/journal.csv", "logs/old/keep.csv"]


def test_workbook_records_have_cell_locators(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["platform", "modality", "created_at", "duration_s"],
        ["kling", "video", "2026-09-01T10:00:00Z", 5],
        ["kling", "film", "2026-09-01T11:00:00Z", 5],
    ]
    film = _film(tmp_path, {"logs/journal.xlsx": _workbook("Feuil1", rows)})
    result: IngestResult = ingest_folder(film, lenient=True)
    (gen,) = result.generations
    assert (gen.source_file, gen.source_locator, gen.duration_s) == (
        "logs/journal.xlsx", "Feuil1!2", 5.0,
    )  # fmt: skip
    (reject,) = result.rejects
    assert reject.line().startswith("logs/journal.xlsx:Feuil1!B3: modality: Input should be")


def test_workbook_sheet_named_generations_is_preferred(tmp_path: Path) -> None:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["whatever"])
    sheet = book.create_sheet("Generations")
    sheet.append(["platform", "modality", "created_at"])
    sheet.append(["suno", "music", "2026-09-02T10:00:00Z"])
    out = io.BytesIO()
    book.save(out)
    film = _film(tmp_path, {"logs/book.xlsx": out.getvalue()})
    (gen,) = ingest_folder(film).generations
    assert (gen.platform, gen.source_locator) == ("suno", "Generations!2")


def test_counts_add_up_with_every_kind_of_file(tmp_path: Path) -> None:
    """Nothing dropped without a line: every file is read, unclaimed (with a reason) or
    skipped (with a reason)."""
    files = {f"logs/{name}": data for name, (data, _) in MISTAKES.items()}
    film = _film(tmp_path, {**files, "logs/ok.csv": _canonical(), "logs/.DS_Store": b"x"})
    result = ingest_folder(film, lenient=True)
    on_disk = sorted(p for p in (film / "logs").rglob("*") if p.is_file())
    seen = [f.name for f in result.files] + [s.name for s in result.skipped]
    assert len(seen) == len(on_disk) == len(set(seen))
    assert all(f.reason for f in result.files if f.adapter is None)
    assert len(result.unclaimed_lines()) == len(MISTAKES)


def test_ingest_files_of_explicit_paths_give_reasons(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    result = ingest_files(tmp_path, [path], lenient=True)
    assert result.unclaimed_lines() == ["notes.json: JSON of no known shape (keys: hello)"]


def test_a_file_read_that_holds_no_record_is_said(tmp_path: Path) -> None:
    film = _film(tmp_path, {"logs/header-only.csv": b"platform,modality,created_at\n"})
    result = ingest_folder(film)
    assert result.empty_lines() == ["logs/header-only.csv: canonical: holds no record"]

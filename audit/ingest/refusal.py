"""Why no adapter took a file: one reason, in the user's terms, and the adapter that came closest.

Called only for files no adapter claimed (they are few), so it may read a whole file. The reason
is what the user can act on: ``header has unknown column 'modalty' (did you mean 'modality'?)``,
``JSON of no known shape (keys: code, data)``, ``not UTF-8: UTF-16 LE without BOM — re-save as
UTF-8 or CSV UTF-8``, ``empty file``, ``image with no generation metadata``. The closest adapter
is the one whose documented fields (its ``reads`` and ``formats``) share most keys with the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from audit.base.errors import InputError
from audit.base.models import COLUMNS
from audit.base.schema import MAX_SIDE_PX
from audit.base.sheets import XLSX_SUFFIXES, header_of
from audit.base.textio import did_you_mean, load_json, read_text, sniff_delimiter, utf16_without_bom
from audit.ingest._images import open_image
from audit.ingest.base import Adapter, Source, head

#: Suffixes of data files: unclaimed, they stop a strict run (exit 2).
DATA_SUFFIXES = frozenset({".json", ".jsonl", ".csv", ".tsv", *XLSX_SUFFIXES})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})
REQUIRED = ("platform", "modality", "created_at")
#: A file larger than this is not parsed to describe it.
INSPECT_MAX_BYTES = 64 * 1024 * 1024
#: Keys too common to tell platforms apart.
_COMMON = frozenset({
    "id", "status", "data", "created_at", "prompt", "model", "type", "name", "url", "request",
    "response", "code", "message", "seed", "duration", "width", "height", "metadata",
    "endpoint", "body", "results", "title", "error", "state", "progress", "task", "mode",
    "size", "image", "images", "outputs", "output", "video", "audio", "file", "files",
    "result", "created", "updated_at",
})  # fmt: skip
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"WEBP", 8, "a WEBP image"),
    (b"WAVE", 8, "a WAV sound"),
    (b"GIF8", 0, "a GIF image"),
    (b"%PDF", 0, "a PDF document"),
    (b"ftyp", 4, "an MP4/MOV video"),
    (b"ID3", 0, "an MP3 sound"),
    (b"\xd0\xcf\x11\xe0", 0, "an old Excel/Word file (.xls/.doc): save it as .xlsx or CSV UTF-8"),
    (b"PK\x03\x04", 0, "a ZIP archive (or Office file)"),
)


def refusal(path: Path, name: str, adapters: Iterable[Adapter]) -> str:
    """Why no adapter read ``path`` (shown as ``name``), with the closest adapter when one is."""
    if path.stat().st_size == 0:
        return "empty file"
    data = head(path)
    suffix = path.suffix.lower()
    kind = _magic(data)
    if kind is not None and not (kind.startswith("a ZIP") and suffix in XLSX_SUFFIXES):
        if suffix in IMAGE_SUFFIXES and kind.endswith("image"):
            return _image_refusal(path, name, kind, adapters)
        if suffix in DATA_SUFFIXES:
            return f"{kind}, saved under a {suffix} name"
        return f"{kind}: holds no generation record Empreinte reads"
    if (utf16 := utf16_without_bom(data)) is not None:
        return f"not UTF-8: {utf16} without BOM — re-save as UTF-8 or CSV UTF-8"
    if suffix in XLSX_SUFFIXES and not _binary(data):
        return f"text, not a workbook: a CSV saved under a {suffix} name? rename it .csv"
    if suffix in XLSX_SUFFIXES:
        return _table_reason(header_of(path), "sheet")
    if _binary(data):
        return f"binary data, not text (starts with {data[:8].hex(' ')})"
    if suffix in (".json", ".jsonl"):
        return _json_reason(path, suffix, adapters)
    if suffix in (".csv", ".tsv", ".txt"):
        return _csv_reason(path)
    return f"no adapter reads {suffix or 'extension-less'} files"


#: The image kinds of _MAGIC and the suffixes they are named with.
_IMAGE_NAMES = {
    "a PNG image": (".png",),
    "a JPEG image": (".jpg", ".jpeg"),
    "a WEBP image": (".webp",),
}


def _image_refusal(path: Path, name: str, kind: str, adapters: Iterable[Adapter]) -> str:
    """An unread image's reason; an image of another format than its name says is named (e.g. a
    WEBP saved as .png), with what the platform whose kind of file it is advises."""
    reason = image_reason(path, name)
    suffix = path.suffix.lower()
    if suffix in _IMAGE_NAMES.get(kind, (suffix,)):
        return reason
    hints = [hint for adapter in adapters if (hint := adapter.unclaimed_hint(path))]
    return f"{kind} under a {suffix} name: {reason}" + "".join(f"; {h}" for h in hints)


def _magic(data: bytes) -> str | None:
    for magic, offset, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    return None


def _binary(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(1 for byte in data[:1024] if byte < 9 or 13 < byte < 32)
    return b"\x00" in data or controls > len(data[:1024]) // 10


def image_reason(path: Path, name: str) -> str:
    """An image no adapter read: absurd dimensions, unreadable, or no generation metadata."""
    try:
        with open_image(Source(path, name)) as image:  # header only: pixels are never decoded
            width, height = image.size
            keys = sorted(str(key) for key, value in image.info.items() if isinstance(value, str))
    except InputError as exc:
        return exc.reason + (f" ({exc.value})" if exc.value else "")
    if max(width, height) > MAX_SIDE_PX:
        return f"image of absurd dimensions ({width}×{height} px; more than {MAX_SIDE_PX} px)"
    shown = f" (text chunks: {', '.join(keys)})" if keys else ""
    return f"image with no generation metadata{shown}"


def _table_reason(header: list[str] | None, what: str) -> str:
    """Why a table is not a canonical one, from its header."""
    if header is None:
        return "not a workbook Excel can open"
    names = [cell.strip().strip('"').strip().lower() for cell in header if cell.strip()]
    if not names:
        return f"no header row: the {what} is empty"
    for column in names:
        if column not in COLUMNS and (hint := did_you_mean(column, COLUMNS)):
            return f"header has unknown column {column!r}{hint}"
    missing = [column for column in REQUIRED if column not in names]
    shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
    if len(missing) < len(REQUIRED):
        return f"header lacks {', '.join(missing)} (columns: {shown})"
    return (
        f"{what} of no known shape (columns: {shown}); a canonical one needs {', '.join(REQUIRED)}"
    )


def _csv_reason(path: Path) -> str:
    try:
        text = read_text(path)
    except InputError as exc:
        return exc.reason
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    delimiter = sniff_delimiter(first)
    if delimiter not in first:
        return "text, not a table: no , ; or tab in its first line"
    return _table_reason(first.split(delimiter), "table")


def _json_reason(path: Path, suffix: str, adapters: Iterable[Adapter]) -> str:
    if path.stat().st_size > INSPECT_MAX_BYTES:
        return f"JSON of no known shape (not inspected: over {INSPECT_MAX_BYTES >> 20} MB)"
    try:
        doc = load_json(path) if suffix == ".json" else _jsonl_document(path)
    except InputError as exc:
        where = f" at {exc.locator}" if exc.locator not in (None, "", "1:1") else ""
        return f"{exc.reason}{where}"
    kind = "JSON Lines" if suffix == ".jsonl" else "JSON"
    if (near := _near_canonical(doc, kind)) is not None:
        return near
    reason = _shape(doc, kind)
    nearest = closest(_keys(doc), adapters)
    return reason + (f"; nearest adapter: {nearest}" if nearest else "")


def _near_canonical(doc: Any, kind: str) -> str | None:
    """A record written with the canonical columns but one key misspelt (``modalty``)."""
    first = doc[0] if isinstance(doc, list) and doc else doc
    if not isinstance(first, dict) or len(set(first) & set(COLUMNS)) < 2:
        return None
    for key in map(str, first):
        if key not in COLUMNS and (hint := did_you_mean(key, COLUMNS)):
            return f"{kind} record has unknown key {key!r}{hint}"
    return None


def _jsonl_document(path: Path) -> list[Any]:
    """The first lines of a JSON Lines file (a bad line raises with its number)."""
    out: list[Any] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except (ValueError, RecursionError) as exc:
            raise InputError(f"line {number} is not JSON ({type(exc).__name__})") from exc
        if len(out) >= 50:
            break
    return out


def _shape(doc: Any, kind: str) -> str:
    if isinstance(doc, dict):
        keys = sorted(str(k) for k in doc)
        shown = ", ".join(keys[:10]) + (", …" if len(keys) > 10 else "")
        return f"{kind} of no known shape (keys: {shown or 'none'})"
    if isinstance(doc, list):
        objects = [item for item in doc if isinstance(item, dict)]
        nulls = sum(1 for item in doc if item is None)
        null_note = f", {nulls} of them null" if nulls else ""
        if not objects:
            return f"{kind} list of {len(doc)} items, none an object{null_note}"
        keys = sorted({str(k) for item in objects for k in item})
        shown = ", ".join(keys[:10]) + (", …" if len(keys) > 10 else "")
        empty = _null_fields(objects)
        return (
            f"{kind} list of {len(doc)} items{null_note} of no known shape (keys: {shown}){empty}"
        )
    return f"{kind} holding a {type(doc).__name__}, not an object or a list"


def _null_fields(objects: list[dict[str, Any]]) -> str:
    """``; null in every item: prompt, id`` when some fields are null throughout."""
    nulls = sorted(str(k) for k in objects[0] if all(item.get(k) is None for item in objects))
    return f"; null in every item: {', '.join(nulls[:6])}" if nulls else ""


def _keys(doc: Any, depth: int = 3) -> set[str]:
    """Keys of the objects in ``doc``, down to ``depth`` levels (the first items of lists)."""
    found: set[str] = set()
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack and len(found) < 400:
        node, level = stack.pop()
        if level > depth:
            continue
        if isinstance(node, dict):
            found.update(str(k) for k in node)
            stack.extend((value, level + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, level + 1) for value in node[:3])
    return found


def closest(keys: set[str], adapters: Iterable[Adapter]) -> str | None:
    """``suno (shares audio_url, model_name)``: the adapter whose documented fields share most
    distinctive keys with the file (two at least), or None."""
    wanted = keys - _COMMON
    best: tuple[int, str, list[str]] | None = None
    for adapter in adapters:
        vocabulary = set(_WORD.findall(f"{adapter.reads} {adapter.formats}"))
        shared = sorted(wanted & vocabulary)
        if len(shared) >= 2 and (best is None or len(shared) > best[0]):
            best = (len(shared), adapter.name, shared)
    if best is None:
        return None
    return f"{best[1]} (shares {', '.join(best[2][:5])}), not its shape"

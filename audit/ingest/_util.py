"""Parsing helpers shared by the platform adapters.

Adapters read JSON that users exported in several wrappings (one object, a list, an object holding a
list, JSON Lines), PNG text chunks and WEBP EXIF strings. These helpers give every record a locator
(JSON pointer or line number), turn a bad field into a :class:`~audit.errors.RecordError` that the
adapter converts into a :class:`~audit.ingest.base.Reject`, and keep file-level failures one line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import struct
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from PIL import Image, ImageFile, UnidentifiedImageError

from audit.errors import InputError, RecordError
from audit.ingest.base import Item, Merged, Reject, Source, guarded, head
from audit.models import Generation
from audit.textio import from_epoch, from_iso, iter_jsonl, load_json

#: How many bytes at the end of a file are searched when the metadata sits there (WEBP EXIF).
TAIL_BYTES = 65536
#: Attribute telling that ``created_at`` is not in the record but the file's modification time.
TIME_SOURCE = "created_at_source"


# --- sniffing ------------------------------------------------------------------------------------


def looks_canonical(text: str) -> bool:
    """True when the first line holds Empreinte's own columns (left to the canonical adapter)."""
    first = text.split("\n", 1)[0]
    return all(f'"{col}"' in first for col in ("platform", "modality", "created_at"))


def has_all(text: str, *needles: str) -> bool:
    return all(needle in text for needle in needles)


def tail(path: Path, size: int = TAIL_BYTES) -> bytes:
    """The last ``size`` bytes of a file (one seek), for formats that keep metadata at the end."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - size))
        return fh.read()


def is_json_suffix(path: Path) -> bool:
    return path.suffix.lower() in (".json", ".jsonl")


# --- JSON containers -----------------------------------------------------------------------------


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to a record: ``pointer("history", 3)`` → ``/history/3``."""
    if not parts:
        return "/"
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def is_marker(obj: object) -> bool:
    """An object made only of ``_``-prefixed keys (e.g. ``{"_synthetic": ...}``): not a record."""
    return isinstance(obj, dict) and bool(obj) and all(str(k).startswith("_") for k in obj)


def load_document(source: Source) -> Any:
    """The parsed JSON of a ``.json`` file; errors name the file as the user knows it."""
    try:
        return load_json(source.path)
    except InputError as exc:
        raise RecordError(exc.reason, file=source.name, locator=exc.locator, field="file") from exc


def json_records(source: Source, list_keys: Iterable[str] = ()) -> Iterator[tuple[str, Any]]:
    """(locator, object) for each record: JSON Lines, a list, an object holding a list under one
    of ``list_keys``, or one object. Marker objects (only ``_`` keys) are skipped."""
    if source.path.suffix.lower() == ".jsonl":
        try:
            for number, obj in iter_jsonl(source.path):
                if not is_marker(obj):
                    yield str(number), obj
        except InputError as exc:
            raise RecordError(exc.reason, file=source.name, locator=exc.locator) from exc
        return
    doc = load_document(source)
    if isinstance(doc, list):
        yield from ((pointer(i), obj) for i, obj in enumerate(doc) if not is_marker(obj))
        return
    if not isinstance(doc, dict):
        raise RecordError(
            "top level must be a JSON object or list",
            file=source.name,
            locator="/",
            field="file",
            value=type(doc).__name__,
        )
    for key in list_keys:
        if key in doc:
            items = doc[key]
            if not isinstance(items, list):
                kind = type(items).__name__
                msg = "expected a list"
                raise RecordError(
                    msg, file=source.name, locator=pointer(key), field=key, value=kind
                )
            yield from ((pointer(key, i), obj) for i, obj in enumerate(items))
            return
    yield "/", doc


def each_record(
    source: Source,
    pairs: Iterable[tuple[str, Any]],
    make: Callable[[str, dict[str, Any]], Item],
) -> Iterator[Item]:
    """Call ``make(locator, obj)`` per record; a RecordError raised for a field becomes a Reject."""
    for locator, obj in pairs:
        if not isinstance(obj, dict):
            yield Reject(source.name, locator, "record", "not a JSON object", type(obj).__name__)
            continue
        try:
            yield make(locator, obj)
        except RecordError as exc:
            yield reject_of(source, locator, exc)


def reject_of(source: Source, locator: str, exc: InputError) -> Reject:
    value = repr(exc.value)[:80] if exc.value is not None else ""
    where = str(exc.locator) if exc.locator not in (None, "") else locator
    reason = f"{exc.reason} (allowed: {', '.join(exc.choices)})" if exc.choices else exc.reason
    return Reject(source.name, where, exc.field or "record", reason, value)


# --- typed field access --------------------------------------------------------------------------


def expect(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], field: str) -> Any:
    """``obj[key]`` if present and of ``kind``; None when absent or null; else RecordError."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise RecordError(f"expected {names}", field=field, value=value)
    return value


def opt_str(obj: dict[str, Any], key: str, field: str | None = None) -> str | None:
    value = expect(obj, key, str, field or key)
    return value if value else None


def opt_dict(obj: dict[str, Any], key: str, field: str | None = None) -> dict[str, Any]:
    return expect(obj, key, dict, field or key) or {}


def opt_list(obj: dict[str, Any], key: str, field: str | None = None) -> list[Any]:
    return expect(obj, key, list, field or key) or []


def opt_float(obj: dict[str, Any], key: str, field: str | None = None) -> float | None:
    """A number, also when written as a string (``"5.1"``, ``"4x"`` is not accepted here)."""
    value = expect(obj, key, (int, float, str), field or key)
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError) as exc:
        raise RecordError("expected a number", field=field or key, value=value) from exc
    if not math.isfinite(number):
        raise RecordError("expected a finite number", field=field or key, value=value)
    return number


def opt_int(obj: dict[str, Any], key: str, field: str | None = None) -> int | None:
    number = opt_float(obj, key, field)
    if number is None:
        return None
    if not number.is_integer():
        raise RecordError("expected a whole number", field=field or key, value=obj.get(key))
    return int(number)


def required(value: Any, field: str) -> Any:
    if value is None:
        raise RecordError("required", field=field)
    return value


def epoch_time(obj: dict[str, Any], key: str, field: str | None = None) -> datetime | None:
    """Unix seconds or milliseconds → aware UTC datetime."""
    number = opt_float(obj, key, field)
    if number is None:
        return None
    try:
        return from_epoch(number)
    except ValueError as exc:
        raise RecordError(
            "expected Unix time in seconds or milliseconds (years 1-9999)",
            field=field or key,
            value=obj.get(key),
        ) from exc


def iso_time(obj: dict[str, Any], key: str, field: str | None = None) -> datetime | None:
    """ISO 8601 (zone-less means UTC; a space between date and time is accepted) → UTC."""
    text = opt_str(obj, key, field)
    if text is None:
        return None
    try:
        return from_iso(text)
    except ValueError as exc:
        raise RecordError("expected an ISO 8601 date-time", field=field or key, value=text) from exc


def any_time(obj: dict[str, Any], keys: Iterable[str], prefix: str = "") -> datetime | None:
    """The first of ``keys`` present, as epoch seconds/ms or ISO text."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and not value.strip().replace(".", "").isdigit():
            return iso_time(obj, key, prefix + key)
        if value is not None:
            return epoch_time(obj, key, prefix + key)
    return None


def mtime_utc(path: Path) -> datetime:
    """The file's modification time: the fallback when a record carries no time at all."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def asset_uri(value: str) -> str:
    """A URL or file name as is; inline base64 data as ``sha256:<16 hex>`` (kept short)."""
    if value.startswith(("http://", "https://", "file:", "gen:")) or len(value) <= 512:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:16]


def pipe(values: Iterable[str]) -> str | None:
    """Several values in one attribute cell: ``a|b`` (sorted, unique), None when empty."""
    unique = sorted({v for v in values if v})
    return "|".join(unique) if unique else None


# --- images --------------------------------------------------------------------------------------


@contextmanager
def strict_images() -> Iterator[None]:
    """Pillow as strict as it is by default while metadata is read.

    WeasyPrint sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` when it is imported; with it,
    an oversized or truncated text chunk is silently dropped instead of raising, so what a PNG
    yields would depend on whether a report was rendered earlier in the same process.
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def open_image(source: Source) -> Image.Image:
    """Open an image lazily; Pillow's failures become one RecordError line.

    Only metadata is read, never pixels, so Pillow's decompression-bomb warning (a large image)
    is silenced; an image beyond its hard limit (twice that) is refused with one line.
    """
    try:
        with warnings.catch_warnings(), strict_images():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(source.path)
    except Image.DecompressionBombError as exc:
        raise RecordError(
            "image dimensions beyond Pillow's safety limit; not read", file=source.name,
            locator="IHDR", field="file", value=str(exc).split(" pixels")[0].split("(")[-1] + " px",
        ) from exc  # fmt: skip
    except UnidentifiedImageError as exc:
        raise RecordError("not an image Pillow can read", file=source.name, field="file") from exc
    except ValueError as exc:
        raise RecordError(
            f"metadata too large ({exc})", file=source.name, locator="text chunks", field="file"
        ) from exc
    except OSError as exc:
        raise RecordError(f"cannot read image ({exc})", file=source.name, field="file") from exc


def png_text(source: Source) -> dict[str, str]:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG, as plain strings."""
    with strict_images(), open_image(source) as image:
        try:
            chunks = getattr(image, "text", None) or {}
        except ValueError as exc:
            raise RecordError(
                f"metadata too large ({exc})",
                file=source.name,
                locator="text chunks",
                field="file",
            ) from exc
        except (OSError, SyntaxError) as exc:
            raise RecordError(f"cannot read image ({exc})", file=source.name, field="file") from exc
        return {str(k): str(v) for k, v in chunks.items()}


def exif_strings(source: Source) -> dict[str, str]:
    """EXIF strings written as ``key:value`` (ComfyUI's ``prompt:{...}`` in animated WEBP)."""
    with strict_images(), open_image(source) as image:
        try:
            exif = image.getexif()
        except (OSError, ValueError, SyntaxError) as exc:
            raise RecordError(
                f"unreadable EXIF ({exc})", file=source.name, locator="exif", field="file"
            ) from exc
        pairs = [str(v).split(":", 1) for v in exif.values() if isinstance(v, str) and ":" in v]
    return {key: value for key, value in pairs}


def png_time(source: Source, text: dict[str, str]) -> tuple[datetime, str]:
    """When the PNG was made: the ``Creation Time`` text chunk, the ``tIME`` chunk, else the file's
    modification time. Returns (UTC time, where it came from)."""
    stamp = text.get("Creation Time")
    if stamp:
        try:
            return from_iso(stamp), "Creation Time"
        except ValueError as exc:
            raise RecordError(
                "expected an ISO 8601 date-time",
                file=source.name,
                locator="tEXt:Creation Time",
                field="Creation Time",
                value=stamp,
            ) from exc
    data = head(source.path)
    at = data.find(b"tIME")
    if at >= 4 and struct.unpack(">I", data[at - 4 : at])[0] == 7 and len(data) >= at + 11:
        year, month, day, hour, minute, second = struct.unpack(">HBBBBB", data[at + 4 : at + 11])
        try:
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC), "tIME"
        except ValueError:
            pass  # an invalid tIME chunk is ignored: the file time below still says something
    return mtime_utc(source.path), "file_mtime"


# --- joining request logs with results -----------------------------------------------------------


@dataclass
class Pending:
    """One logged request waiting for its result."""

    source: Source
    locator: str
    keys: tuple[str, ...]
    body: dict[str, Any]
    line: dict[str, Any]
    used: bool = False
    into: str | None = None


@dataclass
class RequestLog:
    """Requests by task id (and any other join key), consumed as results are read."""

    by_key: dict[str, Pending] = dc_field(default_factory=dict)
    pending: list[Pending] = dc_field(default_factory=list)

    def add(self, request: Pending) -> None:
        self.pending.append(request)
        for key in request.keys:
            self.by_key.setdefault(key, request)

    def take(self, *keys: str | None) -> Pending | None:
        """The first unused request matching one of ``keys`` (marked used)."""
        for key in keys:
            found = self.by_key.get(key) if key else None
            if found is not None and not found.used:
                found.used = True
                return found
        return None

    def outcomes(self, fetch_hint: str) -> Iterator[Item]:
        """Merged for every request joined to an accepted result; a Reject for the others."""
        for req in self.pending:
            if req.into is not None:
                yield Merged(req.source.name, req.locator, req.into)
            elif req.used:
                yield Reject(req.source.name, req.locator, "task_id", "its result was rejected")
            else:
                reason = f"request without result: {fetch_hint}"
                yield Reject(req.source.name, req.locator, "task_id", reason, repr(req.keys[0]))


def settle(request: Pending | None, item: Item) -> Item:
    """Record on the request which generation it completed; pass the item through."""
    if request is not None and isinstance(item, Generation):
        request.into = item.id
    return item


def read_requests(
    sources: Iterable[Source],
    parse: Callable[[Source, str, dict[str, Any]], Pending],
    log: RequestLog,
) -> Iterator[Reject]:
    """Parse every request file into ``log``; yield a Reject per bad line or unreadable file."""
    for source in sources:
        try:
            for locator, obj in json_records(source, ("requests",)):
                if not isinstance(obj, dict):
                    yield Reject(source.name, locator, "record", "not a JSON object", "")
                    continue
                try:
                    log.add(parse(source, locator, obj))
                except RecordError as exc:
                    yield reject_of(source, locator, exc)
        except InputError as exc:
            yield reject_of(source, "file", exc)


def read_joined(
    sources: list[Source],
    *,
    is_request: Callable[[Path], bool],
    parse_request: Callable[[Source, str, dict[str, Any]], Pending],
    parse_result: Callable[..., Item],
    containers: tuple[str, ...],
    hint: str,
    locate: Callable[[str], str] = lambda locator: locator,
) -> Iterator[Item]:
    """Results joined with their request logs: requests first (into a RequestLog), then every
    result file (``parse_result(source, locator, obj, log=log)``), then the requests no result
    completed (rejected with ``hint``, the call that would fetch the result)."""
    log = RequestLog()
    requests = [s for s in sources if is_request(s.path)]
    yield from read_requests(requests, parse_request, log)
    for source in sources:
        if source in requests:
            continue
        pairs = ((locate(loc), obj) for loc, obj in json_records(source, containers))
        yield from guarded(
            source, each_record(source, pairs, partial(parse_result, source, log=log))
        )
    yield from log.outcomes(hint)


# --- frame sizes, logged calls, inline media (adapters added with Runway, Veo, Luma...) -----------

#: Keys a user's logging script may write beside a request to say when it was sent.
TIME_KEYS = ("created_at", "timestamp", "sent_at", "requested_at")


def ratio_of(value: object, field: str) -> float | None:
    """An aspect ratio as width / height: ``"16:9"``, ``"1280:720"``, ``1.777`` → float."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and value.count(":") == 1:
        across, down = (part.strip() for part in value.split(":"))
        if not (across.isdigit() and down.isdigit()) or not int(down):
            raise RecordError("expected a ratio like '16:9'", field=field, value=value)
        number = int(across) / int(down)
    else:
        raise RecordError("expected a ratio like '16:9'", field=field, value=value)
    if number <= 0:
        raise RecordError("must be positive", field=field, value=value)
    return number


def short_side(value: object, field: str) -> int | None:
    """The short side of a resolution class: ``"720p"``, ``"1080P"`` → 720, 1080; ``"4k"`` → 2160."""
    text = str(value).strip().lower() if value is not None else ""
    if not text:
        return None
    if text == "4k":
        return 2160
    if text.endswith("p") and text[:-1].isdigit() and int(text[:-1]) > 0:
        return int(text[:-1])
    raise RecordError("expected a resolution like '720p'", field=field, value=value)


def frame_of(short: int | None, ratio: float | None) -> tuple[int | None, int | None]:
    """(width, height) from a short side and width/height ratio, long side rounded to even."""
    if short is None or ratio is None:
        return None, None
    long_side = round(short * max(ratio, 1 / ratio) / 2) * 2
    return (long_side, short) if ratio >= 1 else (short, long_side)


def size_of(value: object, field: str) -> tuple[int | None, int | None]:
    """``"1280x720"`` or ``"1280:720"`` → (1280, 720); ``"auto"``/absent → (None, None)."""
    if value is None or value in ("", "auto"):
        return None, None
    parts = str(value).lower().replace(":", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise RecordError("expected a size like '1280x720'", field=field, value=value)
    return int(parts[0]), int(parts[1])


def seconds_of(value: object, field: str) -> float | None:
    """A duration as ``5``, ``"8"`` or ``"5s"`` → seconds."""
    if value is None or value == "":
        return None
    text = str(value).strip().lower().removesuffix("s")
    try:
        number = float(text)
    except ValueError as exc:
        raise RecordError("expected seconds like '5s'", field=field, value=value) from exc
    if number < 0:
        raise RecordError("must not be negative", field=field, value=value)
    return number


def logged_time(line: dict[str, Any], path: Path) -> tuple[datetime, str | None]:
    """When a logged call was made: a time key the user's script wrote, else the file's
    modification time. Returns (UTC time, ``"file_mtime"`` when it is the fallback)."""
    found = any_time(line, TIME_KEYS)
    return (found, None) if found is not None else (mtime_utc(path), "file_mtime")


def uri_of(value: object) -> str | None:
    """A reference as a URI: a string, or a dict's url/uri/gcsUri/fileUri; inline bytes
    (``bytesBase64Encoded``, ``b64_json``) as ``sha256:`` + 16 hex of the decoded bytes."""
    if isinstance(value, str):
        return asset_uri(value) if value else None
    if not isinstance(value, dict):
        return None
    for key in ("url", "uri", "gcsUri", "fileUri", "image_url"):
        if isinstance(value.get(key), str) and value[key]:
            return asset_uri(value[key])
    for key in ("bytesBase64Encoded", "b64_json", "data"):
        if isinstance(value.get(key), str) and value[key]:
            digest = b64_sha256(value[key]) or hashlib.sha256(value[key].encode()).hexdigest()
            return "sha256:" + digest[:16]
    return None


def b64_sha256(text: str) -> str | None:
    """The sha256 (hex) of the bytes a base64 text decodes to; None when it is not base64."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return hashlib.sha256(data).hexdigest()

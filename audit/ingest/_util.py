"""Typed field access shared by the platform adapters: values, times, sizes and references.

Each helper reads one field of a record and raises a :class:`~audit.base.errors.RecordError` naming the
field and the value when it has the wrong type or form; the adapter turns it into a
:class:`~audit.ingest.base.Reject` (:func:`audit.ingest._records.each_record`). Times come out as
aware UTC datetimes. The other helpers of the adapters are by topic: :mod:`audit.ingest._sniff`
(what a file is), :mod:`audit.ingest._records` (records and locators in JSON exports),
:mod:`audit.ingest._images` (PNG and WEBP metadata) and :mod:`audit.ingest._requests` (request
logs joined with their results).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.ingest._dates import EXPECTED as EXPECTED_TIME
from audit.ingest._dates import parse_time

#: Attribute telling that ``created_at`` is not in the record but the file's modification time.
TIME_SOURCE = "created_at_source"
#: Keys a user's logging script may write beside a request to say when it was sent.
TIME_KEYS = ("created_at", "timestamp", "sent_at", "requested_at")


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
        return parse_time(number)[0]  # the one date parser's Unix-time form
    except ValueError as exc:
        raise RecordError(
            "expected Unix time in seconds or milliseconds (years 1-9999)",
            field=field or key,
            value=obj.get(key),
        ) from exc


def time_at(obj: dict[str, Any], key: str, field: str | None = None) -> datetime | None:
    """``obj[key]`` as an aware UTC time, in any form the one date parser reads (ISO 8601,
    RFC 1123/2822, Unix seconds or milliseconds, EXIF; :mod:`audit.ingest._dates` states each
    form's time-zone rule); None when absent or empty; else RecordError naming the forms."""
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_time(value)[0]
    except ValueError as exc:
        raise RecordError(EXPECTED_TIME, field=field or key, value=value) from exc


#: Text time fields read through the one parser (the name stays for the adapters calling it).
iso_time = time_at


def any_time(obj: dict[str, Any], keys: Iterable[str], prefix: str = "") -> datetime | None:
    """The first of ``keys`` present, in any form the one date parser reads."""
    for key in keys:
        if obj.get(key) is not None:
            return time_at(obj, key, prefix + key)
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
    """A reference as a URI: a string, or a dict's url/uri/gcsUri/fileUri/image_url/presignedUrl;
    inline bytes
    (``bytesBase64Encoded``, ``b64_json``) as ``sha256:`` + 16 hex of the decoded bytes."""
    if isinstance(value, str):
        return asset_uri(value) if value else None
    if not isinstance(value, dict):
        return None
    for key in ("url", "uri", "gcsUri", "fileUri", "image_url", "presignedUrl"):
        if isinstance(value.get(key), str) and value[key]:
            return asset_uri(value[key])
    for key in ("bytesBase64Encoded", "b64_json", "data", "video_bytes", "videoBytes"):
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

"""The one date parser of the platform adapters: every form platforms write a time in, each with
its time-zone rule (:data:`RULES`, also printed in docs/platforms.md).

Anything else, and any time outside the years 1-9999 once in UTC, is refused with one line naming
the forms. The result is always an aware UTC datetime.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from audit.base.textio import from_epoch, from_iso

#: Each form read, an example, and its time-zone rule (docs/platforms.md prints them).
RULES: tuple[tuple[str, str, str], ...] = (
    ("ISO 8601", "2024-06-20T22:50:03Z, +02:00, a space instead of T, a trailing UTC or GMT",
     "the offset when written; without one, UTC (APIs write UTC; a local time would be off by "
     "the writer's offset, which the record does not tell)"),
    ("RFC 1123 / RFC 2822", "Thu, 20 Jun 2024 22:50:03 GMT (Midjourney's PNG Creation Time, as "
     "the PNG specification recommends; HTTP dates), +0200 offsets",
     "the zone when written; -0000 and a missing zone are read as UTC"),
    ("Unix time", "1718923803 or 1718923803000, a number or a string of digits",
     "UTC by definition; seconds and milliseconds told apart by size (above 10^10 is "
     "milliseconds: year 2286 in seconds)"),
    ("EXIF", "2024:06:20 22:50:03 (optionally .fff and an offset)",
     "EXIF keeps the offset in separate tags: a bare EXIF time is read as UTC (the writer's "
     "local time may differ by hours)"),
)  # fmt: skip
#: What the parser accepts, as the error message says it.
FORMS = "ISO 8601, RFC 1123/2822, Unix s/ms or EXIF"
EXPECTED = f"expected a date-time ({FORMS})"

_EXIF = re.compile(
    r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_EPOCH = re.compile(r"^\d+(\.\d+)?$")
_RFC = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")


def parse_time(value: object) -> tuple[datetime, str]:
    """(aware UTC datetime, the form it was written in: ``iso``, ``rfc2822``, ``epoch`` or
    ``exif``); ValueError when it is none of them or falls outside the years 1-9999."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not a date-time: {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return from_epoch(value), "epoch"
    if not isinstance(value, str):
        raise ValueError(f"not a date-time: {value!r}")
    text = value.strip()
    if _EPOCH.match(text):
        return from_epoch(text), "epoch"
    if match := _EXIF.match(text):
        return _exif(match), "exif"
    if _RFC.match(text):
        return _rfc2822(text), "rfc2822"
    if text.endswith((" UTC", " GMT")) and "+" not in text:  # str(datetime) + " UTC" in logs
        text = text[:-4] + "Z"
    return from_iso(text), "iso"


def _exif(match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = match.group(7) or ""
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    parsed = datetime(year, month, day, hour, minute, second, micro)
    offset = match.group(8)
    if offset is None:
        return parsed.replace(tzinfo=UTC)
    iso = parsed.isoformat() + ("+00:00" if offset == "Z" else offset)
    return from_iso(iso)


def _rfc2822(text: str) -> datetime:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"not an RFC 2822 date: {text!r}") from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(f"out of range in UTC: {text!r}") from exc

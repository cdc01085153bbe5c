"""Reading text files as users really save them: UTF-8 with or without BOM, or a French Excel's
cp1252; CSV with ``,`` or ``;``; decimal commas; CRLF."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.errors import InputError


def decode(data: bytes) -> str:
    """UTF-8 (BOM stripped), else cp1252 — the two encodings spreadsheets write here."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnicodeDecodeError("utf-16", data, 0, 2, "UTF-16 text: save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def read_text(path: Path) -> str:
    try:
        return decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 nor cp1252 text ({exc.reason})", file=path, locator=f"byte {exc.start}"
        ) from exc


def sniff_delimiter(first_line: str) -> str:
    """``;`` when a French spreadsheet wrote the file, else ``,``."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) with stripped header names; empty lines skipped."""
    text = read_text(path)
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    try:
        if reader.fieldnames is None:
            return
        reader.fieldnames = [(name or "").strip() for name in reader.fieldnames]
        for row in reader:
            if None in row:
                raise InputError(
                    "more cells than header columns", file=path, locator=reader.line_num
                )
            clean = {k: (v or "").strip() for k, v in row.items()}
            if any(clean.values()):
                yield reader.line_num, clean
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise InputError(f"unreadable CSV: {exc}", file=path, locator=reader.line_num + 1) from exc


def parse_number(text: str) -> float:
    """``1 234,5`` or ``1234.5`` → 1234.5 (raises ValueError)."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


#: Reason given for JSON nested deeper than Python's parser recursion allows.
NESTED_TOO_DEEPLY = "invalid JSON: nested too deeply"


def load_json(path: Path) -> Any:
    """Parse a JSON file; a syntax error becomes one line with line and column."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", file=path, locator=f"{exc.lineno}:{exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise InputError(NESTED_TOO_DEEPLY, file=path, locator="1:1") from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise InputError(f"invalid JSON: {exc}", file=path, locator="1:1") from exc


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, object) of a JSON Lines file; a bad line raises with its number."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", file=path, locator=number) from exc
        except RecursionError as exc:
            raise InputError(NESTED_TOO_DEEPLY, file=path, locator=number) from exc
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            raise InputError(f"invalid JSON: {exc}", file=path, locator=number) from exc
        yield number, obj


# Epoch values above this are milliseconds (year 2286 in seconds).
_MS_THRESHOLD = 10_000_000_000


def from_epoch(value: float | int | str) -> datetime:
    """Unix seconds or milliseconds (told apart by size) → aware UTC datetime.

    Raises ValueError for what is no time: NaN, infinities, or out of the years 1–9999.
    """
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    if number > _MS_THRESHOLD:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"out of range: {value!r}") from exc


def from_iso(value: str) -> datetime:
    """ISO 8601 (``Z`` or offset; naive means UTC) → aware UTC datetime (ValueError if not one,
    or if it falls outside the years 1–9999 once in UTC)."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(f"out of range in UTC: {value!r}") from exc

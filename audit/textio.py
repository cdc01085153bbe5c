"""Reading text files as users really save them: UTF-8 with or without BOM, or a French Excel's
cp1252; CSV with ``,`` or ``;``; decimal commas; CRLF."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.errors import InputError


def decode(data: bytes) -> str:
    """UTF-8 (BOM stripped), else cp1252 — the two encodings spreadsheets write here."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def read_text(path: Path) -> str:
    try:
        return decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise InputError(
            "not UTF-8 nor cp1252 text", file=path, locator=f"byte {exc.start}"
        ) from exc


def sniff_delimiter(first_line: str) -> str:
    """``;`` when a French spreadsheet wrote the file, else ``,``."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) with stripped header names; empty lines skipped."""
    text = read_text(path)
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    if reader.fieldnames is None:
        return
    reader.fieldnames = [(name or "").strip() for name in reader.fieldnames]
    for row in reader:
        if None in row:
            raise InputError("more cells than header columns", file=path, locator=reader.line_num)
        clean = {k: (v or "").strip() for k, v in row.items()}
        if any(clean.values()):
            yield reader.line_num, clean


def parse_number(text: str) -> float:
    """``1 234,5`` or ``1234.5`` → 1234.5 (raises ValueError)."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


def load_json(path: Path) -> Any:
    """Parse a JSON file; a syntax error becomes one line with line and column."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", file=path, locator=f"{exc.lineno}:{exc.colno}"
        ) from exc


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, object) of a JSON Lines file; a bad line raises with its number."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", file=path, locator=number) from exc


# Epoch values above this are milliseconds (year 2286 in seconds).
_MS_THRESHOLD = 10_000_000_000


def from_epoch(value: float | int | str) -> datetime:
    """Unix seconds or milliseconds (told apart by size) → aware UTC datetime."""
    number = float(value)
    if number > _MS_THRESHOLD:
        number /= 1000.0
    return datetime.fromtimestamp(number, tz=UTC)


def from_iso(value: str) -> datetime:
    """ISO 8601 (``Z`` or offset; naive means UTC) → aware UTC datetime."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)

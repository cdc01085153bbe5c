"""Reading text files as users really save them: UTF-8 with or without BOM, or a French Excel's
cp1252; CSV with ``,`` or ``;``; decimal commas; CRLF."""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.base.errors import InputError
from audit.base.limits import check_json_depth


def decode(data: bytes) -> str:
    """UTF-8 (BOM stripped), UTF-16 with its BOM (Excel's "Unicode text"), else cp1252 — the
    encodings spreadsheets write here. UTF-16 without a BOM is refused (:func:`utf16_without_bom`)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    elif (kind := utf16_without_bom(data[:4096])) is not None:
        raise UnicodeDecodeError("utf-16", data, 0, 2, f"{kind} without BOM")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def utf16_without_bom(head: bytes) -> str | None:
    """``UTF-16 LE`` or ``UTF-16 BE`` when text looks like it (every other byte zero), no BOM."""
    if len(head) < 4 or head.count(0) < len(head) // 3:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > 0.9 * len(head[1::2]) and even < 0.1 * len(head[0::2]):
        return "UTF-16 LE"
    if even > 0.9 * len(head[0::2]) and odd < 0.1 * len(head[1::2]):
        return "UTF-16 BE"
    return None


def read_text(path: Path) -> str:
    """A text file decoded as people save them (UTF-8, UTF-16 with BOM, cp1252); an undecodable one
    is an InputError at its first bad byte."""
    try:
        return decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        if exc.encoding == "utf-16":
            reason = f"not UTF-8: {exc.reason} — re-save as UTF-8 or CSV UTF-8"
        else:
            reason = f"not UTF-8 nor cp1252 text ({exc.reason})"
        raise InputError(reason, file=path, locator=f"byte {exc.start}") from exc


def sniff_delimiter(first_line: str) -> str:
    """A tab (Excel's "Unicode text", ``.tsv``), ``;`` when a French spreadsheet wrote the file,
    else ``,``: whichever the header holds most of."""
    counts = {char: first_line.count(char) for char in (",", ";", "\t")}
    best = max(counts, key=lambda char: counts[char])
    return best if counts[best] > counts[","] else ","


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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'modality'?)`` when one choice is a close spelling of ``word``, else ``""``."""
    close = difflib.get_close_matches(word.strip().lower(), list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
    check_json_depth(text, path, "1:1")
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
        check_json_depth(line, path, number)
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

"""Records in the JSON files users exported, each with a locator, and a bad record as a Reject.

Exports come in several wrappings (one object, a list, an object holding a list, JSON Lines):
:func:`json_records` gives every record a locator (JSON pointer or line number).
:func:`each_record` turns a :class:`~audit.base.errors.RecordError` raised for one field into a
:class:`~audit.ingest.base.Reject` (:func:`reject_of`), so one bad record never stops a file; a
file-level failure stays one line naming the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from audit.base.errors import InputError, RecordError
from audit.base.textio import iter_jsonl, load_json
from audit.ingest.base import Item, Reject, Source


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

"""Request logs joined with their results (Kling, Runway, Veo, Pika, MiniMax, Magnific...).

Some platforms answer a generation request with a task id and deliver the result later; users log
both halves. :func:`read_joined` reads the requests into a :class:`RequestLog`, joins every result
to its request (``log.take(key)``, then :func:`settle`) and ends with the requests no result
completed, each rejected with the call that would fetch it (:meth:`RequestLog.outcomes`). The
missing half is never invented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import partial
from pathlib import Path
from typing import Any

from audit.base.errors import InputError, RecordError
from audit.base.models import Generation
from audit.ingest._records import each_record, json_records, reject_of
from audit.ingest._util import expect, required
from audit.ingest.base import Item, Merged, Reject, Source, guarded


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


def logged_request(source: Source, locator: str, line: dict[str, Any], key: str) -> Pending:
    """A request log line ``{<id>: …, "request": {…}}``, waiting under ``key`` for its result."""
    body = required(expect(line, "request", dict, "request"), "request")
    return Pending(source, locator, (key,), body, line)


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
    records: Callable[[Source], Iterable[tuple[str, Any]]] | None = None,
) -> Iterator[Item]:
    """Results joined with their request logs: requests first (into a RequestLog), then every
    result file (``parse_result(source, locator, obj, log=log)``), then the requests no result
    completed (rejected with ``hint``, the call that would fetch the result). ``records`` replaces
    the usual wrappings of result files (:func:`json_records` with ``containers``, then
    ``locate``) when a platform has its own."""
    log = RequestLog()
    requests = [s for s in sources if is_request(s.path)]
    yield from read_requests(requests, parse_request, log)
    for source in sources:
        if source in requests:
            continue
        if records is not None:
            pairs: Iterable[tuple[str, Any]] = records(source)
        else:
            pairs = ((locate(loc), obj) for loc, obj in json_records(source, containers))
        yield from guarded(
            source, each_record(source, pairs, partial(parse_result, source, log=log))
        )
    yield from log.outcomes(hint)

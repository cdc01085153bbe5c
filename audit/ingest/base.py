"""What an adapter is, and what it yields.

An adapter reads one platform's own record format. It is a class with manifest-like attributes and two
methods: ``sniff(path)`` (cheap: looks at the name and the first bytes only) and ``read(source)``,
which yields, for every record of the file, exactly one of:

- a :class:`~audit.base.models.Generation` (accepted),
- a :class:`Merged` (the record completes another one: a request body joined to its result),
- a :class:`Reject` (the record cannot be read; says where, which field and why).

A file that cannot be read at all (truncated JSON, binary garbage) raises
:class:`~audit.base.errors.RecordError`. ``read_many`` receives every file the adapter claimed, so that
adapters whose results do not echo the request (Kling, Runway, Veo...) can join the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pydantic import ValidationError

from audit.base.errors import InputError, RecordError
from audit.base.models import Generation
from audit.base.safetext import clip
from audit.ingest.platforms import Platform

if TYPE_CHECKING:
    from audit.base.gentable import GenTable

HEAD_BYTES = 8192


@dataclass(frozen=True)
class Source:
    """A file being read: its path on disk and the name shown to users."""

    path: Path
    name: str


@dataclass(frozen=True)
class Reject:
    """A record that could not be read."""

    file: str
    locator: str
    field: str
    reason: str
    value: str = ""

    def line(self) -> str:
        """The reject as one line: ``file:locator: field: reason (got value)``."""
        value = f" (got {clip(self.value)})" if self.value else ""
        return f"{self.file}:{self.locator}: {self.field}: {self.reason}{value}"

    def error(self) -> RecordError:
        """The reject as the RecordError that strict mode raises."""
        reason = f"{self.reason} (got {clip(self.value)})" if self.value else self.reason
        return RecordError(reason, file=self.file, locator=self.locator, field=self.field or None)


@dataclass(frozen=True)
class Merged:
    """A record folded into another one (request joined to its result, the same id seen twice)."""

    file: str
    locator: str
    into: str


@dataclass(frozen=True)
class Batch:
    """Many accepted records of one file at once, as table rows (a large canonical CSV read
    column by column). Its rows passed every check a record passes; duplicates of ids seen
    elsewhere are still merged by the walk."""

    file: str
    table: GenTable


Item = Generation | Merged | Reject | Batch


@cache
def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES)


def head(path: Path) -> bytes:
    """The first bytes of a file (cached), for sniffing."""
    return _head(path)


def head_text(path: Path) -> str:
    """The first bytes decoded leniently, BOM removed, for sniffing text formats (UTF-16 when a
    UTF-16 BOM says so)."""
    data = head(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data[: len(data) // 2 * 2].decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    return text.lstrip("\ufeff").lstrip()


class Adapter:
    """Base class of adapters. Subclasses set the class attributes and implement sniff/read."""

    #: registry key, e.g. "kling"
    name: ClassVar[str] = ""
    #: platform key written in Generation.platform
    platform: ClassVar[str] = ""
    #: what this adapter reads, for docs (the platform's display name is the registry's)
    title: ClassVar[str] = ""
    #: the platform's own facts when data/platforms.yaml has no entry for it (a plugin's): title,
    #: hosting, terms (see audit.ingest.platforms); built-in adapters leave it None
    platform_info: ClassVar[Platform | None] = None
    #: file suffixes it may claim
    suffixes: ClassVar[tuple[str, ...]] = ()
    #: what record shapes it reads (for docs/platforms.md)
    formats: ClassVar[str] = ""
    #: the fields it reads (for docs/platforms.md)
    reads: ClassVar[str] = ""
    #: what the record cannot tell (for docs/platforms.md)
    cannot_know: ClassVar[str] = ""
    #: where the shapes read were seen in public captures: repository and path (docs/platforms.md)
    seen_in: ClassVar[str] = ""

    def sniff(self, path: Path) -> bool:
        """Whether this adapter reads ``path``, from its suffix and first bytes only (cheap: every
        file is offered to every adapter)."""
        raise NotImplementedError

    def unclaimed_hint(self, path: Path) -> str | None:
        """What the user can do about a file of this platform's kind that no adapter read (the
        platform's own knowledge: e.g. a CDN serving another format under the name), or None."""
        return None

    def read(self, source: Source) -> Iterator[Item]:
        """The items of one claimed file: generations, merges and rejects, each with its locator."""
        raise NotImplementedError

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """The items of every file this adapter claimed, file by file; a file-level error becomes
        that file's reject."""
        for source in sources:
            yield from guarded(source, self.read(source))


class JoinedAdapter(Adapter):
    """An adapter whose records span files (requests in one, results in another): it reads
    every file it claimed at once in ``read_many``; ``read`` of one file is the same call."""

    def read(self, source: Source) -> Iterator[Item]:
        """One file read as a set of one (its requests or results have no partner)."""
        yield from self.read_many([source])

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Every claimed file at once, so that requests in one file join results in another."""
        raise NotImplementedError


def guarded(source: Source, items: Iterator[Item]) -> Iterator[Item]:
    """Pass items through; a file-level InputError becomes one Reject for that file."""
    try:
        yield from items
    except InputError as exc:
        value = repr(exc.value)[:80] if exc.value is not None else ""
        reason = exc.reason + (f"; allowed: {', '.join(exc.choices)}" if exc.choices else "")
        yield Reject(source.name, str(exc.locator or "file"), exc.field or "file", reason, value)


def build(source: Source, locator: str, adapter: str, **fields: object) -> Generation | Reject:
    """Validate one record into a Generation, or a Reject naming the first bad field."""
    try:
        return Generation.model_validate(
            {**fields, "source_file": source.name, "source_locator": locator, "adapter": adapter}
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "record"
        value = err.get("input")
        shown = repr(value) if not isinstance(value, dict) else ""
        return Reject(source.name, locator, field, err["msg"], shown[:80])

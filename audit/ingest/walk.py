"""Walk a production's ``logs/``, sniff every file, read it, merge duplicates, reconcile counts.

Nothing is lost: each record is accepted, merged (duplicate id, or a request joined to its result)
or rejected with a reason (also a record whose duration exceeds 24 h or whose width or height
exceeds 100,000 px: impossible for one generation, usually milliseconds logged as seconds); each file is claimed by an adapter or listed as unclaimed. Strict mode
raises on the first reject; lenient mode collects them all.

Adapters read in order of their names, files in path order. When the same id is seen twice, the
first record is kept and the later one only fills the fields the first left empty (e.g. a hand-logged
``measured.csv`` row read by ``canonical`` is completed by the ComfyUI ``/history`` record).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from audit.base.errors import InputError
from audit.base.gc import paused_gc, trim_heap
from audit.base.gentable import GenTable
from audit.base.limits import (
    MAX_LOG_FILE_BYTES,
    MAX_LOGS_BYTES,
    MIB,
    check_size,
)
from audit.base.models import Generation, Status
from audit.base.safetext import display_name
from audit.base.schema import PLAUSIBLE
from audit.ingest.accepted import Accepted
from audit.ingest.base import Adapter, Batch, Item, Merged, Reject, Source
from audit.ingest.folder import Skipped, safe_files, scan_folder
from audit.ingest.refusal import DATA_SUFFIXES, refusal
from audit.ingest.registry import adapters as all_adapters

#: Reason given for a file an adapter read that yielded no record at all (a header-only CSV).
NO_RECORD = "holds no record"
#: Attribute set on a pending record: its footprint is that of a full run, estimated ahead.
RUN_FLAG = "estimated_as_run"


@dataclass
class FileReport:
    """What became of one input file."""

    name: str
    sha256: str
    size_bytes: int
    adapter: str | None
    accepted: int = 0
    merged: int = 0
    rejected: int = 0
    #: Why no adapter read it (unclaimed files only).
    reason: str | None = None

    @property
    def records(self) -> int:
        """Every record the file gave: accepted, merged or rejected."""
        return self.accepted + self.merged + self.rejected


@dataclass
class IngestResult:
    """Accepted generations (sorted by created_at, id) as a table, per-file accounting and every
    reject. ``generations`` builds the records from the table (once)."""

    table: GenTable
    files: list[FileReport]
    rejects: list[Reject] = field(default_factory=list)
    #: Files left out on purpose (hidden, editor, notes, .empreinteignore), each with its reason.
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def generations(self) -> list[Generation]:
        """The accepted generations as records, built from the table."""
        return self.table.generations()

    @property
    def unclaimed(self) -> list[str]:
        """Names of the files no adapter read."""
        return [f.name for f in self.files if f.adapter is None]

    def empty_lines(self) -> list[str]:
        """``logs/j.csv: canonical: holds no record`` for each file read that yielded nothing."""
        return [f"{f.name}: {f.adapter}: {f.reason}" for f in self.files if f.reason == NO_RECORD]

    def unclaimed_lines(self) -> list[str]:
        """``logs/x.json: JSON of no known shape (keys: code, data)`` for each unclaimed file."""
        return [
            f"{f.name}: {f.reason or 'no adapter reads it'}"
            for f in self.files
            if f.adapter is None
        ]

    @property
    def pending(self) -> int:
        """Accepted generations still in progress when their record was saved."""
        return int((self.table.column("status") == Status.pending.value).sum())

    @property
    def filtered(self) -> int:
        """Accepted generations whose every output a safety filter removed after the run."""
        return int((self.table.column("status") == Status.filtered.value).sum())

    def totals(self) -> dict[str, int]:
        """The counts of the ingest summary: files, records and what became of them."""
        return {
            "files": len(self.files),
            "skipped_files": len(self.skipped),
            "unclaimed_files": len(self.unclaimed),
            "records": sum(f.records for f in self.files),
            "accepted": sum(f.accepted for f in self.files),
            "merged": sum(f.merged for f in self.files),
            "rejected": sum(f.rejected for f in self.files),
            "pending": self.pending,
            "filtered": self.filtered,
        }


def sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks of 1 MiB, for the list of inputs."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _claim(path: Path, registry: dict[str, Adapter], forced: Adapter | None) -> Adapter | None:
    if forced is not None:
        return forced
    for adapter in registry.values():
        if path.suffix.lower() in adapter.suffixes and adapter.sniff(path):
            return adapter
    return None


def _fill(kept: Generation, other: Generation) -> Generation:
    """Complete ``kept`` with fields only ``other`` knows (the same job seen twice). A finished
    record replaces a pending one of the same id (the create response saved before the result),
    which only fills what the finished one left empty."""
    if kept.status == Status.pending and other.status != Status.pending:
        flagless = {k: v for k, v in kept.attributes.items() if k != RUN_FLAG}
        kept, other = other, kept.model_copy(update={"attributes": flagless})
    updates = {
        name: getattr(other, name)
        for name in Generation.model_fields
        if getattr(kept, name) in (None, [], {}) and getattr(other, name) not in (None, [], {})
    }
    return kept.model_copy(update=updates) if updates else kept


def ingest_files(
    root: Path,
    paths: Iterable[Path],
    *,
    adapter_name: str | None = None,
    lenient: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> IngestResult:
    """Read ``paths`` (shown relative to ``root``) with the adapters that claim them.

    ``progress(files_done, files_total)`` is called as each file is sniffed and as each adapter's
    files are read (the CLI draws a progress bar with it)."""
    registry = all_adapters()
    forced = registry.get(adapter_name) if adapter_name else None
    if adapter_name and forced is None:
        raise InputError("unknown adapter", field="--adapter", value=adapter_name, choices=registry)
    paths = list(paths)
    tick = _Progress(progress, 2 * len(paths))
    # Files are hashed on the other core while they are read (hashlib releases the GIL);
    # on an error, hashes not started are cancelled.
    hasher = ThreadPoolExecutor(max_workers=1)
    try:
        reports, groups, digests = _claim_all(root, paths, registry, forced, tick, hasher, lenient)
        accepted = Accepted(_fill)
        rejects: list[Reject] = []
        with paused_gc():
            for adapter_key in sorted(groups):
                adapter = registry[adapter_key]
                _read_group(adapter, groups[adapter_key], reports, accepted, rejects, lenient)
                tick(len(groups[adapter_key]))
            table = accepted.table()
        for name, digest in digests.items():
            reports[name].sha256 = digest.result()
    finally:
        hasher.shutdown(wait=True, cancel_futures=True)
    tick.finish()
    for report in reports.values():
        if report.adapter is not None and report.records == 0:
            report.reason = NO_RECORD
    return IngestResult(table, list(reports.values()), rejects)


@dataclass
class _Progress:
    """Counts files done (sniffed, then read) for the caller's progress bar."""

    report: Callable[[int, int], None] | None
    total: int
    done: int = 0

    def __call__(self, files: int = 1) -> None:
        self.done += files
        if self.report is not None:
            self.report(self.done, self.total)

    def finish(self) -> None:
        if self.report is not None:
            self.report(self.total, self.total)


def _claim_all(
    root: Path,
    paths: list[Path],
    registry: dict[str, Adapter],
    forced: Adapter | None,
    tick: _Progress,
    hasher: ThreadPoolExecutor,
    lenient: bool,
) -> tuple[dict[str, FileReport], dict[str, list[Source]], dict[str, Future[str]]]:
    """A report per file (its sha256 computed by ``hasher``), and the files each adapter claims.
    An unclaimed file gets its reason; in strict mode an unclaimed data file stops the run."""
    reports: dict[str, FileReport] = {}
    groups: dict[str, list[Source]] = defaultdict(list)
    digests: dict[str, Future[str]] = {}
    total = 0
    shown = _Shown(root)
    for path in paths:
        tick()
        name = display_name(shown(path))
        size = check_size(path, MAX_LOG_FILE_BYTES, "log file")
        total += size
        if total > MAX_LOGS_BYTES:
            raise InputError(
                f"logs together larger than the limit of {MAX_LOGS_BYTES // MIB} MiB "
                "(see docs/security.md)",
                file=path,
            )
        adapter = _claim(path, registry, forced)
        digests[name] = hasher.submit(sha256, path)
        reports[name] = FileReport(name, "", size, adapter.name if adapter else None)
        if adapter is not None:
            groups[adapter.name].append(Source(path, name))
        else:
            reports[name].reason = refusal(path, name, registry.values())
            if not lenient and path.suffix.lower() in DATA_SUFFIXES:
                raise InputError(
                    f"{reports[name].reason} (--lenient lists it and goes on)", file=name
                )
    return reports, groups, digests


class _Shown:
    """A file's name as shown: relative to ``root`` when inside it (a production's logs), else
    absolute (files given to ``empreinte ingest`` from anywhere), links resolved. Folders are
    resolved once each: a file that is no link lies in its folder's real place."""

    def __init__(self, root: Path) -> None:
        self.base = os.fspath(root.resolve())
        self.folders: dict[str, str] = {}

    def __call__(self, path: Path) -> str:
        text = os.path.abspath(path)
        if os.path.islink(text):
            real = os.path.realpath(text)
        else:
            head, tail = os.path.split(text)
            folder = self.folders.get(head)
            if folder is None:
                folder = self.folders[head] = os.path.realpath(head)
            real = os.path.join(folder, tail)
        inside = real.startswith(self.base + os.sep)
        return Path(real[len(self.base) + 1 :] if inside else real).as_posix()


def _read_group(
    adapter: Adapter,
    sources: list[Source],
    reports: dict[str, FileReport],
    accepted: Accepted,
    rejects: list[Reject],
    lenient: bool,
) -> None:
    for item in adapter.read_many(sources):
        _account(item, reports, accepted, rejects, lenient)


def _account(
    item: Item,
    reports: dict[str, FileReport],
    accepted: Accepted,
    rejects: list[Reject],
    lenient: bool,
) -> None:
    if isinstance(item, Batch):
        new, merged = accepted.add_table(item.table)
        reports[item.file].accepted += new
        reports[item.file].merged += merged
    elif isinstance(item, Reject):
        if not lenient:
            raise item.error()
        rejects.append(item)
        reports[item.file].rejected += 1
    elif isinstance(item, Merged):
        reports[item.file].merged += 1
    elif (refused := implausible(item)) is not None:
        _account(refused, reports, accepted, rejects, lenient)
    elif accepted.add(as_run(item)):
        reports[item.source_file].accepted += 1
    else:
        reports[item.source_file].merged += 1


def as_run(gen: Generation) -> Generation:
    """A pending record (work in progress) counts as a full run of its kind: at least one output,
    flagged ``estimated_as_run`` so that the report says its footprint is an estimate ahead of
    the result."""
    if gen.status != Status.pending:
        return gen
    attributes = {**gen.attributes, RUN_FLAG: True}
    return gen.model_copy(
        update={"outputs_count": max(gen.outputs_count, 1), "attributes": attributes}
    )


def implausible(gen: Generation) -> Reject | None:
    """A Reject when a value cannot be true of one generation, whatever the adapter read (the
    limits of :data:`audit.base.schema.PLAUSIBLE`: a duration over 24 h, a side over 100,000 px)."""
    fields = vars(gen)
    for spec in PLAUSIBLE:
        value = fields[spec.name]
        if value is not None and spec.plausible is not None and value > spec.plausible.most:
            reason = spec.plausible.reason
            return Reject(gen.source_file, gen.source_locator, spec.name, reason, repr(value))
    return None


def ingest_folder(root: Path, *, lenient: bool = False) -> IngestResult:
    """Ingest every file under ``root/logs`` (files left out on purpose are counted)."""
    logs = root / "logs"
    if not logs.is_dir():
        raise InputError("no logs/ folder", file=root)
    scan = scan_folder(root, logs)
    result = ingest_files(root, scan.files, lenient=lenient)
    result.skipped = scan.skipped
    trim_heap()  # the files' parsed cells are freed: give their pages back before linking
    return result


__all__ = ["FileReport", "IngestResult", "ingest_files", "ingest_folder", "safe_files"]

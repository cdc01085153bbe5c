"""Every file of ``rights/`` accounted for: a ledger read, a signed document a ledger row points
at, or a file nothing reads — said, never ignored.

A data file (CSV, TSV, JSON, workbook) that is not one of the three ledgers is most likely a
ledger under another name (``Sources.xlsx``, ``licences.csv``): in strict mode it stops the run
(exit 2) with the names the ledgers must have; ``--lenient`` lists it. Any other file (a PDF
contract, a scan) that no ledger row names as its ``document`` is listed, not fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from audit.base.errors import LedgerError
from audit.base.textio import did_you_mean
from audit.ingest.folder import Skipped, scan_folder
from audit.ingest.ledgers import RIGHTS_DIR, Ledgers
from audit.ingest.refusal import DATA_SUFFIXES

LEDGER_STEMS = ("sources", "consents", "plans")


@dataclass(frozen=True)
class RightsFile:
    """One file of rights/: ``ledger``, ``document`` (named by a ledger row) or ``unread``."""

    name: str
    role: str
    reason: str = ""

    def line(self) -> str:
        """The file as one line of the rights summary: ``name: reason``."""
        return f"{self.name}: {self.reason}"


@dataclass
class RightsInventory:
    """The files of rights/ and what became of each, plus the files left out on purpose."""

    files: list[RightsFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def unread(self) -> list[RightsFile]:
        """Files of rights/ that no ledger names and that are not ledgers."""
        return [f for f in self.files if f.role == "unread"]


def _documents(ledgers: Ledgers) -> set[str]:
    """Paths the ledgers name as documents, as written and relative to rights/."""
    named: set[str] = set()
    for document in [row.document for row in ledgers.sources] + [
        row.document for row in ledgers.consents
    ]:
        text = document.strip().replace("\\", "/")
        if text:
            named.update({text, (PurePosixPath(RIGHTS_DIR) / text).as_posix()})
    return named


def _unread_reason(name: str) -> str:
    stem = PurePosixPath(name).stem.lower()
    hint = did_you_mean(stem, LEDGER_STEMS)
    return (
        f"not a ledger{hint}: the ledgers are {RIGHTS_DIR}/sources, consents and plans "
        "(.csv or .xlsx); rename it, or list it in .empreinteignore"
    )


def inventory(root: Path, ledgers: Ledgers, *, lenient: bool) -> RightsInventory:
    """What became of each file of ``root/rights``; in strict mode an unread data file raises."""
    folder = root / RIGHTS_DIR
    if not folder.is_dir():
        return RightsInventory()
    scan = scan_folder(root, folder)
    documents = _documents(ledgers)
    result = RightsInventory(skipped=scan.skipped)
    for path in scan.files:
        name = path.relative_to(root).as_posix()
        if name in ledgers.files:
            result.files.append(RightsFile(name, "ledger", "read"))
        elif name in documents or path.name in documents:
            result.files.append(RightsFile(name, "document", "named by a ledger row"))
        elif path.suffix.lower() in DATA_SUFFIXES:
            reason = _unread_reason(name)
            if not lenient:
                raise LedgerError(f"{reason} (--lenient lists it and goes on)", file=name)
            result.files.append(RightsFile(name, "unread", reason))
        else:
            reason = "not read: no ledger row names it as its document"
            result.files.append(RightsFile(name, "unread", reason))
    return result

"""The rights ledgers of a production folder: ``rights/sources.csv``, ``rights/consents.csv`` and
``rights/plans.csv``.

They are what the production declares it holds: licences for third-party material, consents of the
people whose likeness, voice or performance is used, and the platform plans (tiers) in force over
time. The rules of :mod:`audit.rights` compare them with the generation records. A missing file is an
empty ledger (the rules then report the gaps); a wrong row is one :class:`~audit.base.errors.LedgerError`
line with file, line, field, value and the allowed values.

Files are read as users save them (French Excel: ``;`` separator, BOM, cp1252), see
:func:`audit.base.textio.read_csv_rows`. Dates are ``YYYY-MM-DD`` or ``DD/MM/YYYY``; territories are ISO
3166 alpha-2 codes separated by ``|`` (or ``WORLD``, ``EU``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from audit.base.errors import InputError, LedgerError
from audit.base.limits import MAX_TIMELINE_BYTES, check_size
from audit.base.production import territory_codes
from audit.base.safetext import clean_field
from audit.base.sheets import XLSX_SUFFIXES, Sheet, read_sheet, sheet_named
from audit.base.textio import read_csv_rows
from audit.base.vocab import ledger_kind

RIGHTS_DIR = "rights"
_FR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class SourceKind(StrEnum):
    """What a licensed third-party asset is. ``person`` / ``photo_of_person`` mark a real person."""

    footage = "footage"
    photo = "photo"
    photo_of_person = "photo_of_person"
    person = "person"
    image = "image"
    artwork = "artwork"
    style = "style"
    audio = "audio"
    music = "music"
    sound = "sound"
    voice = "voice"
    video = "video"
    font = "font"
    text = "text"
    model = "model"
    logo = "logo"
    other = "other"


#: Source kinds that show a real person (rule CONSENT002 needs a likeness consent for them).
PERSON_KINDS = frozenset({SourceKind.person, SourceKind.photo_of_person})


class ConsentKind(StrEnum):
    """What a person consented to being used."""

    likeness = "likeness"
    voice = "voice"
    performance = "performance"


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(description="ledger file, relative to the production folder")
    line: int = Field(ge=1, description="line number in that file (row number in a workbook)")
    sheet: str = Field(default="", description="sheet of a workbook ledger; empty for CSV")

    @property
    def where(self) -> str:
        """``file:line`` (``file:Sheet!row`` for a workbook), for evidence lists."""
        row = f"{self.sheet}!{self.line}" if self.sheet else str(self.line)
        return f"{self.file}:{row}"


class SourceRow(_Row):
    """One row of ``rights/sources.csv``: a licence held for a third-party asset."""

    asset: str = Field(min_length=1, description="file name or URL of the asset")
    kind: SourceKind = Field(description="what the asset is")
    holder: str = Field(default="", description="rights holder (for a person: the person shown)")
    licence: str = Field(default="", description="licence or agreement, e.g. 'own work'")
    scope: str = Field(default="", description="uses covered, free text")
    territories: tuple[str, ...] = Field(default=(), description="ISO codes; empty = not stated")
    valid_until: date | None = Field(default=None, description="end of the licence; None = open")
    document: str = Field(default="", description="path or reference of the signed document")
    notes: str = Field(default="", description="free text")


class ConsentRow(_Row):
    """One row of ``rights/consents.csv``: a person's consent to a use of their likeness/voice."""

    person: str = Field(min_length=1, description="the person who consented")
    kind: ConsentKind = Field(description="likeness | voice | performance")
    scope: str = Field(default="", description="uses covered, free text")
    territories: tuple[str, ...] = Field(default=(), description="ISO codes; empty = not stated")
    valid_from: date | None = Field(default=None, description="start of the consent")
    valid_until: date | None = Field(default=None, description="end of the consent; None = open")
    document: str = Field(default="", description="path or reference of the signed document")
    union_status: str = Field(default="", description="e.g. SAG-AFTRA, non syndiqué")
    notes: str = Field(default="", description="free text")


class PlanRow(_Row):
    """One row of ``rights/plans.csv``: a platform plan (tier) held over a period."""

    platform: str = Field(min_length=1, description="platform key, e.g. suno")
    account: str = Field(default="", description="account on the platform; empty = any")
    tier: str = Field(min_length=1, description="plan name as the platform spells it, or n/a")
    from_: date | None = Field(default=None, description="first day (inclusive); None = always")
    to: date | None = Field(default=None, description="last day (inclusive); None = open")
    notes: str = Field(default="", description="free text")

    def covers(self, day: date) -> bool:
        """Whether this plan was in force on ``day`` (both ends inclusive)."""
        return (self.from_ is None or self.from_ <= day) and (self.to is None or day <= self.to)


@dataclass(frozen=True)
class Ledgers:
    """The three ledgers of a production; any of them may be empty."""

    sources: tuple[SourceRow, ...] = ()
    consents: tuple[ConsentRow, ...] = ()
    plans: tuple[PlanRow, ...] = ()
    files: tuple[str, ...] = field(default=())

    def plan_on(
        self, platform: str | Collection[str], day: date, account: str | None = None
    ) -> PlanRow | None:
        """The plan of ``platform`` (a name, or several names of the same platform) in force on
        ``day``; when two rows cover the day (a change of plan on that date), the one that started
        later wins. When the generation's account appears in the platform's rows, only that
        account's rows count; an account the ledger does not know (or None) uses every row of the
        platform (comparisons are case-insensitive)."""
        names = (
            {platform.casefold()}
            if isinstance(platform, str)
            else {name.casefold() for name in platform}
        )
        rows = [row for row in self.plans if row.platform.casefold() in names]
        wanted = (account or "").casefold()
        if wanted and any(row.account.casefold() == wanted for row in rows):
            rows = [row for row in rows if row.account.casefold() in (wanted, "")]
        rows = [row for row in rows if row.covers(day)]
        if not rows:
            return None
        return max(rows, key=lambda row: (row.from_ or date.min, row.line))


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Spec:
    name: str
    model: type[_Row]
    required: tuple[str, ...]
    optional: tuple[str, ...]
    dates: tuple[str, ...]
    renames: tuple[tuple[str, str], ...] = ()


_SPECS = {
    "sources": _Spec(
        "sources.csv",
        SourceRow,
        ("asset", "kind", "licence"),
        ("holder", "scope", "territories", "valid_until", "document", "notes"),
        ("valid_until",),
    ),
    "consents": _Spec(
        "consents.csv",
        ConsentRow,
        ("person", "kind"),
        ("scope", "territories", "valid_from", "valid_until", "document", "union_status", "notes"),
        ("valid_from", "valid_until"),
    ),
    "plans": _Spec(
        "plans.csv",
        PlanRow,
        ("platform", "tier"),
        ("account", "from", "to", "notes"),
        ("from", "to"),
        (("from", "from_"),),
    ),
}


def parse_date(text: str, *, file: str, line: int, field_name: str) -> date | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` → date; empty → None; anything else → LedgerError."""
    text = text.strip()
    if not text:
        return None
    match = _FR_DATE.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as exc:
        raise LedgerError(
            "not a date; write YYYY-MM-DD or DD/MM/YYYY",
            file=file,
            locator=line,
            field=field_name,
            value=text,
        ) from exc


def parse_territories(text: str, *, file: str, line: int) -> tuple[str, ...]:
    """``FR|BE|CH`` or ``WORLD`` → sorted codes; an unknown code → LedgerError."""
    codes = [part.strip().upper() for part in re.split(r"[|;,]", text) if part.strip()]
    known = territory_codes()
    for code in codes:
        if code not in known:
            raise LedgerError(
                "unknown territory; use ISO 3166 alpha-2 codes separated by |, or WORLD or EU",
                file=file,
                locator=line,
                field="territories",
                value=code,
            )
    return tuple(sorted(set(codes)))


def _check_header(header: list[str], spec: _Spec, file: str) -> None:
    allowed = (*spec.required, *spec.optional)
    for name in header:
        if name not in allowed:
            raise LedgerError(
                "unknown column", file=file, locator=1, field=name or "(empty)", choices=allowed
            )
    for name in spec.required:
        if name not in header:
            raise LedgerError("missing column", file=file, locator=1, field=name, choices=allowed)


def _first_error(exc: ValidationError, file: str, line: int) -> LedgerError:
    err = exc.errors()[0]
    field_name = str(err["loc"][0]) if err["loc"] else "row"
    field_name = "from" if field_name == "from_" else field_name
    expected = (err.get("ctx") or {}).get("expected")
    choices = None
    if expected:
        choices = [p.strip(" '\"") for p in str(expected).replace(" or ", ",").split(",")]
    message = "not an allowed value" if choices else err["msg"]
    return LedgerError(
        message,
        file=file,
        locator=line,
        field=field_name,
        value=err.get("input") if err["type"] != "missing" else None,
        choices=[c for c in choices or [] if c] or None,
    )


def _row(spec: _Spec, cells: dict[str, str], file: str, line: int) -> _Row:
    values: dict[str, Any] = {"file": file, "line": line}
    for name, raw in cells.items():
        if name in spec.required and not raw.strip():
            raise LedgerError("required, cannot be empty", file=file, locator=line, field=name)
        if name in spec.dates:
            values[name] = parse_date(raw, file=file, line=line, field_name=name)
        elif name == "territories":
            values[name] = parse_territories(raw, file=file, line=line)
        elif name == "kind":
            values[name] = ledger_kind(raw)  # French words too: voix, droit à l'image…
        else:
            values[name] = clean_field(raw.strip(), f"{file}:{line}: {name}")
    for old, new in spec.renames:
        if old in values:
            values[new] = values.pop(old)
    values = {k: v for k, v in values.items() if v != "" or k in spec.required}
    try:
        return spec.model.model_validate(values)
    except ValidationError as exc:
        raise _first_error(exc, file, line) from exc


R = TypeVar("R", bound=_Row)
#: File stems of the three ledgers.
_STEMS = frozenset(spec.name.removesuffix(".csv") for spec in _SPECS.values())


def ledger_file(folder: Path, key: str) -> Path | None:
    """``rights/<ledger>.csv`` or ``rights/<ledger>.xlsx``, or a workbook of rights/ holding a
    sheet named like the ledger (``droits.xlsx`` with sheets sources, consents, plans): exactly
    one of them, or None."""
    stem = _SPECS[key].name.removesuffix(".csv")
    candidates = [folder / RIGHTS_DIR / f"{stem}{suffix}" for suffix in (".csv", *XLSX_SUFFIXES)]
    for path in candidates:
        if path.exists() and not path.is_file():
            raise LedgerError(
                "is not a file (a folder of that name?): the ledger cannot be read",
                file=f"{RIGHTS_DIR}/{path.name}",
            )
    found = [path for path in candidates if path.is_file()]
    if (folder / RIGHTS_DIR).is_dir():
        found += [
            path
            for path in sorted((folder / RIGHTS_DIR).iterdir())
            if path.suffix.lower() in XLSX_SUFFIXES
            and path.stem.lower() not in _STEMS
            and not path.name.startswith((".", "~$"))
            and sheet_named(path, stem)
        ]
    if len(found) > 1:
        names = " and ".join(f"{RIGHTS_DIR}/{p.name}" for p in found)
        raise LedgerError(f"two files for one ledger ({names}): keep one", file=f"{RIGHTS_DIR}/")
    return found[0] if found else None


def _rows(
    path: Path, file: str, key: str
) -> tuple[Sheet | None, Iterable[tuple[int, dict[str, str]]]]:
    if path.suffix.lower() in XLSX_SUFFIXES:
        sheet = read_sheet(path, file, key)
        return sheet, sheet.rows
    return None, read_csv_rows(path)


def _read(folder: Path, key: str, model: type[R]) -> tuple[R, ...]:
    spec = _SPECS[key]
    path = ledger_file(folder, key)
    if path is None:
        return ()
    file = f"{RIGHTS_DIR}/{path.name}"
    try:
        check_size(path, MAX_TIMELINE_BYTES, "rights ledger")
    except InputError as exc:
        raise LedgerError(exc.reason, file=file) from exc
    sheet, rows = _rows(path, file, key)
    out: list[R] = []
    header_checked = False
    try:
        if sheet is not None and sheet.header:
            _check_header([name for name in sheet.header if name], spec, file)
            header_checked = True
        for line, cells in rows:
            if not header_checked:
                _check_header(list(cells), spec, file)
                header_checked = True
            row = _row(spec, cells, file, line)
            out.append(
                cast(R, row if sheet is None else row.model_copy(update={"sheet": sheet.title}))
            )
    except LedgerError as exc:
        if sheet is None:
            raise
        where = sheet.cell(exc.locator or 1, exc.field)
        raise LedgerError(
            exc.reason,
            file=file,
            locator=where,
            field=exc.field,
            value=exc.value,
            choices=exc.choices,
        ) from exc
    return tuple(out)


def load_ledgers(folder: Path) -> Ledgers:
    """Read ``folder/rights/{sources,consents,plans}`` (``.csv`` or ``.xlsx``); a missing file is
    an empty ledger."""
    present = tuple(
        dict.fromkeys(
            f"{RIGHTS_DIR}/{path.name}"
            for key in _SPECS
            if (path := ledger_file(folder, key)) is not None
        )
    )
    return Ledgers(
        sources=_read(folder, "sources", SourceRow),
        consents=_read(folder, "consents", ConsentRow),
        plans=_read(folder, "plans", PlanRow),
        files=present,
    )

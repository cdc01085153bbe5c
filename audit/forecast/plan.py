"""The production's plan: the generations it means to make, before the first prompt.

``plan.csv`` (or ``plan.xlsx``, first sheet) at the top of the production folder holds one row per
planned line of work: a shot (or the whole film when ``shot_id`` is empty), a platform and a
modality, how many attempts (generations made for that shot, the kept one included) and outputs per
attempt, and what drives an estimate (model, size, duration, steps…). An empty cell takes a default,
in this order (see docs/production-folder.md):

1. the production's own history: the median (the most frequent value for text) of its logged
   generations of the same platform and modality, and for ``attempts`` its generations per shot;
2. ``data/plan_defaults.yaml``: a published or stated practice, each value with its source;
3. nothing: the estimator's own rule for a record without that field, named in the forecast's
   method and status exactly as in the final report.

:mod:`audit.forecast.defaults` fills the empty cells. Each row becomes ``attempts`` canonical
records (:class:`~audit.base.models.Generation`) that the final report's estimation path
estimates: one method for the forecast and the final footprint.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from audit.base.errors import ConfigError, PlanError
from audit.base.models import Generation, Modality, Status
from audit.base.textio import parse_number, read_csv_rows

PLAN_FILES = ("plan.csv", "plan.xlsx")
#: Cells of a plan row that drive an estimate, with their type (the canonical record's fields).
NUMBER_FIELDS: dict[str, type] = {
    "width": int, "height": int, "duration_s": float, "fps": float, "frames": int, "steps": int,
    "characters": int, "tokens_out": int, "measured_energy_wh": float,
}  # fmt: skip
TEXT_FIELDS = ("model", "region", "hardware")
COUNT_FIELDS = ("attempts", "outputs")
COLUMNS = ("shot_id", "platform", "modality", *COUNT_FIELDS, *TEXT_FIELDS, *NUMBER_FIELDS,
           "status", "attributes", "note")  # fmt: skip
REQUIRED = ("platform", "modality")
#: Planned records at most (a typo of 1e9 attempts is refused before anything is built).
MAX_RECORDS = 2_000_000
#: A cell saying "unknown on purpose": no default is taken (the estimator's rule applies).
UNKNOWN = "-"
#: Where a value from the production's history comes from (translated where it is printed).
HISTORY_LOCATOR = "median of the production's own generations"
#: Origins of a cell's value, as the forecast prints them.
ORIGINS = ("plan", "history", "default", "none")


@dataclass(frozen=True)
class Cell:
    """A plan cell's value and where it came from (``plan``, ``history``, ``default`` or ``none``)."""

    value: Any
    origin: str
    source: str | None = None
    locator: str | None = None


@dataclass
class PlanRow:
    """One row of the plan, its cells resolved (see :func:`resolve`)."""

    line: str
    shot_id: str | None
    platform: str
    modality: Modality
    cells: dict[str, Cell]
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    #: how the planned attempts end (a plan may set aside a share of failed jobs on its own rows)
    status: Status = Status.succeeded

    def value(self, name: str) -> Any:
        """The value of column ``name`` in this row, or None when it is empty."""
        cell = self.cells.get(name)
        return None if cell is None else cell.value

    @property
    def attempts(self) -> int:
        """Generations planned for the row (0 when not given yet)."""
        return int(self.value("attempts") or 0)

    @property
    def outputs(self) -> int:
        """Outputs per generation (1 when not given)."""
        value = self.value("outputs")
        return 1 if value is None else int(value)


@dataclass
class Plan:
    """The plan file read: its display path and rows in file order."""

    path: str
    rows: list[PlanRow]

    @property
    def records(self) -> int:
        """Generations the plan foresees in all."""
        return sum(row.attempts for row in self.rows)


def find_plan(root: Path) -> Path | None:
    """``plan.csv`` or ``plan.xlsx`` at the top of ``root`` (both is an error), or None."""
    found = [root / name for name in PLAN_FILES if (root / name).is_file()]
    if len(found) > 1:
        raise PlanError("two plans: keep plan.csv or plan.xlsx", file=found[1].name)
    return found[0] if found else None


def _xlsx_rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise PlanError(f"unreadable workbook: {exc}", file=path.name) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    for number, values in enumerate(rows, start=2):
        row = {name: _cell_text(value) for name, value in zip(header, values, strict=False) if name}
        if any(row.values()):
            yield f"{sheet.title}!{number}", row
    book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw_rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path)
        return
    for line, row in read_csv_rows(path):
        yield str(line), row


def read_plan(path: Path, platforms: dict[str, str]) -> Plan:
    """Read a plan's rows (cells not yet resolved); ``platforms`` maps each key and alias to its
    platform key. Comment rows (first cell starting with ``#``) are skipped."""
    rows = []
    for line, raw in _raw_rows(path):
        first = next(iter(raw.values()), "")
        if first.startswith("#"):
            continue
        unknown = sorted(set(raw) - set(COLUMNS) - {""})
        if unknown:
            raise PlanError(
                "unknown column", file=path.name, locator=line, field=unknown[0], choices=COLUMNS
            )
        rows.append(_row(raw, line, path.name, platforms))
    return Plan(path.name, rows)


def _row(raw: dict[str, str], line: str, name: str, platforms: dict[str, str]) -> PlanRow:
    for column in REQUIRED:
        if not raw.get(column):
            raise PlanError("required", file=name, locator=line, field=column)
    platform = platforms.get(raw["platform"].strip().lower())
    if platform is None:
        raise PlanError(
            "unknown platform",
            file=name,
            locator=line,
            field="platform",
            value=raw["platform"],
            choices=sorted(set(platforms.values())),
        )
    try:
        modality = Modality(raw["modality"].strip().lower())
    except ValueError:
        raise PlanError(
            "unknown modality",
            file=name,
            locator=line,
            field="modality",
            value=raw["modality"],
            choices=[m.value for m in Modality],
        ) from None
    cells = {key: Cell(value, "plan") for key, value in _typed(raw, line, name).items()}
    cells |= {key: Cell(None, "none") for key, text in raw.items() if text == UNKNOWN}
    return PlanRow(
        line,
        raw.get("shot_id") or None,
        platform,
        modality,
        cells,
        _attributes(raw.get("attributes", ""), line, name),
        raw.get("note", ""),
        _status(raw.get("status", ""), line, name),
    )


def _status(text: str, line: str, name: str) -> Status:
    try:
        return Status(text.strip().lower() or Status.succeeded.value)
    except ValueError:
        raise PlanError(
            "unknown status",
            file=name,
            locator=line,
            field="status",
            value=text,
            choices=[s.value for s in Status],
        ) from None


def _typed(raw: dict[str, str], line: str, name: str) -> dict[str, Any]:
    """The cells given, typed; ``-`` is "unknown": no default, the estimator's own rule."""
    out: dict[str, Any] = {k: raw[k] for k in TEXT_FIELDS if raw.get(k) not in ("", UNKNOWN, None)}
    for key, kind in {**NUMBER_FIELDS, "attempts": int, "outputs": int}.items():
        text = raw.get(key, "")
        if not text or text == UNKNOWN:
            continue
        try:
            number = parse_number(text)
        except ValueError:
            raise PlanError(
                "not a number", file=name, locator=line, field=key, value=text
            ) from None
        if not math.isfinite(number) or number < 0 or (kind is int and not number.is_integer()):
            raise PlanError(
                f"not a {'whole ' if kind is int else ''}number ≥ 0",
                file=name,
                locator=line,
                field=key,
                value=text,
            )
        out[key] = kind(number)
    return out


def _attributes(text: str, line: str, name: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise PlanError(
            "not a JSON object", file=name, locator=line, field="attributes", value=text
        )
    return value


def records(plan: Plan, as_of: date) -> list[Generation]:
    """Each row as ``attempts`` canonical records, dated ``as_of``, sourced to the plan's row."""
    created = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    out = []
    for row in plan.rows:
        fields = {name: row.value(name) for name in (*TEXT_FIELDS, *NUMBER_FIELDS)}
        for attempt in range(row.attempts):
            out.append(
                Generation(
                    id=f"plan:{row.line}:{attempt + 1}",
                    platform=row.platform,
                    modality=row.modality,
                    status=row.status,
                    created_at=created,
                    outputs_count=row.outputs,
                    attributes=dict(row.attributes),
                    source_file=plan.path,
                    source_locator=row.line,
                    adapter="plan",
                    shot_id=row.shot_id,
                    kept=False,
                    **{k: v for k, v in fields.items() if v is not None},
                )
            )
    return out


def parse_recipe(text: str, platforms: dict[str, str]) -> list[tuple[str, Modality, int]]:
    """``midjourney:image:40,kling:video:8`` → [(platform, modality, attempts), …]."""
    steps = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        bits = part.split(":")
        if len(bits) != 3:
            raise ConfigError("expected platform:modality:attempts", field="--recipe", value=part)
        key = platforms.get(bits[0].strip().lower())
        if key is None:
            raise ConfigError(
                "unknown platform",
                field="--recipe",
                value=bits[0],
                choices=sorted(set(platforms.values())),
            )
        try:
            modality, attempts = Modality(bits[1].strip().lower()), int(bits[2])
        except ValueError:
            raise ConfigError(
                "expected platform:modality:attempts (a modality and a whole number)",
                field="--recipe",
                value=part,
            ) from None
        if attempts < 1:
            raise ConfigError("attempts must be 1 or more", field="--recipe", value=part)
        steps.append((key, modality, attempts))
    if not steps:
        raise ConfigError("empty recipe", field="--recipe", value=text)
    return steps

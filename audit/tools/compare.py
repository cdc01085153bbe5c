"""Compare productions from their ``audit.json`` files (any 1.x schema; see docs/audit-json.md).

Reading is strict: a file that is not an Empreinte audit, or of another MAJOR schema version, gets
one line naming the file, the JSON pointer, the value and what is allowed. The comparison itself is
plain data; :mod:`audit.tools.compare_report` formats and renders it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from audit.base.columns import SHOWN_IN_TABLES, Impact
from audit.base.errors import ConfigError, InputError
from audit.base.limits import MAX_LOG_FILE_BYTES, check_json_depth, check_size
from audit.base.safetext import clip
from estimators.ranges import Range

SCHEMA = "empreinte.audit"
#: MAJOR versions of audit.json this Empreinte reads (every MINOR of each).
SUPPORTED_MAJORS = (1,)
#: audit.json, and forecast.json (its footprint laid out the same: a forecast compares too)
SCHEMAS = (SCHEMA, "empreinte.forecast")
#: The quantities compared: the impacts the report's tables print.
QUANTITIES: tuple[Impact, ...] = SHOWN_IN_TABLES
SEVERITIES = ("blocker", "warning", "info")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Entry:
    """One production as the comparison reads it (names already replaced when anonymised)."""

    label: str
    title: str
    company: str
    people: tuple[str, ...]
    whatif: str | None
    schema_version: str
    data_version: str
    as_of: str
    inputs_sha256: str
    runtime_s: float
    generations: int
    outputs: int
    kept_outputs: int
    kept_shots: int
    generations_per_kept_shot: float | None
    totals: dict[Impact, Range]
    per_minute: dict[Impact, Range]
    per_kept_second: dict[Impact, Range]
    platform_mix: dict[str, float]
    modality_mix: dict[str, float]
    severities: dict[str, int]

    @property
    def discard_ratio(self) -> float | None:
        """Outputs made per output kept in the film, or None when nothing was kept."""
        return self.outputs / self.kept_outputs if self.kept_outputs else None


def read_audit(path: Path) -> dict[str, Any]:
    """An audit.json document, after checking that this Empreinte can read its schema version."""
    try:
        check_size(path, MAX_LOG_FILE_BYTES, "audit.json")
        text = path.read_text(encoding="utf-8")
        check_json_depth(text, path)
    except InputError as exc:
        raise ConfigError(exc.reason, file=path) from None
    except UnicodeDecodeError:
        raise ConfigError("audit.json must be UTF-8", file=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file ({exc.strerror})", file=path) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not valid JSON: {exc.msg}", file=path, locator=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more digits than converted
        raise ConfigError(f"not valid JSON: {clip(str(exc))}", file=path) from None
    return check_schema(doc, path)


def check_schema(doc: object, path: Path) -> dict[str, Any]:
    """The document itself once its schema is audit.json's or forecast.json's, in a major version
    this Empreinte reads; else a ConfigError pointing at the field."""
    schema = doc.get("schema") if isinstance(doc, dict) else None
    if schema not in SCHEMAS:
        raise ConfigError(
            "not an Empreinte audit.json or forecast.json (write one with: empreinte report DIR, "
            "or empreinte forecast DIR)",
            file=path,
            locator="/schema",
            field="schema",
            value=schema,
            choices=SCHEMAS,
        )
    assert isinstance(doc, dict)
    version = doc.get("schema_version")
    match = re.fullmatch(r"(\d+)\.(\d+)", version) if isinstance(version, str) else None
    if match is None or int(match.group(1)) not in SUPPORTED_MAJORS:
        raise ConfigError(
            "unsupported schema version: this Empreinte reads audit.json "
            + ", ".join(f"{major}.x" for major in SUPPORTED_MAJORS)
            + " (re-run empreinte report with a matching Empreinte version)",
            file=path,
            locator="/schema_version",
            field="schema_version",
            value=version,
            choices=[f"{major}.x" for major in SUPPORTED_MAJORS],
        )
    return doc


class _Reader:
    """Typed access to a document by JSON pointer, with one-line errors."""

    def __init__(self, doc: dict[str, Any], path: Path) -> None:
        self.doc, self.path = doc, path

    def get(self, pointer: str, kind: type | tuple[type, ...]) -> Any:
        node: Any = self.doc
        for part in pointer.strip("/").split("/"):
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise ConfigError("missing field", file=self.path, locator=pointer, field=part)
        if isinstance(node, bool) or not isinstance(node, kind):
            raise ConfigError(
                f"expected {_kind_name(kind)}", file=self.path, locator=pointer, value=node
            )
        return node

    def number(self, pointer: str) -> float:
        value = self.get(pointer, (int, float))
        try:
            number = float(value)
        except OverflowError:  # an integer beyond a float
            number = math.inf
        if not math.isfinite(number):
            raise ConfigError(
                "expected a finite number", file=self.path, locator=pointer, value=value
            )
        return number

    def range(self, pointer: str) -> Range:
        return Range(*(self.number(f"{pointer}/{bound}") for bound in ("low", "central", "high")))

    def records(self, pointer: str) -> list[dict[str, Any]]:
        items: list[object] = self.get(pointer, list)
        records: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise ConfigError(
                    "expected an object", file=self.path, locator=f"{pointer}/{index}", value=item
                )
            records.append(item)
        return records


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(sorted({names.get(k, k.__name__) for k in kinds}))


def _mix(reader: _Reader, pointer: str, key: str) -> dict[str, float]:
    """Share of the central energy by group (``platform`` or ``modality``)."""
    records = reader.records(pointer)
    energy = {
        str(r.get(key)): reader.number(f"{pointer}/{i}/energy_wh_central")
        for i, r in enumerate(records)
    }
    total = sum(energy.values())
    return {name: (value / total if total else 0.0) for name, value in sorted(energy.items())}


def _kept_shots(reader: _Reader) -> tuple[int, float | None]:
    """Picture shots with a kept generation, and the mean generations behind each."""
    counts = []
    for index, shot in enumerate(reader.records("/shots")):
        if shot.get("kind") == "picture" and reader.number(f"/shots/{index}/kept") > 0:
            counts.append(reader.number(f"/shots/{index}/generations"))
    return len(counts), (sum(counts) / len(counts) if counts else None)


def _people(reader: _Reader) -> tuple[str, ...]:
    directors = [str(d) for d in reader.get("/production/directors", list)]
    credits = reader.doc["production"].get("credits") or []
    names = [str(c.get("name")) for c in credits if isinstance(c, dict) and c.get("name")]
    return tuple(dict.fromkeys([*directors, *names]))


def entry(doc: dict[str, Any], path: Path, label: str) -> Entry:
    """The comparison's view of one audit.json (already schema-checked)."""
    r = _Reader(doc, path)
    ranges = {
        scope: {q: r.range(f"/footprint/{scope}/{q}") for q in QUANTITIES}
        for scope in ("totals", "per_finished_minute", "per_kept_second")
    }
    severities = {sev: 0 for sev in SEVERITIES}
    for index in range(len(r.records("/findings"))):
        severity = r.get(f"/findings/{index}/severity", str)
        severities[severity] = severities.get(severity, 0) + 1
    kept_shots, per_shot = _kept_shots(r)
    whatif = doc.get("whatif") if doc.get("schema") == SCHEMA else doc.get("plan")
    return Entry(
        label=label,
        title=r.get("/production/title", str),
        company=r.get("/production/company", str),
        people=_people(r),
        whatif=str(whatif.get("description")) if isinstance(whatif, dict) else None,
        schema_version=r.get("/schema_version", str),
        data_version=str(r.get("/generator/data_version", (str, int, float))),
        as_of=_iso_date(r),
        inputs_sha256=r.get("/inputs_sha256", str),
        runtime_s=r.number("/production/runtime_s"),
        generations=int(r.number("/footprint/generations")),
        outputs=int(r.number("/footprint/outputs")),
        kept_outputs=int(r.number("/footprint/kept_outputs")),
        kept_shots=kept_shots,
        generations_per_kept_shot=per_shot,
        totals=ranges["totals"],
        per_minute=ranges["per_finished_minute"],
        per_kept_second=ranges["per_kept_second"],
        platform_mix=_mix(r, "/footprint/by_platform", "platform"),
        modality_mix=_mix(r, "/footprint/by_modality", "modality"),
        severities=severities,
    )


def _iso_date(reader: _Reader) -> str:
    value = reader.get("/as_of", str)
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ConfigError(
            "not a date (YYYY-MM-DD)", file=reader.path, locator="/as_of", value=value
        ) from None


def load_entries(paths: list[Path]) -> list[Entry]:
    """The entries to compare, lettered A, B… in the order given; none, or more than there are
    letters, is a ConfigError."""
    if not paths:
        raise ConfigError("give at least one audit.json", field="AUDIT.json")
    if len(paths) > len(LETTERS):
        raise ConfigError(
            f"at most {len(LETTERS)} productions at once", field="AUDIT.json", value=len(paths)
        )
    return [entry(read_audit(p), p, LETTERS[i]) for i, p in enumerate(paths)]


def anonymized(entries: list[Entry]) -> list[Entry]:
    """Titles → "Production A" (the letter of the first entry with that title), companies →
    "Company A", people → "Person 1…" in order of first appearance (a credit that names the
    company gets the company's label)."""
    titles: dict[str, str] = {}
    companies: dict[str, str] = {}
    people: dict[str, str] = {}
    out = []
    for item in entries:
        title = titles.setdefault(item.title, f"Production {item.label}")
        company = companies.setdefault(item.company, f"Company {item.label}")
        names = tuple(
            companies.get(p) or people.setdefault(p, f"Person {len(people) + 1}")
            for p in item.people
        )
        out.append(replace(item, title=title, company=company, people=names))
    return out


@dataclass(frozen=True)
class Overlap:
    """Two productions on one figure: told apart only when their ranges do not overlap."""

    first: str
    second: str
    quantity: str
    scope: str
    overlap: bool
    #: central of ``second`` / central of ``first`` (None when the first is zero).
    ratio: float | None


def overlaps(entries: list[Entry], scope: str = "per_minute") -> list[Overlap]:
    """Every pair of productions on every quantity of ``scope`` (per_minute, per_kept_second)."""
    out = []
    for i, first in enumerate(entries):
        for second in entries[i + 1 :]:
            for q in QUANTITIES:
                a, b = getattr(first, scope)[q], getattr(second, scope)[q]
                ratio = b.central / a.central if a.central else None
                out.append(Overlap(first.label, second.label, q, scope, a.overlaps(b), ratio))
    return out


def csv_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    """compare.csv: one row per production, machine units (Wh, g CO2e, L)."""
    rows = []
    for e in entries:
        row: dict[str, Any] = {
            "label": e.label,
            "title": e.title,
            "company": e.company,
            "whatif": e.whatif or "",
            "schema_version": e.schema_version,
            "data_version": e.data_version,
            "as_of": e.as_of,
            "runtime_s": e.runtime_s,
            "generations": e.generations,
            "outputs": e.outputs,
            "kept_outputs": e.kept_outputs,
            "kept_shots": e.kept_shots,
            "generations_per_kept_shot": e.generations_per_kept_shot,
            "discard_ratio": e.discard_ratio,
        }
        for scope, name in (("per_minute", "per_finished_minute"), ("per_kept_second", None)):
            for q in QUANTITIES:
                rng = getattr(e, scope)[q]
                for bound in ("low", "central", "high"):
                    row[f"{q}_{name or scope}_{bound}"] = getattr(rng, bound)
        row.update({f"findings_{sev}": e.severities.get(sev, 0) for sev in SEVERITIES})
        rows.append(row)
    return rows

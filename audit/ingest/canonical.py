"""Empreinte's own canonical format: CSV (``generations.csv`` columns) or JSON Lines.

This is how anything without an export gets logged by hand. A CSV saved by a French Excel works:
``;`` separator, decimal commas, BOM or cp1252. Only ``platform``, ``modality`` and ``created_at``
are required; ``id`` defaults to ``<platform>:<file stem>-<line>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.errors import InputError
from audit.ingest.base import Adapter, Item, Reject, Source, build, head_text
from audit.models import COLUMNS, JSON_COLUMNS, Generation
from audit.textio import iter_jsonl, parse_number, read_csv_rows

_REQUIRED = ("platform", "modality", "created_at")
_NUMERIC = {
    name
    for name, info in Generation.model_fields.items()
    if info.annotation in (int, float, int | None, float | None)
}
_BOOL = {"kept"}
_SET_BY_US = {"source_file", "source_locator", "adapter"}


def _cell(name: str, raw: str) -> Any:
    if raw == "":
        return None
    if name in _NUMERIC:
        return parse_number(raw)
    if name in _BOOL:
        return raw.lower() in {"1", "true", "yes", "oui", "vrai"}
    if name in JSON_COLUMNS:
        if raw.startswith(("[", "{")):
            return json.loads(raw)
        items = [part.strip() for part in raw.split("|") if part.strip()]
        return [{"uri": item} for item in items] if name == "inputs" else items
    return raw


class CanonicalAdapter(Adapter):
    name = "canonical"
    platform = "*"
    title = "Empreinte canonical CSV / JSONL"
    suffixes = (".csv", ".jsonl")
    formats = "CSV or JSON Lines with the columns of generations.csv (any subset that holds "
    "platform, modality, created_at)"
    reads = ", ".join(COLUMNS)
    cannot_know = "whatever the person logging left empty"

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() == ".csv":
            header = head_text(path).split("\n", 1)[0].lower()
            return all(col in header for col in _REQUIRED)
        if path.suffix.lower() == ".jsonl":
            first = head_text(path).split("\n", 1)[0]
            return all(f'"{col}"' in first for col in _REQUIRED)
        return False

    def read(self, source: Source) -> Iterator[Item]:
        if source.path.suffix.lower() == ".jsonl":
            for number, obj in iter_jsonl(source.path):
                yield self._record(source, number, obj if isinstance(obj, dict) else {})
            return
        for number, row in read_csv_rows(source.path):
            unknown = sorted(set(row) - set(COLUMNS))
            if unknown:
                raise InputError(
                    "unknown column",
                    file=source.name,
                    locator=1,
                    field=unknown[0],
                    choices=COLUMNS,
                )
            fields: dict[str, Any] = {}
            for name, raw in row.items():
                try:
                    fields[name] = _cell(name, raw)
                except ValueError:
                    yield Reject(source.name, str(number), name, "not a number or JSON", repr(raw))
                    break
            else:
                yield self._record(source, number, fields)

    def _record(self, source: Source, number: int, fields: dict[str, Any]) -> Item:
        clean = {k: v for k, v in fields.items() if v is not None and k not in _SET_BY_US}
        for col in _REQUIRED:
            if col not in clean:
                return Reject(source.name, str(number), col, "required")
        stem = Path(source.name).stem
        clean.setdefault("id", f"{clean['platform']}:{stem}-{number}")
        return build(source, str(number), self.name, **clean)

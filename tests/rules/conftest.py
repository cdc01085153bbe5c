"""Builds an AuditContext from a small YAML scenario (the rule cases of tests/rules/cases/).

A scenario holds: ``production`` (fields over a Le-Dernier-Phare-like base), ``generations``
(Generation fields; id, source_file, source_locator, adapter and kept get defaults), ``plans``,
``consents``, ``sources`` (ledger rows, written to rights/*.csv and read back with load_ledgers),
``provenance`` (Provenance fields), ``unexplained_media``, ``credits_text`` and ``as_of``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit.base.models import Generation
from audit.base.production import Production
from audit.ingest.ledgers import load_ledgers
from audit.ingest.provenance import Provenance
from audit.rights import AuditContext

BASE_PRODUCTION: dict[str, Any] = {
    "title": "Le Dernier Phare",
    "directors": ["Inès Morvan"],
    "company": "Collectif Marée Basse",
    "company_annual_revenue_usd": 180000,
    "year": 2026,
    "runtime_s": 90,
    "release_date": date(2027, 3, 15),
    "distribution": ["festival", "online"],
    "territories": ["FR", "BE", "CH"],
    "languages": ["fr"],
    "frame_rate": 25,
}
LEDGER_FILES = {"plans": "plans.csv", "consents": "consents.csv", "sources": "sources.csv"}


def write_ledger(folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    """rights/<name> with the union of the rows' keys as header (first-seen order)."""
    header: list[str] = []
    for row in rows:
        header += [key for key in row if key not in header]
    path = folder / "rights" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else str(v) for k, v in row.items()})


def make_generation(index: int, fields: dict[str, Any]) -> Generation:
    defaults = {
        "id": f"{fields.get('platform', 'x')}:{index}",
        "modality": "image",
        "source_file": "logs/test.json",
        "source_locator": str(index),
        "adapter": "test",
        "kept": True,
    }
    return Generation.model_validate({**defaults, **fields})


def build_context(scenario: dict[str, Any], folder: Path) -> AuditContext:
    production = Production.model_validate({**BASE_PRODUCTION, **scenario.get("production", {})})
    for key, name in LEDGER_FILES.items():
        if scenario.get(key):
            write_ledger(folder, name, scenario[key])
    generations = [make_generation(i, g) for i, g in enumerate(scenario.get("generations", []), 1)]
    return AuditContext(
        production=production,
        generations=generations,
        ledgers=load_ledgers(folder),
        as_of=scenario.get("as_of", date(2026, 10, 1)),
        provenance=[Provenance.model_validate(p) for p in scenario.get("provenance", [])],
        unexplained_media=list(scenario.get("unexplained_media", [])),
        credits_text=scenario.get("credits_text"),
    )


@pytest.fixture
def make_context(tmp_path: Path) -> Callable[[dict[str, Any]], AuditContext]:
    return lambda scenario: build_context(scenario, tmp_path)

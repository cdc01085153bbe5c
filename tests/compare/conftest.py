"""The bundled example run once per session, its audit.json and what-if variants of it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit.base.resources import example_dir
from audit.pipeline import AuditRun, Options, run
from audit.report.audit_json import audit_document
from audit.tools.whatif import WhatIf, variant, whatif_document

AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="session")
def baseline() -> AuditRun:
    return run(example_dir(), Options(as_of=AS_OF))


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True), "utf-8")
    return path


@pytest.fixture(scope="session")
def audits(baseline: AuditRun, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example (A), its what-if in France (B), and another production (C): the example's
    audit.json renamed, schema 1.3, with every footprint figure tripled."""
    folder = tmp_path_factory.mktemp("audits")
    doc = audit_document(baseline)
    spec = WhatIf(region="FRA")
    changed, changes = variant(baseline, spec)
    other = json.loads(json.dumps(doc))
    other["schema_version"] = "1.3"
    other["production"].update(
        title="Les Grandes Marées", company="Atelier Suroît", directors=["Anne Quéméner"],
        credits=[{"role": "Réalisation", "name": "Anne Quéméner"}],
    )  # fmt: skip
    for scope in ("totals", "per_finished_minute", "per_kept_second"):
        for ranges in other["footprint"][scope].values():
            for bound in ranges:
                ranges[bound] *= 3
    return {
        "example": _write(folder / "example.json", doc),
        "france": _write(folder / "france.json", whatif_document(baseline, changed, spec, changes)),
        "other": _write(folder / "other.json", other),
    }

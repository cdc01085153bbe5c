"""The rights rules read columns (issue 20): on productions made the way users make them
(tests/link/production15.py: each platform's own format, planted rights problems), the rules run
with no record built, and a page builds only the records it shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from audit.base.gentable import GenTable
from audit.base.models import Generation
from audit.base.production import load_production
from audit.ingest.walk import ingest_folder
from audit.link.linker import link
from audit.pipeline import Options, load_timeline, run_rights
from tests.link.production15 import make_production

AS_OF = date(2026, 11, 20)


def _refuse(_table: GenTable, rows: np.ndarray) -> list[Generation]:
    raise AssertionError(f"the rules built {len(rows)} records")


@pytest.mark.parametrize("seed", [1, 7])
def test_rules_build_no_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    made = make_production(tmp_path, seed=seed)
    options = Options(as_of=AS_OF)
    production = load_production(tmp_path)
    linked = link(ingest_folder(tmp_path).table, load_timeline(tmp_path, production, options),
                  tmp_path, instance_ids={})  # fmt: skip
    expected = run_rights(tmp_path, production, linked, [], options)[1]
    monkeypatch.setattr(GenTable, "build", _refuse)
    found = run_rights(tmp_path, production, linked, [], options)[1]
    assert found == expected
    by_code: dict[str, set[str]] = {}
    for item in found:
        by_code.setdefault(item.code, set()).update(item.generation_ids)
    planted = made.planted
    assert planted.cref_job in by_code["CONSENT002"]
    assert planted.style_job in by_code["CLEAR001"]
    assert set(planted.brand_takes) <= by_code["CLEAR001"]


def test_objects_are_built_for_the_rows_asked_only(tmp_path: Path) -> None:
    make_production(tmp_path, seed=2)
    options = Options(as_of=AS_OF)
    production = load_production(tmp_path)
    linked = link(ingest_folder(tmp_path).table, load_timeline(tmp_path, production, options),
                  tmp_path, instance_ids={})  # fmt: skip
    rows = np.flatnonzero(linked.kept)[:3]
    built = linked.objects(rows)
    assert [gen.id for gen in built] == linked.table.column("id")[rows].tolist()
    assert [gen.shot_id for gen in built] == linked.shot_ids[rows].tolist()
    assert all(gen.kept for gen in built)
    assert "generations" not in linked._cache  # nothing was built for every row

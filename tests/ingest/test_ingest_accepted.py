"""Duplicate ids across objects and table rows: the first record seen is kept, later ones fill it.

The walk accepts objects one by one and canonical CSV rows a table at a time
(audit/ingest/accepted.py); whatever the mix, the outcome must be the one-by-one rule's.
"""

from __future__ import annotations

import numpy as np

from audit.base.gentable import from_generations
from audit.base.models import Generation
from audit.ingest.accepted import Accepted
from audit.ingest.walk import _fill


def _gen(gen_id: str, **fields: object) -> Generation:
    base: dict[str, object] = {
        "id": gen_id, "platform": "kling", "modality": "video",
        "created_at": "2026-09-01T10:00:00Z", "source_file": "logs/x.csv",
        "source_locator": "2", "adapter": "canonical",
    }  # fmt: skip
    return Generation.model_validate({**base, **fields})


def _one_by_one(items: list[Generation]) -> dict[str, Generation]:
    kept: dict[str, Generation] = {}
    for gen in items:
        kept[gen.id] = _fill(kept[gen.id], gen) if gen.id in kept else gen
    return kept


def test_tables_and_objects_merge_as_one_by_one() -> None:
    first = [_gen("kling:a", model="kling-v2.6"), _gen("kling:b")]
    table = [
        _gen("kling:b", width=1280),  # fills the object seen before
        _gen("kling:c", prompt="phare"),
        _gen("kling:c", height=720),  # duplicate inside the table
        _gen("kling:d"),
    ]
    later = [_gen("kling:d", fps=24.0), _gen("kling:e")]  # fills a table row seen before
    accepted = Accepted(_fill)
    counts = [accepted.add(gen) for gen in first]
    new, merged = accepted.add_table(from_generations(table))
    counts += [accepted.add(gen) for gen in later]
    assert counts == [True, True, False, True]  # a, b new; d merged into the table row; e new
    assert (new, merged) == (2, 2)  # c and d accepted; b and the second c merged
    result = {gen.id: gen for gen in accepted.table().generations()}
    expected = _one_by_one(first + table + later)
    assert result == expected
    assert result["kling:b"].width == 1280
    assert (result["kling:c"].prompt, result["kling:c"].height) == ("phare", 720)
    assert result["kling:d"].fps == 24.0


def test_a_table_without_duplicates_stays_a_table() -> None:
    accepted = Accepted(_fill)
    table = from_generations([_gen("kling:a"), _gen("kling:b")])
    assert accepted.add_table(table) == (2, 0)
    assert not accepted.objects
    assert np.array_equal(accepted.table().column("id"), np.array(["kling:a", "kling:b"]))

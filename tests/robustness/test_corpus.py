"""Every malformed input of tests/corpus/ through ``ingest_files``, strict and lenient.

For each case: no traceback; lenient mode collects every reject as one line naming file, place and
field, and its counts add up; strict mode raises exactly the first of those lines (or agrees with
lenient mode when nothing is wrong); and the case does what tests/corpus/README.md says.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from audit.ingest import canonical
from audit.ingest.walk import IngestResult
from tests.robustness.corpus_support import (
    CASES,
    CORPUS,
    check_reconciled,
    check_strict,
    ingest,
    lay_out,
    original,
)


def _run(tmp_path: Path, case: dict[str, Any]) -> tuple[IngestResult, IngestResult, list[Path]]:
    paths = lay_out(tmp_path / "case", case)
    result = ingest(tmp_path / "case", paths, case, lenient=True)
    check_reconciled(result, paths)
    check_strict(tmp_path / "case", paths, case, result)
    reference = original(tmp_path / "original", case)
    return result, ingest(tmp_path / "original", reference, case, lenient=True), paths


def _dumps(result: IngestResult) -> list[dict[str, Any]]:
    return [gen.model_dump(mode="json") for gen in result.generations]


def _on_target(result: IngestResult, case: dict[str, Any]) -> list[str]:
    return [r.line() for r in result.rejects if r.file == case["target"]]


def _check(result: IngestResult, before: IngestResult, case: dict[str, Any]) -> None:
    expect = case["expect"]
    if expect == "same":
        assert _dumps(result) == _dumps(before)
        assert result.totals() == before.totals()
    elif expect == "reject":
        folder = str(Path(case["target"]).parent)
        assert _on_target(result, case)[0].startswith(f"{folder}/{case['first']}")
        assert len(result.generations) == case.get("accepted", len(before.generations) - 1)
    elif expect == "file-reject":
        assert _on_target(result, case), "the broken file is named in a reject"
    elif expect == "empty":
        assert not [g for g in result.generations if g.source_file == case["target"]]
        if case["target"].endswith(".json"):
            assert _on_target(result, case) == [f"{case['target']}:1:1: file: invalid JSON: "
                                                "Expecting value"]  # fmt: skip
    elif expect == "duplicate":
        assert [g.id for g in result.generations] == [g.id for g in before.generations]
        assert result.totals()["accepted"] == before.totals()["accepted"]
        now, then = result.totals(), before.totals()
        # the copy's records are merged into the first ones (or, for a request log, left
        # without a result): never accepted twice
        assert now["merged"] + now["rejected"] > then["merged"] + then["rejected"]
    elif expect == "future":
        assert len(result.generations) == len(before.generations)
        assert min(g.created_at.year for g in result.generations) < 2999
        assert max(g.created_at.year for g in result.generations) == 2999
    else:
        assert expect == "accepted", expect
        stamps = [g.created_at.isoformat() for g in result.generations]
        assert stamps == case["created_at"]
        assert result.totals()["merged"] == case.get("merged", 0)
        assert not result.rejects


@pytest.mark.parametrize("key", sorted(CASES))
def test_corpus_case(tmp_path: Path, key: str) -> None:
    case = CASES[key]
    result, before, _ = _run(tmp_path, case)
    _check(result, before, case)


@pytest.mark.parametrize("key", sorted(k for k in CASES if k.startswith("canonical/")))
def test_canonical_cases_through_the_column_reader(
    tmp_path: Path, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same canonical cases with the large-file column reader forced on."""
    monkeypatch.setattr(canonical, "COLUMN_READER_MIN_BYTES", 0)
    case = CASES[key]
    result, before, _ = _run(tmp_path, case)
    _check(result, before, case)


def test_every_adapter_has_cases() -> None:
    from audit.ingest.registry import adapters

    covered = {case["adapter"] for case in CASES.values()}
    # a1111 reads PNG infotext only: its cases are built at run time (test_generated_inputs.py)
    assert covered | {"a1111"} == set(adapters(include_plugins=False))
    kinds = {key.split("/", 1)[1] for key in CASES}
    assert {"truncated", "empty", "utf16", "bom", "crlf", "duplicate", "wrong-type"} <= kinds


def test_corpus_is_what_make_corpus_writes(tmp_path: Path) -> None:
    """The committed corpus is exactly the generator's output (regenerate with make_corpus.py)."""
    script = CORPUS / "make_corpus.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    kept = sorted(
        p.relative_to(CORPUS)
        for p in CORPUS.rglob("*")
        if p.is_file()
        and p.suffix != ".py"
        and p.name != "README.md"
        and "__pycache__" not in p.parts
    )
    assert fresh == kept
    for rel in fresh:
        assert (tmp_path / rel).read_bytes() == (CORPUS / rel).read_bytes(), rel


def test_reject_lines_are_stable_across_modes(tmp_path: Path) -> None:
    """A hand-checked line: the truncated Midjourney archive names line and column."""
    result, _, _ = _run(tmp_path, CASES["midjourney/truncated"])
    assert result.rejects[0].line() == (
        "midjourney/archive.json:21:21: file: invalid JSON: Unterminated string starting at"
    )
    assert result.totals() == {
        "files": 1, "skipped_files": 0, "unclaimed_files": 0, "records": 1, "accepted": 0,
        "merged": 0, "rejected": 1, "pending": 0, "filtered": 0,
    }  # fmt: skip

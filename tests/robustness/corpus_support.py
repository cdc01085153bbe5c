"""Laying out corpus cases (tests/corpus/) beside their companions, and checks shared by the
robustness tests."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from audit.base.errors import InputError
from audit.ingest.refusal import DATA_SUFFIXES
from audit.ingest.walk import IngestResult, ingest_files

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "ingest" / "fixtures"
CASES: dict[str, dict[str, Any]] = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
COPY_PREFIX = "copy-"
DATA = tuple(DATA_SUFFIXES)
#: Every file laid out gets this modification time (records without a time fall back on it).
MTIME = 1_789_000_000


def lay_out(root: Path, case: dict[str, Any], data: bytes | None = None) -> list[Path]:
    """The case's files under ``root`` (companions from the fixtures, the target broken)."""
    paths = []
    for rel in case["companions"]:
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / rel, dest)
        paths.append(dest)
    target = root / case["target"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((CORPUS / case["file"]).read_bytes() if data is None else data)
    paths.append(target)
    if case.get("expect") == "duplicate":
        copy = target.with_name(COPY_PREFIX + target.name)
        shutil.copyfile(target, copy)
        paths.append(copy)
    for path in paths:
        os.utime(path, (MTIME, MTIME))
    return sorted(paths)


def original(root: Path, case: dict[str, Any]) -> list[Path]:
    """The unbroken fixture set the case comes from."""
    return lay_out(root, {**case, "expect": "same"}, (FIXTURES / case["target"]).read_bytes())


def ingest(root: Path, paths: list[Path], case: dict[str, Any], lenient: bool) -> IngestResult:
    forced = case["adapter"] if case.get("forced") else None
    return ingest_files(root, paths, adapter_name=forced, lenient=lenient)


def check_reconciled(result: IngestResult, paths: list[Path]) -> dict[str, int]:
    """Counts add up and every reject is one line naming its file, place and field."""
    totals = result.totals()
    assert totals["files"] == len(paths)
    assert totals["accepted"] == len(result.generations)
    assert totals["rejected"] == len(result.rejects)
    assert totals["records"] == totals["accepted"] + totals["merged"] + totals["rejected"]
    names = {f.name for f in result.files}
    for reject in result.rejects:
        line = reject.line()
        assert "\n" not in line
        assert "\r" not in line
        assert reject.file in names
        assert reject.locator, line
        assert reject.field, line
        assert line.startswith(f"{reject.file}:{reject.locator}: {reject.field}: ")
    return totals


def check_strict(
    root: Path, paths: list[Path], case: dict[str, Any], lenient: IngestResult
) -> None:
    """Strict mode raises the first unclaimed data file's line (files are claimed before any is
    read), else the first reject lenient mode collected, as one line; or agrees."""
    refused = [f for f in lenient.files if f.adapter is None and f.name.endswith(DATA)]
    if refused:
        with pytest.raises(InputError) as caught:
            ingest(root, paths, case, lenient=False)
        assert str(caught.value).startswith(f"{refused[0].name}: {refused[0].reason}")
    elif lenient.rejects:
        with pytest.raises(InputError) as caught:
            ingest(root, paths, case, lenient=False)
        assert str(caught.value) == lenient.rejects[0].line()
    else:
        strict = ingest(root, paths, case, lenient=False)
        assert strict.totals() == lenient.totals()

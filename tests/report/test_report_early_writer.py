"""At archive scale ``empreinte report`` forks the writer of generations.csv and
generations.parquet as soon as the estimate is made, through the pipeline's hook (the pipeline
never imports the report), so that the longer job runs during the rights rules too: the same
files as when it is forked after the pipeline; a refusal raised after the fork still exits 2 with
its one line, stops the copy and leaves no output folder; a failure of the copy is still one
error (exit 3) naming the files. The charts, which read the aggregates only, are drawn by a
second copy forked there too: the same pages, drawn here if that copy fails.

The thresholds are lowered so that the bundled example (591 generations) is an archive."""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from audit import pipeline
from audit.base.resources import example_dir
from audit.cli import app
from audit.pipeline import AuditRun, Options, run
from audit.report import context, generations, write
from audit.report.write import write_all
from tests.report.conftest import AS_OF
from tests.report.report_support import WEASYPRINT_ICC_LEAK

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

#: The forked copies alive while the rules run: the charts' and the per-generation files'.
COPIES = ["empreinte-charts", "empreinte-generations"]
SAME = (
    "generations.csv",
    "generations.parquet",
    "audit.json",
    "findings.csv",
    "report.xlsx",
    "report.html",
    "inputs.csv",
)


@pytest.fixture
def small_archive(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Archive thresholds lowered; yields, for each call of the rights rules, the names of the
    child processes alive then."""
    monkeypatch.setattr(generations, "ARCHIVE_GENERATIONS", 100)
    monkeypatch.setattr(generations, "WORKBOOK_ROWS", 50)
    monkeypatch.setattr(generations, "CHUNK_ROWS", 200)
    alive: list[list[str]] = []
    real = pipeline.run_rights

    def watched(*args: Any, **kwargs: Any) -> Any:
        alive.append(sorted(child.name for child in multiprocessing.active_children()))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run_rights", watched)
    yield alive
    assert multiprocessing.active_children() == []  # no copy left running


def _report(folder: Path, out: Path) -> Any:
    args = ["report", str(folder), "--lang", "en", "--as-of", AS_OF.isoformat(), "--out", str(out)]
    return CliRunner().invoke(app, args)


def test_the_copy_runs_during_the_rules_and_writes_the_same_files(
    small_archive: list[list[str]], example_run: AuditRun, tmp_path: Path
) -> None:
    result = _report(example_dir(), tmp_path / "early")
    assert result.exit_code == 0, result.output
    assert small_archive == [COPIES]
    write_all(example_run, tmp_path / "after", ["en"], False)  # forked after the pipeline
    for name in SAME:
        early, after = tmp_path / "early" / name, tmp_path / "after" / name
        assert early.read_bytes() == after.read_bytes(), name


def test_a_refusal_after_the_fork_stops_the_copy_and_writes_nothing(
    small_archive: list[list[str]], tmp_path: Path
) -> None:
    """rights/ holds a data file that is no ledger: strict mode refuses it once the rules have
    run (the inventory of rights/), after the copy was forked."""
    folder = tmp_path / "film"
    shutil.copytree(example_dir(), folder)
    (folder / "rights" / "licences.csv").write_text("asset,licence\nx,CC-BY\n", encoding="utf-8")
    result = _report(folder, tmp_path / "out")
    assert result.exit_code == 2
    assert "rights/licences.csv" in result.output
    assert "not a ledger" in result.output
    assert small_archive == [COPIES]  # the copy had started
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.glob(".out.staging-*")) == []


def _fails(*_args: object, **_kwargs: object) -> None:
    raise OSError("disk full")


def test_a_failure_of_the_early_copy_is_one_error(
    small_archive: list[list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(generations, "write_generations", _fails)
    result = _report(example_dir(), tmp_path / "out")
    assert result.exit_code == 3
    assert "generations.csv and generations.parquet" in result.output
    assert not (tmp_path / "out").exists()


def test_the_hook_gets_the_run_before_the_rules() -> None:
    """The pipeline calls ``estimated`` once, with the link and the footprint of the final run
    and no finding yet."""
    seen: list[AuditRun] = []
    final = run(example_dir(), Options(as_of=AS_OF), estimated=seen.append)
    assert len(seen) == 1
    assert seen[0].link is final.link
    assert seen[0].footprint is final.footprint
    assert seen[0].ledgers is final.ledgers
    assert seen[0].findings == []
    assert final.findings


def test_the_charts_are_drawn_by_a_copy_the_same(
    small_archive: list[list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """At archive scale the charts are drawn in a forked copy (this process draws none); when
    that copy fails they are drawn here: the same pages either way."""
    drawn_here: list[str] = []
    real = context._charts

    def counted(run: AuditRun, fmt: Any) -> Any:
        drawn_here.append(fmt.lang)  # in the copy, this list is the copy's own
        return real(run, fmt)

    monkeypatch.setattr(context, "_charts", counted)
    assert _report(example_dir(), tmp_path / "copy").exit_code == 0
    assert drawn_here == []
    monkeypatch.setattr(write, "_draw", _fails)
    assert _report(example_dir(), tmp_path / "here").exit_code == 0
    assert drawn_here == ["en"]
    for name in ("report.html", "report.pdf"):
        assert (tmp_path / "copy" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()

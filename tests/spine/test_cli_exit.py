"""How ``empreinte report`` ends. From the console (``audit.cli.main``) it holds its finished run
and ends the process without freeing it object by object (at a million records about a second
of the command, docs/performance.md): the exit handlers still run, every line is printed, the
exit code is the command's. Called in-process (tests, other callers) nothing is held and the
collector is left as it was."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.base.resources import example_dir
from audit.cli import app, common
from tests.compare.cli_support import empreinte

pytestmark = pytest.mark.slow

AS_OF = "2026-11-20"


def test_from_the_console_every_line_and_the_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["report", example_dir(), "--lang", "en", "--as-of", AS_OF, "--out", out]
    done = empreinte(*args, "--fail-on", "warning")
    assert done.returncode == 1  # the example has warnings: the command's own code
    written = sorted(p for p in out.iterdir() if p.is_file())
    assert done.stdout.splitlines() == [str(p) for p in written]
    assert [p.name for p in written] == [
        "audit.json", "credits.txt", "findings.csv", "generations.csv", "inputs.csv",
        "report.html", "report.pdf", "report.xlsx",
    ]  # fmt: skip
    again = empreinte(*args)
    assert again.returncode == 0
    assert again.stdout == done.stdout


def test_in_process_nothing_is_held(tmp_path: Path) -> None:
    args = ["report", str(example_dir()), "--lang", "en", "--as-of", AS_OF]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert common._HOLDERS == []
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_hold_keeps_the_value_out_of_the_collector() -> None:
    kept: list[object] = []
    value = {"run": [1, 2, 3]}
    try:
        with common.holding(kept):
            common.hold(value)
            assert gc.get_freeze_count() > 0
        assert kept == [value]
        common.hold(object())  # outside: nothing kept
        assert kept == [value]
    finally:
        gc.unfreeze()


def test_no_quick_end_while_a_thread_of_ours_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not common.may_end_now(0)
    finally:
        stop.set()
        worker.join()
    alone = [threading.main_thread()]  # other tests may leave threads of their own running
    monkeypatch.setattr(threading, "enumerate", lambda: alone)
    assert common.may_end_now(0)
    assert common.may_end_now(None)
    assert not common.may_end_now("a message")


def test_lenient_report_says_every_reject_on_stderr(tmp_path: Path) -> None:
    """``report --lenient`` goes on past a bad record and says so on the terminal, as
    ``estimate`` does (the reject with its file, line, field and value, then the counts that add
    up), on stderr: stdout stays the list of the files written."""
    import shutil

    folder = tmp_path / "film"
    shutil.copytree(example_dir(), folder)
    (folder / "logs" / "extra.csv").write_text(
        "id,platform,modality,created_at,prompt,status\n"
        "kling:x1,kling,vidoe,2026-01-05T09:00:00Z,a lighthouse at dusk,succeeded\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["report", folder, "--lang", "en", "--as-of", AS_OF, "--out", out, "--lenient"]
    done = empreinte(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(p) for p in sorted(out.iterdir()) if p.is_file()]
    lines = done.stderr.splitlines()
    assert any(
        line.startswith("rejected: logs/extra.csv:2: modality:") and "(got 'vidoe')" in line
        for line in lines
    ), done.stderr
    assert any(line.startswith("records: ") and line.endswith(" 1 rejected") for line in lines)

"""Writes outside the folder (issue 18): links planted in ``out/`` are replaced, never written
through; an ``--out`` leading out of the folder or into its inputs is refused; a second run into
the same ``--out`` is refused while one holds the lock; an interrupted run leaves the previous
output set whole; outputs of an earlier set not written again are removed (no mixed set)."""

from __future__ import annotations

import fcntl
import os
import signal
from pathlib import Path

import pytest

from audit.base.outputs import STAGING_SUFFIX, OutputSet, _signals_held, lock_path
from tests.report.report_support import WEASYPRINT_ICC_LEAK
from tests.security.hostile import invoke, one_line_error, report, small_film

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

BASHRC = b"# the user's own shell start-up file\n"


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return small_film(tmp_path / "film", title="Phare\necho pwned >> ~/.ssh/authorized_keys")


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder outside the production holding files a stranger would like to overwrite."""
    where = tmp_path / "home"
    where.mkdir()
    (where / ".bashrc").write_bytes(BASHRC)
    (where / "thesis.pdf").write_bytes(b"%PDF-1.7 someone else's work\n")
    return where


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_links_planted_in_out_are_replaced_not_followed(film: Path, elsewhere: Path) -> None:
    out = film / "out"
    out.mkdir()
    (out / "credits.txt").symlink_to(elsewhere / ".bashrc")
    (out / "report.pdf").symlink_to(elsewhere / "thesis.pdf")
    before = _snapshot(elsewhere)
    result = report(film, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert _snapshot(elsewhere) == before
    for name in ("credits.txt", "report.pdf"):
        assert not (out / name).is_symlink()
        assert (out / name).is_file()
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert not [p for p in out.parent.iterdir() if STAGING_SUFFIX in p.name]


def test_out_link_leading_out_of_the_folder_is_refused(film: Path, elsewhere: Path) -> None:
    (film / "out").symlink_to(elsewhere, target_is_directory=True)
    before = sorted(p.name for p in elsewhere.iterdir())
    line = one_line_error(report(film, "--lang", "en"))
    assert "--out" in line
    assert "link" in line
    assert sorted(p.name for p in elsewhere.iterdir()) == before


@pytest.mark.parametrize("inside", ["logs", "timeline", "rights/out", "logs/../logs"])
def test_out_inside_an_input_folder_is_refused(film: Path, inside: str) -> None:
    line = one_line_error(report(film, "--lang", "en", "--out", str(film / inside)))
    assert f"production's {inside.split('/')[0]}/" in line
    assert not (film / "logs" / "audit.json").exists()


def test_second_run_into_a_locked_out_is_refused(film: Path) -> None:
    out = film / "out"
    out.mkdir()
    fd = os.open(lock_path(out), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        line = one_line_error(report(film, "--lang", "en"))
    finally:
        os.close(fd)
    assert "another empreinte run is writing into this folder" in line
    assert list(out.iterdir()) == []


def test_lock_planted_as_a_link_is_refused(film: Path, elsewhere: Path) -> None:
    lock_path(film / "out").symlink_to(elsewhere / ".bashrc")
    line = one_line_error(report(film, "--lang", "en"))
    assert "is a link" in line
    assert (elsewhere / ".bashrc").read_bytes() == BASHRC


def test_interrupted_run_leaves_the_previous_set(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = film / "out"
    assert report(film, "--lang", "fr", "--lang", "en").exit_code == 0
    before = _snapshot(out)
    from audit.report import write

    calls = []

    def interrupted(*args: object, **kwargs: object) -> str:
        calls.append(args)
        if len(calls) == 2:  # the second language: the first one's files are staged already
            raise KeyboardInterrupt
        return "credits"

    monkeypatch.setattr(write, "render_credits", interrupted)
    result = report(film, "--lang", "fr", "--lang", "en", "--redact")
    assert result.exit_code == 130  # click: Ctrl-C is "Aborted!", exit 128 + SIGINT
    assert len(calls) == 2
    assert _snapshot(out) == before
    assert not [p for p in out.parent.iterdir() if STAGING_SUFFIX in p.name]


def test_outputs_of_the_previous_set_not_written_again_are_removed(film: Path) -> None:
    out = film / "out"
    assert report(film, "--lang", "fr", "--lang", "en").exit_code == 0
    assert (out / "report.en.pdf").is_file()
    assert report(film, "--lang", "en").exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["audit.json", "credits.txt", "findings.csv", "generations.csv", "inputs.csv",
                     "report.html", "report.pdf", "report.xlsx"]  # fmt: skip


def test_a_folder_where_an_output_goes_is_refused_before_any_move(film: Path) -> None:
    out = film / "out"
    (out / "findings.csv").mkdir(parents=True)
    line = one_line_error(report(film, "--lang", "en"))
    assert "a folder stands where an output goes" in line
    assert [p.name for p in out.iterdir()] == ["findings.csv"]


def test_signals_wait_for_the_moves(tmp_path: Path) -> None:
    """SIGINT arriving while the files are moved into place acts only once they all are."""
    done = []

    def moves() -> None:
        with _signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("moved")

    with pytest.raises(KeyboardInterrupt):
        moves()
    assert done == ["moved"]


def test_uncommitted_set_leaves_nothing(tmp_path: Path) -> None:
    """Not even the output folder it made: a run refused after the writer was forked opens the
    set before the refusal (tests/report/test_report_early_writer.py)."""
    with OutputSet(tmp_path / "out") as outputs:
        outputs.write("a.csv", b"x\n")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if STAGING_SUFFIX in p.name] == []
    (tmp_path / "kept").mkdir()  # a folder that was there stays, as it was
    with OutputSet(tmp_path / "kept") as outputs:
        outputs.write("a.csv", b"x\n")
    assert list((tmp_path / "kept").iterdir()) == []


def _ctrl_c_once_staged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C the moment the staging folder exists: the window in which
    ``test_real_sigint_leaves_a_whole_set`` once left a staging folder on a loaded machine."""
    import tempfile

    made = tempfile.mkdtemp

    def mkdtemp(**kwargs: str) -> str:
        path = made(**kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # Python raises it at its next instruction
        return path

    monkeypatch.setattr("audit.base.outputs.tempfile.mkdtemp", mkdtemp)


def test_ctrl_c_as_the_staging_folder_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The interrupt waits until the folder is known, then undoes it: no staging folder, no
    output folder made, the lock released (another set opens at once)."""
    _ctrl_c_once_staged(monkeypatch)
    with pytest.raises(KeyboardInterrupt), OutputSet(tmp_path / "out"):
        pytest.fail("the block must not run")
    assert sorted(p.name for p in tmp_path.iterdir()) == [lock_path(tmp_path / "out").name]
    monkeypatch.undo()
    with OutputSet(tmp_path / "out") as outputs:
        outputs.write("a.csv", b"x\n")
        assert outputs.commit() == [tmp_path / "out" / "a.csv"]


def test_report_writer_ctrl_c_as_it_opens_its_set_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's writer registers the set's exit before the set makes anything."""
    from types import SimpleNamespace

    from audit.report.write import ReportWriter

    _ctrl_c_once_staged(monkeypatch)
    with pytest.raises(KeyboardInterrupt), ReportWriter(tmp_path / "out", ["en"], False) as writer:
        writer._open(SimpleNamespace(root=tmp_path))  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == [lock_path(tmp_path / "out").name]


def test_exit_of_a_set_never_opened_removes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its exit before its entry (the report's writer registers it first) touches no folder."""
    here = tmp_path / "here"
    here.mkdir()
    (here / "keep.txt").write_bytes(b"mine\n")
    monkeypatch.chdir(here)  # where a staging folder of Path() would point
    OutputSet(here / "out").__exit__(None, None, None)
    OutputSet(here / "out").__exit__(None, None, None)
    assert _snapshot(here) == {"keep.txt": b"mine\n"}


def test_export_out_link_is_replaced_not_followed(film: Path, elsewhere: Path) -> None:
    target = film / "ai-line.csv"
    target.symlink_to(elsewhere / ".bashrc")
    result = invoke("export", str(film), "--out", str(target), "--as-of", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert (elsewhere / ".bashrc").read_bytes() == BASHRC
    assert not target.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("quantity")


def test_export_into_logs_is_refused(film: Path) -> None:
    line = one_line_error(invoke("export", str(film), "--out", str(film / "logs" / "x.csv")))
    assert "logs/" in line
    assert not (film / "logs" / "x.csv").exists()


def test_real_sigint_leaves_a_whole_set(film: Path) -> None:
    """Ctrl-C sent to a real ``empreinte report`` while it renders: ``out`` holds the previous
    set, byte for byte, or the new one whole; never a mix, never a staging folder left."""
    import subprocess
    import sys
    import time

    out = film / "out"
    assert report(film, "--lang", "en").exit_code == 0
    before = _snapshot(out)
    command = [sys.executable, "-m", "audit", "report", str(film), "--as-of", "2026-11-20",
               "--lang", "fr", "--lang", "en", "--redact"]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        STAGING_SUFFIX in p.name for p in film.iterdir()
    ):  # wait until it writes its staged files
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    child.communicate(timeout=120)
    after = _snapshot(out)
    added = set(after) - set(before)  # the new set whole: the English files join the French
    assert after == before or (set(before) <= set(after) and added
                               and all(".en." in name for name in added))  # fmt: skip
    assert not [p for p in film.iterdir() if STAGING_SUFFIX in p.name]

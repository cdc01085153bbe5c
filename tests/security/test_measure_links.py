"""``empreinte measure`` appends only to a plain ``logs/measured.csv`` of the production: a
``measured.csv`` link, or a ``logs/`` link leading out of the folder, is refused before the run
starts and before any byte is read or appended (the red team's link echoed a file's first line)."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.base.errors import ConfigError
from audit.estimate.measure import RunInfo, append_record, prepare, record_fields
from audit.forecast.skeleton import write_skeleton
from tests.measure.measure_support import MODELLED

SECRET = "root:x:0:0:secret first line\n"
STARTED = datetime(2026, 9, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def film(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_skeleton(tmp_path / "film")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return tmp_path / "film"


def _fields() -> dict[str, object]:
    return record_fields(RunInfo("SH010"), MODELLED, STARTED, 0, "FRA")


def test_measured_csv_link_is_refused(film: Path) -> None:
    link = film / "logs" / "measured.csv"
    link.symlink_to(film.parent / "secret.txt")
    with pytest.raises(ConfigError) as caught:
        prepare(film, RunInfo("SH010"))
    assert "is a link" in str(caught.value)
    assert "secret first line" not in str(caught.value)
    with pytest.raises(ConfigError):
        append_record(link, _fields())
    assert (film.parent / "secret.txt").read_text(encoding="utf-8") == SECRET


def test_logs_link_leaving_the_folder_is_refused(film: Path) -> None:
    shutil.rmtree(film / "logs")
    elsewhere = film.parent / "elsewhere"
    elsewhere.mkdir()
    (film / "logs").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ConfigError) as caught:
        prepare(film, RunInfo("SH010"))
    assert "logs/ is a link leading out of the production folder" in str(caught.value)
    with pytest.raises(ConfigError):
        append_record(film / "logs" / "measured.csv", _fields())
    assert list(elsewhere.iterdir()) == []


def test_measured_csv_that_is_a_fifo_is_refused(film: Path) -> None:
    os.mkfifo(film / "logs" / "measured.csv")
    with pytest.raises(ConfigError) as caught:
        prepare(film, RunInfo("SH010"))
    assert "is not a regular file" in str(caught.value)


def test_two_appends_follow_each_other(film: Path) -> None:
    path = film / "logs" / "measured.csv"
    assert [append_record(path, _fields()) for _ in range(3)] == [2, 3, 4]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 4

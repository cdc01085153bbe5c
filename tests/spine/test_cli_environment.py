"""A stale environment (a dependency added since the venv was made) is one line and exit 2, not
"internal error (a bug)": seen at the end of session 3, when a venv made before openpyxl joined the
dependencies gave exit 3 and a traceback ending in ``ModuleNotFoundError: No module named
'openpyxl'``. A module of the project's own missing is still a bug (exit 3)."""

from __future__ import annotations

import pytest

import audit.cli as cli


def _raising(exc: BaseException) -> object:
    def app() -> None:
        raise exc

    return app


def test_missing_third_party_module_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "app", _raising(ModuleNotFoundError("No module", name="openpyxl")))
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "'openpyxl' is not installed" in err
    assert "make setup" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", ["audit.report.gone", "estimators.gone", None])
def test_missing_own_module_is_a_bug_exit_3(
    name: str | None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "app", _raising(ModuleNotFoundError("No module", name=name)))
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 3
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "internal error (a bug)" in err

"""Shared fixtures: the repository root, ../shared/fixtures (skipped with a reason when absent,
never when CI=true), and isolation of HOME and codecarbon's configuration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files under tests/golden/ from the current output",
    )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    if not SHARED_FIXTURES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"CI=true but {SHARED_FIXTURES} is missing: shared fixtures must be present"
            )
        pytest.skip(f"{SHARED_FIXTURES} is absent (a plain clone has no ../shared)")
    return SHARED_FIXTURES


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for key in list(os.environ):
        if key.startswith("CODECARBON_"):
            monkeypatch.delenv(key)
    # The CLI's messages follow EMPREINTE_LANG and the locale: the tests pin the English ones.
    for key in ("EMPREINTE_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")

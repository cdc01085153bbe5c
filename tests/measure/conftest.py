"""A production folder to measure into, run from a temporary working directory.

The root conftest already points HOME to a temporary folder and removes every CODECARBON_*
variable; here the working directory is a temporary one too, so no ``./.codecarbon.config`` and
no stray ``emissions.csv`` can come from (or land in) the checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.forecast.skeleton import write_skeleton


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


@pytest.fixture
def film(tmp_path: Path, workdir: Path) -> Path:
    """`empreinte init` skeleton: territories [FR], compute_regions {} (so the country is FRA)."""
    folder = tmp_path / "film"
    write_skeleton(folder)
    return folder

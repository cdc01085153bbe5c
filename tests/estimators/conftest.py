"""Shared fixtures: the real registry under data/, and helpers to write broken copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from estimators.coefficients import Registry
from estimators.loading import load_registry

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
REGISTRY_FILES = (
    "coefficients.csv", "sources.yaml", "platforms.yaml", "grid.csv", "VERSION", "routes.csv",
    "job_status.csv", "validation.csv",
)  # fmt: skip


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the registry files (to break one at a time)."""
    for name in REGISTRY_FILES:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path

"""Shared helpers for the linking tests: synthetic generations, a production, the fixtures."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from audit.base.models import AssetRef, Generation
from audit.base.production import Production

REPO = Path(__file__).resolve().parents[2]
TIMELINES = REPO.parent / "shared" / "fixtures" / "timelines"

MakeGen = Callable[..., Generation]


@pytest.fixture
def timelines_dir() -> Path:
    """The shared timeline fixtures; skipped when absent, unless CI=true."""
    if not TIMELINES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{TIMELINES} is missing and CI=true")
        pytest.skip(f"shared fixtures not found at {TIMELINES} (they live beside the repo)")
    return TIMELINES


@pytest.fixture
def production() -> Production:
    return Production(
        title="Le Dernier Phare",
        directors=["Inès Morvan"],
        company="Collectif Marée Basse",
        year=2026,
        runtime_s=90,
        release_date=date(2027, 3, 15),
        distribution=["festival"],
        territories=["FR"],
        languages=["fr"],
        frame_rate=25,
    )


def _gen(
    gid: str,
    *,
    modality: str = "image",
    outputs: list[str] | None = None,
    inputs: list[tuple[str, str]] | None = None,
    parents: list[str] | None = None,
    **fields: Any,
) -> Generation:
    return Generation(
        id=gid,
        platform=gid.split(":", 1)[0],
        modality=modality,
        created_at=datetime(2026, 9, 14, 10, 0, tzinfo=UTC),
        outputs=outputs or [],
        inputs=[AssetRef(uri=uri, role=role) for uri, role in (inputs or [])],
        parent_ids=parents or [],
        source_file="logs/test.json",
        source_locator="/0",
        adapter="test",
        **fields,
    )


@pytest.fixture
def make_gen() -> MakeGen:
    """``make_gen("kling:ID", outputs=[...], inputs=[(uri, role)], parents=[...], **fields)``."""
    return _gen

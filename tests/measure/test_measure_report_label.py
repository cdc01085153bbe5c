"""A codecarbon reading that was modelled (no RAPL/NVML) is labelled as such in the report."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pandas as pd
import pytest

from audit.base.gentable import from_generations
from audit.base.models import Generation
from audit.report.context import _codecarbon_modelled_wh


def _gen(gen_id: str, source: str | None) -> Generation:
    attrs = {"energy_source": source} if source else {}
    return Generation(
        id=gen_id, platform="comfyui", modality="image", created_at=datetime(2026, 9, 1, tzinfo=UTC),
        measured_energy_wh=1.0, attributes=attrs, source_file="logs/measured.csv",
        source_locator="2", adapter="canonical",
    )  # fmt: skip


def test_only_modelled_measured_runs_are_summed() -> None:
    gens = [_gen("comfyui:a", "modelled"), _gen("comfyui:b", "metered"), _gen("comfyui:c", None)]
    table = pd.DataFrame(
        {"id": ["comfyui:a", "comfyui:b", "comfyui:c"], "estimate_status": ["measured"] * 3,
         "energy_wh_central": [0.25, 4.0, 8.0]}
    )  # fmt: skip
    run = SimpleNamespace(link=SimpleNamespace(table=from_generations(gens)),
                          footprint=SimpleNamespace(table=table))  # fmt: skip
    assert _codecarbon_modelled_wh(run) == pytest.approx(0.25)  # type: ignore[arg-type]

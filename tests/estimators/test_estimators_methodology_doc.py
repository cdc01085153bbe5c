"""docs/methodology.md's worked examples quote what the estimators compute."""

from __future__ import annotations

from pathlib import Path

import pytest

from estimators.coefficients import Registry
from estimators.impacts import estimate
from estimators.signature import Signature

DOC = (Path(__file__).resolve().parents[2] / "docs" / "methodology.md").read_text(encoding="utf-8")


def _quoted(values: tuple[float, ...], digits: int) -> str:
    return " / ".join(f"{v:,.{digits}f}" for v in values)


def test_kling_v21_band_example(registry: Registry) -> None:
    imp = estimate(Signature("kling", "video", model="kling-v2-1-master", width=1920, height=1080,
                             duration_s=5), registry)  # fmt: skip
    energy = (imp.energy_wh.low, imp.energy_wh.central, imp.energy_wh.high)
    assert f"**{energy[0]:.2f} / {energy[1]:,.1f} / {energy[2]:,.1f} Wh**" in DOC
    assert f"**{imp.water_l.high:.2f} L**" in DOC
    assert f"**{imp.water_l.central:.2f} L**" in DOC


@pytest.mark.parametrize(("with_audio", "digits"), [(False, 1), (None, 1)])
def test_kling_v26_ecologits_example(registry: Registry, with_audio: bool | None,
                                     digits: int) -> None:  # fmt: skip
    """The no-audio figures are quoted as such; a record without the flag gets the audio ones."""
    imp = estimate(Signature("kling", "video", model="kling-v2-6", width=1920, height=1080,
                             duration_s=5, with_audio=with_audio), registry)  # fmt: skip
    quoted = _quoted((imp.energy_wh.low, imp.energy_wh.central, imp.energy_wh.high), digits)
    assert f"**{quoted} Wh**" in DOC

"""Offline calls to EcoLogits 0.11.3 (``video_impacts``, ``llm_impacts``), cached.

EcoLogits returns min/max ranges in kWh and kg; we keep min and max as low and high and take
the **arithmetic mean** of the two as central (its ranges come from the 2.5th/97.5th
percentiles of server power, roughly symmetric around the mean power). Its energy already
includes the PUE we pass, so it is a FACILITY figure; its embodied GWP and ADPe are kept as is.
A call that reports ``errors`` (unknown model or zone) returns None and the caller falls back.

EcoLogits also logs its warnings ("expect lower precision": an unreleased or multimodal model
architecture, a world-default electricity mix) in English on standard error, once per message.
We keep them with the result instead (:attr:`EcologitsResult.warnings`, their EcoLogits codes),
so that they reach the estimate's note beside the figure (:func:`note`), and silence that
logger during our calls only.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from statistics import fmean
from typing import Any

from estimators.ranges import Range
from estimators.units import G_PER_KG, ONE, WH_PER_KWH

PINNED_VERSION = "0.11.3"


@dataclass(frozen=True)
class EcologitsResult:
    """Facility energy (Wh) and embodied GWP (g) and ADPe (kgSbeq) of one job, and the codes of
    the warnings EcoLogits gave with it (``model-arch-not-released``…)."""

    energy_wh: Range
    embodied_g: Range
    embodied_adpe_kgsbeq: Range
    warnings: tuple[str, ...] = ()


def note(result: EcologitsResult) -> str:
    """The estimate's note for EcoLogits' warnings (empty when none): their codes, as EcoLogits
    documents them (https://ecologits.ai/tutorial/warnings_and_errors/)."""
    if not result.warnings:
        return ""
    return f"EcoLogits warns: {', '.join(result.warnings)} (expect lower precision)"


@contextmanager
def _quiet() -> Iterator[None]:
    """EcoLogits' logger off for one call (its warnings are kept with the result instead)."""
    logger = logging.getLogger("ecologits")
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


def _band(value: Any, factor: float) -> Range:
    """An EcoLogits float or RangeValue as a Range (central = mean of min and max)."""
    if hasattr(value, "min") and hasattr(value, "max"):
        low, high = float(value.min) * factor, float(value.max) * factor
        return Range(low, fmean((low, high)), high)
    return Range.point(float(value) * factor)


def _range(low: float, high: float) -> Any:
    from ecologits.utils.range_value import RangeValue

    return low if low == high else RangeValue(min=low, max=high)


def _result(out: Any) -> EcologitsResult | None:
    if out.errors or out.energy is None or out.embodied is None:
        return None
    return EcologitsResult(
        energy_wh=_band(out.energy.value, WH_PER_KWH),
        embodied_g=_band(out.embodied.gwp.value, G_PER_KG),
        embodied_adpe_kgsbeq=_band(out.embodied.adpe.value, ONE),
        warnings=tuple(dict.fromkeys(str(w.code) for w in out.warnings or ())),
    )


@cache
def video(
    model_name: str,
    width_px: int,
    height_px: int,
    duration_s: float,
    with_audio: bool,
    region: str,
    pue: tuple[float, float],
    wue_l_per_kwh: tuple[float, float],
) -> EcologitsResult | None:
    """EcoLogits ``video_impacts`` for one clip, at our region, PUE (low, high) and WUE range."""
    from ecologits.estimations import video_impacts

    with _quiet():
        out = video_impacts(
            model_name,
            f"{width_px}x{height_px}",
            duration_s,
            with_audio=with_audio,
            datacenter_location=region,
            datacenter_pue=_range(*pue),
            datacenter_wue=_range(*wue_l_per_kwh),
        )
    return _result(out)


@cache
def llm(provider: str, model_name: str, tokens_out: int, region: str) -> EcologitsResult | None:
    """EcoLogits ``llm_impacts`` for one response (latency unknown: EcoLogits' own estimate)."""
    from ecologits.model_repository import models
    from ecologits.tracers.utils import llm_impacts

    if models.find_model(provider=provider, model_name=model_name) is None:
        return None
    with _quiet():
        out = llm_impacts(provider, model_name, tokens_out, math.inf, region)
    return _result(out)


def known_video_models() -> frozenset[str]:
    """Names in EcoLogits' video_models.json (to check platforms.yaml against)."""
    from ecologits.estimations import video as video_module

    return frozenset(video_module._MODELS_INFO)

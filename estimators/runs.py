"""How a job ran: its hardware, its extra passes, and how it ended (data/job_status.csv).

split over n GPUs   E × doubling^log2(n)              parallel.gpu_doubling
extra passes        E × (1 + passes × share)          pipeline.pass_share
same model, other stack or hardware  E × spread       model.stack_spread
failed / cancelled  elapsed_s × P_gpu × n (GPU)       gpu.power[.<type>]
                    else E_full × share               job.unfinished_share
pending / filtered  E_full, flagged
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from estimators.aggregate import weakest
from estimators.basis import Basis
from estimators.coefficients import Registry
from estimators.errors import SignatureError
from estimators.jobs import JobRule
from estimators.quantity import Status
from estimators.ranges import Range
from estimators.routing import compact, names_model
from estimators.signature import Signature
from estimators.units import ONE, S_PER_H, W_PER_KW

DEFAULT_GPU_POWER = "gpu.power"
_COUNT = re.compile(r"^\s*(?P<count>\d+)\s*[x×*]|\s[x×*]\s*(?P<tail>\d+)\s*$", re.IGNORECASE)


def gpu_count(sig: Signature) -> int:
    """GPUs the job ran on: logged, else a ``2x`` prefix or ``x 2`` suffix of the hardware
    (``2x H100``, ``H100 x 8``), else one."""
    if sig.gpu_count:
        return sig.gpu_count
    found = _COUNT.search(sig.gpu or "")
    if found is None:
        return ONE
    return max(int(found["count"] or found["tail"]), ONE)


def gpu_power_id(sig: Signature, registry: Registry) -> str:
    """The power coefficient of the logged GPU type (``gpu.power.<type>``), else the H100's."""
    if sig.gpu:
        for cid, coef in sorted(registry.coefficients.items()):
            if (
                cid.startswith(DEFAULT_GPU_POWER)
                and coef.model_family
                and any(
                    names_model(sig.gpu, compact(name)) for name in coef.model_family.split("|")
                )
            ):
                return cid
    return DEFAULT_GPU_POWER


def split_factor(gpus: int, registry: Registry) -> Range:
    """Energy factor of one generation split over ``gpus`` GPUs: doubling^log2(gpus)."""
    doubling = registry.band("parallel.gpu_doubling")
    exponent = math.log2(gpus)
    return Range(doubling.low**exponent, doubling.central**exponent, doubling.high**exponent)


def passes_factor(passes: int, registry: Registry) -> Range:
    """1 + passes × the share of a main pass one refinement pass costs."""
    share = registry.band("pipeline.pass_share")
    return Range(ONE + passes * share.low, ONE + passes * share.central, ONE + passes * share.high)


def run_factors(sig: Signature, registry: Registry) -> tuple[Range, tuple[str, ...]]:
    """GPU split and extra passes of this job (1 and no coefficient when neither is logged)."""
    factor, ids = Range.point(ONE), tuple[str, ...]()
    gpus = gpu_count(sig)
    if gpus > ONE:
        factor, ids = factor.times(split_factor(gpus, registry)), ("parallel.gpu_doubling",)
    if sig.extra_passes:
        factor = factor.times(passes_factor(sig.extra_passes, registry))
        ids = (*ids, "pipeline.pass_share")
    return factor, ids


def elapsed_energy_wh(elapsed_s: float, power_kw: Range, gpus: int) -> Range:
    """GPU energy of a job that ran ``elapsed_s`` seconds on ``gpus`` GPUs at ``power_kw``."""
    return power_kw.scale(elapsed_s / S_PER_H * W_PER_KW * gpus)


def job_rule(sig: Signature, registry: Registry) -> JobRule:
    """The rule of the job's status (SignatureError naming the known ones otherwise)."""
    try:
        return registry.job_rules[sig.job_status]
    except KeyError:
        known = ", ".join(sorted(registry.job_rules))
        raise SignatureError(f"job_status: {sig.job_status!r} unknown; allowed: {known}") from None


def ended_basis(full: Basis, sig: Signature, registry: Registry) -> Basis:
    """The energy of the job as it ended: a full run (flagged when pending or filtered), or for
    a failed or cancelled job its elapsed time at its GPU's power, else a share of a full run."""
    rule = job_rule(sig, registry)
    if rule.rule == "full_run":
        return replace(full, run=rule.flag or full.run)
    if sig.elapsed_s is not None:
        power_id = gpu_power_id(sig, registry)
        energy = elapsed_energy_wh(sig.elapsed_s, registry.band(power_id), gpu_count(sig))
        status = weakest([full.status, Status.proxy])  # a GPU's power assumed, not the model's
        return Basis(
            energy,
            "GPU",
            full.method,
            status,
            (power_id,),
            runs_on=full.runs_on,
            run=f"{rule.flag}.elapsed",
            reason=full.reason,
        )
    share = registry.band("job.unfinished_share")
    return replace(
        full,
        energy_wh=full.energy_wh.times(share),
        run=f"{rule.flag}.share",
        coefficient_ids=tuple(sorted({*full.coefficient_ids, "job.unfinished_share"})),
        embodied_g=_times(full.embodied_g, share),
        embodied_adpe_kgsbeq=_times(full.embodied_adpe_kgsbeq, share),
    )


def _times(band: Range | None, factor: Range) -> Range | None:
    return None if band is None else band.times(factor)

"""How a job ended (data/job_status.csv), its GPUs and passes, the validation set, parity."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from ecologits.estimations import video_impacts
from ecologits.utils.range_value import RangeValue

from estimators.coefficients import Registry
from estimators.errors import CoefficientError, SignatureError
from estimators.impacts import energy_basis, estimate
from estimators.loading import load_registry
from estimators.runs import gpu_count
from estimators.signature import Signature
from estimators.validation import held, validate

# A failed Kling task as its API returns it: task_status "failed", created_at/updated_at in ms,
# no video (shape of Kling's GET /v1/videos/text2video/{id} response, as in the demo's tasks/).
KLING_FAILED = Signature("kling", "video", model="kling-v2-1-master", width=1920, height=1080,
                         duration_s=5, outputs_count=0, job_status="failed", elapsed_s=60.0)  # fmt: skip


def test_failed_job_costs_its_elapsed_time(registry: Registry) -> None:
    """60 s at the H100's 0.62 / 0.65 / 0.69 kW = 10.3 / 10.8 / 11.5 Wh GPU, x M."""
    basis = energy_basis(KLING_FAILED, registry, registry.platform("kling"))
    assert (basis.run, basis.boundary) == ("failed.elapsed", "GPU")
    assert basis.energy_wh.corners == pytest.approx((620 / 60, 650 / 60, 690 / 60))
    imp = estimate(KLING_FAILED, registry)
    assert imp.energy_wh.central == pytest.approx(650 / 60 * 2.0)
    assert "gpu.power" in imp.coefficient_ids


def test_failed_job_without_time_costs_a_share_of_a_run(registry: Registry) -> None:
    sig = Signature("kling", "video", model="kling-v2-1-master", duration_s=5, outputs_count=0,
                    job_status="cancelled")  # fmt: skip
    full = estimate(Signature("kling", "video", model="kling-v2-1-master", duration_s=5), registry)
    imp = estimate(sig, registry)
    assert imp.run == "cancelled.share"
    assert imp.energy_wh.low == 0
    assert imp.energy_wh.central == pytest.approx(full.energy_wh.central * 0.5)
    assert imp.energy_wh.high == pytest.approx(full.energy_wh.high)
    assert "job.unfinished_share" in imp.coefficient_ids


@pytest.mark.parametrize("status", ["pending", "filtered"])
def test_pending_and_filtered_cost_a_full_run_flagged(registry: Registry, status: str) -> None:
    base = Signature("google", "video", model="veo-3.1-generate-preview", duration_s=8)
    full = estimate(base, registry)
    imp = estimate(Signature(**{**vars(base), "job_status": status, "outputs_count": 0}), registry)
    assert imp.run == status
    assert imp.energy_wh == full.energy_wh


def test_unknown_status_names_the_choices(registry: Registry) -> None:
    with pytest.raises(SignatureError, match="allowed: cancelled, failed, filtered, pending"):
        estimate(Signature("kling", "video", job_status="exploded"), registry)


def test_gpu_type_and_count(registry: Registry) -> None:
    """A B200 draws 0.78-0.92 kW; '2x' runs two of them; a split generation costs more."""
    sig = Signature("local", "video", gpu="2x B200", elapsed_s=3600, job_status="failed")
    basis = energy_basis(sig, registry, registry.platform("local"))
    assert basis.energy_wh.corners == pytest.approx((1560, 1700, 1840))
    one = estimate(Signature("local", "image", model="FLUX.1-dev", steps=50), registry)
    eight = estimate(Signature("local", "image", model="FLUX.1-dev", steps=50, gpu="8x H100"),
                     registry)  # fmt: skip
    assert eight.energy_wh.central == pytest.approx(one.energy_wh.central * 1.2**3)
    assert "parallel.gpu_doubling" in eight.coefficient_ids


@pytest.mark.parametrize(
    ("hardware", "count"),
    [("2x H100", 2), ("H100 x 8", 8), ("8×B200", 8), ("NVIDIA H100 80GB HBM3", 1),
     ("AMD Radeon RX 7900", 1), ("A40", 1)],
)  # fmt: skip
def test_gpu_count_from_hardware(hardware: str, count: int) -> None:
    assert gpu_count(Signature("local", "image", gpu=hardware)) == count


def test_extra_passes(registry: Registry) -> None:
    one = estimate(Signature("local", "image", model="FLUX.1-dev", steps=50), registry)
    two = estimate(Signature("local", "image", model="FLUX.1-dev", steps=50, extra_passes=1),
                   registry)  # fmt: skip
    assert two.energy_wh.central == pytest.approx(one.energy_wh.central * 1.7)


def test_local_has_no_cloud_overhead(registry: Registry) -> None:
    """Local GPU energy x node/GPU (1.17) x PUE 1, never the cloud M (2.0)."""
    sig = Signature("local", "image", model="FLUX.1-dev", width=1024, height=1024, steps=50,
                    region="FRA")  # fmt: skip
    imp = estimate(sig, registry)
    assert imp.energy_wh.central == pytest.approx(2.208 * 1.17)
    assert imp.region == "FRA"
    assert "overhead.gpu_to_facility" not in imp.coefficient_ids


def test_job_rules_loader_is_strict(data_copy: Path) -> None:
    path = data_copy / "job_status.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("failed,elapsed_or_share", "failed,guess", 1), "utf-8")
    with pytest.raises(CoefficientError, match=r"rule: unknown rule .*allowed: elapsed_or_share"):
        load_registry(data_copy)


def test_validation_set_holds(registry: Registry) -> None:
    """At least 90 % of the independent points hold (range contains, central within 2x), and
    points that set a coefficient are not counted."""
    checks = validate(registry)
    ok, total = held(checks)
    assert total >= 30
    assert ok >= math.ceil(0.9 * total)
    assert all(c.holds for c in checks if not c.independent)  # a coefficient holds its own point
    assert len(checks) > total


def test_water_parity_with_ecologits_at_both_corners(registry: Registry) -> None:
    """EcoLogits applies PUE corner by corner: E_server x (WUE + PUE x EWIF) at min and max."""
    sig = Signature("kling", "video", model="kling-v2-6", width=1920, height=1080, duration_s=5,
                    with_audio=False)  # fmt: skip
    ours = estimate(sig, registry)
    ref = video_impacts("klingai/kling-v2.6", "1920x1080", 5.0, with_audio=False,
                        datacenter_location="CHN", datacenter_pue=RangeValue(min=1.20, max=1.56),
                        datacenter_wue=RangeValue(min=0.5, max=1.8))  # fmt: skip
    assert ref.wcf is not None
    water = ref.wcf.value
    assert isinstance(water, RangeValue)
    assert (ours.water_l.low, ours.water_l.high) == pytest.approx(
        (float(water.min), float(water.max)), rel=1e-9
    )

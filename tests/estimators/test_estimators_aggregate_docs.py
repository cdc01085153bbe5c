"""Aggregation, the generated coefficients page, and speed."""

from __future__ import annotations

import pytest

from estimators.aggregate import sum_estimates, weakest
from estimators.coefficients import Registry
from estimators.docs import render_coefficients_md
from estimators.impacts import estimate_many
from estimators.quantity import Estimate, Status
from estimators.ranges import Range
from estimators.signature import Signature


def test_sum_full_correlation() -> None:
    a = Estimate(Range(1.0, 2.0, 4.0), "Wh", Status.measured, ("x",))
    b = Estimate(Range(10.0, 20.0, 50.0), "Wh", Status.proxy, ("y", "x"))
    total = sum_estimates([a, b])
    assert (total.low, total.central, total.high) == (11.0, 22.0, 54.0)
    assert total.status == Status.proxy
    assert total.coefficient_ids == ("x", "y")


def test_sum_edge_cases() -> None:
    empty = sum_estimates([], unit="gCO2e")
    assert (empty.low, empty.central, empty.high, empty.unit) == (0.0, 0.0, 0.0, "gCO2e")
    with pytest.raises(ValueError, match="needs a unit"):
        sum_estimates([])
    with pytest.raises(ValueError, match="different units"):
        sum_estimates(
            [
                Estimate(Range.point(1), "Wh", Status.proxy, ()),
                Estimate(Range.point(1), "L", Status.proxy, ()),
            ]
        )
    assert (
        weakest([Status.ecologits, Status.low_confidence, Status.measured]) == Status.low_confidence
    )


def test_sum_of_a_film(registry: Registry) -> None:
    sigs = [
        Signature("midjourney", "image", outputs_count=4),
        Signature("pika", "video", duration_s=5),
    ]
    impacts = estimate_many(sigs, registry)
    total = sum_estimates([i.energy_wh for i in impacts.values()])
    assert total.central == pytest.approx(4 * 2.2 * 2.0 + 340 * 2.0)
    assert total.low == pytest.approx(4 * 0.35 * 1.3 + 20 * 0.1 * 1.3)


def test_coefficients_page(registry: Registry) -> None:
    page = render_coefficients_md(registry)
    assert page == render_coefficients_md(registry)
    assert page.startswith("# Coefficients\n")
    for cid in registry.coefficients:
        assert f"`{cid}`" in page
    assert "| `video.alpha` | 1.6 (1–2) | exponent | NONE | Video Killed the Energy Budget" in page
    assert page.index("## Energy per output") < page.index("## Grid carbon intensity")
    assert "image\\|image_edit" not in page  # modality column is not rendered
    assert page.count("\n- `") == len(registry.sources)


def test_ten_thousand_signatures_each_estimated(registry: Registry) -> None:
    """Every distinct signature gets its estimate (its speed is benchmark B3, not a unit test:
    a timed assertion fails on a loaded machine)."""
    sigs = [
        Signature(
            "midjourney", "image", width=512 + i % 1000, height=1024, outputs_count=1 + i // 1000
        )
        for i in range(10_000)
    ]
    out = estimate_many(sigs, registry)
    assert len(out) == 10_000
    assert out[sigs[1]].energy_wh.central > out[sigs[0]].energy_wh.central  # wider image

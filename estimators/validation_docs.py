"""Markdown of the validation set for ``docs/validation.md`` (deterministic)."""

from __future__ import annotations

from estimators.coefficients import Registry
from estimators.validation import HOLD_FACTOR_ID, Check, held, validate


def _number(value: float) -> str:
    return f"{value:.4g}"


def _configuration(check: Check) -> str:
    sig = check.point.signature
    parts = []
    if sig.width and sig.height:
        parts.append(f"{sig.width}×{sig.height}")
    if sig.frames:
        parts.append(f"{sig.frames} frames")
    if sig.duration_s:
        parts.append(f"{sig.duration_s:g} s")
    if sig.steps:
        parts.append(f"{sig.steps} steps")
    if sig.gpu:
        parts.append(sig.gpu)
    return ", ".join(parts)


def _row(check: Check) -> str:
    point = check.point
    verdict = "holds" if check.holds else ("range misses" if not check.contains else "central off")
    used = ", ".join(f"`{u}`" for u in point.used_for) or "—"
    cells = (
        f"`{point.id}`",
        point.signature.model or "",
        _configuration(check),
        point.boundary,
        _number(point.measured_wh),
        " / ".join(_number(v) for v in check.energy_wh.corners),
        f"{check.ratio:.2f}",
        f"`{check.method}`",
        verdict,
        used,
        f"`{point.source_id}` — {point.locator}",
    )
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def render_validation_md(registry: Registry) -> str:
    """Every point of data/validation.csv, its estimate and whether it holds; the count of
    independent points that hold first."""
    checks = validate(registry)
    ok, total = held(checks)
    used = [c for c in checks if not c.independent]
    lines = [
        "# Validation against published measurements",
        "",
        f"Generated from `data/validation.csv` (data version {registry.data_version}) by "
        "`make docs`; do not edit by hand.",
        "",
        "Each point is a published per-generation energy measurement, logged as a local run "
        "(`platform: local`) of that model at that configuration (size, frames, duration, steps, "
        "GPU) and estimated like any record. The estimate is compared at the boundary the "
        "measurement was taken at: the wall (node) energy of the local run for a NODE "
        "measurement, its GPU energy for a GPU one. A point **holds** when the range contains "
        f"the measured value and the central value is within "
        f"{registry.value(HOLD_FACTOR_ID):g}× of it (`{HOLD_FACTOR_ID}`).",
        "",
        f"**{ok} of {total} independent points hold.** {len(used)} further points set a "
        "coefficient (column *sets*): they are shown, never counted.",
        "",
        "| point | model | configuration | boundary | measured Wh | estimate Wh (low / central / "
        "high) | central ÷ measured | method | verdict | sets | source — locator |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(c) for c in sorted(checks, key=lambda c: (not c.independent, c.point.id))]
    return "\n".join(lines) + "\n"

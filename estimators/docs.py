"""Markdown listing of the registry for ``docs/coefficients.md`` (deterministic)."""

from __future__ import annotations

from estimators.coefficients import QUANTITIES, Coefficient, Registry

_TITLES = {
    "energy": "Energy per output",
    "reference": "Reference configurations",
    "scaling": "Scaling",
    "overhead": "Overheads (GPU → node → facility)",
    "hardware": "Hardware",
    "embodied": "Embodied hardware impacts",
    "default": "Defaults and assumptions",
    "equivalent": "Everyday equivalents",
    "baseline": "Film and TV baselines",
    "grid_carbon": "Grid carbon intensity",
    "grid_water": "Grid off-site water",
    "grid_adpe": "Grid abiotic resources (ADPe)",
    "pue": "Data-centre PUE by platform",
    "wue": "Data-centre on-site WUE by platform",
}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _number(value: float) -> str:
    return f"{value:.6g}"


def _row(coef: Coefficient, registry: Registry) -> str:
    source = registry.sources[coef.source_id]
    band = (
        _number(coef.value)
        if coef.low == coef.high
        else f"{_number(coef.value)} ({_number(coef.low)}–{_number(coef.high)})"
    )
    cells = (
        f"`{coef.id}`", band, coef.unit, coef.boundary,
        f"{source.title} ({source.year}) — {coef.locator}", coef.notes,
    )  # fmt: skip
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render_coefficients_md(registry: Registry) -> str:
    """Every coefficient grouped by quantity, with its source title and locator, then the sources."""
    lines = [
        "# Coefficients",
        "",
        f"Generated from `data/` (data version {registry.data_version}); do not edit by hand.",
        "Values are central (low–high). Boundaries: GPU, NODE, FACILITY, LCA, NONE.",
    ]
    for quantity in QUANTITIES:
        rows = sorted(
            (c for c in registry.coefficients.values() if c.quantity == quantity),
            key=lambda c: c.id,
        )
        if not rows:
            continue
        lines += ["", f"## {_TITLES[quantity]}", ""]
        lines += ["| id | value | unit | boundary | source — locator | notes |"]
        lines += ["|---|---|---|---|---|---|"]
        lines += [_row(c, registry) for c in rows]
    lines += ["", "## Sources", ""]
    for sid, src in sorted(registry.sources.items()):
        licence = f" Licence: {src.licence}." if src.licence else ""
        lines.append(
            f"- `{sid}`: {src.authors}, *{_cell(src.title)}*, {src.publisher}, {src.year}. "
            f"<{src.link}> (accessed {src.accessed.isoformat()}).{licence}"
        )
    return "\n".join(lines) + "\n"

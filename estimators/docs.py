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
        f"`{coef.id}`",
        band,
        coef.unit,
        coef.boundary,
        f"{source.title} ({source.year}) — {coef.locator}",
        coef.notes,
    )
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
    lines += _routes(registry) + _job_rules(registry)
    lines += ["", "## Sources", ""]
    for sid, src in sorted(registry.sources.items()):
        licence = f" Licence: {src.licence}." if src.licence else ""
        lines.append(
            f"- `{sid}`: {src.authors}, *{_cell(src.title)}*, {src.publisher}, {src.year}. "
            f"<{src.link}> (accessed {src.accessed.isoformat()}).{licence}"
        )
    return "\n".join(lines) + "\n"


def _routes(registry: Registry) -> list[str]:
    """data/routes.csv: which model names go to which measurement (family, version, size)."""
    lines = ["", "## Routes (data/routes.csv)", "",
             "A model name takes a route when one of its names occurs whole and its size agrees "
             "(docs/methodology.md §3.1).", "",
             "| route | modality | target | names | size (B) | without size | why |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in registry.routes:
        size = "" if r.size_b is None else _number(r.size_b)
        cells = (
            f"`{r.id}`",
            ", ".join(r.modalities),
            f"`{r.target}`",
            ", ".join(r.names),
            size,
            "yes" if r.unsized else "no",
            r.reason,
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _job_rules(registry: Registry) -> list[str]:
    """data/job_status.csv: the energy each way a job can end costs."""
    lines = ["", "## Jobs by how they ended (data/job_status.csv)", "",
             "| status | rule | flag | basis |", "|---|---|---|---|"]  # fmt: skip
    for rule in registry.job_rules.values():
        cells = (f"`{rule.status}`", rule.rule, rule.flag or "—", rule.basis)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines

"""Context of the methodology, provenance and appendix sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audit.report.context_util import citation, ref_numbers
from audit.report.i18n import N_, Formatter, gettext
from audit.report.units import quantity

if TYPE_CHECKING:
    from audit.pipeline import AuditRun

STATE_LABELS = {
    "valid_trusted": N_("Valid, trusted signer"),
    "valid_untrusted": N_("Valid, signer not on a trust list"),
    "invalid": N_("Invalid (tampered or broken)"),
    "remote_not_fetched": N_("Remote manifest, not fetched"),
    "absent": N_("No Content Credentials"),
    "unreadable": N_("Unreadable by the C2PA library"),
}
CLASS_LABELS = {
    "fully_ai": N_("Fully AI-generated"),
    "partly_ai": N_("Partly AI-generated"),
    "captured": N_("Captured"),
    "synthetic_non_ai": N_("Synthetic, not generative AI"),
    "unknown": N_("Unknown"),
}


def methodology(run: AuditRun, fmt: Formatter) -> dict[str, Any]:
    from audit.report.context import STATUS_LABELS
    from audit.report.equivalents import cited_ids

    registry = run.footprint.registry
    used = sorted({*run.footprint.coefficient_ids(), *cited_ids()})
    refs = ref_numbers(registry, used)
    status = [
        {
            "label": gettext(
                fmt.lang, STATUS_LABELS.get(r["estimate_status"], r["estimate_status"])
            ),
            "generations": fmt.number(r["generations"], 0),
            "energy": quantity(fmt, "energy_wh", r["energy_wh_central"]),
        }
        for _, r in run.aggregates.by_status.iterrows()
    ]
    regions = (
        run.footprint.table.groupby("platform")["region"]
        .agg(lambda s: ", ".join(sorted(set(s))))
        .reset_index()
    )
    coefficients = []
    for cid in used:
        c = registry.get(cid)
        coefficients.append(
            {
                "id": c.id,
                "low": fmt.compact(c.low),
                "value": fmt.compact(c.value),
                "high": fmt.compact(c.high),
                "unit": c.unit,
                "ref": refs[c.source_id],
                "locator": c.locator,
            }
        )
    bibliography = [
        {"id": s.id, "ref": refs[s.id], "citation": citation(s), "url": s.link}
        for s in registry.cited(used)
    ]
    return {
        "status": status,
        "coefficients": coefficients,
        "regions": regions.to_dict(orient="records"),
        "bibliography": sorted(bibliography, key=lambda b: b["ref"]),
    }


def provenance(run: AuditRun, fmt: Formatter) -> dict[str, Any]:
    rows = []
    for p in run.provenance:
        state, cls = p.state.value, p.classification.value
        detail = ", ".join(x for x in (p.signer, p.claim_generator, *p.reasons) if x)
        rows.append({
            "file": p.path,
            "state": gettext(fmt.lang, STATE_LABELS.get(state, state)),
            "classification": gettext(fmt.lang, CLASS_LABELS.get(cls, cls)),
            "detail": detail,
        })  # fmt: skip
    return {"rows": rows}


def appendix(run: AuditRun, fmt: Formatter) -> dict[str, Any]:
    tl = run.timeline
    timeline = gettext(
        fmt.lang,
        "%(path)s, read as %(adapter)s at %(rate)s fps: %(shots)s shots, "
        "%(duration)s s of picture.",
    ) % {
        "path": tl.path,
        "adapter": tl.adapter,
        "rate": fmt.number(tl.rate, 3).rstrip("0").rstrip(",."),
        "shots": len(tl.shots),
        "duration": fmt.number(tl.duration_s, 2),
    }
    if tl.note:
        timeline += " " + tl.note
    return {
        "files": [vars(f) | {"adapter": f.adapter or "—"} for f in run.ingest.files],
        "totals": run.ingest.totals(),
        "rejects": [r.line() for r in run.ingest.rejects],
        "unclaimed": run.ingest.unclaimed,
        "timeline": timeline,
    }

"""The data-quality box of the summary page: what was read, what was not, and how firm the energy
figure is (the share measured, estimated per model, or from a fallback band)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.base import columns as col
from audit.base.i18n import Formatter
from audit.report.contract import Quality
from audit.report.units import quantity

if TYPE_CHECKING:
    from audit.pipeline import AuditRun

#: Estimate statuses (estimators.quantity.Status) by how firm they are.
FIRMNESS = {
    "measured": "measured",
    "ecologits": "model",
    "modelled": "model",
    "proxy": "band",
    "low_confidence": "band",
}
#: Lines of the appendix list shown in the box at most.
SHOWN = 4


def energy_shares(run: AuditRun) -> dict[str, float]:
    """Share of the central energy per firmness (measured, model, band); zeros when none."""
    shares = dict.fromkeys(("measured", "model", "band"), 0.0)
    frame = run.aggregates.by_status
    energy_central = col.central(col.ENERGY)
    total = float(frame[energy_central].sum()) if len(frame) else 0.0
    if total <= 0:
        return shares
    for status, energy in zip(frame[col.STATUS], frame[energy_central], strict=True):
        key = FIRMNESS.get(str(status), "band")
        shares[key] += float(energy) / total
    return shares


def _pending_energy(run: AuditRun) -> float:
    """Central energy of generations still in progress (estimated as full runs)."""
    gens = run.link.table
    ids = set(gens.column("id")[gens.column("status") == "pending"].tolist())
    if not ids:
        return 0.0
    table = run.footprint.table
    return float(table.loc[table["id"].isin(ids), col.central(col.ENERGY)].sum())


def data_quality(run: AuditRun, fmt: Formatter) -> Quality:
    """Counts and shares for the data-quality box (numbers formatted for ``fmt``)."""
    totals = run.ingest.totals()
    rights = run.rights_files
    unread = run.ingest.unclaimed_lines() + [f.line() for f in rights.unread]
    ledgers = sum(1 for f in rights.files if f.role == "ledger")
    shares = energy_shares(run)
    pending = totals["pending"]
    return Quality(
        files_read=fmt.number(totals["files"] - totals["unclaimed_files"] + ledgers, 0),
        unclaimed=fmt.number(len(unread), 0),
        unread_lines=unread[:SHOWN],
        unread_more=max(len(unread) - SHOWN, 0),
        skipped=fmt.number(totals["skipped_files"] + len(rights.skipped), 0),
        rejected=fmt.number(totals["rejected"], 0),
        pending=fmt.number(pending, 0),
        pending_energy=quantity(fmt, col.ENERGY, _pending_energy(run)) if pending else "",
        filtered=fmt.number(totals["filtered"], 0) if totals["filtered"] else "",
        measured=fmt.percent(shares["measured"], 1),
        model=fmt.percent(shares["model"], 1),
        band=fmt.percent(shares["band"], 1),
        incomplete=bool(unread) or totals["rejected"] > 0,
        no_records=totals["files"] == 0,
    )

"""Context of the methodology, provenance and appendix sections."""

from __future__ import annotations

import weakref
from collections import Counter
from typing import TYPE_CHECKING, Any

from audit.base import columns as col
from audit.base.i18n import N_, Formatter, gettext
from audit.base.labels import STATUS_LABELS
from audit.ingest.registry import platforms
from audit.report.context_util import citation, is_web_link, public_locator, ref_numbers
from audit.report.contract import AdapterRow, Appendix, Provenance, ProvenanceRow
from audit.report.contract_method import (
    BibliographyEntry,
    CoefficientRow,
    Methodology,
    RegionRow,
    StatusRow,
    Validation,
)
from audit.report.equivalents import cited_ids
from audit.report.glossary import glossary
from audit.report.units import quantity, typeset_unit
from estimators.validation import held, validate

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


def methodology(run: AuditRun, fmt: Formatter) -> Methodology:
    """The methodology section: how each figure is estimated, the status labels with their counts,
    and the numbered references used."""
    registry = run.footprint.registry
    used = sorted({*run.footprint.coefficient_ids(), *cited_ids()})
    refs = ref_numbers(registry, used)
    status = [
        StatusRow(
            label=gettext(fmt.lang, STATUS_LABELS.get(r[col.STATUS], r[col.STATUS])),
            generations=fmt.number(r["generations"], 0),
            energy=quantity(fmt, col.ENERGY, r[col.central(col.ENERGY)]),
        )
        for _, r in run.aggregates.by_status.iterrows()
    ]
    regions = region_rows(run, fmt)
    coefficients = []
    for cid in used:
        c = registry.get(cid)
        coefficients.append(
            CoefficientRow(
                id=c.id,
                id_parts=c.id.split("."),
                low=fmt.compact(c.low),
                value=fmt.compact(c.value),
                high=fmt.compact(c.high),
                unit=typeset_unit(c.unit, fmt.lang),
                ref=refs[c.source_id],
                locator=gettext(fmt.lang, public_locator(c.locator)),
            )
        )
    validation_held, validation_total = held(validate(registry))
    bibliography = _bibliography(registry, used, refs, fmt)
    return Methodology(
        status=status,
        region_hints=region_hints(run, fmt),
        validation=Validation(held=validation_held, total=validation_total),
        coefficients=coefficients,
        regions=regions,
        bibliography=bibliography,
        accessed_note=_accessed_note(registry, bibliography, fmt),
        glossary=glossary(fmt.lang),
    )


def _bibliography(
    registry: Any, used: list[str], refs: dict[str, int], fmt: Formatter
) -> list[BibliographyEntry]:
    """One entry per cited source, by reference number: citation, link, date consulted."""
    cited = list(registry.cited(used))
    common = Counter(s.accessed for s in cited).most_common(1)
    usual = common[0][0] if common else None
    entries = []
    for s in cited:
        link = s.link
        entries.append(
            BibliographyEntry(
                id=s.id,
                ref=refs[s.id],
                citation=citation(s, fmt.lang),
                url=link if is_web_link(link) else "",
                # Our own assumptions: stated in the report itself, beside each coefficient.
                document=""
                if is_web_link(link)
                else gettext(
                    fmt.lang,
                    "Each assumption is stated with its coefficient in the table of coefficients",
                ),
                accessed=gettext(fmt.lang, "consulted %(date)s") % {"date": fmt.date(s.accessed)},
                # the usual date is said once, above the entries
                accessed_shown=s.accessed != usual,
            )
        )
    return sorted(entries, key=lambda b: b.ref)


def _accessed_note(registry: Any, entries: list[BibliographyEntry], fmt: Formatter) -> str:
    """ "Sources consulted on 20 November 2026 unless stated otherwise." (the usual date)."""
    dates = [registry.sources[e.id].accessed for e in entries if not e.accessed_shown]
    if not dates:
        return ""
    return gettext(fmt.lang, "Sources consulted on %(date)s unless stated otherwise.") % {
        "date": fmt.date(dates[0])
    }


#: The table :func:`grid_pairs` read last (a weak reference) and its pairs.
_PAIRS: list[Any] = [None, []]


def grid_pairs(run: AuditRun) -> list[tuple[Any, Any]]:
    """Each distinct (platform, region) of the estimates, in the order the table first has it
    (one pass over a million rows, kept for the next call on the same table: the methodology
    and the workbook each ask)."""
    table = run.footprint.table
    if _PAIRS[0] is None or _PAIRS[0]() is not table:
        pairs = table[["platform", "region"]].drop_duplicates()
        _PAIRS[:] = [weakref.ref(table), list(pairs.itertuples(index=False, name=None))]
    return list(_PAIRS[1])


def grids(run: AuditRun) -> dict[Any, list[str]]:
    """Each platform's grid regions, as text, sorted."""
    regions: dict[Any, set[str]] = {}
    for platform, region in grid_pairs(run):
        regions.setdefault(platform, set()).add(str(region))
    return {platform: sorted(codes) for platform, codes in regions.items()}


def region_rows(run: AuditRun, fmt: Formatter) -> list[RegionRow]:
    """Which platforms computed on which grid: the region named in the reader's language with
    its code, the one of the coefficient ids (``Chine (CHN)``), and the platforms' titles."""
    by_region: dict[str, set[str]] = {}
    for platform, region in grid_pairs(run):
        by_region.setdefault(str(region), set()).add(platforms().title(platform, fmt.lang))
    return [
        RegionRow(region=f"{fmt.territory(code)} ({code})", platforms=", ".join(sorted(names)))
        for code, names in sorted(by_region.items(), key=lambda item: fmt.territory(item[0]))
    ]


def provenance(run: AuditRun, fmt: Formatter) -> Provenance:
    """The provenance section: each media file's C2PA state, classification and detail."""
    rows = []
    for p in run.provenance:
        state, cls = p.state.value, p.classification.value
        detail = ", ".join(x for x in (p.signer, p.claim_generator, *p.reasons) if x)
        rows.append(
            ProvenanceRow(
                file=p.path,
                state=gettext(fmt.lang, STATE_LABELS.get(state, state)),
                classification=gettext(fmt.lang, CLASS_LABELS.get(cls, cls)),
                detail=detail,
            )
        )
    return Provenance(rows=rows)


def appendix(run: AuditRun, fmt: Formatter) -> Appendix:
    """The data appendix: the timeline read (format, rate, shots, seconds of picture) and the
    inventory of the inputs read."""
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
    totals = run.ingest.totals()
    inventory = gettext(
        fmt.lang,
        "%(files)s input files read (%(size)s), %(records)s records: %(accepted)s accepted, "
        "%(merged)s merged, %(rejected)s rejected. The file-by-file inventory (name, adapter, "
        "counts, size, SHA-256) is attached as inputs.csv.",
    ) % {
        "files": fmt.number(totals["files"], 0),
        "size": _size(fmt, sum(f.size_bytes for f in run.ingest.files)),
        **{k: fmt.number(totals[k], 0) for k in ("records", "accepted", "merged", "rejected")},
    }
    return Appendix(
        inventory=inventory,
        by_adapter=_by_adapter(run, fmt),
        inputs_sha256=run.inputs_sha256,
        totals=_counts(fmt, "", *(totals[k] for k in _COUNTS)),
        rejects=[r.line() for r in run.ingest.rejects],
        unclaimed=run.ingest.unclaimed_lines() + [f.line() for f in run.rights_files.unread],
        skipped=[s.line() for s in [*run.ingest.skipped, *run.rights_files.skipped]],
        timeline=timeline,
    )


def _size(fmt: Formatter, size: int) -> str:
    """A file size the reader's way: ``1,4 Mo`` in French, ``1.4 MB`` in English."""
    units = ("o", "ko", "Mo", "Go") if fmt.lang == "fr" else ("B", "kB", "MB", "GB")
    value, unit = float(size), units[0]
    for unit in units:
        if value < 1000 or unit == units[-1]:
            break
        value /= 1000
    return f"{fmt.sig(value, 2)}\u00a0{unit}"


def _by_adapter(run: AuditRun, fmt: Formatter) -> list[AdapterRow]:
    """Files and records per adapter: the inventory in a few rows (the file list is attached)."""
    rows: dict[str, list[int]] = {}
    for f in run.ingest.files:
        counts = rows.setdefault(f.adapter or "—", [0, 0, 0, 0])
        for i, n in enumerate((1, f.accepted, f.merged, f.rejected)):
            counts[i] += n
    return [_counts(fmt, name, *counts) for name, counts in sorted(rows.items())]


def _counts(
    fmt: Formatter, adapter: str, files: int, accepted: int, merged: int, rejected: int
) -> AdapterRow:
    """Files and records counted, written the reader's way (the total row has no adapter)."""
    number = fmt.number
    return AdapterRow(
        adapter=adapter,
        files=number(files, 0),
        accepted=number(accepted, 0),
        merged=number(merged, 0),
        rejected=number(rejected, 0),
    )


_COUNTS = ("files", "accepted", "merged", "rejected")


WORLD = "WOR"


def region_hints(run: AuditRun, fmt: Formatter) -> list[str]:
    """One line per local tool (ComfyUI, AUTOMATIC1111) computed on the world grid because no
    country was given: the default changes the result tenfold for a machine in France."""
    registry = run.footprint.registry
    regions = grids(run)
    hints = []
    for platform in sorted(regions):
        profile = registry.platforms.get(platform)
        if profile is None or profile.kind != "local":
            continue
        if WORLD not in regions[platform]:
            continue
        world = registry.get(f"grid.carbon.{WORLD}").value
        hints.append(
            gettext(
                fmt.lang,
                "%(platform)s ran on the production's own machine, but no country was given: "
                "its runs are computed on the world grid average (%(world)s g CO₂e/kWh). "
                "Write the machine's country in production.yaml (compute_regions: "
                "{%(platform)s: FRA} for France, whose grid is about ten times less carbon-"
                "intensive) and run the report again.",
            )
            % {"platform": platform, "world": fmt.number(world, 0)}
        )
    return hints

"""The stages, in the order :func:`run` calls them: ingest → link → estimate (then aggregate) →
rights (the rules; then the plan set against the final) — and the report renders what it returns.

Each stage is a function with typed input and output; stages return data and never print. The CLI
and the report only format what :func:`run` returns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from audit.base.errors import InputError
from audit.base.gc import paused_gc, small_pages
from audit.base.production import Production, load_production
from audit.estimate.aggregate import Aggregates, aggregate
from audit.estimate.footprint import Footprint, estimate_table
from audit.forecast import versus as fc
from audit.forecast.defaults import History, resolve
from audit.forecast.plan import find_plan, read_plan
from audit.ingest.folder import IGNORE_FILE
from audit.ingest.ledgers import Ledgers, load_ledgers
from audit.ingest.provenance import Provenance, scan_provenance
from audit.ingest.rights_files import RightsInventory, inventory
from audit.ingest.walk import IngestResult, ingest_folder, safe_files, sha256
from audit.link.linker import link
from audit.link.result import LinkResult
from audit.link.timeline import Timeline, read_timeline
from audit.rights import AuditContext, Finding, run_rules
from audit.rights.table import RightsTable

INPUT_FOLDERS = ("logs", "timeline", "rights")
TIMELINE_SUFFIXES = (".otio", ".edl", ".xml", ".fcpxml", ".fcpxmld", ".aaf")


@dataclass(frozen=True)
class Options:
    """What the user chose on the command line."""

    as_of: date
    lenient: bool = False
    rate: float | None = None
    redact: bool = False
    #: False for ``estimate``: a production without its cut yet gets totals, nothing linked.
    require_timeline: bool = True
    #: False for ``report`` and ``estimate`` unless ``--allow-empty``: no accepted generation
    #: is bad input (exit 2), never a report of 0 Wh.
    allow_empty: bool = True


@dataclass
class AuditRun:
    """Everything one run found; the report, audit.json and the CLI tables are views of it."""

    root: Path
    options: Options
    production: Production
    inputs_sha256: str
    ingest: IngestResult
    timeline: Timeline
    link: LinkResult
    footprint: Footprint
    aggregates: Aggregates
    ledgers: Ledgers
    provenance: list[Provenance]
    findings: list[Finding]
    #: the production's plan against this final footprint, when it has a plan
    forecast: ForecastRun | None = None
    #: What became of each file of rights/ (ledgers, documents, files nothing reads).
    rights_files: RightsInventory = field(default_factory=RightsInventory)


@dataclass(frozen=True)
class ForecastRun:
    """The plan estimated (published defaults for its empty cells) and its gaps to the final."""

    forecast: fc.Forecast
    gaps: dict[str, list[fc.Gap]]


def inputs_digest(root: Path) -> str:
    """One sha256 over production.yaml, .empreinteignore (when there is one) and every file read
    of logs/, timeline/ and rights/."""
    digest = hashlib.sha256()
    files = [root / "production.yaml"]
    plan = find_plan(root)
    if plan is not None:
        files.append(plan)
    if (root / IGNORE_FILE).is_file():
        files.append(root / IGNORE_FILE)
    for folder in INPUT_FOLDERS:
        if (root / folder).is_dir():
            files += safe_files(root, root / folder)
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(sha256(path).encode())
    return digest.hexdigest()


def shots_frame(result: LinkResult) -> pd.DataFrame:
    """One row per picture shot, then audio cue: ids, kind, duration and what served it."""
    counts = result.unit_counts()
    return pd.DataFrame(
        {
            "shot_id": [unit.shot_id for unit in result.units],
            "sequence": [unit.sequence or "" for unit in result.units],
            "kind": [unit.kind for unit in result.units],
            "duration_s": [unit.duration_s for unit in result.units],
            "kept": counts["kept"].to_numpy(dtype=np.int64),
            "ancestors": counts["ancestors"].to_numpy(dtype=np.int64),
            "attempts": counts["attempts"].to_numpy(dtype=np.int64),
            "platforms": counts["platforms"].to_numpy(dtype=object),
        },
        columns=SHOT_COLUMNS,
    )


SHOT_COLUMNS = ["shot_id", "sequence", "kind", "duration_s", "kept", "ancestors", "attempts",
                "platforms"]  # fmt: skip


def kept_outputs(result: LinkResult) -> int:
    """Outputs that reach the film: each unit's kept generations, summed."""
    return int(result.unit_counts()["kept"].sum())


def run_estimate(production: Production, result: LinkResult) -> Footprint:
    """The estimate stage: every generation's footprint, kept ones marked by the link."""
    return estimate_table(result.table, result.shot_ids, result.kept, production)


def run_aggregate(production: Production, result: LinkResult, footprint: Footprint) -> Aggregates:
    """The footprint rolled up for the report: film totals, the share in the cut, by platform and by
    shot."""
    return aggregate(
        footprint.table,
        result.share_frame(),
        shots_frame(result),
        production.runtime_s,
        kept_outputs(result),
        footprint.groups,
    )


def instance_ids(provenance: list[Provenance]) -> dict[str, str]:
    """Media file name → C2PA instance id, for linking clips to generations."""
    return {Path(p.path).name: p.instance_id for p in provenance if p.instance_id is not None}


def run_rights(
    root: Path,
    production: Production,
    result: LinkResult,
    provenance: list[Provenance],
    options: Options,
    ledgers: Ledgers | None = None,
) -> tuple[Ledgers, list[Finding]]:
    """The rights stage: the ledgers of rights/ read (unless given), then every rule run on the
    linked generations; the ledgers and the findings."""
    ledgers = load_ledgers(root) if ledgers is None else ledgers
    ctx = AuditContext(
        production=production,
        gens=RightsTable(
            result.table, result.kept, result.shot_ids, result.use, result.shot_units()
        ),
        ledgers=ledgers,
        provenance=provenance,
        as_of=options.as_of,
        unexplained_media=sorted({c.media_name or c.name for c in result.unexplained_clips}),
        credits_text=production.ai_disclosure,
        generated_inputs=result.generated_inputs,
    )
    return ledgers, run_rules(ctx, redact=options.redact)


def load_timeline(root: Path, production: Production, options: Options) -> Timeline:
    """The final cut; without one (and when allowed), an empty timeline that links nothing."""
    has_cut = (root / "timeline").is_dir() and any(
        p.suffix.lower() in TIMELINE_SUFFIXES or p.name.lower() == "shots.csv"
        for p in (root / "timeline").iterdir()
    )
    if has_cut or options.require_timeline:
        return read_timeline(root, production, rate=options.rate)
    return Timeline(
        path="timeline/",
        name="",
        rate=production.frame_rate,
        adapter="none",
        duration_s=0.0,
        shots=[],
        audio=[],
        note="No timeline yet: no generation is linked to a shot.",
    )


def shot_durations(timeline: Timeline) -> dict[str, float]:
    """Each shot's screen time in seconds, by shot id."""
    return {shot.shot_id: shot.duration_s for shot in timeline.shots}


def run_forecast(root: Path, options: Options) -> fc.Forecast:
    """The forecast of ``root``'s plan: empty cells from the production's history (its logs, when
    it has some), then published or stated practice; shot lengths from the cut, when it has one."""
    production = load_production(root)
    plan = fc.load_plan(root)
    timeline = load_timeline(root, production, replace(options, require_timeline=False))
    history = History()
    logs = root / "logs"
    if logs.is_dir() and any(p.is_file() for p in logs.rglob("*")):
        linked = link(
            ingest_folder(root, lenient=options.lenient).table, timeline, root, instance_ids={}
        )
        history = fc.history_of(linked.table, linked.shot_ids)
    resolve(plan, history)
    return fc.estimate_plan(
        production, plan, options.as_of, shot_durations(timeline), bool(history.usual)
    )


def forecast_against_final(
    root: Path,
    production: Production,
    options: Options,
    timeline: Timeline,
    linked: LinkResult,
    footprint: Footprint,
) -> ForecastRun | None:
    """The plan set against the final footprint. Its empty cells take published or stated
    practice only: the production's history is the final itself. A plan with no row yet (as
    ``empreinte init`` writes it) is no plan."""
    path = find_plan(root)
    if path is None:
        return None
    plan = read_plan(path, fc.platform_keys())
    if not plan.rows:
        return None
    resolve(plan, History())
    planned = fc.estimate_plan(production, plan, options.as_of, shot_durations(timeline))
    return ForecastRun(planned, fc.compare(planned, footprint.table, linked.shot_ids))


def require_generations(ingested: IngestResult, has_cut: bool) -> None:
    """No accepted generation: one line saying what was read instead of a report of zeros.

    Records given and none accepted is always refused. A folder whose logs/ holds no data file at
    all but which has a cut is reported: the report covers the cut (its linking, rights and
    disclosure), and says in its summary that no footprint was computed (not that it is zero)."""
    if len(ingested.table):
        return
    totals = ingested.totals()
    if has_cut and totals["files"] == 0:
        return
    unread = "; ".join(ingested.unclaimed_lines()[:3])
    detail = f" — {unread}" if unread else ""
    raise InputError(
        f"no generation accepted ({totals['files']} files in logs/, {totals['unclaimed_files']} "
        f"unclaimed, {totals['rejected']} records rejected, {totals['skipped_files']} skipped): "
        f"nothing to report; --allow-empty writes it anyway{detail}",
        file="logs/",
    )


#: Called by :func:`run` with the run so far once the estimate is made (see there).
Estimated = Callable[["AuditRun"], None]


def run(root: Path, options: Options, estimated: Estimated | None = None) -> AuditRun:
    """Every stage on the production folder ``root``.

    ``estimated``, when given, is called once the estimate and its aggregates are made and
    rights/'s ledgers read, before the rights rules: with the run so far, whose findings,
    forecast and rights inventory are not made yet (empty). The report forks the writer of the
    per-generation files there, which needs only the link and the footprint (docs/development.md);
    the stages themselves never import the report."""
    production = load_production(root)
    digest = inputs_digest(root)
    with paused_gc(), small_pages():  # see docs/performance.md
        ingested = ingest_folder(root, lenient=options.lenient)
        if not options.allow_empty:  # records given and none accepted: said before the cut is read
            require_generations(ingested, has_cut=True)
        timeline = load_timeline(root, production, options)
        if not options.allow_empty:
            require_generations(ingested, has_cut=bool(timeline.shots or timeline.audio))
        provenance = scan_provenance(root)
        linked = link(ingested.table, timeline, root, instance_ids=instance_ids(provenance))
        footprint = run_estimate(production, linked)
        aggregates = run_aggregate(production, linked, footprint)
        ledgers = load_ledgers(root)
        so_far = AuditRun(root, options, production, digest, ingested, timeline, linked,
                          footprint, aggregates, ledgers, provenance, findings=[])  # fmt: skip
        if estimated is not None:
            estimated(so_far)
        findings = run_rights(root, production, linked, provenance, options, ledgers)[1]
        planned = forecast_against_final(root, production, options, timeline, linked, footprint)
        rights_files = inventory(root, ledgers, lenient=options.lenient)
    return replace(so_far, findings=findings, forecast=planned, rights_files=rights_files)

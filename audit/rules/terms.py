"""Rules on platform terms and model licences: the plan in force when each generation was made,
the Midjourney revenue rule, the Udio download window, local model licences and training claims."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from audit.ledgers import PlanRow
from audit.models import Generation
from audit.rules.base import AuditContext, Finding, finding, rule
from audit.rules.knowledge import CommercialUse, TierTerms, norm
from audit.rules.scope import by_platform, revenue_verdict
from audit.textio import from_iso


def _names(ctx: AuditContext, key: str) -> set[str]:
    platform = ctx.terms.platforms[key]
    return {key, *platform.aliases}


def _span(gens: list[Generation]) -> str:
    days = sorted(gen.created_at.date().isoformat() for gen in gens)
    return days[0] if days[0] == days[-1] else f"{days[0]}..{days[-1]}"


def _plan_text(plan: PlanRow) -> str:
    start = plan.from_.isoformat() if plan.from_ else "…"
    end = plan.to.isoformat() if plan.to else "…"
    return f"{plan.tier} plan ({plan.where}, {start}..{end})"


def _effective_use(ctx: AuditContext, entry: TierTerms) -> CommercialUse:
    """The tier's commercial use for this production: a revenue condition is resolved with the
    declared revenue (within the limit: yes; above: no; not declared: unknown)."""
    if entry.commercial_use != CommercialUse.conditional or entry.revenue_max_usd is None:
        return entry.commercial_use
    verdict = revenue_verdict(ctx, entry.revenue_max_usd)
    if verdict is None:
        return CommercialUse.yes
    return CommercialUse.no if verdict == "above" else CommercialUse.unknown


def _tier_finding(
    ctx: AuditContext, plan: PlanRow, entry: TierTerms, gens: list[Generation], public: list[str]
) -> Finding | None:
    """The TERMS001 finding for generations made under one plan row, if any."""
    verified = "" if entry.verified else "; secondary sources, not verified"
    head = (
        f"{len(gens)} generation(s) of {gens[0].platform} used in the film were made on the "
        f"{_plan_text(plan)} on {_span(gens)}"
    )
    evidence = [plan.where, *(f"source: {sid}" for sid in entry.sources)]
    use = _effective_use(ctx, entry)
    if use == CommercialUse.no:
        return finding(
            "TERMS001",
            f"{head}; these terms allow no use beyond personal, "
            f"non-commercial use ({entry.ownership}{verified}), while the film's "
            f"distribution is {', '.join(public)}.",
            fix="Regenerate these outputs on a plan whose terms allow commercial use, "
            "or record a licence from the platform in rights/sources.csv. Upgrading "
            "later does not cover earlier generations on most platforms.",
            evidence=evidence,
            generations=gens,
        )
    if use in (CommercialUse.conditional, CommercialUse.unknown):
        what = (
            "allow commercial use only under a condition"
            if use == "conditional"
            else "are not known for commercial use"
        )
        return finding(
            "TERMS001",
            f"{head}; these terms {what} ({entry.notes}{verified}).",
            fix="Check the platform's terms for this plan and date, and keep the "
            "evidence (plan invoice, terms version) with rights/plans.csv.",
            evidence=evidence,
            generations=gens,
            severity="warning",
        )
    return None


def _missing_plan(platform: str, gens: list[Generation], what: str, fix: str) -> Finding:
    return finding(
        "TERMS001",
        f"{what} for {len(gens)} generation(s) of {platform} used in the "
        f"film ({_span(gens)}); the plan in force when they were made decides what the "
        "terms allow.",
        fix=fix,
        generations=gens,
        severity="warning",
    )


def _platform_tiers(
    ctx: AuditContext, key: str, gens: list[Generation], public: list[str]
) -> Iterator[Finding]:
    by_plan: dict[PlanRow, list[Generation]] = defaultdict(list)
    unplanned: list[Generation] = []
    unknown: list[Generation] = []
    entries: dict[PlanRow, TierTerms] = {}
    for gen in gens:
        plan = ctx.ledgers.plan_on(_names(ctx, key), gen.created_at.date(), gen.account)
        entry = ctx.terms.tier_terms(key, plan.tier, gen.created_at.date()) if plan else None
        if plan is None:
            unplanned.append(gen)
        elif entry is None:
            unknown.append(gen)
        else:
            by_plan[plan].append(gen)
            entries[plan] = entry
    if unplanned:
        yield _missing_plan(
            key,
            unplanned,
            "No plan record in rights/plans.csv",
            "Add the plans held on this platform, with dates, to "
            "rights/plans.csv (platform,account,tier,from,to).",
        )
    if unknown:
        yield _missing_plan(
            key,
            unknown,
            "The plan's tier is not in data/platform_terms.yaml",
            "Check the tier's name in rights/plans.csv and the platform's terms "
            "for it; keep the evidence.",
        )
    for plan in sorted(by_plan, key=lambda row: row.line):
        found = _tier_finding(ctx, plan, entries[plan], by_plan[plan], public)
        if found:
            yield found


@rule(
    code="TERMS001",
    name="terms.tier.distribution",
    severity="blocker",
    basis=[
        "suno-terms",
        "elevenlabs-terms",
        "hailuo-terms",
        "midjourney-terms",
        "kling-terms",
        "freepik-terms",
        "luma-terms",
        "pika-terms",
    ],
)
def tier_permits_distribution(ctx: AuditContext) -> Iterable[Finding]:
    """The plan (tier) in force when each generation was made allows the film's distribution.

    Why: on Suno, ElevenLabs, Hailuo and others the rights in an output depend on the plan held
    at generation time, and upgrading later does not cover earlier output. A festival screening or
    an online release is a public showing, beyond the personal, non-commercial use free tiers allow
    (see the distribution table of data/platform_terms.yaml).
    Fails when: a generation used in the film was made on a plan whose terms say commercial_use
    "no" (blocker); the plan's terms are conditional or unknown, or no row of rights/plans.csv
    covers its platform and date (warning).
    How to fix: regenerate the output on a plan that allows commercial use, or record the licence
    you hold; complete rights/plans.csv with every plan and its dates.
    """
    public = ctx.terms.public_distribution([d.value for d in ctx.production.distribution])
    if not public:
        return
    for key, gens in by_platform(ctx).items():
        platform = ctx.terms.platforms.get(key)
        if platform is None:
            yield finding(
                "TERMS001",
                f"No terms recorded for platform {key!r} in "
                f"data/platform_terms.yaml; {len(gens)} generation(s) used in the film "
                "cannot be checked against its terms.",
                fix="Check the platform's terms yourself and keep the evidence; ask for "
                "the platform to be added to data/platform_terms.yaml.",
                generations=gens,
                severity="warning",
            )
        elif not platform.local:
            yield from _platform_tiers(ctx, key, gens, public)


@rule(
    code="TERMS002",
    name="terms.midjourney.revenue",
    severity="blocker",
    basis=["midjourney-terms", "midjourney-tiers"],
)
def revenue_tier(ctx: AuditContext) -> Iterable[Finding]:
    """A company above the revenue threshold holds the plans its platform requires (Midjourney:
    Pro or Mega above US$1M gross annual revenue).

    Why: Midjourney's terms make a company with more than US$1,000,000 gross annual revenue (or
    its employee acting for it) hold Pro or Mega for each user to own the assets.
    Fails when: company_annual_revenue_usd is above the threshold and a generation used in the
    film was made on another plan (blocker); the revenue is not declared in production.yaml or no
    plan record covers the generation (warning).
    How to fix: declare company_annual_revenue_usd in production.yaml; above the threshold,
    regenerate on Pro or Mega, or record the plan actually held in rights/plans.csv.
    """
    for key, gens in by_platform(ctx).items():
        platform = ctx.terms.platforms.get(key)
        rule_ = platform.revenue_rule if platform else None
        if rule_ is None:
            continue
        evidence = [f"source: {sid}" for sid in rule_.sources]
        revenue = ctx.production.company_annual_revenue_usd
        if revenue is None:
            yield finding(
                "TERMS002",
                f"company_annual_revenue_usd is not declared, so the "
                f"{platform.title if platform else key} rule for companies above "
                f"US${rule_.threshold_usd:,.0f} cannot be checked.",
                fix="Declare company_annual_revenue_usd in production.yaml.",
                evidence=evidence,
                generations=gens,
                severity="warning",
            )
            continue
        if revenue <= rule_.threshold_usd:
            continue
        yield from _revenue_plans(ctx, key, gens, rule_.tiers, evidence)


def _revenue_plans(
    ctx: AuditContext, key: str, gens: list[Generation], tiers: tuple[str, ...], evidence: list[str]
) -> Iterator[Finding]:
    wanted = {norm(tier) for tier in tiers}
    wrong: dict[PlanRow, list[Generation]] = defaultdict(list)
    unplanned: list[Generation] = []
    for gen in gens:
        plan = ctx.ledgers.plan_on(_names(ctx, key), gen.created_at.date(), gen.account)
        if plan is None:
            unplanned.append(gen)
        elif norm(plan.tier) not in wanted:
            wrong[plan].append(gen)
    revenue = ctx.production.company_annual_revenue_usd or 0
    for plan in sorted(wrong, key=lambda row: row.line):
        yield finding(
            "TERMS002",
            f"The company declares US${revenue:,.0f} annual revenue, above "
            f"the threshold, but {len(wrong[plan])} {key} generation(s) used in the "
            f"film were made on the {_plan_text(plan)}, not {' or '.join(tiers)}.",
            fix=f"Regenerate on {' or '.join(tiers)}, or correct rights/plans.csv.",
            evidence=[plan.where, *evidence],
            generations=wrong[plan],
        )
    if unplanned:
        yield finding(
            "TERMS002",
            f"The company is above the revenue threshold and no plan record "
            f"shows {' or '.join(tiers)} for {len(unplanned)} {key} generation(s).",
            fix="Add the plans held to rights/plans.csv.",
            evidence=evidence,
            generations=unplanned,
            severity="warning",
        )


def _download_day(gen: Generation) -> date | None:
    raw = gen.attributes.get("downloaded_at")
    if raw in (None, ""):
        return None
    return from_iso(str(raw)).date()


@rule(
    code="TERMS003",
    name="terms.udio.download",
    severity="blocker",
    basis=["udio-terms", "udio-window", "udio-2026"],
)
def udio_download_window(ctx: AuditContext) -> Iterable[Finding]:
    """Udio outputs were downloaded while downloads were allowed.

    Why: Udio disabled downloads after its label settlement (29 Oct 2025); songs saved in the
    48-hour window from 3 Nov 2025 stay under the prior terms, and the terms from 12 Nov 2025
    forbid downloading or distributing outputs.
    Fails when: a Udio output used in the film was downloaded (attribute downloaded_at) outside
    the allowed periods, or generated after they closed (blocker); no download date is recorded
    for an older generation (warning).
    How to fix: replace the music, or record when each file was downloaded (downloaded_at) with
    evidence (the file's date, the download e-mail).
    """
    for key, gens in by_platform(ctx).items():
        platform = ctx.terms.platforms.get(key)
        periods = platform.download_periods if platform else ()
        if not periods:
            continue
        last = max(p.to for p in periods if p.to is not None)
        outside, undated = [], []
        for gen in gens:
            day = _download_day(gen)
            if day is None and gen.created_at.date() > last:
                outside.append(gen)
            elif day is None:
                undated.append(gen)
            elif not any(period.covers(day) for period in periods):
                outside.append(gen)
        if outside:
            yield finding(
                "TERMS003",
                f"{len(outside)} {key} output(s) used in the film were "
                f"downloaded or generated outside the periods when downloads were "
                f"allowed (last day {last.isoformat()}).",
                fix="Replace this music, or record the real download date with evidence.",
                generations=outside,
            )
        if undated:
            yield finding(
                "TERMS003",
                f"No download date recorded for {len(undated)} {key} output(s) used in the film.",
                fix="Record downloaded_at for each output, with evidence.",
                generations=undated,
                severity="warning",
            )

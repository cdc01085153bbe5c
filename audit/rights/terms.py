"""Rules on platform terms: the plan in force when each generation was made (TERMS001) and the
Midjourney revenue rule (TERMS002). The Udio download window (TERMS003) is in
:mod:`audit.rights.downloads`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from audit.base.i18n import N_
from audit.ingest.ledgers import PlanRow
from audit.ingest.registry import platforms
from audit.rights.base import AuditContext, Finding, finding, rule
from audit.rights.folding import norm
from audit.rights.knowledge import CommercialUse, TierTerms
from audit.rights.messages import CHECKED, NP_, Message, Param
from audit.rights.scope import by_platform, revenue_verdict
from audit.rights.table import Gens


def _names(ctx: AuditContext, key: str) -> set[str]:
    """The spellings of the plan records whose platform these terms cover (the registry
    resolves each: ``Dream Machine`` is luma's), and the key itself."""
    spelled = {row.platform for row in ctx.ledgers.plans}
    return {key} | {name for name in spelled if ctx.terms.platform_key(name) == key}


def _title(ctx: AuditContext, key: str) -> str:
    """The platform's title, the registry's (the key as written when it has none)."""
    return platforms().title(key)


def _plan_params(plan: PlanRow) -> dict[str, Param]:
    return {
        "tier": plan.tier,
        "where": plan.where,
        "plan_from": plan.from_.isoformat() if plan.from_ else "…",
        "plan_to": plan.to.isoformat() if plan.to else "…",
    }


def _effective_use(ctx: AuditContext, entry: TierTerms) -> CommercialUse:
    """The tier's commercial use for this production: a revenue condition is resolved with the
    declared revenue (within the limit: yes; above: no; not declared: unknown)."""
    if entry.commercial_use != CommercialUse.conditional or entry.revenue_max_usd is None:
        return entry.commercial_use
    verdict = revenue_verdict(ctx, entry.revenue_max_usd)
    if verdict is None:
        return CommercialUse.yes
    return CommercialUse.no if verdict == "above" else CommercialUse.unknown


_TIER_MESSAGES = {
    CommercialUse.no: NP_(
        "%(count)s generation from %(platform)s used in the film was made under the %(tier)s "
        "plan (%(where)s, from %(plan_from)s to %(plan_to)s); the terms recorded for this plan "
        "(%(checked)s) allow only personal, non-commercial use, while the film is shown "
        "publicly (%(distribution)s).",
        "%(count)s generations from %(platform)s used in the film were made under the %(tier)s "
        "plan (%(where)s, from %(plan_from)s to %(plan_to)s); the terms recorded for this plan "
        "(%(checked)s) allow only personal, non-commercial use, while the film is shown "
        "publicly (%(distribution)s).",
    ),
    CommercialUse.conditional: NP_(
        "%(count)s generation from %(platform)s used in the film was made under the %(tier)s "
        "plan (%(where)s, from %(plan_from)s to %(plan_to)s); the terms recorded for this plan "
        "(%(checked)s) allow commercial use only under a condition (see the note in the "
        "evidence).",
        "%(count)s generations from %(platform)s used in the film were made under the %(tier)s "
        "plan (%(where)s, from %(plan_from)s to %(plan_to)s); the terms recorded for this plan "
        "(%(checked)s) allow commercial use only under a condition (see the note in the "
        "evidence).",
    ),
    CommercialUse.unknown: NP_(
        "%(count)s generation from %(platform)s used in the film was made under the %(tier)s "
        "plan (%(where)s, from %(plan_from)s to %(plan_to)s); whether the terms recorded for "
        "this plan (%(checked)s) allow commercial use is not known.",
        "%(count)s generations from %(platform)s used in the film were made under the %(tier)s "
        "plan (%(where)s, from %(plan_from)s to %(plan_to)s); whether the terms recorded for "
        "this plan (%(checked)s) allow commercial use is not known.",
    ),
}


def _tier_finding(
    ctx: AuditContext, plan: PlanRow, entry: TierTerms, gens: Gens, public: list[str]
) -> Finding | None:
    """The TERMS001 finding for generations made under one plan row, if any."""
    use = _effective_use(ctx, entry)
    if use == CommercialUse.yes:
        return None
    platform = str(gens.source.column("platform")[gens.first()])
    params: dict[str, Param] = {
        "count": len(gens),
        "platform": _title(ctx, ctx.terms.platform_key(platform) or platform),
        **_plan_params(plan),
        "checked": CHECKED[entry.verified],
        "distribution": ", ".join(public),
    }
    notes = [f"terms: {entry.ownership}"] if entry.ownership else []
    notes += [f"note: {entry.notes}"] if entry.notes and use != CommercialUse.no else []
    evidence = [plan.where, f"generated: {gens.day_span()}", *notes]
    evidence += [f"source: {sid}" for sid in entry.sources]
    if use == CommercialUse.no:
        return finding(
            "TERMS001",
            _TIER_MESSAGES[use],
            fix=N_(
                "Regenerate these outputs on a plan whose terms allow commercial use, or record "
                "a licence from the platform in rights/sources.csv. Upgrading later does not "
                "cover earlier generations on most platforms."
            ),
            params=params,
            evidence=evidence,
            generations=gens,
        )
    return finding(
        "TERMS001",
        _TIER_MESSAGES[use],
        fix=N_(
            "Check the platform's terms for this plan and date, and keep the evidence (plan "
            "invoice, terms version) with rights/plans.csv."
        ),
        params=params,
        evidence=evidence,
        generations=gens,
        severity="warning",
    )


def _shown_commercial(ctx: AuditContext, key: str, day: date, gens: Gens) -> np.ndarray:
    """Per row of ``gens`` (made on ``day``): the platform's own record says it was made on a
    plan whose terms allow commercial use (Suno's ``ownership_reason: subscribed``;
    ``record_evidence`` in data/platform_terms.yaml, every key with the same value): no plan
    record is then needed. Each distinct attributes text is read once."""
    memo = f"terms:{key}"
    terms = (
        ctx.memo[memo] if memo in ctx.memo else ctx.memo.setdefault(memo, ctx.terms.platform(key))
    )
    if terms is None or not any(entry.record_evidence for entry in terms.tiers):
        return np.zeros(len(gens), dtype=bool)
    codes, texts = pd.factorize(gens.column("attributes"))
    shown = [
        any(
            entry.record_evidence
            and all(attrs.get(k) == v for k, v in entry.record_evidence.items())
            and entry.applies(entry.tier, day)
            and _effective_use(ctx, entry) == CommercialUse.yes
            for entry in terms.tiers
        )
        for attrs in [*(json.loads(text) for text in texts.tolist()), {}]
    ]
    return np.asarray(shown, dtype=bool)[codes]


def _missing_plan(ctx: AuditContext, key: str, gens: Gens, message: Message, fix: str) -> Finding:
    return finding(
        "TERMS001",
        message,
        fix=fix,
        params={"count": len(gens), "platform": _title(ctx, key)},
        evidence=[f"generated: {gens.day_span()}"],
        generations=gens,
        severity="warning",
    )


def _plans_on(
    ctx: AuditContext, key: str
) -> Callable[[date, str | None], tuple[PlanRow | None, TierTerms | None]]:
    """(plan in force, its terms) by day and account, each pair looked up once (a platform's
    thousands of generations share a few days and accounts)."""
    names = _names(ctx, key)

    @cache
    def known(day: date, account: str | None) -> tuple[PlanRow | None, TierTerms | None]:
        plan = ctx.ledgers.plan_on(names, day, account)
        return plan, ctx.terms.tier_terms(key, plan.tier, day) if plan else None

    return known


def _platform_tiers(
    ctx: AuditContext, key: str, gens: Gens, public: list[str]
) -> Iterator[Finding]:
    by_plan: dict[PlanRow, list[np.ndarray]] = defaultdict(list)
    unplanned_rows: list[np.ndarray] = []
    unknown_rows: list[np.ndarray] = []
    entries: dict[PlanRow, TierTerms] = {}
    known = _plans_on(ctx, key)
    for day, account, group in gens.by_day_and_account():
        plan, entry = known(day, account)
        if plan is None:
            unplanned_rows.append(group.rows[~_shown_commercial(ctx, key, day, group)])
        elif entry is None:
            unknown_rows.append(group.rows)
        else:
            by_plan[plan].append(group.rows)
            entries[plan] = entry
    unplanned, unknown = gens.joined(unplanned_rows), gens.joined(unknown_rows)
    if unplanned:
        yield _missing_plan(
            ctx,
            key,
            unplanned,
            NP_(
                "No plan record in rights/plans.csv covers %(count)s generation from "
                "%(platform)s used in the film; the plan held when it was made decides what "
                "the terms allow.",
                "No plan record in rights/plans.csv covers %(count)s generations from "
                "%(platform)s used in the film; the plan held when they were made decides what "
                "the terms allow.",
            ),
            N_(
                "Add the plans held on this platform, with their dates, to rights/plans.csv "
                "(platform,account,tier,from,to)."
            ),
        )
    if unknown:
        yield _missing_plan(
            ctx,
            key,
            unknown,
            NP_(
                "The plan recorded for %(count)s generation from %(platform)s used in the film "
                "is not among the plans whose terms Empreinte records, so its terms cannot be "
                "checked.",
                "The plan recorded for %(count)s generations from %(platform)s used in the film "
                "is not among the plans whose terms Empreinte records, so its terms cannot be "
                "checked.",
            ),
            N_(
                "Check the plan's name in rights/plans.csv and the platform's terms for it; "
                "keep the evidence."
            ),
        )
    for plan in sorted(by_plan, key=lambda row: row.line):
        found = _tier_finding(ctx, plan, entries[plan], gens.joined(by_plan[plan]), public)
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
    covers its platform and date (warning). A generation whose own record shows a plan that
    allows commercial use (Suno's ownership_reason "subscribed") needs no plans.csv row; a
    plans.csv row covering it still decides.
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
                NP_(
                    "No terms recorded by Empreinte for the platform %(platform)s; %(count)s "
                    "generation used in the film cannot be checked against its terms.",
                    "No terms recorded by Empreinte for the platform %(platform)s; %(count)s "
                    "generations used in the film cannot be checked against its terms.",
                ),
                fix=N_(
                    "Check the platform's terms yourself and keep the evidence; ask for the "
                    "platform to be added to the terms Empreinte records."
                ),
                params={"platform": key, "count": len(gens)},
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
                N_(
                    "company_annual_revenue_usd is not declared in production.yaml, so the "
                    "%(platform)s rule for companies with more than US$%(threshold_usd)s annual "
                    "revenue cannot be checked."
                ),
                fix=N_("Declare company_annual_revenue_usd in production.yaml."),
                params={"platform": _title(ctx, key), "threshold_usd": rule_.threshold_usd},
                evidence=evidence,
                generations=gens,
                severity="warning",
            )
            continue
        if revenue <= rule_.threshold_usd:
            continue
        yield from _revenue_plans(ctx, key, gens, rule_.tiers, evidence)


def _revenue_plans(
    ctx: AuditContext, key: str, gens: Gens, tiers: tuple[str, ...], evidence: list[str]
) -> Iterator[Finding]:
    wanted = {norm(tier) for tier in tiers}
    wrong_rows: dict[PlanRow, list[np.ndarray]] = defaultdict(list)
    unplanned_rows: list[np.ndarray] = []
    for day, account, group in gens.by_day_and_account():
        plan = ctx.ledgers.plan_on(_names(ctx, key), day, account)
        if plan is None:
            unplanned_rows.append(group.rows)
        elif norm(plan.tier) not in wanted:
            wrong_rows[plan].append(group.rows)
    wrong = {plan: gens.joined(parts) for plan, parts in wrong_rows.items()}
    unplanned = gens.joined(unplanned_rows)
    params: dict[str, Param] = {
        "platform": _title(ctx, key),
        "tiers": " / ".join(tier.title() for tier in tiers),
        "revenue_usd": ctx.production.company_annual_revenue_usd or 0,
    }
    for plan in sorted(wrong, key=lambda row: row.line):
        yield finding(
            "TERMS002",
            NP_(
                "The company declares US$%(revenue_usd)s annual revenue, above the threshold, "
                "but %(count)s %(platform)s generation used in the film was made under the "
                "%(tier)s plan (%(where)s), not %(tiers)s.",
                "The company declares US$%(revenue_usd)s annual revenue, above the threshold, "
                "but %(count)s %(platform)s generations used in the film were made under the "
                "%(tier)s plan (%(where)s), not %(tiers)s.",
            ),
            fix=N_("Regenerate on %(tiers)s, or correct rights/plans.csv."),
            params={**params, "count": len(wrong[plan]), "tier": plan.tier, "where": plan.where},
            evidence=[plan.where, *evidence],
            generations=wrong[plan],
        )
    if unplanned:
        yield finding(
            "TERMS002",
            NP_(
                "The company is above the revenue threshold, and no plan record shows "
                "%(tiers)s for %(count)s %(platform)s generation used in the film.",
                "The company is above the revenue threshold, and no plan record shows "
                "%(tiers)s for %(count)s %(platform)s generations used in the film.",
            ),
            fix=N_("Add the plans held to rights/plans.csv."),
            params={**params, "count": len(unplanned)},
            evidence=evidence,
            generations=unplanned,
            severity="warning",
        )

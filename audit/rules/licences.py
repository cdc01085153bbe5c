"""Rules on what the models themselves carry: licences of weights run locally (MODEL001) and the
training-data claims of each platform or model (TRAIN001, information)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from audit.models import Generation
from audit.rules.base import AuditContext, Finding, finding, rule
from audit.rules.knowledge import CommercialUse, ModelLicence, squash
from audit.rules.scope import MODEL_ROLES, asset_name, by_platform, revenue_verdict

_MODEL_ATTRS = ("unet_name", "ckpt_name", "checkpoint", "lora_name", "model_name")


def model_names(gen: Generation) -> list[str]:
    """Model, checkpoint, UNet and LoRA names of a generation, sorted."""
    names = [gen.model or "", gen.model_version or ""]
    names += [asset_name(ref.uri) for ref in gen.inputs if ref.role in MODEL_ROLES]
    names += [str(gen.attributes.get(key) or "") for key in _MODEL_ATTRS]
    return sorted({name for name in names if name})


def recorded_licence(ctx: AuditContext, names: list[str]) -> str | None:
    """``file:line`` of a sources.csv row of kind model naming one of these models."""
    wanted = [squash(name) for name in names if squash(name)]
    for row in ctx.ledgers.sources:
        asset = squash(row.asset)
        if row.kind == "model" and asset and any(asset in n or n in asset for n in wanted):
            return row.where
    return None


def _problem(ctx: AuditContext, licence: ModelLicence) -> str | None:
    """'no', 'unknown' or None (nothing to report) for a model licence and this production."""
    use = licence.commercial_use
    if use == CommercialUse.conditional and licence.revenue_max_usd is not None:
        verdict = revenue_verdict(ctx, licence.revenue_max_usd)
        return None if verdict is None else ("no" if verdict == "above" else "unknown")
    if use == CommercialUse.yes:
        return None
    return "no" if use == CommercialUse.no else "unknown"


def _licence_finding(
    ctx: AuditContext, licence: ModelLicence, gens: list[Generation], public: list[str]
) -> Finding | None:
    problem = _problem(ctx, licence)
    if problem is None or (problem == "no" and not public):
        return None
    evidence = [f"source: {sid}" for sid in licence.sources]
    verified = "" if licence.verified else " (licence summary not verified)"
    if problem == "no":
        revenue = ctx.production.company_annual_revenue_usd
        above = (
            f" and the company's US${revenue:,.0f} revenue is above its "
            f"US${licence.revenue_max_usd:,.0f} limit"
            if licence.revenue_max_usd is not None and revenue is not None
            else ""
        )
        return finding(
            "MODEL001",
            f"{len(gens)} local generation(s) used in the film ran {licence.title}, "
            f"whose weights are under the {licence.licence}{verified}{above}, while the film's "
            f"distribution is {', '.join(public)}; no licence record for it in "
            f"rights/sources.csv. {licence.notes}",
            fix="Record the licence you rely on (commercial licence, or the licence text "
            "reviewed for outputs) in rights/sources.csv with kind 'model', or regenerate with "
            "a model whose licence allows this use.",
            evidence=evidence,
            generations=gens,
        )
    return finding(
        "MODEL001",
        f"{len(gens)} local generation(s) used in the film ran {licence.title} "
        f"({licence.licence}), whose terms depend on a condition that cannot be checked: "
        f"{licence.notes}",
        fix="Declare company_annual_revenue_usd in production.yaml, or "
        "record the licence held in rights/sources.csv (kind 'model').",
        evidence=evidence,
        generations=gens,
        severity="warning",
    )


def _local_models(ctx: AuditContext) -> Iterator[tuple[list[str], Generation]]:
    for key, gens in by_platform(ctx).items():
        platform = ctx.terms.platforms.get(key)
        if platform is not None and platform.local:
            for gen in gens:
                yield model_names(gen), gen


@rule(
    code="MODEL001",
    name="model.licence.local",
    severity="blocker",
    basis=["flux-dev-licence", "stability-licence", "comfyui-examples"],
)
def local_model_licence(ctx: AuditContext) -> Iterable[Finding]:
    """Models run locally (ComfyUI, A1111...) have a licence that allows the film's distribution.

    Why: a local run has no platform terms; the licence of the weights applies instead. FLUX.1
    [dev] weights are under a non-commercial licence, and Stability's Community Licence is free
    only up to US$1M annual revenue.
    Fails when: a local generation used in the film ran weights whose licence allows no
    commercial use while the film is shown publicly, or a revenue-limited licence above its limit
    (blocker); the model is unknown, not recorded, or the condition cannot be checked (warning).
    A sources.csv row of kind 'model' naming the model counts as the recorded licence.
    How to fix: record the licence you hold in rights/sources.csv (kind 'model'), or regenerate
    with a model whose licence allows the distribution.
    """
    public = ctx.terms.public_distribution([d.value for d in ctx.production.distribution])
    by_licence: dict[str, tuple[ModelLicence, list[Generation]]] = {}
    unknown: dict[str, list[Generation]] = {}
    for names, gen in _local_models(ctx):
        if recorded_licence(ctx, names):
            continue
        licence = ctx.terms.model_licence(names)
        if licence is not None:
            by_licence.setdefault(licence.id, (licence, []))[1].append(gen)
        else:
            unknown.setdefault(", ".join(names) or "(model not recorded)", []).append(gen)
    for _, (licence, gens) in sorted(by_licence.items()):
        found = _licence_finding(ctx, licence, gens, public)
        if found:
            yield found
    for label, gens in sorted(unknown.items()):
        yield finding(
            "MODEL001",
            f"No licence recorded for the local model(s) {label}, used by "
            f"{len(gens)} generation(s) in the film.",
            fix="Add the model and its licence to rights/sources.csv (kind 'model').",
            generations=gens,
            severity="warning",
        )


@rule(
    code="TRAIN001",
    name="training.claims.record",
    severity="info",
    basis=["adobe-firefly-commitments", "getty-indemnity", "moonvalley-marey", "fairly-trained"],
)
def training_claims(ctx: AuditContext) -> Iterable[Finding]:
    """Records the training-data claim (and indemnity) of each platform or model used.

    Why: a few providers claim licensed-only training data and offer indemnity (Adobe Firefly,
    Getty, Moonvalley Marey); insurers ask about it. These claims are not a legal test of
    infringement and Empreinte does not check them.
    Fails when: never blocks; one information line per platform used in the film.
    How to fix: nothing to fix; keep the provider's claim and indemnity terms with the rights file
    if your insurer asks.
    """
    claims = ctx.training_claims
    for key, gens in by_platform(ctx).items():
        models = sorted({gen.model for gen in gens if gen.model})
        model_text = f" ({', '.join(models)})" if models else ""
        claim = next((c for gen in gens if (c := claims.for_generation(key, gen.model))), None)
        if claim is not None:
            text = f"{claim.claim}: {claim.summary} {claim.caveat}".strip()
            sources = claim.sources
        elif key in claims.none_known.platforms:
            text = f"{claims.none_known.summary} {claims.none_known.notes.get(key, '')}".strip()
            sources = claims.none_known.sources
        else:
            text, sources = "no training-data claim recorded in data/training_claims.yaml.", ()
        yield finding(
            "TRAIN001",
            f"{key}{model_text}: {text}",
            fix="Nothing to fix; this is information for insurers and the rights file.",
            evidence=[f"source: {sid}" for sid in sources],
            generations=gens,
        )

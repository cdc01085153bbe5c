"""Rules on what the models themselves carry: licences of weights run locally (MODEL001) and the
training-data claims of each platform or model (TRAIN001, information)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from audit.base.codes import factorized, unique_rows
from audit.base.i18n import N_
from audit.rights.base import AuditContext, Finding, finding, rule
from audit.rights.folding import squash
from audit.rights.knowledge import CommercialUse, ModelLicence
from audit.rights.messages import CHECKED, NP_, Param
from audit.rights.scope import MODEL_ROLES, asset_name, by_platform, revenue_verdict
from audit.rights.table import Gens, group_rows

_MODEL_ATTRS = ("unet_name", "ckpt_name", "checkpoint", "lora_name", "model_name")
#: The ``claim`` label of TRAIN001, by claim kind of data/training_claims.yaml.
_CLAIMS = {
    "licensed": N_("the provider states that its training data are licensed"),
    "certified": N_("the developer is certified 'Licensed Model' by Fairly Trained"),
}


def model_names(gens: Gens) -> list[tuple[tuple[str, ...], Gens]]:
    """``gens`` grouped by their model, checkpoint, UNet and LoRA names (sorted): each
    distinct model, version, model file input and attributes text is read once."""
    source = gens.source
    files = source.inputs(gens.rows)
    files = files[files["role"].isin(MODEL_ROLES).to_numpy()]
    by_row: dict[int, set[str]] = {}
    for row, uri in zip(files["row"].tolist(), files["uri"].tolist(), strict=True):
        by_row.setdefault(row, set()).add(asset_name(uri))
    keys = pd.DataFrame(
        {
            "model": gens.column("model"),
            "version": gens.column("model_version"),
            "attributes": gens.column("attributes"),
            "files": ["\n".join(sorted(by_row.get(row, ()))) for row in gens.rows.tolist()],
        }
    )
    codes = keys.groupby(list(keys.columns), dropna=False, sort=False).ngroup().to_numpy()
    out = []
    for _, rows in group_rows(gens.rows, codes):
        row = int(rows[0])
        attrs = source.attributes(row)
        names = [str(source.column(n)[row] or "") for n in ("model", "model_version")]
        names += [*by_row.get(row, ()), *(str(attrs.get(key) or "") for key in _MODEL_ATTRS)]
        out.append((tuple(sorted({name for name in names if name})), source.gens(rows)))
    return out


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


_PUBLIC_USE = NP_(
    "%(count)s local generation used in the film ran %(model)s, whose weights are under the "
    "%(licence)s (%(checked)s), while the film is shown publicly (%(distribution)s); no licence "
    "for it is recorded in rights/sources.csv.",
    "%(count)s local generations used in the film ran %(model)s, whose weights are under the "
    "%(licence)s (%(checked)s), while the film is shown publicly (%(distribution)s); no licence "
    "for it is recorded in rights/sources.csv.",
)
_ABOVE_LIMIT = NP_(
    "%(count)s local generation used in the film ran %(model)s, whose weights are under the "
    "%(licence)s (%(checked)s); the company's annual revenue, US$%(revenue_usd)s, is above the "
    "licence's US$%(limit_usd)s limit, and no licence for it is recorded in rights/sources.csv.",
    "%(count)s local generations used in the film ran %(model)s, whose weights are under the "
    "%(licence)s (%(checked)s); the company's annual revenue, US$%(revenue_usd)s, is above the "
    "licence's US$%(limit_usd)s limit, and no licence for it is recorded in rights/sources.csv.",
)


def _licence_finding(
    ctx: AuditContext, licence: ModelLicence, gens: Gens, public: list[str]
) -> Finding | None:
    problem = _problem(ctx, licence)
    if problem is None or (problem == "no" and not public):
        return None
    notes = [f"note: {licence.notes}"] if licence.notes else []
    evidence = [*(f"source: {sid}" for sid in licence.sources), *notes]
    params: dict[str, Param] = {
        "count": len(gens),
        "model": licence.title,
        "licence": licence.licence,
        "checked": CHECKED[licence.verified],
    }
    if problem == "no":
        revenue = ctx.production.company_annual_revenue_usd
        above = licence.revenue_max_usd is not None and revenue is not None
        if above:
            params |= {"revenue_usd": revenue or 0, "limit_usd": licence.revenue_max_usd or 0}
        else:
            params["distribution"] = ", ".join(public)
        return finding(
            "MODEL001",
            _ABOVE_LIMIT if above else _PUBLIC_USE,
            fix=N_(
                "Record the licence you rely on (a commercial licence, or the licence text "
                "reviewed for outputs) in rights/sources.csv with kind 'model', or regenerate "
                "with a model whose licence allows this use."
            ),
            params=params,
            evidence=evidence,
            generations=gens,
        )
    return finding(
        "MODEL001",
        NP_(
            "%(count)s local generation used in the film ran %(model)s (%(licence)s), whose "
            "terms depend on a condition that cannot be checked here (see the note in the "
            "evidence).",
            "%(count)s local generations used in the film ran %(model)s (%(licence)s), whose "
            "terms depend on a condition that cannot be checked here (see the note in the "
            "evidence).",
        ),
        fix=N_(
            "Declare company_annual_revenue_usd in production.yaml, or record the licence held "
            "in rights/sources.csv (kind 'model')."
        ),
        params=params,
        evidence=evidence,
        generations=gens,
        severity="warning",
    )


def _local_models(ctx: AuditContext) -> Iterator[tuple[list[str], Gens]]:
    for key, gens in by_platform(ctx).items():
        platform = ctx.terms.platforms.get(key)
        if platform is not None and platform.local:
            for names, group in model_names(gens):
                yield list(names), group


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
    by_licence: dict[str, tuple[ModelLicence, list[Gens]]] = {}
    unknown: dict[str, list[Gens]] = {}
    for names, group in _local_models(ctx):
        if recorded_licence(ctx, names):
            continue
        licence = ctx.terms.model_licence(names)
        if licence is not None:
            by_licence.setdefault(licence.id, (licence, []))[1].append(group)
        else:
            unknown.setdefault(", ".join(names), []).append(group)
    for _, (licence, groups) in sorted(by_licence.items()):
        found = _licence_finding(ctx, licence, _union(groups), public)
        if found:
            yield found
    for label, groups in sorted(unknown.items()):
        gens = _union(groups)
        yield finding(
            "MODEL001",
            _UNKNOWN_MODEL if label else _UNNAMED_MODEL,
            fix=N_("Add the model and its licence to rights/sources.csv (kind 'model')."),
            params={"models": label, "count": len(gens)} if label else {"count": len(gens)},
            generations=gens,
            severity="warning",
        )


def _union(groups: list[Gens]) -> Gens:
    return groups[0].joined([group.rows for group in groups])


_UNKNOWN_MODEL = NP_(
    "No licence is recorded for the local model %(models)s, run by %(count)s generation used "
    "in the film.",
    "No licence is recorded for the local model %(models)s, run by %(count)s generations used "
    "in the film.",
)
_UNNAMED_MODEL = NP_(
    "No licence is recorded for the local model run by %(count)s generation used in the film, "
    "and the model's name was not recorded.",
    "No licence is recorded for the local model run by %(count)s generations used in the film, "
    "and the model's name was not recorded.",
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
    codes, values = factorized(ctx.gens.table, "model")
    for key, gens in by_platform(ctx).items():
        picked = codes[gens.rows] + 1  # 0: no model
        present = unique_rows(picked, len(values) + 1)  # each model of these rows once
        used = [None if code == 0 else values[code - 1] for code in present.tolist()]
        models = sorted(m for m in used if m)
        said = {model: claims.for_generation(key, model) for model in used}
        flags = np.zeros(len(values) + 1, dtype=bool)
        flags[present] = [said[model] is not None for model in used]
        claiming = gens.where(flags[picked])
        claim = said[claiming.source.column("model")[claiming.first()]] if claiming else None
        # the platform's title in the reader's language; the model names as recorded
        params: dict[str, Param] = {
            "platform": key,
            "models": f" ({', '.join(models)})" if models else "",
        }
        if claim is not None:
            message = N_("%(platform)s%(models)s: %(claim)s; Empreinte does not check this claim.")
            params["claim"] = _CLAIMS.get(claim.claim, claim.claim)
            notes = [f"claim: {claim.summary}", f"caveat: {claim.caveat}"]
            sources = claim.sources
        elif key in claims.none_known.platforms:
            message = N_("%(platform)s%(models)s: no licensed-only training-data claim found.")
            notes = [f"note: {claims.none_known.notes.get(key, '')}"]
            sources = claims.none_known.sources
        else:
            message = N_(
                "%(platform)s%(models)s: no training-data claim is recorded by Empreinte for "
                "this platform."
            )
            notes, sources = [], ()
        yield finding(
            "TRAIN001",
            message,
            fix=N_("Nothing to fix; this is information for insurers and the rights file."),
            params=params,
            evidence=[
                *(f"source: {sid}" for sid in sources),
                *(line for line in notes if not line.endswith(": ")),
            ],
            generations=gens,
        )

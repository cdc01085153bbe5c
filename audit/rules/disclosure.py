"""Rules on telling the audience: the AI disclosure in the credits (DISCLOSE001) and the
machine-readable marks (C2PA Content Credentials) kept through to the delivered masters (PROV001,
PROV002)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from audit.provenance import C2paState
from audit.rules.base import AuditContext, Finding, capped, finding, rule
from audit.rules.consent import without_consent
from audit.rules.scope import depicts_real_people, releases_in_eu, used_generations

#: EU AI Act art. 50 applies from this date (source: eu-ai-act-dates; art. 113 of the Act).
AI_ACT_ART50_FROM = date(2026, 8, 2)
#: Acronyms are matched case-sensitively (French "j'ai" is not "AI").
_ACRONYM = re.compile(r"(?<!\w)(IA|AI|KI|I\.A\.|A\.I\.)(?!\w)")
_PHRASE = re.compile(
    r"(?<!\w)(?:intelligence artificielle|artificial intelligence|k[üu]nstliche intelligenz|"
    r"g[ée]n[ée]r[ée]e?s?|generated|g[ée]n[ée]rati(?:f|ve|ves|fs)|generative|synth[ée]tique)",
    re.IGNORECASE,
)


def mentions_ai(text: str) -> bool:
    """The text says AI was used: an acronym (IA, AI, KI) or a phrase such as "intelligence
    artificielle", "généré", "generated", "generative"."""
    return bool(_ACRONYM.search(text) or _PHRASE.search(text))


def _laws(ctx: AuditContext, real: bool) -> list[str]:
    laws = []
    if (
        releases_in_eu(ctx.production.territories)
        and ctx.production.release_date >= AI_ACT_ART50_FROM
    ):
        laws.append(
            "EU AI Act art. 50(4) (from 2026-08-02; for an evidently fictional work a "
            "mention in the credits suffices)"
        )
    if real and any(code in ("FR", "WORLD") for code in ctx.production.territories):
        laws.append(
            "French Code pénal art. 226-8 (covers a person's AI-generated image or "
            "words made public without their consent, unless obviously AI or expressly "
            "mentioned)"
        )
    return laws


@rule(
    code="DISCLOSE001",
    name="disclosure.credits.ai_mention",
    severity="blocker",
    basis=["eu-ai-act-art50", "eu-ai-act-rec134", "eu-ai-act-dates", "fr-code-penal-226-8"],
)
def credits_disclosure(ctx: AuditContext) -> Iterable[Finding]:
    """The credits carry an AI mention when the film is released where disclosure is expected.

    Why: from 2 August 2026, EU AI Act art. 50(4) asks deployers to disclose AI-generated or
    manipulated image, audio or video that resembles real persons, places or events; for an
    evidently artistic or fictional work, disclosing it in an appropriate manner (the credits)
    suffices. French Code pénal art. 226-8 covers AI-generated image or words of a person made
    public without consent unless obviously AI or expressly mentioned.
    Fails when: generated material is in the film, the release falls under these texts, and the
    disclosure text (production.yaml ai_disclosure) carries no AI mention: blocker when real
    people's voices or likenesses are used without a consent record covering them, warning
    otherwise; warning when the disclosure is not written yet.
    How to fix: write the AI disclosure printed in the credits (ai_disclosure in production.yaml),
    e.g. "Images, voix et musique générées par IA (Midjourney, Kling, ElevenLabs, Suno)".
    """
    used = used_generations(ctx)
    if not used:
        return
    real = depicts_real_people(ctx, used)
    laws = _laws(ctx, bool(real))
    if not laws:
        return
    basis = "; ".join(laws)
    people = f", {len(real)} of them using real people's voices or likenesses" if real else ""
    if ctx.credits_text is None:
        yield finding(
            "DISCLOSE001",
            f"The AI disclosure is not written yet; {len(used)} "
            f"generation(s) are in the film{people}. Applies: {basis}.",
            fix="Write ai_disclosure in production.yaml (the sentence printed in the credits).",
            generations=real,
            severity="warning",
        )
    elif not mentions_ai(ctx.credits_text):
        uncovered = without_consent(ctx, real)
        consent = (
            f"; no consent record covers {len(uncovered)} of them"
            if uncovered
            else ("; consent records cover them" if real else "")
        )
        yield finding(
            "DISCLOSE001",
            f"The credits text carries no AI mention "
            f"({ctx.credits_text[:80]!r}); {len(used)} generation(s) are in the "
            f"film{people}{consent}. Applies: {basis}.",
            fix="Add an explicit AI mention to the credits (ai_disclosure).",
            generations=real,
            severity="blocker" if uncovered else "warning",
        )


_ABSENCE = (
    "absence of Content Credentials proves nothing about how a file was made, but the "
    "machine-readable marks present upstream were not kept"
)


@rule(
    code="PROV001",
    name="provenance.c2pa.stripped",
    severity="warning",
    basis=["eu-ai-act-art50", "c2pa-rs", "c2pa-python"],
)
def c2pa_kept_in_masters(ctx: AuditContext) -> Iterable[Finding]:
    """Content Credentials present on generated files are kept in the delivered masters.

    Why: providers must mark AI output in a machine-readable way (EU AI Act art. 50(2)); keeping
    the C2PA manifests through the edit to the delivered files keeps that information for
    broadcasters and platforms. Most exports strip metadata, so absence alone proves nothing.
    Fails when: at least one media file outside deliverables/ and masters/ carries a C2PA
    manifest, and a file under deliverables/ or masters/ carries none (warning); information when
    there is no delivered master to check yet.
    How to fix: export masters with Content Credentials (e.g. an editor or c2patool step that
    adds the generated files as ingredients), or record why they cannot carry them.
    """
    sources = [p for p in ctx.provenance if not p.is_master and p.has_manifest]
    if not sources:
        return
    masters = [p for p in ctx.provenance if p.is_master]
    shown = capped(p.path for p in sources)
    if not masters:
        yield finding(
            "PROV001",
            f"{len(sources)} generated or source file(s) carry Content "
            "Credentials; no delivered master under deliverables/ or masters/ was "
            "found to check that they are kept.",
            fix="Put the delivered masters under deliverables/ and audit again.",
            evidence=shown,
            severity="info",
        )
        return
    for master in masters:
        if master.state in (C2paState.absent, C2paState.unreadable):
            yield finding(
                "PROV001",
                f"The delivered master {master.path} carries no Content "
                f"Credentials while {len(sources)} source file(s) did; {_ABSENCE}.",
                fix="Re-export the master with Content Credentials.",
                evidence=[master.path, *shown],
            )


@rule(
    code="PROV002",
    name="provenance.c2pa.invalid",
    severity="warning",
    basis=["c2pa-rs", "c2pa-python"],
)
def c2pa_invalid(ctx: AuditContext) -> Iterable[Finding]:
    """Content Credentials found in the production's files validate.

    Why: an invalid manifest (e.g. assertion.dataHash.mismatch) means the file changed after it
    was signed, so what the manifest claims no longer describes this file.
    Fails when: a media file's C2PA manifest fails validation, read offline (warning).
    How to fix: find the original download of the file, or re-export it from the tool that
    signed it; keep the original with the production.
    """
    for item in ctx.provenance:
        if item.state == C2paState.invalid:
            reasons = [r for r in item.reasons if r != "signingCredential.untrusted"]
            signer = [f"signer: {item.signer}"] if item.signer else []
            yield finding(
                "PROV002",
                f"The Content Credentials of {item.path} do not validate "
                f"({', '.join(reasons or item.reasons)}): the file changed after it "
                "was signed.",
                fix="Use the original file as downloaded.",
                evidence=[item.path, *signer],
            )

"""Rules on people: consent for cloned voices (CONSENT001), for likeness references (CONSENT002),
and whether each consent covers the release (CONSENT003)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from audit.ledgers import PERSON_KINDS, ConsentKind, ConsentRow, SourceRow
from audit.models import Generation
from audit.rules.base import AuditContext, Finding, finding, rule
from audit.rules.knowledge import fold
from audit.rules.scope import (
    LIKENESS_ROLES,
    consent_matches_voice,
    covers_territories,
    is_cloned_voice,
    likeness_inputs,
    public_figure_flag,
    source_for,
    used_generations,
    voice_label,
)

_CHARACTER_ATTRS = ("sora_characters", "character_ids", "cameo_ids")


def _voice_groups(ctx: AuditContext) -> dict[tuple[str, str], list[Generation]]:
    groups: dict[tuple[str, str], list[Generation]] = {}
    for gen in used_generations(ctx):
        if is_cloned_voice(gen):
            groups.setdefault(voice_label(gen), []).append(gen)
    return dict(sorted(groups.items()))


def _voice_text(gen: Generation, voice: tuple[str, str]) -> str:
    voice_id, voice_name = voice
    category = gen.attributes.get("voice_category") or "category unknown"
    owner = gen.attributes.get("voice_sharing_owner")
    facts = [
        f"id {voice_id}" if voice_id and voice_name else "",
        str(category),
        f"Voice Library voice shared by {owner}" if owner else "",
    ]
    return f"'{voice_name or voice_id or 'unnamed'}' ({', '.join(f for f in facts if f)})"


@rule(
    code="CONSENT001",
    name="consent.voice.missing",
    severity="blocker",
    basis=[
        "elevenlabs-safety",
        "elevenlabs-api",
        "fr-code-civil-9",
        "fr-cpi-l212-3",
        "sag-aftra-ai",
    ],
)
def voice_consent(ctx: AuditContext) -> Iterable[Finding]:
    """Every cloned, professional or Voice Library voice used in the film has a consent record of
    kind voice.

    Why: a voice is protected like an image (French case law on Code civil art. 9), performers
    must authorise new uses in writing (CPI L212-3), SAG-AFTRA requires informed consent for
    digital replicas, and ElevenLabs allows cloning only of one's own voice or with consent.
    Fails when: a generation used in the film has voice_category cloned/professional/famous, a
    Voice Library owner, or voice_is_owner false, and rights/consents.csv has no row of kind voice
    (blocker) or none that names this voice (warning: name the person, or put the voice id in the
    consent's scope or document).
    How to fix: add the signed consent to rights/consents.csv (person, kind voice, scope,
    territories, dates, document), naming the voice id in its scope when the voice name differs.
    """
    consents = [row for row in ctx.ledgers.consents if row.kind == ConsentKind.voice]
    for voice, gens in _voice_groups(ctx).items():
        if any(consent_matches_voice(row, *voice) for row in consents):
            continue
        text = _voice_text(gens[0], voice)
        if not consents:
            yield finding(
                "CONSENT001",
                f"No consent record of kind voice found covering the "
                f"voice {text}, used by {len(gens)} generation(s) in the film.",
                fix="Add the speaker's signed consent to rights/consents.csv (kind voice).",
                generations=gens,
            )
        else:
            yield finding(
                "CONSENT001",
                f"The voice {text}, used by {len(gens)} generation(s) in "
                "the film, cannot be tied to any voice consent in rights/consents.csv.",
                fix="Name the voice id in the scope or document of the right consent "
                "row, or add the missing consent.",
                evidence=[row.where for row in consents],
                generations=gens,
                severity="warning",
            )


def _likeness_consent(ctx: AuditContext, uri: str, row: SourceRow | None) -> ConsentRow | None:
    """A likeness/performance consent naming the person of this asset (person name in the source
    row's holder/scope/notes, or the asset in the consent's scope/document)."""
    about = fold(f"{row.holder} {row.scope} {row.notes}") if row else ""
    asset = fold(row.asset if row else uri)
    for consent in ctx.ledgers.consents:
        if consent.kind == ConsentKind.voice:
            continue
        if (about and fold(consent.person) in about) or asset in fold(
            f"{consent.scope} {consent.document} {consent.notes}"
        ):
            return consent
    return None


def likeness_gap(ctx: AuditContext, uri: str, by_role: bool) -> tuple[str, str] | None:
    """(severity, description) for one possible-likeness input, or None when covered."""
    row = source_for(ctx.ledgers, uri)
    if _likeness_consent(ctx, uri, row):
        return None
    if row is not None and row.kind in PERSON_KINDS:
        return "blocker", f"recorded as a {row.kind} ({row.where}); no likeness consent found"
    if row is not None and row.kind == "photo" and by_role:
        return "warning", (
            f"a photo used as a character reference ({row.where}); if it shows a "
            "real person, no likeness consent record found"
        )
    if row is None and by_role:
        return "warning", (
            "a character/subject reference with no sources.csv row; if it shows "
            "a real person, no likeness consent record found"
        )
    return None


def _likeness_items(
    ctx: AuditContext, gens: list[Generation] | None = None
) -> Iterator[tuple[str, Generation, bool]]:
    for gen in used_generations(ctx) if gens is None else gens:
        roles = {ref.uri: ref.role for ref in gen.inputs}
        for uri in likeness_inputs(gen, ctx.ledgers):
            yield uri, gen, roles.get(uri) in LIKENESS_ROLES


def without_consent(ctx: AuditContext, gens: list[Generation]) -> list[Generation]:
    """Those of ``gens`` that copy a voice or take a likeness input no consent record covers."""
    consents = [row for row in ctx.ledgers.consents if row.kind == ConsentKind.voice]
    found = {
        gen.id: gen
        for gen in gens
        if is_cloned_voice(gen)
        and not any(consent_matches_voice(row, *voice_label(gen)) for row in consents)
    }
    found |= {
        gen.id: gen
        for uri, gen, by_role in _likeness_items(ctx, gens)
        if likeness_gap(ctx, uri, by_role)
    }
    if not any(row.kind == ConsentKind.likeness for row in ctx.ledgers.consents):
        found |= {gen.id: gen for gen in gens if _flagged(gen)}
    return sorted(found.values(), key=lambda gen: gen.id)


def _flagged(gen: Generation) -> bool:
    return public_figure_flag(gen) or any(gen.attributes.get(key) for key in _CHARACTER_ATTRS)


@rule(
    code="CONSENT002",
    name="consent.likeness.missing",
    severity="blocker",
    basis=[
        "fr-code-civil-9",
        "fr-code-penal-226-8",
        "sag-aftra-ai",
        "ny-gob-5-302",
        "ca-ab-2602-1836",
    ],
)
def likeness_consent(ctx: AuditContext) -> Iterable[Finding]:
    """Inputs that may show a real person (character, subject or omni references, Sora
    characters, Runway's low public-figure threshold, reference photos of people) have a likeness
    consent.

    Why: anyone may object to the use of their image (Code civil art. 9); an AI montage of a
    person's image without consent is an offence unless obviously AI or expressly stated (Code
    pénal 226-8); US digital-replica laws and SAG-AFTRA require informed consent.
    Fails when: an input recorded in rights/sources.csv as kind person or photo_of_person has no
    likeness consent naming that person (blocker); a character reference has no sources.csv row or
    is recorded as a plain photo, a generation used Sora characters or Runway's low public-figure
    threshold, and no likeness consent covers it (warning).
    How to fix: record the asset in rights/sources.csv with its kind (person, photo_of_person,
    artwork, image...) and the person's signed consent in rights/consents.csv (kind likeness,
    with the asset name in its scope).
    """
    groups: dict[tuple[str, str, str], list[Generation]] = {}
    for uri, gen, by_role in _likeness_items(ctx):
        verdict = likeness_gap(ctx, uri, by_role)
        if verdict:
            groups.setdefault((uri, *verdict), []).append(gen)
    for (uri, severity, text), gens in sorted(groups.items()):
        yield finding(
            "CONSENT002",
            f"Input {uri} of {len(gens)} generation(s) used in the film is {text}.",
            fix="Record the asset's kind in rights/sources.csv and the "
            "person's consent in rights/consents.csv (kind likeness).",
            evidence=[uri],
            generations=gens,
            severity=severity,
        )
    flagged = [gen for gen in used_generations(ctx) if _flagged(gen)]
    if flagged and not any(c.kind == ConsentKind.likeness for c in ctx.ledgers.consents):
        yield finding(
            "CONSENT002",
            f"{len(flagged)} generation(s) used in the film allowed real "
            "people (Sora characters or Runway public_figure_threshold 'low'); no "
            "likeness consent record found.",
            fix="Record who appears and their consent (kind likeness) in rights/consents.csv.",
            generations=flagged,
            severity="warning",
        )


def _scope_gaps(ctx: AuditContext, row: ConsentRow) -> list[str]:
    """Distribution values the consent's free-text scope does not mention (sorted)."""
    scope = fold(row.scope)
    if any(fold(word) in scope for word in ctx.terms.scope_all_words):
        return []
    missing = []
    for value in sorted(d.value for d in ctx.production.distribution):
        use = ctx.terms.distribution.get(value)
        words = use.scope_words if use else (value,)
        if not any(fold(word) in scope for word in words):
            missing.append(value)
    return missing


def _first_use(ctx: AuditContext, row: ConsentRow) -> Generation | None:
    """The earliest used generation of a cloned voice this (voice) consent names."""
    if row.kind != ConsentKind.voice:
        return None
    gens = [
        gen
        for gen in used_generations(ctx)
        if is_cloned_voice(gen) and consent_matches_voice(row, *voice_label(gen))
    ]
    return min(gens, key=lambda gen: gen.created_at) if gens else None


def _date_gaps(ctx: AuditContext, row: ConsentRow) -> Iterator[tuple[str, str, str]]:
    """Ends before the release (blocker); starts after the voice was first generated."""
    release = ctx.production.release_date
    if row.valid_until is not None and row.valid_until < release:
        already = (
            f" (already expired on the audit date {ctx.as_of.isoformat()})"
            if row.valid_until < ctx.as_of
            else ""
        )
        yield (
            "blocker",
            f"ends on {row.valid_until.isoformat()}, before the release on "
            f"{release.isoformat()}{already}",
            "Extend the consent through the release and exploitation period, or replace the "
            "material before release.",
        )
    first = _first_use(ctx, row)
    if first and row.valid_from and first.created_at.date() < row.valid_from:
        yield (
            "warning",
            f"starts on {row.valid_from.isoformat()}, after the first generation "
            f"using the voice ({first.created_at.date().isoformat()}, {first.id})",
            "Check whether an earlier consent covered the recording and cloning.",
        )


def _coverage(ctx: AuditContext, row: ConsentRow) -> Iterator[tuple[str, str, str]]:
    """(severity, what is not covered, fix) for one consent row."""
    yield from _date_gaps(ctx, row)
    missing = covers_territories(row.territories, ctx.production.territories)
    if row.territories and missing:
        yield (
            "blocker",
            f"does not cover the territories {', '.join(missing)}",
            "Extend the consent's territories, or restrict the release.",
        )
    elif not row.territories:
        yield ("warning", "states no territories", "Add the territories covered (FR|BE or WORLD).")
    if gaps := _scope_gaps(ctx, row):
        yield (
            "warning",
            f"has a scope that does not mention {', '.join(gaps)} "
            f"(scope: {row.scope or 'empty'!r})",
            "Check the signed document and write the uses it covers in the scope column.",
        )
    if not row.document:
        yield (
            "warning",
            "references no signed document",
            "Add the document's path or reference in the document column.",
        )


@rule(
    code="CONSENT003",
    name="consent.scope.coverage",
    severity="blocker",
    basis=["sag-aftra-ai", "ny-gob-5-302", "fr-cpi-l212-3", "fr-code-civil-9"],
)
def consent_coverage(ctx: AuditContext) -> Iterable[Finding]:
    """Each consent covers the release: its dates run through the release date, its territories
    include the release territories, and its scope mentions the distribution.

    Why: a consent is given for a described use, place and time (SAG-AFTRA informed consent with
    a reasonably specific description; New York GOB § 5-302; performers' written authorisation
    under CPI L212-3). A consent that ends before the release does not cover the exploitation.
    Fails when: valid_until is before the production's release_date, or stated territories miss a
    release territory (blocker); territories or document are missing, the free-text scope does not
    mention a distribution value, or the consent starts after the voice was first generated
    (warning).
    How to fix: obtain an extension or a new consent covering the release date, territories and
    uses, and update rights/consents.csv.
    """
    for row in ctx.ledgers.consents:
        for severity, what, fix in _coverage(ctx, row):
            yield finding(
                "CONSENT003",
                f"The consent of {row.person} ({row.kind.value}, {row.where}) {what}.",
                fix=fix,
                evidence=[row.where, *([row.document] if row.document else [])],
                severity=severity,
            )

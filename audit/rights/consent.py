"""Rules on people: consent for cloned voices (CONSENT001) and for likeness references
(CONSENT002). Whether each consent covers the release (CONSENT003): :mod:`audit.rights.coverage`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from audit.base.i18n import N_
from audit.ingest.ledgers import PERSON_KINDS, ConsentKind, ConsentRow, SourceRow
from audit.rights.base import AuditContext, Finding, finding, rule
from audit.rights.folding import fold
from audit.rights.messages import NP_, Param
from audit.rights.scope import (
    cached_source,
    cloned_voices,
    consent_matches_voice,
    flagged_rows,
    likeness_inputs,
    public_figure_flag,
    used_generations,
)
from audit.rights.table import Attributes, Gens

_CHARACTER_ATTRS = ("sora_characters", "character_ids", "cameo_ids")


def _voice_groups(ctx: AuditContext) -> dict[tuple[str, str], Gens]:
    used = used_generations(ctx)
    groups: dict[tuple[str, str], list[int]] = {}
    for row, voice in cloned_voices(used).items():
        groups.setdefault(voice, []).append(row)
    return {voice: used.source.gens(rows) for voice, rows in sorted(groups.items())}


def _voice_evidence(gens: Gens, voice: tuple[str, str]) -> list[str]:
    """The voice's id, ElevenLabs category and Voice Library owner (as the first generation
    records them), as evidence lines."""
    attrs = gens.source.attributes(gens.first())
    facts = [
        ("voice_id", voice[0]),
        ("voice_category", attrs.get("voice_category")),
        ("voice_sharing_owner", attrs.get("voice_sharing_owner")),
    ]
    return [f"{key}: {value}" for key, value in facts if value]


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
        params: dict[str, Param] = {"voice": voice[1] or voice[0] or "–", "count": len(gens)}
        evidence = _voice_evidence(gens, voice)
        if not consents:
            yield finding(
                "CONSENT001",
                NP_(
                    "No consent record of kind voice found covering the voice “%(voice)s”, "
                    "used by %(count)s generation in the film.",
                    "No consent record of kind voice found covering the voice “%(voice)s”, "
                    "used by %(count)s generations in the film.",
                ),
                fix=N_("Add the speaker's signed consent to rights/consents.csv (kind voice)."),
                params=params,
                evidence=evidence,
                generations=gens,
            )
        else:
            yield finding(
                "CONSENT001",
                NP_(
                    "The voice “%(voice)s”, used by %(count)s generation in the film, cannot "
                    "be tied to any voice consent in rights/consents.csv.",
                    "The voice “%(voice)s”, used by %(count)s generations in the film, cannot "
                    "be tied to any voice consent in rights/consents.csv.",
                ),
                fix=N_(
                    "Put the voice id in the scope or document column of the matching consent "
                    "row, or add the missing consent."
                ),
                params=params,
                evidence=[*evidence, *(row.where for row in consents)],
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


_RECORDED_PERSON = NP_(
    "Input %(input)s of %(count)s generation used in the film is recorded as %(source_kind)s "
    "(%(where)s); no likeness consent record found covering it.",
    "Input %(input)s of %(count)s generations used in the film is recorded as %(source_kind)s "
    "(%(where)s); no likeness consent record found covering it.",
)
_PHOTO_REFERENCE = NP_(
    "Input %(input)s of %(count)s generation used in the film is a photo used as a character "
    "reference (%(where)s); if it shows a real person, no likeness consent record found "
    "covering it.",
    "Input %(input)s of %(count)s generations used in the film is a photo used as a character "
    "reference (%(where)s); if it shows a real person, no likeness consent record found "
    "covering it.",
)
_UNRECORDED_REFERENCE = NP_(
    "Input %(input)s of %(count)s generation used in the film is a character or subject "
    "reference with no row in rights/sources.csv; if it shows a real person, no likeness "
    "consent record found covering it.",
    "Input %(input)s of %(count)s generations used in the film is a character or subject "
    "reference with no row in rights/sources.csv; if it shows a real person, no likeness "
    "consent record found covering it.",
)
#: The ``source_kind`` label of a sources.csv row that marks a real person.
_PERSON_KIND_LABELS = {
    "person": N_("a person"),
    "photo_of_person": N_("a photo of a person"),
}
#: A likeness gap: (severity, message, sources.csv row location or "").
LikenessGap = tuple[str, tuple[str, str], str]


def likeness_gap(ctx: AuditContext, uri: str, by_role: bool) -> LikenessGap | None:
    """(severity, message, row location) for one possible-likeness input, or None when
    covered."""
    row = cached_source(ctx, uri)
    if _likeness_consent(ctx, uri, row):
        return None
    if row is not None and row.kind in PERSON_KINDS:
        return "blocker", _RECORDED_PERSON, row.where
    if row is not None and row.kind == "photo" and by_role:
        return "warning", _PHOTO_REFERENCE, row.where
    if row is None and by_role:
        return "warning", _UNRECORDED_REFERENCE, ""
    return None


def _likeness_items(
    ctx: AuditContext, gens: Gens | None = None
) -> Iterator[tuple[str, Gens, LikenessGap]]:
    """(input, generations taking it, gap) of each possible-likeness input no consent covers,
    each distinct input and role read once."""
    gens = used_generations(ctx) if gens is None else gens
    frame = likeness_inputs(ctx, gens)
    gaps: dict[tuple[str, bool], LikenessGap | None] = {}
    groups: dict[tuple[str, LikenessGap], list[int]] = {}
    for row, uri, by_role in frame.itertuples(index=False, name=None):
        key = (uri, bool(by_role))
        gap = gaps[key] if key in gaps else gaps.setdefault(key, likeness_gap(ctx, *key))
        if gap:
            groups.setdefault((uri, gap), []).append(int(row))
    for (uri, gap), rows in groups.items():
        yield uri, gens.source.gens(rows), gap


def without_consent(ctx: AuditContext, gens: Gens) -> Gens:
    """Those of ``gens`` that copy a voice or take a likeness input no consent record covers."""
    consents = [row for row in ctx.ledgers.consents if row.kind == ConsentKind.voice]
    rows = {
        row
        for row, voice in cloned_voices(gens).items()
        if not any(consent_matches_voice(consent, *voice) for consent in consents)
    }
    rows |= {int(r) for _, part, _ in _likeness_items(ctx, gens) for r in part.rows.tolist()}
    if not any(row.kind == ConsentKind.likeness for row in ctx.ledgers.consents):
        rows |= set(flagged_rows(gens, _flagged).tolist())
    return gens.source.gens(sorted(rows))


def _flagged(attrs: Attributes) -> bool:
    return public_figure_flag(attrs) or any(attrs.get(key) for key in _CHARACTER_ATTRS)


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
    groups: dict[tuple[str, LikenessGap], list[Gens]] = {}
    for uri, part, gap in _likeness_items(ctx):
        groups.setdefault((uri, gap), []).append(part)
    for (uri, (severity, message, where)), parts in sorted(groups.items()):
        gens = parts[0].joined([part.rows for part in parts])
        params: dict[str, Param] = {"input": uri, "count": len(gens)}
        params |= {"where": where} if where else {}
        if message is _RECORDED_PERSON:
            kind = getattr(cached_source(ctx, uri), "kind", "")
            params["source_kind"] = _PERSON_KIND_LABELS.get(str(kind), str(kind))
        yield finding(
            "CONSENT002",
            message,
            fix=N_(
                "Record the asset's kind in rights/sources.csv and the person's consent in "
                "rights/consents.csv (kind likeness)."
            ),
            params=params,
            evidence=[uri],
            generations=gens,
            severity=severity,
        )
    used = used_generations(ctx)
    flagged = used.source.gens(flagged_rows(used, _flagged))
    if flagged and not any(c.kind == ConsentKind.likeness for c in ctx.ledgers.consents):
        yield finding(
            "CONSENT002",
            NP_(
                "%(count)s generation used in the film allowed real people (Sora characters or "
                "Runway public_figure_threshold 'low'); no likeness consent record found.",
                "%(count)s generations used in the film allowed real people (Sora characters "
                "or Runway public_figure_threshold 'low'); no likeness consent record found.",
            ),
            fix=N_("Record who appears and their consent (kind likeness) in rights/consents.csv."),
            params={"count": len(flagged)},
            generations=flagged,
            severity="warning",
        )

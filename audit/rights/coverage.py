"""Whether each consent covers the release (CONSENT003): its dates, territories, scope and
signed document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from audit.base.i18n import N_
from audit.ingest.ledgers import ConsentKind, ConsentRow
from audit.rights.base import AuditContext, Finding, finding, rule
from audit.rights.folding import fold
from audit.rights.messages import Param
from audit.rights.scope import (
    cloned_voices,
    consent_matches_voice,
    covers_territories,
    used_generations,
)
from audit.rights.table import day_of


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


def _first_use(ctx: AuditContext, row: ConsentRow) -> tuple[str, date] | None:
    """(id, day) of the earliest used generation of a cloned voice this (voice) consent names
    (the smallest id among the first ones)."""
    if row.kind != ConsentKind.voice:
        return None
    used = used_generations(ctx)
    rows = [r for r, voice in cloned_voices(used).items() if consent_matches_voice(row, *voice)]
    if not rows:
        return None
    table = used.source
    created, ids = table.column("created_us"), table.column("id")
    first = min(rows, key=lambda r: (created[r], ids[r]))
    return str(ids[first]), day_of(int(table.days[first]))


#: The ``kind`` label of a consent row.
_CONSENT_KIND_LABELS = {
    "voice": N_("voice"),
    "likeness": N_("likeness"),
    "performance": N_("performance"),
}
#: A coverage gap of a consent: (severity, message, fix, extra parameters).
Gap = tuple[str, str, str, dict[str, Param]]


def _date_gaps(ctx: AuditContext, row: ConsentRow) -> Iterator[Gap]:
    """Ends before the release (blocker); starts after the voice was first generated."""
    release = ctx.production.release_date
    if row.valid_until is not None and row.valid_until < release:
        dates: dict[str, Param] = {
            "end": row.valid_until.isoformat(),
            "release": release.isoformat(),
        }
        expired = row.valid_until < ctx.as_of
        yield (
            "blocker",
            N_(
                "The consent of %(person)s (%(kind)s, %(where)s) ends on %(end)s, before the "
                "release on %(release)s; it had already expired on the report date, %(as_of)s."
            )
            if expired
            else N_(
                "The consent of %(person)s (%(kind)s, %(where)s) ends on %(end)s, before the "
                "release on %(release)s."
            ),
            N_(
                "Extend the consent through the release and exploitation period, or replace the "
                "material before release."
            ),
            dates | ({"as_of": ctx.as_of.isoformat()} if expired else {}),
        )
    first = _first_use(ctx, row)
    if first and row.valid_from and first[1] < row.valid_from:
        yield (
            "warning",
            N_(
                "The consent of %(person)s (%(kind)s, %(where)s) starts on %(start)s, after the "
                "first generation using the voice (%(first_day)s, %(generation)s)."
            ),
            N_("Check whether an earlier consent covered the recording and cloning."),
            {
                "start": row.valid_from.isoformat(),
                "first_day": first[1].isoformat(),
                "generation": first[0],
            },
        )


def _coverage(ctx: AuditContext, row: ConsentRow) -> Iterator[Gap]:
    """(severity, message, fix, parameters) for each gap of one consent row."""
    yield from _date_gaps(ctx, row)
    missing = covers_territories(row.territories, ctx.production.territories)
    if row.territories and missing:
        yield (
            "blocker",
            N_(
                "The consent of %(person)s (%(kind)s, %(where)s) does not cover the territories "
                "%(territories)s."
            ),
            N_("Extend the consent's territories, or restrict the release."),
            {"territories": ", ".join(missing)},
        )
    elif not row.territories:
        yield (
            "warning",
            N_("The consent of %(person)s (%(kind)s, %(where)s) states no territories."),
            N_("Add the territories covered (for example FR|BE, or WORLD)."),
            {},
        )
    if gaps := _scope_gaps(ctx, row):
        yield (
            "warning",
            N_(
                "The scope of the consent of %(person)s (%(kind)s, %(where)s), “%(scope)s”, "
                "does not mention %(uses)s."
            ),
            N_("Check the signed document and write the uses it covers in the scope column."),
            {"uses": ", ".join(gaps), "scope": row.scope},
        )
    if not row.document:
        yield (
            "warning",
            N_("The consent of %(person)s (%(kind)s, %(where)s) references no signed document."),
            N_("Add the document's path or reference in the document column."),
            {},
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
        kind = _CONSENT_KIND_LABELS.get(row.kind.value, row.kind.value)
        person = {"person": row.person, "kind": kind, "where": row.where}
        for severity, message, fix, params in _coverage(ctx, row):
            yield finding(
                "CONSENT003",
                message,
                fix=fix,
                params={**person, **params},
                evidence=[row.where, *([row.document] if row.document else [])],
                severity=severity,
            )

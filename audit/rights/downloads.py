"""When outputs were downloaded (TERMS003): Udio outputs downloaded while its terms allowed it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

import numpy as np

from audit.base.i18n import N_
from audit.base.textio import from_iso
from audit.ingest.registry import platforms
from audit.rights.base import AuditContext, Finding, finding, rule
from audit.rights.knowledge import Period
from audit.rights.messages import NP_, Param
from audit.rights.scope import by_platform
from audit.rights.table import Gens, day_of


@cache
def _download_day(raw: object) -> date | None:
    """The day of a ``downloaded_at`` attribute (None: not recorded)."""
    if raw in (None, ""):
        return None
    return from_iso(str(raw)).date()


def _outside_and_undated(gens: Gens, periods: tuple[Period, ...], last: date) -> tuple[Gens, Gens]:
    """The outputs downloaded outside the periods (or undated and generated after the last day),
    and the undated ones generated before it."""
    downloaded = [_download_day(raw) for raw in gens.source.attribute(gens.rows, "downloaded_at")]
    late = gens.days() > (last - day_of(0)).days
    outside = [
        late[k] if day is None else not any(period.covers(day) for period in periods)
        for k, day in enumerate(downloaded)
    ]
    undated = np.asarray([day is None for day in downloaded], dtype=bool) & ~late
    return gens.where(np.asarray(outside, dtype=bool)), gens.where(undated)


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
        outside, undated = _outside_and_undated(gens, periods, last)
        params: dict[str, Param] = {
            "platform": platforms().title(key),
            "last_day": last.isoformat(),
        }
        if outside:
            yield finding(
                "TERMS003",
                NP_(
                    "%(count)s %(platform)s output used in the film was downloaded or generated "
                    "outside the periods when downloads were allowed (last day: %(last_day)s).",
                    "%(count)s %(platform)s outputs used in the film were downloaded or "
                    "generated outside the periods when downloads were allowed (last day: "
                    "%(last_day)s).",
                ),
                fix=N_("Replace this music, or record the real download date with evidence."),
                params={**params, "count": len(outside)},
                generations=outside,
            )
        if undated:
            yield finding(
                "TERMS003",
                NP_(
                    "No download date recorded for %(count)s %(platform)s output used in the film.",
                    "No download date recorded for %(count)s %(platform)s outputs used in the "
                    "film.",
                ),
                fix=N_("Record downloaded_at for each output, with evidence."),
                params={**params, "count": len(undated)},
                generations=undated,
                severity="warning",
            )

"""The rules on every generation, by use status (docs/rules.md, "What is checked").

A rule runs on the generations in the film, then on those possibly in it (a candidate of an
unresolved shot, sound when the cut has no audio track, an input of one), then on the others. A
problem on a generation possibly in the film keeps its severity and says "To verify: not proven
to be in the film."; on one that is not in the film it is information. So no problem is missed
because a link failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import pandas as pd

from audit.link.model import USE_NAMES
from audit.rights.base import (
    SEVERITY_ORDER,
    USE_NOTES,
    AuditContext,
    Finding,
    Rule,
    Severity,
    redact_text,
    redaction_map,
    registry,
)

#: Rules about the film as a whole (disclosure, training claims, masters): run once, on what is
#: in the film or possibly in it.
FILM_ONLY = frozenset({"DISCLOSE001", "TRAIN001", "PROV001"})
#: The passes, in order.
TIERS = ("in_film", "possibly_in_film", "not_in_film")


def scoped(registered: Rule, ctx: AuditContext) -> Iterator[Finding]:
    """The rule on the generations in the film, then on those possibly in it (same severity,
    "to verify"), then on the others (information); findings of the later passes that name no
    generation repeat the first pass and are dropped. A rule about the whole film runs once, on
    what is in it or possibly in it: "to verify" when none of its generations is in it."""
    use = ctx.gens.use
    if use is None:
        yield from registered.check(ctx)
        return
    tiers = ("in_film+possibly_in_film",) if registered.code in FILM_ONLY else TIERS
    for tier in tiers:
        for item in registered.check(replace(ctx, tier=tier)):
            if not item.generation_ids:
                if tier.startswith("in_film"):
                    yield item
                continue
            status = tier
            if "+" in tier:
                rows = ctx.gens.table.id_index().get_indexer(
                    pd.Index(item.generation_ids, dtype=object)
                )
                proven = bool((use[rows[rows >= 0]] == USE_NAMES.index("in_film")).any())
                status = "in_film" if proven else "possibly_in_film"
            yield _marked(item, status)


def _marked(item: Finding, status: str) -> Finding:
    """A finding with its generations' use status, and the note that status adds."""
    update: dict[str, Any] = {"use": status}
    if status in USE_NOTES:
        update["message"] = f"{item.message} {USE_NOTES[status]}"
    if status == "not_in_film":
        update["severity"] = Severity.info
    return item.model_copy(update=update)


def _sort_key(item: Finding) -> tuple[Any, ...]:
    return (SEVERITY_ORDER[item.severity], item.code, item.evidence[:1], item.message)


def _redacted(item: Finding, names: dict[str, str]) -> Finding:
    return item.model_copy(
        update={
            "message": redact_text(item.message, names),
            "fix": redact_text(item.fix, names),
            "evidence": [redact_text(line, names) for line in item.evidence],
            "params": {
                key: redact_text(value, names) if isinstance(value, str) else value
                for key, value in item.params.items()
            },
        }
    )


def run_rules(
    ctx: AuditContext, redact: bool = False, only: Iterable[str] | None = None
) -> list[Finding]:
    """Run every registered rule (or those in ``only``); findings sorted by severity, code and
    first evidence. ``redact`` replaces consent subjects' names by ``person #N``."""
    wanted = set(only) if only is not None else None
    found: list[Finding] = []
    for code, registered in registry().items():
        if wanted is None or code in wanted:
            found.extend(scoped(registered, ctx))
    if redact:
        names = redaction_map(ctx)
        found = [_redacted(item, names) for item in found]
    return sorted(found, key=_sort_key)

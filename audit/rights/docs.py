"""``docs/rules.md``, generated from the rule registry and the rights data (deterministic: no dates
of the run, everything sorted)."""

from __future__ import annotations

from audit.rights.base import Rule, registry
from audit.rights.datafiles import load_terms, rights_sources
from audit.rights.knowledge import Terms

_INTRO = """\
# Rights and consent rules

Generated from the code by `make docs`; do not edit by hand.

Empreinte compares the generation records with what the production declares in `rights/`
(`sources.csv`, `consents.csv`, `plans.csv`), the Content Credentials of its media files and the
platform terms recorded in `data/platform_terms.yaml`. A finding states evidence and gaps
("no consent record found covering …"); it never says that something is legal or illegal, and it
is not legal advice.

- **blocker**: the records contradict the release (a non-commercial plan for a public
  distribution, a missing or expired consent); resolve before delivery.
- **warning**: evidence is missing or cannot be matched; complete the records or check by hand.
- **info**: recorded for the rights file (training-data claims, licensed stock, deceased artists).

The severity shown for each rule is the highest it reports. `--redact` replaces the names of
consent subjects by `person #N` in every message.

## What is checked: every generation, by use status

Linking gives every generation a use status (docs/linking.md, "Use status"): **in the film** (kept
for a clip of the cut, or an ancestor of a kept one), **possibly in the film** (a candidate of a
shot whose kept take is unknown; a music, voice or sound generation when the cut has no audio
track; every succeeded generation when nothing could be linked; an input of any of those), or
**not in the film**. Every rule runs on all three, one after the other, so that no problem is
missed because a link failed:

- on generations in the film, a finding has the rule's severity;
- on generations possibly in the film, it keeps its severity and its message ends with
  "To verify: not proven to be in the film." (`use: possibly_in_film` in audit.json): check
  whether the material is in the cut, then fix the problem or the names that would prove it is
  not (docs/linking.md, "File-name conventions");
- on generations not in the film, it is information (`use: not_in_film`).

Rules about the film as a whole (DISCLOSE001, TRAIN001, PROV001) run once, on what is in the film or
possibly in it. Findings about the ledgers alone (a consent's dates, a licence's territories) name
no generation and are reported once, at their severity.

Absence of Content Credentials proves nothing: most platforms never embed them and most exports
strip them. The name lists of `data/lists/` are indicative, not exhaustive.
"""


def _basis_line(source_id: str) -> str:
    source = rights_sources().get(source_id)
    if source is None:
        return f"- `{source_id}`"
    url = f" <{source.url}>" if source.url else ""
    return f"- `{source_id}`: {source.title} ({source.year}, confidence {source.confidence}){url}"


def _rule_section(item: Rule) -> list[str]:
    lines = [
        f'<a id="{item.code.lower()}"></a>',
        "",
        f"## {item.code}: `{item.name}`",
        "",
        f"**Severity:** {item.severity.value}",
        "",
        item.summary,
        "",
    ]
    for title in ("Why", "Fails when", "How to fix"):
        lines += [f"**{title}.** {item.sections.get(title, '')}", ""]
    lines += ["**Basis:**", "", *(_basis_line(sid) for sid in item.basis), ""]
    return lines


def _distribution_table(terms: Terms) -> list[str]:
    lines = [
        "## How distribution maps to commercial use",
        "",
        "| distribution | needs commercial-use terms | why |",
        "|---|---|---|",
    ]
    for value, use in sorted(terms.distribution.items()):
        lines.append(f"| {value} | {'yes' if use.needs_commercial_use else 'no'} | {use.why} |")
    return [*lines, ""]


def _terms_table(terms: Terms) -> list[str]:
    lines = [
        f"## Platform terms recorded (checked {terms.checked_on.isoformat()})",
        "",
        "| platform | tier | commercial use | period | verified | sources |",
        "|---|---|---|---|---|---|",
    ]
    for key, platform in sorted(terms.platforms.items()):
        if platform.local:
            lines.append(f"| {key} | (local) | see model licences | | | |")
        for entry in platform.tiers:
            tiers = ", ".join([entry.tier, *entry.aliases])
            start = entry.effective_from.isoformat() if entry.effective_from else ""
            end = entry.effective_to.isoformat() if entry.effective_to else ""
            period = f"{start}..{end}" if start or end else "any"
            lines.append(
                f"| {key} | {tiers} | {entry.commercial_use.value} | {period} | "
                f"{'yes' if entry.verified else 'no'} | {', '.join(entry.sources)} |"
            )
    lines += [
        "",
        "| model licence | matches | commercial use | verified | sources |",
        "|---|---|---|---|---|",
    ]
    for licence in terms.models:
        lines.append(
            f"| {licence.title} | {', '.join(licence.match)} | "
            f"{licence.commercial_use.value} | {'yes' if licence.verified else 'no'} | "
            f"{', '.join(licence.sources)} |"
        )
    return [*lines, ""]


def render_rules_md() -> str:
    """The whole ``docs/rules.md`` page."""
    rules = registry()
    lines = [_INTRO, "| code | name | severity | checks |", "|---|---|---|---|"]
    for code, item in rules.items():
        lines.append(
            f"| [{code}](#{code.lower()}) | `{item.name}` | {item.severity.value} | "
            f"{item.summary} |"
        )
    lines.append("")
    for item in rules.values():
        lines += _rule_section(item)
    terms = load_terms()
    lines += _distribution_table(terms) + _terms_table(terms)
    return "\n".join(lines).rstrip() + "\n"

"""The rules engine: one registry of rule functions, the context they read, the findings they yield.

A rule is a function ``check(ctx: AuditContext) -> Iterable[Finding]`` registered with
``@rule(code=..., name=..., severity=..., basis=[source ids])``. Its docstring is its documentation:
a summary line, then the sections ``Why:``, ``Fails when:`` and ``How to fix:`` (rendered into
``docs/rules.md`` by :mod:`audit.rights.docs`). The registered severity is the highest a rule
reports; a finding may be milder (a gap of evidence is a warning where a contradiction is a blocker).

Findings state evidence and gaps ("no consent record found covering …"); they never conclude that
something is legal or illegal. Their message and fix are translatable templates with plain
parameters (:mod:`audit.rights.messages`): English in audit.json, French or English in the report.
Their evidence stays as recorded, except the curated notes of ``data/`` it quotes, which the French
report prints in French (:meth:`Finding.local_evidence`).
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from audit.base.errors import DataError
from audit.base.i18n import N_, Formatter, gettext
from audit.base.models import Generation
from audit.base.production import Production
from audit.ingest.ledgers import Ledgers
from audit.ingest.provenance import Provenance
from audit.rights.datafiles import load_lists, load_terms, load_training_claims, rights_sources
from audit.rights.knowledge import NameList, Terms, TrainingClaims
from audit.rights.messages import Message, Param, english, localise, split
from audit.rights.table import Gens, RightsTable, evidence_of

#: Modules whose import registers the built-in rules, in documentation order.
BUILTIN_MODULES: tuple[str, ...] = (
    "audit.rights.terms",
    "audit.rights.downloads",
    "audit.rights.licences",
    "audit.rights.consent",
    "audit.rights.coverage",
    "audit.rights.disclosure",
    "audit.rights.clearance",
)

#: What ``--redact`` writes instead of a consent subject's name: ``person #1`` in audit.json,
#: findings.csv and every English text (machine-stable); translated in the report.
PERSON = N_("person #%(number)s")
_PERSON_LABEL = re.compile(
    r"(?<!\w)" + re.escape(PERSON).replace(r"%\(number\)s", r"(\d+)") + r"(?!\w)"
)
SECTIONS = ("Why:", "Fails when:", "How to fix:")
_CODE = re.compile(r"^[A-Z]+[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
_EVIDENCE_SHOWN = 12
#: Evidence labels whose text may be a curated text of data/ (``note: …``), translated for the reader.
_NOTE_LABELS = frozenset({"terms", "note", "claim", "caveat"})
#: Labels of evidence lines, as the reader's language writes them (the recorded line keeps the
#: English label: audit.json and findings.csv are read by machines).
EVIDENCE_LABELS = {
    "source": N_("source:"),
    "note": N_("note:"),
    "terms": N_("terms:"),
    "name": N_("name:"),
    "generated": N_("generated:"),
    "signer": N_("signer:"),
    "claim": N_("claim:"),
    "caveat": N_("caveat:"),
}


class Severity(StrEnum):
    """How much a finding blocks delivery."""

    blocker = "blocker"
    warning = "warning"
    info = "info"


SEVERITY_ORDER = {Severity.blocker: 0, Severity.warning: 1, Severity.info: 2}
#: What a finding on generations not proven to be in the film adds to its message.
USE_NOTES = {
    "possibly_in_film": N_("To verify: not proven to be in the film."),
    "not_in_film": N_("Not in the film: for information."),
}


class Finding(BaseModel):
    """One finding of the rights audit: what is missing or contradicts, with the evidence."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="rule code, e.g. TERMS001")
    name: str = Field(description="dotted rule name, e.g. terms.tier.distribution")
    severity: Severity = Field(description="blocker | warning | info")
    message: str = Field(
        description="what was found, one sentence, no legal conclusion (English, machine-stable)"
    )
    message_id: str = Field(
        description="gettext message id of message: the English template, %(name)s placeholders"
    )
    message_id_plural: str | None = Field(
        default=None, description="plural message id, chosen by params['count'] (None: none)"
    )
    evidence: list[str] = Field(
        default_factory=list, description="generation ids, file:line, assets, shots"
    )
    generation_ids: list[str] = Field(default_factory=list, description="generations concerned")
    shot_ids: list[str] = Field(default_factory=list, description="shots concerned")
    fix: str = Field(description="how to resolve it (English, machine-stable)")
    fix_id: str = Field(description="gettext message id of fix")
    params: dict[str, Param] = Field(
        default_factory=dict,
        description="placeholder values of message and fix: names, file:line, counts, ISO dates",
    )
    doc_url: str = Field(description="docs/rules.md#<code lowercase>")
    use: str | None = Field(
        default=None,
        description="use status of its generations: in_film, possibly_in_film (to verify: not "
        "proven to be in the film), not_in_film (information only); None: not about generations",
    )

    def localised(self, fmt: Formatter) -> tuple[str, str]:
        """(message, fix) translated for ``fmt.lang``, numbers and dates written its way, and
        ``--redact``'s ``person #N`` labels in the parameters written the reader's way."""
        params = {
            key: local_labels(value, fmt) if isinstance(value, str) else value
            for key, value in self.params.items()
        }
        message = localise(self.message_id, self.message_id_plural, params, fmt)
        if self.use in USE_NOTES:
            message = f"{message} {gettext(fmt.lang, USE_NOTES[self.use])}"
        return message, localise(self.fix_id, None, params, fmt)

    def local_evidence(self, fmt: Formatter) -> list[str]:
        """The evidence for a reader: a cited source as its public link (``source: suno-terms``
        → ``source: https://suno.com/terms``); in French, its labels (``source:``, ``note:``…) in
        French, and each curated English text of data/ it quotes (after ``terms:``, ``note:``,
        ``claim:`` or ``caveat:``) in French; record locations and a text with no known
        counterpart stay as recorded."""
        evidence = [_public_source(line) for line in self.evidence]
        if fmt.lang != "fr":
            return evidence
        notes, name, lines = french_notes(), "", []
        for line in evidence:
            label, colon, text = line.partition(": ")
            if not colon or label not in EVIDENCE_LABELS:
                lines.append(line)
                continue
            name = text if label == "name" else name
            french = notes.get((name, text)) or notes.get(("", text))
            text = french if french and label in _NOTE_LABELS else text
            lines.append(f"{gettext(fmt.lang, EVIDENCE_LABELS[label])} {text}")
        return lines


def _public_source(line: str) -> str:
    """``source: <id>`` of data/rights_sources.yaml as the source's public link (the id is
    the project's own name); any other line as it is."""
    label, colon, text = line.partition(": ")
    if label != "source" or not colon:
        return line
    found = rights_sources().get(text)
    return f"source: {found.url}" if found is not None and found.url else line


@dataclass(kw_only=True)
class AuditContext:
    """Everything the rules read. ``gens`` are the linked generations as columns (their shot,
    whether kept, their use status); ``credits_text`` is the AI disclosure that will be printed
    (None: not written yet). A caller holding objects (a test) gives ``generations`` instead:
    they become ``gens``."""

    production: Production
    ledgers: Ledgers
    as_of: date
    gens: RightsTable = field(default_factory=lambda: RightsTable.of_generations([]))
    #: objects to audit instead of ``gens`` (``shot_id``/``kept`` as they hold them); turned
    #: into ``gens`` on creation. With use status (``gens.use``) None: the kept generations and
    #: their lineage are the film (docs/rules.md, "What is checked").
    generations: list[Generation] | None = None
    provenance: list[Provenance] = field(default_factory=list)
    terms: Terms = field(default_factory=load_terms)
    lists: dict[str, NameList] = field(default_factory=load_lists)
    training_claims: TrainingClaims = field(default_factory=load_training_claims)
    unexplained_media: list[str] = field(default_factory=list)
    credits_text: str | None = None
    #: inputs linking found to be another generation's output (e.g. by a platform id in a path)
    generated_inputs: frozenset[str] = frozenset()
    #: the use status the rules look at in this pass (set by :func:`run_rules`)
    tier: str = "in_film"
    #: what the passes share, computed once per run (generations by pass, prompts read...)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.generations is not None:
            self.gens, self.generations = RightsTable.of_generations(self.generations), None


Check = Callable[[AuditContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule and its documentation."""

    code: str
    name: str
    severity: Severity
    basis: tuple[str, ...]
    check: Check
    summary: str
    sections: dict[str, str]

    @property
    def doc_url(self) -> str:
        """Where docs/rules.md documents the rule (its anchor)."""
        return f"docs/rules.md#{self.code.lower()}"


_REGISTRY: dict[str, Rule] = {}


def parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Summary (first paragraph, as one line) and the ``Why:`` / ``Fails when:`` / ``How to fix:`` sections (text joined
    into single lines; missing sections are absent from the dict)."""
    lines = [line.strip() for line in (doc or "").strip().splitlines()]
    end = lines.index("") if "" in lines else len(lines)
    summary = " ".join(lines[:end])
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines[end:]:
        header = next((s for s in SECTIONS if line.startswith(s)), None)
        if header:
            current = header.rstrip(":")
            sections[current] = [line[len(header) :].strip()]
        elif current:
            sections[current].append(line)
    return summary, {k: " ".join(part for part in v if part) for k, v in sections.items()}


def rule(*, code: str, name: str, severity: str, basis: list[str]) -> Callable[[Check], Check]:
    """Register ``check`` under ``code``; the code, name and docstring are checked here."""

    def register(check: Check) -> Check:
        if not _CODE.match(code) or not _NAME.match(name):
            raise DataError(f"rule {code!r}/{name!r}: code must be like ABC001, name dotted")
        if code in _REGISTRY and _REGISTRY[code].check is not check:
            raise DataError(f"two rules with code {code}")
        summary, sections = parse_docstring(check.__doc__ or "")
        _REGISTRY[code] = Rule(
            code, name, Severity(severity), tuple(basis), check, summary, sections
        )
        return check

    return register


def registry() -> dict[str, Rule]:
    """Every rule by code (the built-in modules are imported on first use)."""
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    return dict(sorted(_REGISTRY.items()))


def capped(items: Iterable[str], limit: int = _EVIDENCE_SHOWN) -> list[str]:
    """Sorted unique items, at most ``limit`` of them plus a ``… and N more`` line."""
    unique = sorted(set(items))
    if len(unique) <= limit:
        return unique
    return [*unique[:limit], f"… and {len(unique) - limit} more"]


def finding(
    code: str,
    message: Message,
    *,
    fix: str,
    params: Mapping[str, Param] | None = None,
    evidence: Iterable[str] = (),
    generations: Gens | None = None,
    severity: str | None = None,
) -> Finding:
    """A finding of rule ``code``: ``message`` and ``fix`` are marked message ids (``N_``, or
    ``NP_`` for a plural chosen by ``params['count']``) filled with ``params``. Name and doc link
    come from the registry; the generations' ids, shots and record locations (read from their
    columns) are added to the evidence."""
    registered = _REGISTRY[code]
    values = dict(params or {})
    message_id, plural_id = split(message)
    ids, gen_evidence, shots = evidence_of(generations, _EVIDENCE_SHOWN)
    found = Finding(
        code=code,
        name=registered.name,
        severity=Severity(severity) if severity else registered.severity,
        message=english(message, values),
        message_id=message_id,
        message_id_plural=plural_id,
        evidence=[*evidence, *gen_evidence],
        generation_ids=[],
        shot_ids=shots,
        fix=english(fix, values),
        fix_id=fix,
        params=values,
        doc_url=registered.doc_url,
    )
    # The ids are the id column's own text, in order: set as they are. Validating them one by
    # one (a third of a million for one finding at archive scale, read in id order, so from all
    # over memory) cost more than the rest of the rules.
    found.generation_ids = ids
    return found


def _french_texts() -> Iterator[tuple[str, tuple[str, str], str]]:
    """(data file, (listed name or "", English text), French text) of every curated text of data/
    a finding may quote. A name list's note is keyed with the name: ``actor`` is ``acteur`` or
    ``actrice``."""
    terms, claims = load_terms(), load_training_claims()
    pairs = [pair for licence in terms.models for pair in licence.french_pairs()]
    for platform in terms.platforms.values():
        rule_ = platform.revenue_rule
        pairs += [*platform.french_pairs(), *(rule_.french_pairs() if rule_ else [])]
        pairs += [pair for tier in platform.tiers for pair in tier.french_pairs()]
    yield from (("platform_terms.yaml", ("", english), french) for english, french in pairs)
    pairs = [pair for claim in claims.claims for pair in claim.french_pairs()]
    pairs += claims.none_known.french_pairs()
    yield from (("training_claims.yaml", ("", english), french) for english, french in pairs)
    for name_list in load_lists().values():
        for entry in name_list.entries:
            yield "lists/", (entry.name, entry.quoted_note()), entry.quoted_note("fr")


@cache
def french_notes() -> dict[tuple[str, str], str]:
    """(listed name or "", English text) → French text, for :meth:`Finding.local_evidence`. One
    English text translated two ways under the same key is a DataError."""
    notes: dict[tuple[str, str], str] = {}
    for where, key, french in _french_texts():
        if notes.setdefault(key, french) != french:
            raise DataError(
                f"data/{where}: {key[1]!r} has two French counterparts: {notes[key]!r} and "
                f"{french!r}"
            )
    return notes


def local_labels(text: str, fmt: Formatter) -> str:
    """``text`` with each ``person #N`` label (:data:`PERSON`) translated for ``fmt.lang``
    (``la personne n° 1`` in French: "le consentement de personne" would read "nobody's
    consent"); English and texts without a label come back unchanged."""
    if fmt.lang == "en" or "#" not in text:
        return text
    label = gettext(fmt.lang, PERSON)
    return _PERSON_LABEL.sub(lambda m: label % {"number": fmt.number(int(m[1]), 0)}, text)


def redaction_map(ctx: AuditContext) -> dict[str, str]:
    """Consent subjects' names → ``person #N`` (numbered in name order). First names of three
    letters or more are hidden too, since voice names often carry them."""
    return redaction_names([row.person for row in ctx.ledgers.consents])


def redaction_names(persons: Iterable[str]) -> dict[str, str]:
    """:func:`redaction_map` of these consent subjects (names in NFC: an NFD name from macOS
    and its NFC spelling in another file get one label)."""
    people = sorted({unicodedata.normalize("NFC", person) for person in persons})
    names: dict[str, str] = {}
    for number, person in enumerate(people, start=1):
        label = PERSON % {"number": number}
        names[person] = label
        first = person.split()[0] if person.split() else ""
        if len(first) >= 3 and first not in names:
            names[first] = label
    return names


def redact_text(text: str, names: dict[str, str]) -> str:
    """``text`` with every name of ``names`` replaced by its label, whatever the case and
    whether its words are joined by spaces, hyphens, dots or underscores (``yann-le-goff.pdf``)."""
    text = unicodedata.normalize("NFC", text)
    for name in sorted(names, key=len, reverse=True):
        words = r"[\s_.-]+".join(re.escape(word) for word in name.split())
        text = re.sub(rf"(?<!\w){words}(?!\w)", names[name], text, flags=re.IGNORECASE)
    return text

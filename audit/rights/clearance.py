"""Rules on third-party material: names in prompts (CLEAR001), licences of input references
(SOURCE001), media in the cut that no generation explains (SOURCE002) and the dates and
territories of recorded licences (SOURCE003).

A name CLEAR001 finds is prompt text: ``empreinte report --redact-prompts`` replaces it by a
``name #N`` label (:func:`redact_prompt_names`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

import numpy as np

from audit.base.codes import factorized
from audit.base.i18n import N_, Formatter, gettext
from audit.rights.base import AuditContext, Finding, finding, rule
from audit.rights.folding import fold
from audit.rights.knowledge import ListEntry, NameList
from audit.rights.messages import NP_, Param, english
from audit.rights.scope import (
    MODEL_ROLES,
    cached_source,
    covers_territories,
    generated,
    source_for,
    used_generations,
)
from audit.rights.table import Gens, group_rows

#: Input roles SOURCE001 leaves to other rules: model files (MODEL001), voices (CONSENT001).
_NOT_MATERIAL = MODEL_ROLES | {"voice"}
#: Severity of a name found in a prompt, by list kind (deceased artists: information).
_SEVERITY = {
    "living_artist": "warning",
    "brand": "warning",
    "public_figure": "warning",
    "deceased_artist": "info",
}
#: The ``name_kind`` label of a name found in a prompt, by list kind.
_KINDS = {
    "living_artist": N_("living artist"),
    "brand": N_("brand"),
    "public_figure": N_("public figure"),
    "deceased_artist": N_("deceased artist"),
    "unlisted": N_("named after “in the style of”, not in Empreinte's lists"),
}
#: What ``--redact-prompts`` writes instead of a name found in a prompt: ``name #1`` in
#: audit.json, findings.csv and every English text; translated in the report.
NAME = N_("name #%(number)s")
_NAME_LABEL = re.compile(re.escape(NAME).replace(r"%\(number\)s", r"(\d+)"))
_STYLE = re.compile(
    r"(?:in the style of|style of|dans le style de|à la manière de|a la maniere de|art by|"
    r"painted by|illustrated by)\s+((?:[A-ZÀ-Ý][\w'’.-]*)(?:\s+[A-ZÀ-Ý][\w'’.-]*){0,3})",
    re.IGNORECASE,
)


def _body(name: str, case_sensitive: bool) -> str:
    """The name's words (folded unless ``case_sensitive``), any non-alphanumerics between them."""
    tokens = [t for t in re.split(r"[\W_]+", name if case_sensitive else fold(name)) if t]
    return r"[\W_]*".join(re.escape(token) for token in tokens)


@cache
def _pattern(name: str, case_sensitive: bool) -> re.Pattern[str]:
    body = _body(name, case_sensitive)
    return re.compile(rf"(?<!\w){body}(?!\w)", 0 if case_sensitive else re.IGNORECASE)


def entry_in(text: str, entry: ListEntry, folded: str | None = None) -> bool:
    """Whether the entry's name or an alias is in ``text`` (word boundaries; case- and
    accent-insensitive unless the entry is case-sensitive). ``folded``: ``fold(text)``, when the
    caller already has it."""
    if folded is None:
        folded = fold(text)
    for name in (entry.name, *entry.aliases):
        if entry.case_sensitive and _pattern(name, True).search(text):
            return True
        if not entry.case_sensitive and _pattern(name, False).search(folded):
            return True
    return False


def names_in(text: str, lists: dict[str, NameList]) -> list[tuple[str, ListEntry]]:
    """(list kind, entry) of every listed name found in ``text``, in list order."""
    folded = fold(text)
    return [
        (kind, entry)
        for kind, name_list in sorted(lists.items())
        for entry in name_list.entries
        if entry_in(text, entry, folded)
    ]


def style_names(text: str) -> list[str]:
    """Capitalised names after "in the style of", "dans le style de", "art by"..."""
    found = []
    for match in _STYLE.finditer(text):
        name = match.group(1).strip(" .,'’")
        if name[:1].isupper():
            found.append(name)
    return found


class _Screen:
    """Every listed name and alias in two regexes (the case-sensitive ones on the text, the others
    on its folded form). A prompt that matches neither names no listed name: the search entry by
    entry is skipped for it, as it is for most prompts."""

    def __init__(self, lists: dict[str, NameList]) -> None:
        entries = [entry for name_list in lists.values() for entry in name_list.entries]
        self.exact = self._joined(entries, case_sensitive=True)
        self.folded = self._joined(entries, case_sensitive=False)

    @staticmethod
    def _joined(entries: list[ListEntry], case_sensitive: bool) -> re.Pattern[str] | None:
        bodies = [
            _body(name, case_sensitive)
            for entry in entries
            if entry.case_sensitive == case_sensitive
            for name in (entry.name, *entry.aliases)
        ]
        if not bodies:
            return None
        alternatives = "|".join(rf"{body}(?!\w)" for body in bodies)
        return re.compile(rf"(?<!\w)(?:{alternatives})", 0 if case_sensitive else re.IGNORECASE)

    def may_name(self, text: str) -> bool:
        """False when no listed name or alias is in ``text`` (as :func:`entry_in` reads it)."""
        if self.exact is not None and self.exact.search(text):
            return True
        return self.folded is not None and self.folded.search(fold(text)) is not None


def prompt_keys(
    prompt: str, lists: dict[str, NameList], screen: _Screen | None = None
) -> list[tuple[str, str, str]]:
    """(kind, name, note) of the listed names and the unlisted style names in one prompt."""
    hits = names_in(prompt, lists) if screen is None or screen.may_name(prompt) else []
    keys = []
    for kind, entry in hits:
        keys.append((kind, entry.name, entry.quoted_note()))
    listed = {fold(entry.name) for _, entry in hits}
    for name in style_names(prompt):
        if fold(name) not in listed and not names_in(name, lists):
            keys.append(("unlisted", name, ""))
    return keys


def _prompt_hits(ctx: AuditContext) -> Iterator[tuple[tuple[str, str, str], Gens]]:
    """((kind, name, note), generations) for listed names and unlisted style names in prompts
    and lyrics; each distinct text is read once per run (rerolls repeat their prompt)."""
    seen: dict[str, list[tuple[str, str, str]]] = ctx.memo.setdefault("prompt_keys", {})
    screen = _Screen(ctx.lists)
    used = used_generations(ctx)
    prompts, lyrics = used.source.column("prompt"), used.source.column("lyrics")
    table = used.source.table
    codes = used.source.memo(
        "text_codes", lambda: _text_codes(factorized(table, "prompt"), table.codes_of("lyrics"))
    )
    for _, rows in group_rows(used.rows, codes[used.rows]):
        first = int(rows[0])
        text = "\n".join(part for part in (_clean(prompts[first]), _clean(lyrics[first])) if part)
        keys = seen.get(text)
        if keys is None:
            keys = seen[text] = prompt_keys(text, ctx.lists, screen)
        for key in keys:
            yield key, used.source.gens(rows)


def _clean(cell: object) -> str | None:
    """A prompt or lyrics cell as the record holds it (a large CSV's cells are kept as read)."""
    return (cell.strip() or None) if isinstance(cell, str) else None


def _text_codes(prompts: tuple[np.ndarray, np.ndarray], lyric_codes: np.ndarray) -> np.ndarray:
    """Per row: one code per distinct (prompt, lyrics) pair of cells, from the codes of each."""
    prompt_codes, prompt_values = prompts
    codes: np.ndarray = (lyric_codes + 1) * (len(prompt_values) + 1) + prompt_codes + 1
    return codes


@rule(
    code="CLEAR001",
    name="clearance.prompt.names",
    severity="warning",
    basis=["living-artist-policy", "usco-ai-part2", "freepik-terms", "fr-code-civil-9"],
)
def prompt_names(ctx: AuditContext) -> Iterable[Finding]:
    """Prompts that name living artists, brands or public figures become clearance items.

    Why: style as such is generally not protected by copyright, but some providers refuse living
    artists' names, brands are trademarks (the user is responsible for third-party rights), and a
    public figure's name asks for their likeness. The lists in data/lists/ are indicative, not
    exhaustive.
    Fails when: the prompt of a generation used in the film names a listed living artist, brand
    or public figure (warning); a listed deceased artist, or an unlisted name after "in the style
    of" (information).
    How to fix: remove the name and regenerate, or record why it is there and any permission or
    licence in rights/sources.csv (kind artwork, logo or person).
    """
    groups: dict[tuple[str, str, str], list[Gens]] = {}
    for key, part in _prompt_hits(ctx):
        groups.setdefault(key, []).append(part)
    for (kind, name, note), parts in sorted(groups.items()):
        gens = parts[0].joined([part.rows for part in parts])
        yield finding(
            "CLEAR001",
            NP_(
                "The prompt of %(count)s generation used in the film names “%(name)s” "
                "(%(name_kind)s); clearance item.",
                "The prompts of %(count)s generations used in the film name “%(name)s” "
                "(%(name_kind)s); clearance item.",
            ),
            fix=N_(
                "Record why the name is in the prompt and any permission or licence, or remove "
                "it and regenerate."
            ),
            params={"count": len(gens), "name": name, "name_kind": _KINDS.get(kind, kind)},
            evidence=[f"name: {name}", *([f"note: {note}"] if note else [])],
            generations=gens,
            severity=_SEVERITY.get(kind, "info"),
        )


def redact_prompt_names(findings: list[Finding]) -> list[Finding]:
    """``findings`` with each name CLEAR001 quotes from a prompt replaced by ``name #N`` (numbered
    in the order of the findings, one number per name) and the list's note on it dropped (it
    would say who it is); other findings, and the order, unchanged. For ``--redact-prompts``."""
    labels: dict[str, str] = {}
    redacted = []
    for item in findings:
        if item.code != "CLEAR001":
            redacted.append(item)
            continue
        name = str(item.params["name"])
        label = labels.setdefault(name, NAME % {"number": len(labels) + 1})
        params = {**item.params, "name": label}
        plural = item.message_id_plural
        message = (item.message_id, plural) if plural else item.message_id
        gen_lines = [line for line in item.evidence if not line.startswith(("name: ", "note: "))]
        update = {
            "message": english(message, params),
            "params": params,
            "evidence": [f"name: {label}", *gen_lines],
        }
        redacted.append(item.model_copy(update=update))
    return redacted


def local_name_label(item: Finding, fmt: Formatter) -> Finding:
    """``item`` with a ``name #N`` label of :func:`redact_prompt_names` in its parameters written
    for ``fmt.lang`` (``nom n° 1`` in French); anything else comes back unchanged."""
    value = item.params.get("name")
    match = _NAME_LABEL.fullmatch(value) if isinstance(value, str) else None
    if item.code != "CLEAR001" or fmt.lang == "en" or match is None:
        return item
    label = gettext(fmt.lang, NAME) % {"number": fmt.number(int(match[1]), 0)}
    return item.model_copy(update={"params": {**item.params, "name": label}})


@rule(
    code="SOURCE001",
    name="sources.input.licence",
    severity="warning",
    basis=["freepik-terms", "living-artist-policy"],
)
def input_licences(ctx: AuditContext) -> Iterable[Finding]:
    """Every input reference (image, audio or video URL or file) has a licence record, or is the
    output of a generation of this production.

    Why: reference images, style references, uploaded audio and video are third-party material
    unless the production made them; platforms put third-party clearance on the user.
    Fails when: an input of a generation used in the film is neither the output of a generation of
    this production nor recorded in rights/sources.csv (warning). Model files and voices are
    checked by MODEL001 and CONSENT001 instead.
    How to fix: add the asset (its URL or file name) to rights/sources.csv with holder and licence
    ('own work' for the production's own material).
    """
    used = used_generations(ctx)
    frame = used.source.inputs(used.rows)
    frame = frame[~frame["role"].isin(_NOT_MATERIAL) & ~frame["uri"].str.startswith("gen:")]
    uris = [uri for uri in frame["uri"].unique().tolist() if not cached_source(ctx, uri)]
    unrecorded = set(uris) - generated(ctx, uris)
    groups: dict[tuple[str, str], np.ndarray] = {}
    frame = frame[frame["uri"].isin(unrecorded)].drop_duplicates(["row", "uri", "role"])
    for (uri, role), part in frame.groupby(["uri", "role"], sort=True):
        groups[(str(uri), str(role))] = part["row"].to_numpy(dtype=np.int64)
    for (uri, role), rows in sorted(groups.items()):
        gens = used.source.gens(rows)
        yield finding(
            "SOURCE001",
            NP_(
                "Input %(input)s (role %(role)s) of %(count)s generation used in the film has no "
                "licence record in rights/sources.csv and is not the output of a generation of "
                "this production.",
                "Input %(input)s (role %(role)s) of %(count)s generations used in the film has "
                "no licence record in rights/sources.csv and is not the output of a generation "
                "of this production.",
            ),
            fix=N_("Add it to rights/sources.csv with its holder and licence."),
            params={"input": uri, "role": role, "count": len(gens)},
            evidence=[uri],
            generations=gens,
        )


@rule(code="SOURCE002", name="sources.cut.unexplained", severity="warning", basis=["freepik-terms"])
def unexplained_media(ctx: AuditContext) -> Iterable[Finding]:
    """Media in the cut that no generation explains (stock, archive, shot footage) have a licence
    record.

    Why: the film's rights cover every clip in the cut, not only generated ones; a clip no
    generation explains is third-party or own material whose licence must be on file.
    Fails when: a media file of the timeline is explained by no generation and has no row in
    rights/sources.csv (warning); listed as information with its licence otherwise.
    How to fix: add the file to rights/sources.csv (asset = file name) with holder, licence,
    territories and dates.
    """
    for media in sorted(set(ctx.unexplained_media)):
        row = source_for(ctx.ledgers, media)
        if row is None:
            yield finding(
                "SOURCE002",
                N_(
                    "%(media)s is in the cut, no generation explains it, and rights/sources.csv "
                    "has no licence record for it."
                ),
                fix=N_("Add it to rights/sources.csv with its licence."),
                params={"media": media},
                evidence=[media],
            )
        else:
            yield finding(
                "SOURCE002",
                N_(
                    "%(media)s is in the cut and no generation explains it; licence recorded: "
                    "“%(licence)s” from %(holder)s."
                )
                if row.holder
                else N_(
                    "%(media)s is in the cut and no generation explains it; licence recorded: "
                    "“%(licence)s”."
                ),
                fix=N_("Nothing to fix if the licence covers the release."),
                params={"media": media, "licence": row.licence}
                | ({"holder": row.holder} if row.holder else {}),
                evidence=[media, row.where],
                severity="info",
            )


@rule(
    code="SOURCE003", name="sources.licence.coverage", severity="blocker", basis=["freepik-terms"]
)
def licence_coverage(ctx: AuditContext) -> Iterable[Finding]:
    """Recorded licences run through the release date and cover the stated release territories.

    Why: a licence that ends before the release, or excludes a release territory, does not cover
    the exploitation of the film.
    Fails when: a rights/sources.csv row has valid_until before the production's release_date, or
    states territories that miss a release territory (blocker).
    How to fix: renew or extend the licence, or replace the asset before release.
    """
    release = ctx.production.release_date
    for row in ctx.ledgers.sources:
        asset: dict[str, Param] = {"asset": row.asset, "where": row.where}
        if row.valid_until is not None and row.valid_until < release:
            yield finding(
                "SOURCE003",
                N_(
                    "The licence of %(asset)s (%(where)s) ends on %(end)s, before the release on "
                    "%(release)s."
                ),
                fix=N_("Renew the licence or replace the asset."),
                params={
                    **asset,
                    "end": row.valid_until.isoformat(),
                    "release": release.isoformat(),
                },
                evidence=[row.asset, row.where],
            )
        missing = covers_territories(row.territories, ctx.production.territories)
        if row.territories and missing:
            yield finding(
                "SOURCE003",
                N_(
                    "The licence of %(asset)s (%(where)s) does not cover the territories "
                    "%(territories)s."
                ),
                fix=N_("Extend the licence's territories, or restrict the release."),
                params={**asset, "territories": ", ".join(missing)},
                evidence=[row.asset, row.where],
            )

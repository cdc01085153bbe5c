"""What the rules look at: the generations that reach the film, the people they depict, and how
ledger territories and assets are matched. Shared by the rule modules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from audit.base.models import Generation, Status
from audit.base.safetext import name_key
from audit.ingest.ledgers import ConsentRow, Ledgers, SourceRow
from audit.rights.base import AuditContext

#: EU member states (ISO 3166 alpha-2); the AI Act applies to releases in these territories.
EU_MEMBERS = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
#: Input roles that show a character or a person (CONSENT002).
LIKENESS_ROLES = frozenset(
    {
        "cref",
        "oref",
        "subject_reference",
        "character_ref",
        "character",
        "cameo",
        "face",
        "face_reference",
    }
)
#: Input roles that are model files, not material (MODEL001 instead of SOURCE001).
MODEL_ROLES = frozenset({"checkpoint", "lora", "controlnet", "unet", "vae", "clip", "model"})
#: ElevenLabs voice categories that copy a real person's voice (source: elevenlabs-api).
CLONED_CATEGORIES = frozenset({"cloned", "professional", "famous"})


def used_generations(ctx: AuditContext) -> list[Generation]:
    """The generations a rule looks at, sorted by id: with linking's use status
    (``ctx.use``), those of the pass's status (``ctx.tier``: in the film, possibly in it, not in
    it); else those whose output reaches the film: the kept ones and everything they derive from
    (parents, ``gen:`` inputs, inputs that are another generation's output), or every succeeded
    generation when linking kept nothing (no timeline)."""
    if ctx.use is not None:
        key = f"generations:{ctx.tier}"
        if key not in ctx.memo:
            use, tiers = ctx.use, set(ctx.tier.split("+"))
            chosen = (g for g in ctx.generations if use.get(g.id, "not_in_film") in tiers)
            ctx.memo[key] = sorted(chosen, key=lambda g: g.id)
        return list(ctx.memo[key])
    by_id = {gen.id: gen for gen in ctx.generations}
    by_output = {out: gen.id for gen in ctx.generations for out in gen.outputs}
    kept = [gen for gen in ctx.generations if gen.kept]
    if not kept:
        return sorted(
            (g for g in ctx.generations if g.status == Status.succeeded), key=lambda g: g.id
        )
    seen: dict[str, Generation] = {}
    stack = list(kept)
    while stack:
        gen = stack.pop()
        if gen.id in seen:
            continue
        seen[gen.id] = gen
        refs = [*gen.parent_ids]
        for ref in gen.inputs:
            refs.append(ref.uri[4:] if ref.uri.startswith("gen:") else by_output.get(ref.uri, ""))
        stack += [by_id[ref] for ref in refs if ref in by_id]
    return sorted(seen.values(), key=lambda g: g.id)


def generation_outputs(ctx: AuditContext) -> set[str]:
    """Every output (URL or file name) of every generation of the production, their names, and
    the inputs linking found to be a generation's output."""
    outputs = {out for gen in ctx.generations for out in gen.outputs}
    return outputs | {asset_name(out) for out in outputs} | ctx.generated_inputs


def covers_territories(held: Iterable[str], needed: Iterable[str]) -> list[str]:
    """Territories of ``needed`` that ``held`` does not cover (WORLD covers all, EU its members);
    sorted. An empty ``held`` (not stated) covers nothing."""
    held_set = set(held)
    if "WORLD" in held_set:
        return []
    missing = []
    for code in needed:
        if code in held_set or (code in EU_MEMBERS and "EU" in held_set):
            continue
        if code == "EU" and held_set >= EU_MEMBERS:
            continue
        missing.append(code)
    return sorted(missing)


def releases_in_eu(territories: Iterable[str]) -> bool:
    """Whether any of the release territories is in the EU (or the release is EU-wide or
    worldwide)."""
    return any(code in EU_MEMBERS or code in ("EU", "WORLD") for code in territories)


def asset_name(uri: str) -> str:
    """The last path segment of a URL or path, without query or fragment."""
    path = urlsplit(uri).path if "://" in uri else uri
    return path.rstrip("/").rsplit("/", 1)[-1]


def _norm_uri(uri: str) -> str:
    uri = uri.strip()
    if "://" in uri:
        parts = urlsplit(uri)
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
    return uri.replace("\\", "/").removeprefix("./")


def source_for(ledgers: Ledgers, uri: str) -> SourceRow | None:
    """The sources.csv row for an asset: same URL/path (query ignored), or a bare file name in
    the ledger equal to the asset's file name."""
    wanted = _norm_uri(uri)
    name = asset_name(uri)
    for row in ledgers.sources:
        if _norm_uri(row.asset) == wanted:
            return row
    for row in ledgers.sources:
        if "/" not in row.asset and row.asset == name:
            return row
    return None


def words(text: str) -> set[str]:
    """The words of ``text`` in the form names are compared in (:func:`name_key`: NFKC, case
    folded, format characters removed, so an NFD "Loïc" from macOS is the NFC one)."""
    return {w for w in re.split(r"[^\w]+", name_key(text)) if w}


def voice_label(gen: Generation) -> tuple[str, str]:
    """(voice id, voice name) from the generation's attributes ('' when unknown)."""
    attrs = gen.attributes
    return str(attrs.get("voice_id") or ""), str(attrs.get("voice_name") or "")


def is_cloned_voice(gen: Generation) -> bool:
    """A voice copied from a real person: cloned/professional category, a Voice Library voice
    shared by someone else, or a voice the account does not own."""
    attrs = gen.attributes
    category = str(attrs.get("voice_category") or "").casefold()
    return (
        category in CLONED_CATEGORIES
        or bool(attrs.get("voice_sharing_owner"))
        or attrs.get("voice_is_owner") is False
    )


def consent_matches_voice(row: ConsentRow, voice_id: str, voice_name: str) -> bool:
    """A voice consent names this voice: its id appears in the consent, or every word of the voice
    name outside parentheses is a word of the person's name ("Yann (narrateur)" ~ "Yann Le Goff")."""
    text = name_key(f"{row.person} {row.scope} {row.document} {row.notes}")
    if voice_id and name_key(voice_id) in text:
        return True
    name_words = words(re.sub(r"\(.*?\)", " ", voice_name))
    return bool(name_words) and name_words <= words(row.person)


def likeness_inputs(gen: Generation, ledgers: Ledgers) -> list[str]:
    """Input URIs of ``gen`` that may show a real person: character/subject reference roles, or
    any input recorded in sources.csv as a person."""
    found = []
    for ref in gen.inputs:
        row = source_for(ledgers, ref.uri)
        person_row = row is not None and row.kind in ("person", "photo_of_person")
        if ref.role in LIKENESS_ROLES or person_row:
            found.append(ref.uri)
    return sorted(set(found))


def public_figure_flag(gen: Generation) -> bool:
    """Runway's moderation threshold set to 'low' lets public figures through."""
    return str(gen.attributes.get("public_figure_threshold") or "").casefold() == "low"


def depicts_real_people(ctx: AuditContext, used: list[Generation]) -> list[Generation]:
    """Used generations that copy a real voice or take a person/character reference."""
    return [
        gen
        for gen in used
        if is_cloned_voice(gen) or public_figure_flag(gen) or likeness_inputs(gen, ctx.ledgers)
    ]


def by_platform(ctx: AuditContext) -> dict[str, list[Generation]]:
    """Used generations grouped by platform key (terms key when known), sorted by key."""
    memo = f"platforms:{ctx.tier}"
    if memo not in ctx.memo or ctx.use is None:
        keys: dict[str, str] = {}
        groups: dict[str, list[Generation]] = {}
        for gen in used_generations(ctx):
            if gen.platform not in keys:
                keys[gen.platform] = ctx.terms.platform_key(gen.platform) or gen.platform
            groups.setdefault(keys[gen.platform], []).append(gen)
        ctx.memo[memo] = dict(sorted(groups.items()))
    return {key: list(gens) for key, gens in ctx.memo[memo].items()}


def revenue_verdict(ctx: AuditContext, limit_usd: float) -> str | None:
    """None when the declared revenue is within ``limit_usd``; 'above' or 'unknown' otherwise."""
    revenue = ctx.production.company_annual_revenue_usd
    if revenue is None:
        return "unknown"
    return "above" if revenue > limit_usd else None

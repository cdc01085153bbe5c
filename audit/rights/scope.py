"""What the rules look at: the generations that reach the film, the people they depict, and how
ledger territories and assets are matched. Shared by the rule modules."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from audit.base.models import Status
from audit.base.safetext import name_key
from audit.ingest.ledgers import ConsentRow, Ledgers, SourceRow
from audit.ingest.registry import platforms
from audit.rights.base import AuditContext
from audit.rights.table import Attributes, Gens, RightsTable, group_rows

#: EU member states (ISO 3166 alpha-2); the AI Act applies to releases in these territories.
EU_MEMBERS = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})  # fmt: skip
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


def used_generations(ctx: AuditContext) -> Gens:
    """The generations a rule looks at: with linking's use status (``ctx.gens.use``), those of
    the pass's status (``ctx.tier``: in the film, possibly in it, not in it); else those whose
    output reaches the film: the kept ones and everything they derive from (parents, ``gen:``
    inputs, inputs that are another generation's output), or every succeeded generation when
    linking kept nothing (no timeline). Rows in table order."""
    gens = ctx.gens
    if gens.use is not None:
        tiers = set(ctx.tier.split("+"))
        return gens.gens(gens.memo(f"rows:{ctx.tier}", lambda: gens.in_tiers(tiers)))
    return gens.gens(gens.memo("rows:lineage", lambda: _lineage_rows(gens)))


def _by_row(side: pd.DataFrame, name: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for row, value in zip(side["row"].tolist(), side[name].tolist(), strict=True):
        out.setdefault(row, []).append(value)
    return out


def _lineage_rows(gens: RightsTable) -> np.ndarray:
    """The kept rows and every row they derive from (see :func:`used_generations`)."""
    table = gens.table
    kept = np.flatnonzero(gens.kept)
    if not len(kept):
        return np.flatnonzero(table.column("status") == Status.succeeded.value)
    ids = table.column("id")
    by_id = {gid: row for row, gid in enumerate(ids.tolist())}
    outputs = table.outputs
    by_output = dict(
        zip(outputs["value"].tolist(), ids[outputs["row"].to_numpy()].tolist(), strict=True)
    )
    parents, inputs = _by_row(table.parents, "value"), _by_row(table.inputs, "uri")
    seen = np.zeros(len(table), dtype=bool)
    stack = kept.tolist()
    while stack:
        row = stack.pop()
        if seen[row]:
            continue
        seen[row] = True
        refs = list(parents.get(row, ()))
        for uri in inputs.get(row, ()):
            refs.append(uri[4:] if uri.startswith("gen:") else by_output.get(uri, ""))
        stack += [by_id[ref] for ref in refs if ref in by_id]
    return np.flatnonzero(seen)


def generated(ctx: AuditContext, uris: Iterable[str]) -> set[str]:
    """Those of ``uris`` that are an output (URL or file name) of a generation of the
    production, by value or by file name, or an input linking found to be one. The outputs'
    names are computed only when some input is to be checked."""
    wanted = set(uris)
    if not wanted:
        return set()
    names = {uri: asset_name(uri) for uri in wanted if "://" not in uri}
    full = wanted | set(names.values())
    values = pd.Series(ctx.gens.table.outputs["value"].to_numpy(dtype=object), dtype=object)
    plain = ~values.str.contains("://", regex=False)
    output_names = {
        *values[plain].str.rstrip("/").str.rsplit("/", n=1).str[-1].unique().tolist(),
        *(asset_name(url) for url in values[~plain].unique().tolist()),
    }
    known = set(values[values.isin(full)].tolist()) | (output_names & full)
    known |= set(ctx.generated_inputs)
    return {uri for uri in wanted if uri in known or (uri in names and names[uri] in known)}


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


def voice_label(attrs: Attributes) -> tuple[str, str]:
    """(voice id, voice name) from a generation's attributes ('' when unknown)."""
    return str(attrs.get("voice_id") or ""), str(attrs.get("voice_name") or "")


def is_cloned_voice(attrs: Attributes) -> bool:
    """A voice copied from a real person (from a generation's attributes): cloned/professional
    category, a Voice Library voice shared by someone else, or a voice the account does not
    own."""
    category = str(attrs.get("voice_category") or "").casefold()
    return (
        category in CLONED_CATEGORIES
        or bool(attrs.get("voice_sharing_owner"))
        or attrs.get("voice_is_owner") is False
    )


def cloned_voices(gens: Gens) -> dict[int, tuple[str, str]]:
    """Row → (voice id, voice name) of those of ``gens`` that copy a real person's voice."""
    source = gens.source
    return {
        row: voice_label(source.attributes(row))
        for row in source.with_attributes(gens.rows).tolist()
        if is_cloned_voice(source.attributes(row))
    }


def consent_matches_voice(row: ConsentRow, voice_id: str, voice_name: str) -> bool:
    """A voice consent names this voice: its id appears in the consent, or every word of the voice
    name outside parentheses is a word of the person's name ("Yann (narrateur)" ~ "Yann Le Goff")."""
    text = name_key(f"{row.person} {row.scope} {row.document} {row.notes}")
    if voice_id and name_key(voice_id) in text:
        return True
    name_words = words(re.sub(r"\(.*?\)", " ", voice_name))
    return bool(name_words) and name_words <= words(row.person)


def cached_source(ctx: AuditContext, uri: str) -> SourceRow | None:
    """:func:`source_for` in the context's ledgers, each asset looked up once per run."""
    found: dict[str, SourceRow | None] = ctx.memo.setdefault("sources", {})
    if uri not in found:
        found[uri] = source_for(ctx.ledgers, uri)
    return found[uri]


def likeness_inputs(ctx: AuditContext, gens: Gens) -> pd.DataFrame:
    """(row, uri, by_role) of the inputs of ``gens`` that may show a real person: a
    character/subject reference role (``by_role``), or any input recorded in sources.csv as a
    person; one line per row and uri, sorted by row then uri."""
    frame = gens.source.inputs(gens.rows)
    if not len(frame):
        return pd.DataFrame({"row": [], "uri": [], "by_role": []})
    person = {
        uri: getattr(cached_source(ctx, uri), "kind", None) in ("person", "photo_of_person")
        for uri in frame["uri"].unique().tolist()
    }
    hit = frame["role"].isin(LIKENESS_ROLES) | frame["uri"].map(person).astype(bool)
    pairs = frame[hit.to_numpy()].drop_duplicates(["row", "uri"])[["row", "uri"]]
    # a uri given twice to one generation: its last role decides (as a dict of them would)
    last = frame.drop_duplicates(["row", "uri"], keep="last")
    found = pairs.merge(last, on=["row", "uri"], how="left")
    found["by_role"] = found["role"].isin(LIKENESS_ROLES)
    out: pd.DataFrame = found[["row", "uri", "by_role"]].sort_values(["row", "uri"])
    return out.reset_index(drop=True)


def public_figure_flag(attrs: Attributes) -> bool:
    """Runway's moderation threshold set to 'low' lets public figures through."""
    return str(attrs.get("public_figure_threshold") or "").casefold() == "low"


def flagged_rows(gens: Gens, flag: Callable[[Attributes], bool]) -> np.ndarray:
    """Those of ``gens`` whose attributes ``flag`` says yes to."""
    source = gens.source
    rows = source.with_attributes(gens.rows)
    return np.asarray([r for r in rows.tolist() if flag(source.attributes(r))], dtype=np.int64)


def depicts_real_people(ctx: AuditContext, used: Gens) -> Gens:
    """Used generations that copy a real voice or take a person/character reference."""
    rows = {*cloned_voices(used), *flagged_rows(used, public_figure_flag).tolist()}
    rows |= set(likeness_inputs(ctx, used)["row"].tolist())
    return used.source.gens(sorted(rows))


def _own_key(name: str) -> str:
    """The registry's key of a platform name (``Kits AI`` → ``kits``), else the name."""
    found = platforms().get(name)
    return found.key if found is not None else name


def by_platform(ctx: AuditContext) -> dict[str, Gens]:
    """Used generations grouped by platform key (terms key when known, else the platform
    registry's key of the name, else the name as written), sorted by key."""
    memo = f"platforms:{ctx.tier}"
    if memo not in ctx.memo:
        used = used_generations(ctx)
        codes, names = used.source.platforms()
        keys = [ctx.terms.platform_key(name) or _own_key(name) for name in names.tolist()]
        key_codes, distinct = pd.factorize(np.asarray(keys, dtype=object))  # per platform code
        groups = {
            distinct[code]: rows
            for code, rows in group_rows(used.rows, key_codes[codes[used.rows]])
        }
        ctx.memo[memo] = {key: used.source.gens(groups[key]) for key in sorted(groups)}
    found: dict[str, Gens] = ctx.memo[memo]
    return dict(found)


def revenue_verdict(ctx: AuditContext, limit_usd: float) -> str | None:
    """None when the declared revenue is within ``limit_usd``; 'above' or 'unknown' otherwise."""
    revenue = ctx.production.company_annual_revenue_usd
    if revenue is None:
        return "unknown"
    return "above" if revenue > limit_usd else None

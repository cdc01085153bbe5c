"""Empreinte's own rights data, validated at load: platform terms per tier and period
(``data/platform_terms.yaml``), local model licences, curated name lists (``data/lists/*.yaml``),
training-data claims (``data/training_claims.yaml``) and the sources they cite
(``data/rights_sources.yaml``). A problem in these files is a :class:`~audit.base.errors.DataError`: a bug
in our data, not in the user's input. The curated texts findings quote (terms summaries, notes,
claims) are in English, the reference, each with its French beside it (``notes_fr``), which the
French report shows; a text without its counterpart is a DataError naming the file and entry.
This module holds the models; :mod:`audit.rights.datafiles` reads the files into them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from audit.ingest.registry import platforms
from audit.rights.folding import norm, squash

ANY_TIER = "*"


class CommercialUse(StrEnum):
    """What a tier's terms say about use of the output beyond personal use."""

    yes = "yes"
    no = "no"
    conditional = "conditional"
    unknown = "unknown"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    #: Fields holding an English text (or a mapping of them) whose French is ``<field>_fr``.
    french: ClassVar[tuple[str, ...]] = ()

    def _texts(self, name: str) -> tuple[dict[str, str], dict[str, str]]:
        """(English, French) of field ``name`` as mappings of their non-empty texts."""
        english, french = getattr(self, name), getattr(self, f"{name}_fr")
        if isinstance(english, str):
            english, french = {"": english}, {"": french}
        return {k: v for k, v in english.items() if v}, {k: v for k, v in french.items() if v}

    @model_validator(mode="after")
    def _has_french(self) -> Self:
        for name in self.french:
            english, french = self._texts(name)
            if unpaired := sorted(english.keys() ^ french.keys()):
                key = unpaired[0]
                if key in english:
                    raise ValueError(f"{name} {english[key]!r} has no French {name}_fr")
                raise ValueError(f"{name}_fr {french[key]!r} translates no {name}")
        return self

    def french_pairs(self) -> list[tuple[str, str]]:
        """(English, French) of every curated text of this entry that is set."""
        return [
            (text, french[key])
            for name in self.french
            for english, french in [self._texts(name)]
            for key, text in sorted(english.items())
        ]


def _yes_no(value: Any) -> Any:
    """YAML 1.1 reads bare yes/no as booleans; accept them as the words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


#: A commercial_use value; YAML's bare yes/no accepted.
_UseValue = Annotated[CommercialUse, BeforeValidator(_yes_no)]


class TierTerms(_Data):
    """The terms of one plan of a platform over one period."""

    tier: str = Field(min_length=1, description="plan name, or * for every plan")
    aliases: tuple[str, ...] = ()
    commercial_use: _UseValue
    ownership: str = ""
    ownership_fr: str = ""
    attribution: str = ""
    watermark: str = ""
    notes: str = ""
    notes_fr: str = ""
    effective_from: date | None = None
    effective_to: date | None = None
    revenue_max_usd: float | None = Field(default=None, ge=0)
    #: attribute values the platform's own record carries only when made on this plan
    record_evidence: dict[str, str] = Field(default_factory=dict)
    sources: tuple[str, ...] = ()
    verified: bool
    french: ClassVar[tuple[str, ...]] = ("ownership", "notes")

    def names(self) -> set[str]:
        """The tier's name and aliases, normalised as users type them."""
        return {norm(self.tier), *(norm(alias) for alias in self.aliases)}

    def applies(self, tier: str, day: date) -> bool:
        """Whether this entry covers plan ``tier`` on ``day``."""
        in_period = (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )
        return in_period and (self.tier == ANY_TIER or norm(tier) in self.names())


class RevenueRule(_Data):
    """Above ``threshold_usd`` of annual revenue, only ``tiers`` give the company the output."""

    threshold_usd: float = Field(gt=0)
    tiers: tuple[str, ...] = Field(min_length=1)
    notes: str = ""
    notes_fr: str = ""
    sources: tuple[str, ...] = ()
    verified: bool
    french: ClassVar[tuple[str, ...]] = ("notes",)


class Period(_Data):
    """A period of days, both ends inclusive; a missing end is open."""

    from_: date | None = Field(default=None, alias="from")
    to: date | None = None

    def covers(self, day: date) -> bool:
        """Whether ``day`` lies in the period."""
        return (self.from_ is None or self.from_ <= day) and (self.to is None or day <= self.to)


class PlatformTerms(_Data):
    """What a platform's terms say: whether it runs locally, its plans over time, download periods
    and the revenue rule, with notes in English and French. Its title and the names records use
    are the platform registry's (:func:`audit.ingest.registry.platforms`)."""

    local: bool = False
    notes: str = ""
    notes_fr: str = ""
    french: ClassVar[tuple[str, ...]] = ("notes",)
    revenue_rule: RevenueRule | None = None
    download_periods: tuple[Period, ...] = ()
    tiers: tuple[TierTerms, ...] = ()


class ModelLicence(_Data):
    """The licence of model weights run locally."""

    id: str
    title: str
    match: tuple[str, ...] = Field(min_length=1)
    licence: str
    commercial_use: _UseValue
    revenue_max_usd: float | None = Field(default=None, ge=0)
    notes: str = ""
    notes_fr: str = ""
    sources: tuple[str, ...] = ()
    verified: bool
    french: ClassVar[tuple[str, ...]] = ("notes",)


class DistributionUse(_Data):
    """Whether one distribution value needs commercial-use terms, and why (with words that count as
    in scope)."""

    needs_commercial_use: bool
    why: str
    scope_words: tuple[str, ...] = ()


class Terms(_Data):
    """``data/platform_terms.yaml``."""

    data_version: int
    checked_on: date
    distribution: dict[str, DistributionUse]
    scope_all_words: tuple[str, ...] = ()
    platforms: dict[str, PlatformTerms]
    models: tuple[ModelLicence, ...] = ()

    def platform_key(self, name: str | None) -> str | None:
        """The key of the terms that apply to a platform named by its key or an alias (the
        platform registry resolves the name: ``sora`` → openai's terms), else None."""
        found = platforms().get(name)
        key = found.terms_key if found is not None else None
        return key if key in self.platforms else None

    def platform(self, name: str | None) -> PlatformTerms | None:
        """The terms of a platform given its key or alias, or None when unknown."""
        key = self.platform_key(name)
        return self.platforms[key] if key else None

    def tier_terms(self, platform: str, tier: str, day: date) -> TierTerms | None:
        """The entry for plan ``tier`` of ``platform`` in force on ``day``; a named tier beats *."""
        terms = self.platform(platform)
        if terms is None:
            return None
        found = [entry for entry in terms.tiers if entry.applies(tier, day)]
        found.sort(key=lambda entry: entry.tier == ANY_TIER)
        return found[0] if found else None

    def model_licence(self, names: list[str]) -> ModelLicence | None:
        """The first known model licence whose pattern is in one of ``names``."""
        squashed = [squash(name) for name in names if name]
        for licence in self.models:
            if any(pattern in name for pattern in licence.match for name in squashed):
                return licence
        return None

    def public_distribution(self, values: list[str]) -> list[str]:
        """The production's distribution values that need commercial-use terms (sorted)."""
        return sorted(
            value
            for value in values
            if self.distribution.get(
                value, DistributionUse(needs_commercial_use=True, why="")
            ).needs_commercial_use
        )


class ListEntry(_Data):
    """One name of a curated list (a living artist, an estate, a protected work…), with its aliases,
    note and year of death."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    note: str = ""
    note_fr: str = ""
    died: int | None = None
    case_sensitive: bool = False
    french: ClassVar[tuple[str, ...]] = ("note",)

    def quoted_note(self, lang: str = "en") -> str:
        """The note a finding quotes (with the year of death), in English or French."""
        if lang == "fr":
            return f"{self.note_fr}, décès en {self.died}" if self.died else self.note_fr
        return f"{self.note}, died {self.died}" if self.died else self.note


class NameList(_Data):
    """One curated list of ``data/lists/``: indicative, never exhaustive."""

    kind: str
    checked_on: date
    note: str
    note_fr: str
    french: ClassVar[tuple[str, ...]] = ("note",)
    entries: tuple[ListEntry, ...]


class TrainingClaim(_Data):
    """What a platform or model says of its training data (licensed, opt-out…), summarised in
    English and French with its caveat, indemnity and sources."""

    id: str
    platforms: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    claim: str
    summary: str
    summary_fr: str
    caveat: str = ""
    caveat_fr: str = ""
    french: ClassVar[tuple[str, ...]] = ("summary", "caveat")
    indemnity: bool = False
    sources: tuple[str, ...] = ()


class NoneKnown(_Data):
    """The platforms for which no training-data claim was found, with a summary and per-platform
    caveats."""

    platforms: tuple[str, ...]
    summary: str
    summary_fr: str
    notes: dict[str, str] = Field(default_factory=dict, description="platform → caveat")
    notes_fr: dict[str, str] = Field(default_factory=dict, description="platform → French")
    french: ClassVar[tuple[str, ...]] = ("summary", "notes")
    sources: tuple[str, ...] = ()


class TrainingClaims(_Data):
    """``data/training_claims.yaml``."""

    data_version: int
    checked_on: date
    claims: tuple[TrainingClaim, ...]
    none_known: NoneKnown

    def for_generation(self, platform_key: str, model: str | None) -> TrainingClaim | None:
        """The claim covering this platform key or model name, if any."""
        model_text = (model or "").casefold()
        for claim in self.claims:
            if platform_key in claim.platforms:
                return claim
            if model_text and any(m.casefold() in model_text for m in claim.models):
                return claim
        return None


class RightsSource(_Data):
    """A source the rights data cites: title, link, year and confidence (P: primary text read, S:
    secondary, U: not verified)."""

    title: str
    url: str | None
    year: int
    confidence: str = Field(pattern="^[PSU]$")

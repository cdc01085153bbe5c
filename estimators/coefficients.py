"""The coefficient registry: every number the estimators use, with its source and locator.

``estimators.loading.load_registry(data_dir)`` reads ``coefficients.csv``, ``sources.yaml``, ``platforms.yaml``,
``grid.csv`` and ``VERSION`` strictly: a bad unit, ``low > value``, an unknown source or an
unknown/missing column fails at load time with ``file:line``. Grid factors and platform PUE/WUE
are also exposed as coefficients (``grid.carbon.FRA``, ``platform.kling.pue``) so that every
figure in a result can be traced with :meth:`Registry.get` and :meth:`Registry.cited`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from estimators.errors import SignatureError, UnknownCoefficientError
from estimators.jobs import JobRule
from estimators.ranges import Range
from estimators.routing import Route, RouteMatch, find_route
from estimators.units import COEFFICIENT_UNITS
from estimators.validation_set import Point

BOUNDARIES = ("GPU", "NODE", "FACILITY", "LCA", "NONE")
Boundary = Literal["GPU", "NODE", "FACILITY", "LCA", "NONE"]
#: What a coefficient row describes (``quantity`` column); the last five are built from
#: grid.csv and platforms.yaml, not written in coefficients.csv.
CSV_QUANTITIES = (
    "energy", "reference", "scaling", "overhead", "hardware", "embodied", "default",
    "equivalent", "baseline",
)  # fmt: skip
DERIVED_QUANTITIES = ("grid_carbon", "grid_water", "grid_adpe", "pue", "wue")
QUANTITIES = CSV_QUANTITIES + DERIVED_QUANTITIES
#: Same names as the app's Modality (estimators cannot import it).
MODALITIES = (
    "image", "video", "upscale", "image_edit", "video_edit", "lipsync", "music", "sound",
    "speech", "voice_clone", "text",
)  # fmt: skip
_ALSO = re.compile(r"\[also: ([^\]]+)\]")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def normalise_name(name: str) -> str:
    """Lower-case letters and digits only: ``FLUX.1-dev`` and ``flux1-dev.safetensors`` meet."""
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())


class Coefficient(BaseModel):
    """One row of coefficients.csv (or a grid/platform factor exposed the same way)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    quantity: str
    value: float = Field(ge=0)
    low: float = Field(ge=0)
    high: float = Field(ge=0)
    unit: str
    modality: str | None = None
    model_family: str | None = None
    platform: str | None = None
    source_id: str
    locator: str = Field(min_length=1)
    year: int | None = None
    boundary: Boundary
    notes: str = ""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be letters, digits, '.', '_' or '-'")
        return value

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        if value not in COEFFICIENT_UNITS:
            raise ValueError("unknown unit")
        return value

    @field_validator("quantity")
    @classmethod
    def _quantity(cls, value: str) -> str:
        if value not in QUANTITIES:
            raise ValueError("unknown quantity")
        return value

    @field_validator("modality")
    @classmethod
    def _modality(cls, value: str | None) -> str | None:
        if value is not None and any(m not in MODALITIES for m in value.split("|")):
            raise ValueError("unknown modality")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Coefficient:
        if not self.low <= self.value <= self.high:
            raise ValueError(
                f"need low <= value <= high (low={self.low} value={self.value} high={self.high})"
            )
        return self

    @property
    def band(self) -> Range:
        """(low, value, high) as a :class:`Range`."""
        return Range(self.low, self.value, self.high)

    @property
    def also(self) -> tuple[str, ...]:
        """Further source ids named in the notes as ``[also: a, b]``."""
        found = _ALSO.search(self.notes)
        return tuple(s.strip() for s in found.group(1).split(",")) if found else ()

    @property
    def aliases(self) -> tuple[str, ...]:
        """Normalised model names this row applies to (``model_family`` split on ``|``)."""
        if not self.model_family:
            return ()
        return tuple(normalise_name(name) for name in self.model_family.split("|"))


class SourceRef(BaseModel):
    """A cited source (one key of sources.yaml)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    authors: str
    year: int
    publisher: str
    url: str | None = None
    doi: str | None = None
    accessed: date
    licence: str | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _link(self) -> SourceRef:
        if not (self.url or self.doi):
            raise ValueError("a source needs a url or a doi")
        return self

    @property
    def link(self) -> str:
        """The DOI as a URL when there is one, else the URL."""
        return f"https://doi.org/{self.doi}" if self.doi else str(self.url)


class BandSpec(BaseModel):
    """low/central/high written out in YAML."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: float = Field(ge=0)
    central: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> BandSpec:
        if not self.low <= self.central <= self.high:
            raise ValueError("need low <= central <= high")
        return self

    @property
    def band(self) -> Range:
        """The three corners as a Range."""
        return Range(self.low, self.central, self.high)


class PlatformProfile(BaseModel):
    """Where a platform computes: provider, country (grid), PUE and on-site WUE bands."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    provider: str
    kind: Literal["cloud", "local"]
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    grid_factor: str | None = None
    pue: BandSpec
    wue: BandSpec
    sources: tuple[str, ...] = Field(min_length=1)
    locator: str = Field(min_length=1)
    ecologits_provider: str | None = None
    notes: str = ""
    #: the title in French when it differs (read by the audit's platform registry, not here)
    title_fr: str = ""
    #: key of the platform's terms in platform_terms.yaml (read by the audit's rights rules)
    terms: str | None = None

    @property
    def pue_id(self) -> str:
        """The coefficient id of this platform's PUE, as sources cite it."""
        return f"platform.{self.key}.pue"

    @property
    def wue_id(self) -> str:
        """The coefficient id of this platform's on-site WUE, as sources cite it."""
        return f"platform.{self.key}.wue"


class PlatformName(BaseModel):
    """A platform records name that computes on another platform's profile (``veo`` runs on
    ``google``): its key and aliases resolve to that profile; title and terms are the audit's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    title: str
    title_fr: str = ""
    aliases: tuple[str, ...] = ()
    runs_on: str
    terms: str | None = None
    notes: str = ""


class EcologitsVideoModel(BaseModel):
    """A video model EcoLogits covers and whose data centre runs it (names: data/routes.csv)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    runs_on: str


class GridFactor(BaseModel):
    """One row of grid.csv: a country's electricity factors from one source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    gco2e_per_kwh: float = Field(ge=0)
    water_offsite_l_per_kwh: float | None = Field(default=None, ge=0)
    adpe_kgsbeq_per_kwh: float | None = Field(default=None, ge=0)
    source_id: str
    locator: str = Field(min_length=1)
    year: int | None = None
    role: Literal["primary", "alternative"]


@dataclass(frozen=True)
class ModelPoint:
    """A measured open model at its reference configuration (rows ``<modality>.model.<key>.*``)."""

    key: str
    modality: str
    aliases: tuple[str, ...]
    energy_id: str
    boundary: str
    width_px: int
    height_px: int
    steps: int
    frames: int | None
    coefficient_ids: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Registry:
    """Everything in ``data/`` that the estimators read, validated and indexed."""

    coefficients: dict[str, Coefficient]
    sources: dict[str, SourceRef]
    platforms: dict[str, PlatformProfile]
    data_version: str
    grid: dict[str, GridFactor]
    grid_alternatives: dict[str, tuple[GridFactor, ...]]
    ecologits_video: tuple[EcologitsVideoModel, ...]
    model_points: dict[str, tuple[ModelPoint, ...]]
    data_dir: Path
    routes: tuple[Route, ...] = ()
    job_rules: dict[str, JobRule] = field(default_factory=dict)
    validation: tuple[Point, ...] = ()
    _bands: dict[str, Range] = field(default_factory=dict, repr=False, compare=False)
    _aliases: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _found: dict[tuple[str | None, str, str], RouteMatch] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._bands.update({cid: c.band for cid, c in self.coefficients.items()})
        for key, profile in self.platforms.items():
            self._aliases[normalise_name(key)] = key
            self._aliases.update({normalise_name(a): key for a in profile.aliases})
        self._aliases.update({key: key for key in self.platforms})

    def get(self, coefficient_id: str) -> Coefficient:
        """The coefficient with this id (UnknownCoefficientError if absent)."""
        try:
            return self.coefficients[coefficient_id]
        except KeyError:
            raise UnknownCoefficientError(
                f"unknown coefficient id {coefficient_id!r} (data version {self.data_version})"
            ) from None

    def band(self, coefficient_id: str) -> Range:
        """The (low, value, high) band of a coefficient, cached."""
        try:
            return self._bands[coefficient_id]
        except KeyError:
            return self.get(coefficient_id).band

    def value(self, coefficient_id: str) -> float:
        """The central value of a coefficient."""
        return self.band(coefficient_id).central

    def cited(self, ids: Iterable[str]) -> list[SourceRef]:
        """The sources behind these coefficient ids (incl. ``[also: ...]``), sorted by id."""
        wanted: set[str] = set()
        for cid in ids:
            coef = self.get(cid)
            wanted.add(coef.source_id)
            wanted.update(coef.also)
        return [self.sources[sid] for sid in sorted(wanted)]

    def platform_key(self, name: str) -> str | None:
        """The profile key of a platform key or alias, None when it is not listed."""
        key = self._aliases.get(name)
        return key if key is not None else self._aliases.get(normalise_name(name))

    def platform(self, name: str) -> PlatformProfile:
        """The profile of a platform key or alias (SignatureError naming the keys otherwise)."""
        key = self.platform_key(name)
        if key is None:
            raise SignatureError(
                f"platform: {name!r} unknown; allowed: {', '.join(sorted(self.platforms))}"
            )
        return self.platforms[key]

    def route(self, model: str | None, modality: str, kind: str) -> RouteMatch:
        """:func:`estimators.routing.find_route` over data/routes.csv, once per name."""
        key = (model, modality, kind)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = find_route(self.routes, model, modality, kind)
        return found

    def point(self, target: str) -> ModelPoint:
        """The measured model point of a route target (``video.model.<key>``)."""
        modality = target.split(".")[0]
        for point in self.model_points.get(modality, ()):
            if point.key == target:
                return point
        raise UnknownCoefficientError(f"no model point {target!r}")

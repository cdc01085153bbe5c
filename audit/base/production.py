"""The production folder and its ``production.yaml``.

See docs/production-folder.md. A wrong production.yaml gets one line naming the file, the field, the
value and what is allowed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from audit.base.countries import alpha2, alpha3
from audit.base.errors import ConfigError
from audit.base.limits import MAX_YAML_BYTES, check_size, load_yaml
from audit.base.rates import Rate, parse_rate
from audit.base.safetext import clean_field

#: A frame rate as editors write it (``23.976``, ``24000/1001``, ``29.97 DF``), kept exact.
FrameRate = Annotated[
    Rate,
    PlainValidator(parse_rate),
    PlainSerializer(float, return_type=float),  # audit.json keeps a number, as before
    WithJsonSchema({"type": ["number", "string"], "examples": [23.976, "29.97 DF", 25]}),
]


class Distribution(StrEnum):
    """Where the film is shown (production.yaml ``distribution``): decides whether commercial-use
    terms are needed."""

    festival = "festival"
    commercial = "commercial"
    broadcast = "broadcast"
    online = "online"
    education = "education"


class WorkType(StrEnum):
    """What kind of work the film is (production.yaml ``work_type``): fiction and animation get the
    fiction disclosure."""

    fiction = "fiction"
    animation = "animation"
    documentary = "documentary"
    advertising = "advertising"
    music_video = "music_video"
    other = "other"


@cache
def territory_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to Babel's CLDR data, plus EU and WORLD."""
    from babel import Locale

    codes = {
        str(code)
        for code in Locale("en").territories
        if len(str(code)) == 2 and str(code).isalpha()
    }
    return frozenset(codes | {"EU", "WORLD"})


class Credit(BaseModel):
    """A human credit of the film: role (free text, or a known role translated) and name."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(min_length=1, description="e.g. Réalisation / Director")
    name: str = Field(min_length=1, description="person or collective")


class Production(BaseModel):
    """production.yaml. Every field is documented in docs/production-folder.md."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, description="title as released")
    original_title: str | None = Field(default=None, description="original title, if different")
    directors: list[str] = Field(min_length=1, description="director(s)")
    company: str = Field(min_length=1, description="production company or collective")
    company_annual_revenue_usd: float | None = Field(
        default=None, ge=0, description="gross annual revenue, US$ (Midjourney and Stability rules)"
    )
    year: int = Field(ge=1888, le=2100, description="year of production")
    runtime_s: float = Field(gt=0, description="finished film runtime, seconds")
    release_date: date = Field(description="first public release (consents must cover it)")
    distribution: list[Distribution] = Field(min_length=1, description="how the film is shown")
    territories: list[str] = Field(min_length=1, description="ISO 3166 alpha-2 codes, or WORLD")
    languages: list[str] = Field(min_length=1, description="BCP 47 language codes, e.g. fr, en")
    frame_rate: FrameRate = Field(
        description="frames per second of the cut, as editors write it: 23.976, 25, 29.97 DF…"
    )
    work_type: WorkType = Field(default=WorkType.fiction, description="fiction, documentary, ...")
    credits: list[Credit] = Field(default_factory=list, description="human roles and names")
    ai_disclosure: str | None = Field(
        default=None,
        description="the AI-disclosure sentence printed in the credits, if already written",
    )
    compute_regions: dict[str, str] = Field(
        default_factory=dict,
        description="platform → ISO 3166 alpha-3 country where it computed (overrides data/platforms.yaml)",
    )
    timeline: str | None = Field(
        default=None, description="name of the timeline to use when a file holds several"
    )

    @field_validator("territories")
    @classmethod
    def _territories(cls, value: list[str]) -> list[str]:
        codes = territory_codes()
        written = [item.upper() if item.upper() in codes else alpha2(item) for item in value]
        for item, code in zip(value, written, strict=True):
            if code not in codes:
                raise ValueError(
                    f"unknown territory {item!r}; use ISO 3166 codes (FR or FRA), EU or WORLD"
                )
        return [str(code) for code in written]

    @field_validator("compute_regions")
    @classmethod
    def _regions(cls, value: dict[str, str]) -> dict[str, str]:
        regions = {}
        for platform, region in value.items():
            code = alpha3(region) if len(region) == 2 else region.upper()
            if not (code and len(code) == 3 and code.isalpha()):
                raise ValueError(
                    f"{platform}: {region!r} is not an ISO 3166 country code (FR or FRA) or WOR"
                )
            regions[platform.lower()] = code
        return regions


def _choices(err: dict[str, Any]) -> list[str] | None:
    expected = (err.get("ctx") or {}).get("expected")
    if not expected:
        return None
    return [part.strip(" '\"") for part in expected.replace(" or ", ",").split(",") if part.strip()]


def _cleaned(value: Any, where: str) -> Any:
    """``value`` with bidirectional controls removed from every text, each removal named."""
    if isinstance(value, str):
        return clean_field(value, where.rstrip(". "))
    if isinstance(value, dict):
        return {k: _cleaned(v, f"{where}{k}.") for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v, f"{where}{i}.") for i, v in enumerate(value)]
    return value


def load_production(folder: Path) -> Production:
    """Read and validate ``folder/production.yaml``."""
    path = folder / "production.yaml"
    if not path.is_file():
        raise ConfigError("missing production.yaml (run: empreinte init DIR)", file=path)
    if not path.resolve().is_relative_to(folder.resolve()):
        raise ConfigError("link points outside the production folder", file=path)
    check_size(path, MAX_YAML_BYTES, "production.yaml")
    try:
        raw = load_yaml(path.read_text(encoding="utf-8-sig"), path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}", file=path, locator=line
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("production.yaml must be UTF-8", file=path) from exc
    if not isinstance(raw, dict):
        raise ConfigError("expected a mapping of fields", file=path)
    raw = _cleaned(raw, "production.yaml: ")
    try:
        return Production.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "production"
        value = err.get("input") if err["type"] != "missing" else None
        msg = err["msg"].removeprefix("Value error, ")
        choices = _choices(dict(err))
        if err["type"] == "extra_forbidden":
            msg, choices = "unknown field", list(Production.model_fields)
        raise ConfigError(msg, file=path, field=field, value=value, choices=choices) from exc

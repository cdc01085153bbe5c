"""What Empreinte knows of a platform, in one object: :class:`Platform`.

A platform is what a record names in ``Generation.platform`` (``kling``, ``veo``, ``comfyui``).
Its facts come from one data file, ``data/platforms.yaml`` (key → ``title``, ``title_fr``,
``aliases``, ``terms``, and either the hosting facts or ``runs_on``), or from the adapter that
reads it: a plugin adapter sets ``platform_info = Platform(...)`` and brings its own title,
hosting profile and terms. Every other module asks :func:`audit.ingest.registry.platforms`
(never a table of its own):

    reg = platforms()                  # PlatformIndex: the data file, then adapters' own
    reg.get("klingai")                 # Platform | None (key or alias, letters and digits compared)
    reg.title("veo", "fr")             # "Google Veo"; the name as written when it is unknown
    p.hosting_key                      # the hosting profile it computes on (estimators.Registry)
    p.terms_key                        # its entry in platform_terms.yaml (or its own terms)

The hosting facts themselves (provider, country, PUE, WUE) are the estimators' registry
(``Registry.platform(p.hosting_key)``): the estimators read them from the same file, and a plugin's
:attr:`Platform.hosting` is passed to them as data (``estimators.hosting.with_platforms``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from audit.base.errors import ConfigError
from estimators.coefficients import PlatformName, PlatformProfile, SourceRef, normalise_name
from estimators.readers import SAFE_LOADER, safe_yaml

#: What a data entry may say besides its hosting facts (read by the estimators).
_HOSTING_FIELDS = (
    "provider",
    "kind",
    "country",
    "grid_factor",
    "pue",
    "wue",
    "sources",
    "locator",
    "ecologits_provider",
    "notes",
)
_FIELDS = ("title", "title_fr", "aliases", "runs_on", "terms", *_HOSTING_FIELDS)


@dataclass(frozen=True)
class Platform:
    """One platform: the name the report prints, the names records use, where it computes and
    which terms apply. Built from ``data/platforms.yaml`` or declared by a plugin adapter."""

    key: str
    title: str
    #: the title in other languages, when it differs (``{"fr": ...}``)
    titles: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    #: the platform whose hosting profile it computes on (``veo`` → ``google``); None: its own
    runs_on: str | None = None
    #: the key of its terms (platform_terms.yaml, or ``terms_entry``); None: its own key
    terms: str | None = None
    #: hosting facts a plugin brings, shaped as a data entry's (provider, kind, country,
    #: grid_factor, pue, wue, sources, locator, notes); the data file's are the estimators'
    hosting: Mapping[str, Any] | None = None
    #: sources its hosting cites that data/sources.yaml does not hold
    sources: tuple[SourceRef, ...] = ()
    #: its own terms, shaped as an entry of platform_terms.yaml's ``platforms`` (a plugin's)
    terms_entry: Mapping[str, Any] | None = None
    #: where it was declared: ``platforms.yaml:LINE`` or the adapter that declares it
    origin: str = ""
    #: the name of the adapter that declared it; empty for the data file's
    adapter: str = ""

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (the English one when that language has none)."""
        return self.titles.get(lang) or self.title

    @property
    def hosting_key(self) -> str:
        """The key of the hosting profile it computes on."""
        return self.runs_on or self.key

    @property
    def terms_key(self) -> str:
        """The key of the terms that apply to it."""
        return self.terms or self.key

    def profile(self) -> PlatformProfile | None:
        """Its own hosting profile for the estimators (a plugin's), None when the data file has
        it or it runs on another platform's; a ConfigError names the bad field."""
        if self.hosting is None:
            return None
        body = {**self.hosting, "key": self.key, "title": self.title, "aliases": self.aliases}
        try:
            return PlatformProfile.model_validate(body)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise ConfigError(
                err["msg"], file=self.origin, field=f"hosting.{where}", value=err.get("input")
            ) from exc

    def name(self) -> PlatformName | None:
        """Its names for the estimators when it runs on another platform's profile (a plugin's
        reseller: ``runs_on``), else None."""
        if self.runs_on is None or self.hosting is not None:
            return None
        return PlatformName(
            key=self.key, title=self.title, aliases=self.aliases, runs_on=self.runs_on
        )


class PlatformIndex:
    """Every platform by key, and by every name (letters and digits compared)."""

    def __init__(self, platforms: Mapping[str, Platform]) -> None:
        self.platforms = dict(platforms)
        self._names: dict[str, str] = {}
        for key, platform in self.platforms.items():
            for name in (key, *platform.aliases):
                self._names.setdefault(normalise_name(name), key)
        self._names.update({normalise_name(key): key for key in self.platforms})

    def get(self, name: str | None) -> Platform | None:
        """The platform of a key or alias, None when no platform has that name."""
        if not name:
            return None
        found = self.platforms.get(name)
        if found is not None:
            return found
        key = self._names.get(normalise_name(name))
        return self.platforms[key] if key is not None else None

    def title(self, name: str, lang: str = "en") -> str:
        """The display name of a platform; the name as written when it is unknown."""
        platform = self.get(name)
        return platform.title_in(lang) if platform is not None else name

    def titles(self, lang: str = "en") -> dict[str, str]:
        """Key → title in ``lang``, for every platform."""
        return {key: p.title_in(lang) for key, p in self.platforms.items()}

    def brought(self) -> list[Platform]:
        """The platforms adapters declared (not in the data file), in registry order."""
        return [p for p in self.platforms.values() if p.adapter]


def platform_lines(text: str) -> dict[str, int]:
    """The line of each platform key and of each of its fields (``kling``, ``kling.title``)."""
    root = yaml.compose(text, Loader=SAFE_LOADER)
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value == "platforms" and isinstance(value, yaml.MappingNode):
            for pkey, body in value.value:
                lines[pkey.value] = pkey.start_mark.line + 1
                for fkey, _ in body.value if isinstance(body, yaml.MappingNode) else ():
                    lines[f"{pkey.value}.{fkey.value}"] = fkey.start_mark.line + 1
    return lines


def _entry(key: str, body: object, path: Path, lines: dict[str, int]) -> Platform:
    """One entry of the data file; a missing title or an unknown field is a ConfigError."""
    if not isinstance(body, dict):
        raise ConfigError(
            "expected a mapping",
            file=path,
            locator=lines.get(key),
            field=f"platforms.{key}",
            value=body,
        )
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ConfigError(
            "every platform needs a title",
            file=path,
            locator=lines.get(key),
            field=f"platforms.{key}.title",
            value=title,
        )
    for name in body:
        if name not in _FIELDS:
            raise ConfigError(
                "unknown field",
                file=path,
                locator=lines.get(f"{key}.{name}"),
                field=f"platforms.{key}",
                value=name,
                choices=_FIELDS,
            )
    french = body.get("title_fr")
    return Platform(
        key=key,
        title=title,
        titles={"fr": french} if french else {},
        aliases=tuple(str(a) for a in body.get("aliases") or ()),
        runs_on=body.get("runs_on"),
        terms=body.get("terms"),
        origin=f"{path.name}:{lines.get(key, 1)}",
    )


def load_platforms(path: Path) -> dict[str, Platform]:
    """``data/platforms.yaml``'s platforms, each with a title; ``runs_on`` names one of them."""
    text = path.read_text(encoding="utf-8")
    data = safe_yaml(text)
    lines = platform_lines(text)
    if not isinstance(data, dict) or not isinstance(data.get("platforms"), dict):
        raise ConfigError("expected a mapping 'platforms'", file=path, locator=1)
    found = {str(k): _entry(str(k), body, path, lines) for k, body in data["platforms"].items()}
    for key, platform in found.items():
        if platform.runs_on is not None and platform.runs_on not in found:
            raise ConfigError(
                "unknown platform key",
                file=path,
                locator=lines.get(f"{key}.runs_on"),
                field=f"platforms.{key}.runs_on",
                value=platform.runs_on,
                choices=found,
            )
    return found

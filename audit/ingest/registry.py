"""The one registry of adapters and of the platforms they read.

Adapters: built-ins and third-party ones (entry-point group ``empreinte.adapters``, value
``package.module:AdapterClass``) go through the same path (:func:`adapters`, :func:`get`).

Platforms: :func:`platforms` is every platform Empreinte knows — ``data/platforms.yaml``, then
the ones plugin adapters declare (``Adapter.platform_info``) — as one
:class:`~audit.ingest.platforms.PlatformIndex`. Titles, hosting and terms are asked of it, never
kept in a table of another module. Every adapter's ``platform`` must be known: in the data file,
or declared by the adapter (a ConfigError names the adapter otherwise).
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from audit.base.errors import ConfigError, DataError
from audit.base.resources import data_file
from audit.ingest.base import Adapter
from audit.ingest.platforms import Platform, PlatformIndex, load_platforms
from estimators.coefficients import Registry
from estimators.errors import EstimatorError
from estimators.hosting import with_platforms

#: Built-in adapters, in sniffing order (most specific first; canonical last).
BUILTIN: tuple[str, ...] = (
    "audit.ingest.comfyui:ComfyUIAdapter",
    "audit.ingest.a1111:A1111Adapter",
    "audit.ingest.midjourney:MidjourneyAdapter",
    "audit.ingest.elevenlabs:ElevenLabsAdapter",
    "audit.ingest.suno:SunoAdapter",
    "audit.ingest.udio:UdioAdapter",
    "audit.ingest.kling:KlingAdapter",
    "audit.ingest.runway:RunwayAdapter",
    "audit.ingest.openai:OpenAIAdapter",
    "audit.ingest.veo:VeoAdapter",
    "audit.ingest.luma:LumaAdapter",
    "audit.ingest.pika:PikaAdapter",
    "audit.ingest.minimax:MiniMaxAdapter",
    "audit.ingest.firefly:FireflyAdapter",
    "audit.ingest.stability:StabilityAdapter",
    "audit.ingest.freepik:MagnificAdapter",
    "audit.ingest.canonical:CanonicalAdapter",
)

ENTRY_POINT_GROUP = "empreinte.adapters"
#: Adapters reading records of any platform (the record names it): no platform of their own.
ANY_PLATFORM = "*"


def _load(spec: str) -> type[Adapter]:
    module_name, _, attr = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise DataError(f"adapter {spec} cannot be loaded ({exc})") from exc
    if not (isinstance(cls, type) and issubclass(cls, Adapter) and cls.name):
        raise DataError(f"{spec} is not an Adapter subclass with a name")
    return cls


@cache
def adapters(include_plugins: bool = True) -> dict[str, Adapter]:
    """Every adapter by name: built-ins first, then installed plugins."""
    specs = list(BUILTIN)
    if include_plugins:
        specs += [ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)]
    found: dict[str, Adapter] = {}
    for spec in specs:
        cls = _load(spec)
        if cls.name in found:
            raise DataError(f"two adapters named {cls.name!r} ({spec})")
        found[cls.name] = cls()
    return found


def get(name: str) -> Adapter:
    """The adapter called ``name``; a one-line error lists the valid names."""
    registry = adapters()
    if name not in registry:
        raise ConfigError("unknown adapter", field="--adapter", value=name, choices=registry)
    return registry[name]


def _declared(adapter: Adapter, known: dict[str, Platform]) -> Platform | None:
    """The platform an adapter brings, or None when the data file has it; a ConfigError when
    neither knows the adapter's platform or the adapter redeclares one of the data file."""
    info, where = adapter.platform_info, f"adapter {adapter.name!r}"
    if info is None:
        if adapter.platform not in known and adapter.platform != ANY_PLATFORM:
            raise ConfigError(
                "platform not in data/platforms.yaml and not declared by the "
                "adapter (platform_info)",
                file=where,
                field="platform",
                value=adapter.platform,
            )
        return None
    if info.key in known:
        raise ConfigError(
            "already known (data/platforms.yaml or another adapter)",
            file=where,
            field="platform_info.key",
            value=info.key,
        )
    if info.key != adapter.platform:
        raise ConfigError(
            "not the adapter's platform",
            file=where,
            field="platform_info.key",
            value=info.key,
            choices=[adapter.platform],
        )
    origin = info.origin or f"{where} ({type(adapter).__module__})"
    return replace(info, origin=origin, adapter=adapter.name)


@cache
def platforms(include_plugins: bool = True, path: Path | None = None) -> PlatformIndex:
    """Every platform: ``data/platforms.yaml`` (or ``path``), then those adapters declare."""
    known = load_platforms(path or data_file("platforms.yaml"))
    for adapter in adapters(include_plugins).values():
        info = _declared(adapter, known)
        if info is not None:
            known[info.key] = info
    return PlatformIndex(known)


def with_hosting(reg: Registry) -> Registry:
    """The estimators' registry plus the hosting of the platforms adapters declare (their
    profiles, or the profile they run on), passed as data; a ConfigError names a bad one."""
    brought = platforms().brought()
    profiles = [(p.origin, prof) for p in brought if (prof := p.profile()) is not None]
    names = [(p.origin, name) for p in brought if (name := p.name()) is not None]
    sources = [s for p in brought for s in p.sources]
    try:
        return with_platforms(reg, profiles, sources, names)
    except EstimatorError as exc:
        raise ConfigError(f"platform brought by an adapter: {exc}") from exc

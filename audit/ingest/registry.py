"""The one registry of adapters: built-ins and third-party ones (entry-point group
``empreinte.adapters``, value ``package.module:AdapterClass``) go through the same path."""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points

from audit.errors import ConfigError, DataError
from audit.ingest.base import Adapter

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

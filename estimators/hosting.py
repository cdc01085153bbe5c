"""Hosting profiles brought from outside ``data/platforms.yaml``: a plugin adapter's platform.

The estimators never import the application: the caller passes each profile (where the platform
computes: provider, country, PUE and on-site WUE bands, sources) as data, and gets a registry that
knows it as if it were a row of ``platforms.yaml`` (its ``platform.<key>.pue``/``.wue``
coefficients included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from estimators.coefficients import (
    PlatformName,
    PlatformProfile,
    Registry,
    SourceRef,
    normalise_name,
)
from estimators.errors import CoefficientError
from estimators.loading import platform_coefficients


def _check(
    profile: PlatformProfile, reg: Registry, sources: Mapping[str, SourceRef], origin: str
) -> None:
    """A profile whose names are new, whose sources resolve and whose grid exists."""
    for name in (profile.key, *profile.aliases):
        if reg.platform_key(name) is not None:
            raise CoefficientError(
                "platform already in the registry", file=origin, field="key", value=name
            )
    for sid in profile.sources:
        if sid not in sources:
            raise CoefficientError(
                "unknown source",
                file=origin,
                field=f"{profile.key}.sources",
                value=sid,
                choices=sources,
            )
    if profile.country is not None and profile.country not in reg.grid:
        raise CoefficientError(
            "country not in grid.csv",
            file=origin,
            field=f"{profile.key}.country",
            value=profile.country,
        )
    expected = f"grid.carbon.{profile.country}" if profile.country else None
    if profile.grid_factor != expected:
        raise CoefficientError(
            f"must be {expected!r} (the country's carbon factor)",
            file=origin,
            field=f"{profile.key}.grid_factor",
            value=profile.grid_factor,
        )


def _fold(
    platforms: dict[str, PlatformProfile], names: Iterable[tuple[str, PlatformName]], reg: Registry
) -> dict[str, PlatformProfile]:
    """Each name's key and aliases added to the profile it runs on."""
    out = dict(platforms)
    for origin, name in names:
        target = reg.platform_key(name.runs_on) or name.runs_on
        if target not in out:
            raise CoefficientError(
                "unknown platform", file=origin, field="runs_on", value=name.runs_on, choices=out
            )
        for alias in (name.key, *name.aliases):
            if reg.platform_key(alias) is not None:
                raise CoefficientError(
                    "platform already in the registry", file=origin, field="key", value=alias
                )
        folded = (*out[target].aliases, name.key, *name.aliases)
        out[target] = out[target].model_copy(update={"aliases": folded})
    return out


def with_platforms(
    reg: Registry,
    profiles: Iterable[tuple[str, PlatformProfile]],
    sources: Iterable[SourceRef] = (),
    names: Iterable[tuple[str, PlatformName]] = (),
) -> Registry:
    """``reg`` plus these ``(origin, profile)`` pairs (origin names who brings the profile, for
    errors), the sources they cite beyond ``sources.yaml``, and ``(origin, name)`` pairs of
    platforms that run on a known profile. Unchanged when there are none."""
    pairs, named = list(profiles), list(names)
    if not pairs and not named:
        return reg
    cited = {**reg.sources, **{s.id: s for s in sources}}
    added: dict[str, PlatformProfile] = {}
    for origin, profile in pairs:
        _check(profile, reg, cited, origin)
        taken = {normalise_name(n) for p in added.values() for n in (p.key, *p.aliases)}
        if normalise_name(profile.key) in taken:
            raise CoefficientError(
                "platform brought twice", file=origin, field="key", value=profile.key
            )
        added[profile.key] = profile
    return replace(
        reg,
        coefficients={**reg.coefficients, **platform_coefficients(added)},
        sources=cited,
        platforms=_fold({**reg.platforms, **added}, named, reg),
        _bands={},
        _aliases={},
        _found={},
    )

"""Country codes as people write them: two or three letters (``FR`` or ``FRA``), any case,
everywhere a country is asked for (production.yaml territories and compute_regions, --region).
Territories are kept in ISO 3166 alpha-2 (``FR``, plus ``EU`` and ``WORLD``), compute regions in
alpha-3 (``FRA``, plus ``WOR`` for the world average the grid data uses)."""

from __future__ import annotations

WORLD_NAMES = {"WORLD": ("WORLD", "WOR"), "WOR": ("WORLD", "WOR"), "WW": ("WORLD", "WOR")}


def _lookup(code: str) -> tuple[str, str] | None:
    """(alpha-2, alpha-3) of a two- or three-letter code, None when unknown."""
    import pycountry

    key = code.strip().upper()
    if key in WORLD_NAMES:
        return WORLD_NAMES[key]
    found = None
    if len(key) == 2:
        found = pycountry.countries.get(alpha_2=key)
    elif len(key) == 3:
        found = pycountry.countries.get(alpha_3=key)
    return (str(found.alpha_2), str(found.alpha_3)) if found is not None else None


def alpha3(code: str) -> str | None:
    """``FR``/``fra``/``FRA`` → ``FRA``; ``WORLD`` → ``WOR``; None when unknown."""
    found = _lookup(code)
    return found[1] if found else None


def alpha2(code: str) -> str | None:
    """``FRA``/``fr`` → ``FR``; ``WOR`` → ``WORLD``; None when unknown."""
    found = _lookup(code)
    return found[0] if found else None

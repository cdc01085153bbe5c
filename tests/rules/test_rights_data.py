"""data/platform_terms.yaml, data/lists/, data/training_claims.yaml and data/rights_sources.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from audit.base.errors import ConfigError, DataError
from audit.base.resources import data_file
from audit.ingest.registry import platforms
from audit.rights.datafiles import load_lists, load_terms, load_training_claims, rights_sources
from audit.rights.knowledge import (
    CommercialUse,
)

TERMS = load_terms()


def test_required_platforms_and_models_present() -> None:
    assert set(TERMS.platforms) == {
        "comfyui",
        "elevenlabs",
        "firefly",
        "google",
        "kling",
        "luma",
        "magnific",
        "midjourney",
        "minimax",
        "openai",
        "pika",
        "runway",
        "stability",
        "suno",
        "udio",
    }
    assert [m.id for m in TERMS.models] == ["flux1-dev", "stability-community"]
    assert TERMS.platforms["comfyui"].local
    assert not TERMS.platforms["comfyui"].tiers


@pytest.mark.parametrize(
    ("platform", "tier", "day", "use"),
    [
        ("suno", "Free", date(2026, 9, 2), "no"),
        ("suno", "basic", date(2026, 9, 2), "no"),
        ("Suno", "Premier", date(2026, 9, 2), "yes"),
        ("elevenlabs", "Creator", date(2026, 9, 2), "yes"),
        ("elevenlabs", "free", date(2026, 9, 2), "no"),
        ("midjourney", "Mega", date(2026, 9, 2), "yes"),
        ("hailuo", "Free", date(2026, 9, 2), "no"),
        ("udio", "Pro", date(2025, 11, 11), "unknown"),
        ("udio", "Pro", date(2025, 11, 12), "no"),
        ("freepik", "Premium+", date(2026, 9, 2), "yes"),
        ("runway", "Free", date(2026, 9, 2), "unknown"),
        ("luma", "Plus", date(2026, 9, 2), "conditional"),
        ("openai", "Plus", date(2026, 9, 2), "yes"),
        ("adobe firefly", "anything", date(2026, 9, 2), "yes"),
    ],
)
def test_tier_lookup(platform: str, tier: str, day: date, use: str) -> None:
    entry = TERMS.tier_terms(platform, tier, day)
    assert entry is not None
    assert entry.commercial_use == CommercialUse(use)


def test_unknown_tier_and_platform() -> None:
    assert TERMS.tier_terms("suno", "Platinum", date(2026, 9, 2)) is None
    assert TERMS.tier_terms("acme", "Pro", date(2026, 9, 2)) is None
    assert TERMS.platform_key("Eleven Labs") == "elevenlabs"


def test_unverified_terms_say_so() -> None:
    runway = TERMS.platforms["runway"].tiers
    assert not any(entry.verified for entry in runway)
    assert all("nverified" in entry.notes for entry in runway)
    assert TERMS.platforms["midjourney"].revenue_rule is not None
    assert TERMS.platforms["midjourney"].revenue_rule.threshold_usd == 1_000_000


def test_every_distribution_value_needs_commercial_terms() -> None:
    assert TERMS.public_distribution(["online", "festival"]) == ["festival", "online"]
    assert set(TERMS.distribution) == {"festival", "online", "commercial", "broadcast", "education"}


def licence_id(name: str) -> str | None:
    licence = TERMS.model_licence([name])
    return licence.id if licence else None


def test_model_licence_matching() -> None:
    assert licence_id("flux1-dev-fp8.safetensors") == "flux1-dev"
    assert licence_id("FLUX.1 [dev]") == "flux1-dev"
    assert TERMS.model_licence(["flux1-schnell.safetensors"]) is None
    assert licence_id("sd3.5_large.safetensors") == "stability-community"


def test_lists_are_indicative_and_split_living_from_deceased() -> None:
    lists = load_lists()
    assert sorted(lists) == ["brand", "deceased_artist", "living_artist", "public_figure"]
    assert all("not exhaustive" in name_list.note for name_list in lists.values())
    deceased = {e.name: e.died for e in lists["deceased_artist"].entries}
    assert deceased["Moebius"] == 2012
    assert deceased["Alphonse Mucha"] == 1939
    living = {e.name for e in lists["living_artist"].entries}
    assert {"Greg Rutkowski", "Hayao Miyazaki", "Beeple"} <= living
    assert not living & set(deceased)
    brands = {e.name for e in lists["brand"].entries}
    assert {"Coca-Cola", "Nike", "Disney"} <= brands


def test_training_claims() -> None:
    claims = load_training_claims()
    firefly = claims.for_generation("firefly", None)
    marey = claims.for_generation("moonvalley", "marey-1")
    assert firefly is not None
    assert firefly.id == "adobe-firefly"
    assert marey is not None
    assert marey.claim == "licensed"
    assert claims.for_generation("kling", "kling-v2-6") is None
    assert "kling" in claims.none_known.platforms


def test_every_cited_source_has_title_year_and_url_or_note() -> None:
    sources = rights_sources()
    assert len(sources) >= 40
    for source_id, source in sources.items():
        assert source.title, source_id
        assert 2020 <= source.year <= 2026, source_id
        assert source.url is None or source.url.startswith("http"), source_id


def test_broken_terms_file_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text(
        "data_version: 1\nchecked_on: 2026-08-20\ndistribution: {}\nplatforms:\n"
        "  suno:\n    tiers:\n      - {tier: free, commercial_use: maybe, "
        "verified: false}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"terms.yaml: platforms.suno.tiers.0.commercial_use"):
        load_terms(path)


def test_unknown_source_id_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text(
        "data_version: 1\nchecked_on: 2026-08-20\ndistribution: {}\nplatforms:\n"
        "  suno:\n    tiers:\n      - {tier: free, commercial_use: no, "
        "verified: false, sources: [nowhere]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"source 'nowhere' is not in data/rights_sources\.yaml"):
        load_terms(path)


def test_unknown_platform_key_in_terms_is_one_config_error_line(tmp_path: Path) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text(
        "data_version: 1\nchecked_on: 2026-08-20\ndistribution: {}\nplatforms:\n"
        "  suno:\n    tiers: []\n  sunno:\n    tiers: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_terms(path)
    message = str(err.value)
    assert message.startswith(f"{path}:7: platforms.sunno: unknown platform key (got 'sunno'); ")
    assert "allowed: a1111, anthropic, " in message
    assert "\n" not in message


def test_every_terms_reference_of_the_registry_names_an_entry() -> None:
    """``terms: openai`` (sora) in data/platforms.yaml names an entry of platform_terms.yaml, and
    every entry's key is a platform's terms key."""
    index = platforms(include_plugins=False)
    for key, platform in index.platforms.items():
        if platform.terms is not None:
            assert platform.terms in TERMS.platforms, key
    covered = {p.terms_key for p in index.platforms.values()}
    assert set(TERMS.platforms) <= covered


def test_names_resolve_through_the_registry_to_their_terms() -> None:
    for key, platform in platforms(include_plugins=False).platforms.items():
        expected = platform.terms_key if platform.terms_key in TERMS.platforms else None
        for name in (key, *platform.aliases):
            assert TERMS.platform_key(name) == expected, name


def test_unknown_platform_key_in_training_claims_is_one_config_error_line(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    text = data_file("training_claims.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("platforms: [moonvalley]", "platforms: [moonvaley]"), "utf-8")
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if "moonvaley" in row)
    with pytest.raises(ConfigError) as err:
        load_training_claims(path)
    message = str(err.value)
    assert message.startswith(
        f"{path}:{line}: claims.2.platforms: unknown platform key (got 'moonvaley'); allowed: "
    )
    assert "\n" not in message


def test_every_claimed_platform_is_a_registry_platform() -> None:
    claims = load_training_claims()
    index = platforms(include_plugins=False)
    named = [key for claim in claims.claims for key in claim.platforms]
    for key in [*named, *claims.none_known.platforms, *claims.none_known.notes]:
        assert key in index.platforms, key

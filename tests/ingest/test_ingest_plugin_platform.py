"""A plugin adapter brings its own platform (``platform_info``): its title reaches the credits and
the findings, its hosting the estimators (as data), its terms the rights rules, and a platform
neither the data file nor the adapter knows is one ConfigError naming the adapter.

The plugin is a real (temporary) installed distribution on ``sys.path`` with an entry point in
``empreinte.adapters``, found by ``importlib.metadata`` exactly like a pip-installed one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from audit.base.errors import ConfigError
from audit.estimate import footprint
from audit.forecast.skeleton import write_skeleton
from audit.ingest.registry import ENTRY_POINT_GROUP, adapters, platforms
from audit.pipeline import Options, run
from audit.report.credits import credits_context
from audit.rights.datafiles import load_terms

PLUGIN = """
from audit.ingest.base import Adapter, Source, build
from audit.ingest.platforms import Platform

HOSTING = {
    "provider": "Acme cloud (test plugin)", "kind": "cloud", "country": "FRA",
    "grid_factor": "grid.carbon.FRA", "pue": {"low": 1.1, "central": 1.2, "high": 1.3},
    "wue": {"low": 0.1, "central": 0.2, "high": 0.3}, "sources": ["uptime-2024"],
    "locator": "test plugin: a band around the Uptime 2024 average",
}

TERMS = {"tiers": [{"tier": "*", "commercial_use": "unknown", "verified": False,
                    "notes": "test plugin: terms not read", "notes_fr": "extension de test : "
                    "conditions non lues"}]}


class AcmeAdapter(Adapter):
    name = "acme"
    platform = "acme"
    title = "Acme Motion (test plugin)"
    suffixes = (".acme",)
    platform_info = Platform(key="acme", title="Acme Motion", titles={"fr": "Acme Mouvement"},
                             aliases=("acme-ai",), hosting=HOSTING, terms_entry=TERMS)

    def sniff(self, path):
        return path.suffix == ".acme"

    def read(self, source: Source):
        lines = source.path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            gen_id, created, model = line.split()
            yield build(source, str(number), self.name, id=f"acme:{gen_id}", platform="acme",
                        model=model, modality="image", created_at=created)


class SilentAdapter(AcmeAdapter):
    name = "silent"
    platform = "silent"
    platform_info = None
"""


def _install(folder: Path, entries: dict[str, str]) -> None:
    module = "empreinte_fake_acme"
    (folder / f"{module}.py").write_text(PLUGIN, encoding="utf-8")
    dist = folder / f"{module}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    lines = [f"{name} = {module}:{cls}" for name, cls in entries.items()]
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n" + "\n".join(lines) + "\n")


def _clear() -> None:
    adapters.cache_clear()
    platforms.cache_clear()
    footprint._registry.cache_clear()
    load_terms.cache_clear()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    _clear()
    yield folder
    _clear()
    sys.modules.pop("empreinte_fake_acme", None)


def test_plugin_platform_reaches_credits_tables_and_estimators(site: Path, tmp_path: Path) -> None:
    _install(site, {"acme": "AcmeAdapter"})
    film = tmp_path / "film"
    write_skeleton(film)
    (film / "logs" / "day1.acme").write_text(
        "a1 2026-09-20T08:00:00Z acme-still-2\na2 2026-09-20T09:00:00Z acme-still-2\n"
    )
    audit_run = run(film, Options(as_of=date(2026, 11, 20), require_timeline=False))
    assert [g.platform for g in audit_run.link.objects(range(len(audit_run.link.table)))] == [
        "acme",
        "acme",
    ]
    tools = {lang: credits_context(audit_run, lang).tools for lang in ("en", "fr")}
    assert tools["en"][0].tools == "Acme Motion (acme-still-2)"
    assert tools["fr"][0].tools == "Acme Mouvement (acme-still-2)"
    reg = audit_run.footprint.registry
    assert reg.platform("acme-ai").key == "acme"
    assert reg.platform("acme").pue.central == 1.2
    assert "platform.acme.pue" in audit_run.footprint.coefficient_ids()
    assert set(audit_run.footprint.table["region"]) == {"FRA"}
    assert load_terms().platform_key("acme-ai") == "acme"
    terms = [f for f in audit_run.findings if f.code == "TERMS001"]
    assert len(terms) == 1
    assert terms[0].params["platform"] == "Acme Motion"


def test_plugin_platform_known_to_no_one_names_the_adapter(site: Path) -> None:
    _install(site, {"silent": "SilentAdapter"})
    with pytest.raises(ConfigError) as err:
        platforms()
    assert str(err.value).startswith(
        "adapter 'silent': platform: platform not in data/platforms.yaml and not declared by the "
        "adapter (platform_info) (got 'silent')"
    )


def test_plugin_cannot_redeclare_a_platform_of_the_data_file(site: Path) -> None:
    source = PLUGIN + (
        "\n\nclass KlingTwin(AcmeAdapter):\n    name = 'klingtwin'\n    platform = 'kling'\n"
        "    platform_info = Platform(key='kling', title='Kling by someone else')\n"
    )
    _install(site, {"klingtwin": "KlingTwin"})
    (site / "empreinte_fake_acme.py").write_text(source, encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"^adapter 'klingtwin': platform_info.key: already known "
    ):
        platforms()


def test_plugin_hosting_with_a_bad_field_is_a_config_error(site: Path) -> None:
    source = PLUGIN.replace('"kind": "cloud"', '"kind": "orbital"')
    _install(site, {"acme": "AcmeAdapter"})
    (site / "empreinte_fake_acme.py").write_text(source, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^adapter 'acme' \(empreinte_fake_acme\): hosting.kind"):
        footprint.registry()

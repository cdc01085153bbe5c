"""The one platform registry (audit/ingest/platforms.py, served by registry.platforms()): one title
per platform for every module, names resolved the same way everywhere, and the data file
validated at load (a missing title or an unknown platform key is one ConfigError line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from audit.base.errors import ConfigError
from audit.base.resources import data_file
from audit.ingest.comfyui_graph import API_VENDORS
from audit.ingest.platforms import load_platforms
from audit.ingest.registry import ANY_PLATFORM, adapters, platforms
from audit.ingest.runway import VENDORS
from estimators.errors import CoefficientError
from estimators.loading import load_registry


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ to break (the registry files the estimators read too)."""
    copy = tmp_path / "data"
    shutil.copytree(data_file(), copy, ignore=shutil.ignore_patterns("examples", "lists"))
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line == needle)


def test_every_builtin_adapter_platform_has_an_entry() -> None:
    index = platforms(include_plugins=False)
    for adapter in adapters(include_plugins=False).values():
        if adapter.platform == ANY_PLATFORM:
            continue
        assert adapter.platform in index.platforms, adapter.name
        assert index.platforms[adapter.platform].title.strip()


def test_aliases_and_keys_name_one_platform_with_one_title() -> None:
    index = platforms(include_plugins=False)
    for key, platform in index.platforms.items():
        for name in (key, *platform.aliases, key.upper(), f" {key} "):
            found = index.get(name.strip())
            assert found is not None, name
            assert found.key == key, name
            assert index.title(name.strip()) == platform.title


def test_unknown_name_keeps_the_name_as_written() -> None:
    index = platforms(include_plugins=False)
    assert index.get("no-such-platform") is None
    assert index.title("no-such-platform", "fr") == "no-such-platform"


def test_french_title_when_given_else_the_english_one() -> None:
    raw = yaml.safe_load(data_file("platforms.yaml").read_text(encoding="utf-8"))["platforms"]
    index = platforms(include_plugins=False)
    for key, body in raw.items():
        assert index.title(key, "fr") == body.get("title_fr", body["title"])
        assert index.title(key, "en") == body["title"]


def test_runs_on_names_resolve_to_the_profile_they_compute_on() -> None:
    reg = load_registry(data_file())
    for key, platform in platforms(include_plugins=False).platforms.items():
        assert reg.platform_key(key) == platform.hosting_key, key
        for alias in platform.aliases:
            assert reg.platform_key(alias) == platform.hosting_key, alias


def test_missing_title_is_one_config_error_line(data_copy: Path) -> None:
    path = data_copy / "platforms.yaml"
    line = _line_of(path, "  pika:")
    _edit(path, "  pika:\n    title: Pika\n", "  pika:\n")
    with pytest.raises(ConfigError) as err:
        load_platforms(path)
    assert str(err.value) == f"{path}:{line}: platforms.pika.title: every platform needs a title"


def test_unknown_field_names_its_line_and_the_choices(data_copy: Path) -> None:
    path = data_copy / "platforms.yaml"
    _edit(path, "    title: Pika\n", "    title: Pika\n    titel: Pika\n")
    line = _line_of(path, "    titel: Pika")
    with pytest.raises(ConfigError, match=rf"^{path}:{line}: platforms.pika: unknown field "):
        load_platforms(path)


def test_runs_on_an_unknown_platform_key(data_copy: Path) -> None:
    path = data_copy / "platforms.yaml"
    _edit(
        path,
        "    title: Google Veo\n    runs_on: google\n",
        "    title: Google Veo\n    runs_on: gogle\n",
    )
    line = _line_of(path, "    runs_on: gogle")
    with pytest.raises(ConfigError) as err:
        load_platforms(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: platforms.veo.runs_on: unknown platform key ")
    assert "(got 'gogle'); allowed: a1111, anthropic" in message
    assert "\n" not in message
    with pytest.raises(CoefficientError, match=r"veo.runs_on: unknown platform \(got 'gogle'\)"):
        load_registry(data_copy)


def test_every_vendor_an_adapter_names_is_a_registry_platform() -> None:
    """A ComfyUI paid API node's vendor becomes the record's platform, and Runway's resold models
    name theirs: each must be a platform the report can title and the estimators can place (an
    Ideogram node used to stop the estimate: 'unknown platform key')."""
    index = platforms(include_plugins=False)
    reg = load_registry(data_file())
    vendors = {key for _, key in API_VENDORS} | {key for _, key in VENDORS}
    for key in sorted(vendors):
        assert index.get(key) is not None, key
        assert reg.platform_key(key) is not None, key

"""docs/platforms.md is generated from the registry; every adapter documents itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.ingest.docs import render_platforms_md
from audit.ingest.registry import ANY_PLATFORM, adapters, platforms

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = adapters(include_plugins=False)


@pytest.mark.parametrize("name", list(ADAPTERS))
def test_adapter_manifest_is_complete(name: str) -> None:
    adapter = ADAPTERS[name]
    assert adapter.name == name
    for attr in ("platform", "title", "formats", "reads", "cannot_know"):
        assert isinstance(getattr(adapter, attr), str)
        assert getattr(adapter, attr).strip(), f"{name}.{attr} is empty"
    assert adapter.suffixes
    assert all(s.startswith(".") and s == s.lower() for s in adapter.suffixes)


def test_render_lists_every_adapter_in_registry_order() -> None:
    text = render_platforms_md()
    assert text == render_platforms_md()
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == [adapter.title for adapter in ADAPTERS.values()]
    for adapter in ADAPTERS.values():
        assert f"- **Adapter name:** `{adapter.name}` (platform `{adapter.platform}`" in text
        assert f"- **Cannot know:** {adapter.cannot_know}" in text
    for key, platform in platforms(include_plugins=False).platforms.items():
        assert f"| `{key}` | {platform.title} |" in text  # the registry's table, every platform
    index = platforms(include_plugins=False)
    for adapter in ADAPTERS.values():
        if adapter.platform != ANY_PLATFORM:
            assert (
                f"(platform `{adapter.platform}`, titled {index.title(adapter.platform)})" in text
            )
    assert text.startswith("# Platforms Empreinte reads\n")
    assert text.endswith("\n")


def test_committed_page_is_current() -> None:
    page = ROOT / "docs" / "platforms.md"
    if not page.exists():
        pytest.skip("docs/platforms.md is not generated yet (render_platforms_md())")
    assert page.read_text(encoding="utf-8") == render_platforms_md(), (
        "docs/platforms.md is stale: regenerate it from audit.ingest.docs.render_platforms_md()"
    )

"""docs/rules.md is generated from the registry, deterministically."""

from __future__ import annotations

from audit.rights import registry
from audit.rights.docs import render_rules_md


def test_rules_md_is_deterministic_and_complete() -> None:
    text = render_rules_md()
    assert text == render_rules_md()
    for code, item in registry().items():
        assert f'<a id="{code.lower()}"></a>' in text
        assert f"## {code}: `{item.name}`" in text
        assert f"**Fails when.** {item.sections['Fails when']}" in text
    assert (
        "- `suno-terms`: Neon Music — Suno AI music ownership terms of service (2025, "
        "confidence S) <https://neonmusic.co.uk/suno-ai-music-ownership-terms-of-service>" in text
    )
    assert "Absence of Content Credentials proves nothing" in text
    assert "To verify: not proven to be in the film." in text  # what "to verify" means
    assert "| suno | free, basic | no | any | no | suno-terms, suno-guide |" in text
    assert "| festival | yes | public screening" in text
    assert text.endswith("\n")
    assert not text.endswith("\n\n")

"""The contract of every registered rule, the ordering of findings and redaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from audit.base.resources import data_file
from audit.rights import AuditContext, Severity, registry, run_rules
from audit.rights.base import capped, parse_docstring

RULES = registry()


def known_sources() -> set[str]:
    ids = set(yaml.safe_load(data_file("rights_sources.yaml").read_text(encoding="utf-8")))
    general = data_file("sources.yaml")
    if general.is_file():
        ids |= set(yaml.safe_load(general.read_text(encoding="utf-8")) or {})
    return ids


def test_fifteen_rules_cover_the_twelve_checks() -> None:
    assert list(RULES) == [
        "CLEAR001",
        "CONSENT001",
        "CONSENT002",
        "CONSENT003",
        "DISCLOSE001",
        "MODEL001",
        "PROV001",
        "PROV002",
        "SOURCE001",
        "SOURCE002",
        "SOURCE003",
        "TERMS001",
        "TERMS002",
        "TERMS003",
        "TRAIN001",
    ]


@pytest.mark.parametrize("code", list(RULES))
def test_rule_contract(code: str) -> None:
    item = RULES[code]
    assert item.code == code
    assert item.name.count(".") >= 1
    assert item.name == item.name.lower()
    assert item.severity in set(Severity)
    assert item.basis, "every rule cites at least one source"
    assert set(item.basis) <= known_sources(), set(item.basis) - known_sources()
    assert item.summary.endswith("."), item.summary
    assert set(item.sections) == {"Why", "Fails when", "How to fix"}
    assert all(len(text) > 20 for text in item.sections.values())
    assert item.doc_url == f"docs/rules.md#{code.lower()}"


def test_parse_docstring_joins_summary_and_sections() -> None:
    doc = """First line
    continues.

    Why: because
    it matters.
    Fails when: x.
    How to fix: y.
    """
    summary, sections = parse_docstring(doc)
    assert summary == "First line continues."
    assert sections == {"Why": "because it matters.", "Fails when": "x.", "How to fix": "y."}


def test_capped_keeps_twelve_and_counts_the_rest() -> None:
    items = [f"gen:{i:02d}" for i in range(15)]
    assert capped(items) == [*items[:12], "… and 3 more"]
    assert capped(["b", "a", "a"]) == ["a", "b"]


PLANTED: dict[str, Any] = {
    "plans": [
        {"platform": "suno", "tier": "Free", "from": "2026-06-01", "to": "2026-09-10"},
        {"platform": "suno", "tier": "Pro", "from": "2026-09-10", "to": "2027-12-31"},
        {"platform": "elevenlabs", "tier": "Creator", "from": "2026-01-01", "to": "2026-12-31"},
    ],
    "consents": [
        {
            "person": "Yann Le Goff",
            "kind": "voice",
            "scope": "festivals et en ligne",
            "territories": "FR|BE|CH",
            "valid_from": "2026-08-01",
            "valid_until": "2027-01-31",
            "document": "consents/yann-le-goff-voix.pdf",
        },
    ],
    "generations": [
        {
            "id": "suno:kept",
            "platform": "suno",
            "modality": "music",
            "created_at": datetime(2026, 9, 2, 10, tzinfo=UTC),
        },
        {
            "id": "elevenlabs:h1",
            "platform": "elevenlabs",
            "modality": "speech",
            "created_at": datetime(2026, 9, 3, 10, tzinfo=UTC),
            "attributes": {
                "voice_category": "cloned",
                "voice_id": "vx_narr_yann",
                "voice_name": "Yann (narrateur)",
            },
        },
    ],
    "credits_text": "Images, voix et musique générées par IA.",
}


def test_findings_sorted_by_severity_then_code(
    make_context: Callable[[dict[str, Any]], AuditContext],
) -> None:
    found = run_rules(make_context(PLANTED))
    assert [(f.severity.value, f.code) for f in found] == [
        ("blocker", "CONSENT003"),
        ("blocker", "TERMS001"),
        ("info", "TRAIN001"),
        ("info", "TRAIN001"),
    ]
    assert found == run_rules(make_context(PLANTED))


def test_redact_hides_consent_subjects(
    make_context: Callable[[dict[str, Any]], AuditContext],
) -> None:
    found = run_rules(make_context(PLANTED), redact=True)
    text = " ".join(f"{f.message} {f.fix} {' '.join(f.evidence)}" for f in found)
    assert "Yann" not in text
    assert "Le Goff" not in text
    consent = next(f for f in found if f.code == "CONSENT003")
    assert consent.message.startswith("The consent of person #1 (voice, rights/consents.csv:2)")


def test_redact_numbers_people_in_name_order(
    make_context: Callable[[dict[str, Any]], AuditContext],
) -> None:
    scenario = {
        "consents": [
            {
                "person": "Zoé Arnaud",
                "kind": "likeness",
                "scope": "festivals et en ligne",
                "territories": "WORLD",
                "valid_until": "2027-01-01",
                "document": "z.pdf",
            },
            {
                "person": "Yann Le Goff",
                "kind": "voice",
                "scope": "festivals et en ligne",
                "territories": "WORLD",
                "valid_until": "2027-01-01",
                "document": "y.pdf",
            },
        ]
    }
    found = run_rules(make_context(scenario), redact=True, only=["CONSENT003"])
    assert [f.message[:30] for f in found] == [
        "The consent of person #2 (like",
        "The consent of person #1 (voic",
    ]


def test_generation_evidence_names_the_record(
    make_context: Callable[[dict[str, Any]], AuditContext],
) -> None:
    ctx = make_context(PLANTED)
    terms = run_rules(ctx, only=["TERMS001"])[0]
    assert terms.generation_ids == ["suno:kept"]
    assert "suno:kept (logs/test.json:1)" in terms.evidence
    assert ctx.generations is None  # the harness objects became the table the rules read
    assert len(ctx.gens) == len(PLANTED["generations"])

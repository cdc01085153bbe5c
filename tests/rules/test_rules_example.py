"""The bundled example's two planted problems, found from its own production.yaml and rights/
ledgers: the kept Suno clip made on the Free plan, and the narrator's consent ending before the
release."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from audit.base.models import Generation
from audit.base.production import load_production
from audit.base.resources import example_dir
from audit.ingest.ledgers import load_ledgers
from audit.rights import AuditContext, run_rules

EXAMPLE = example_dir()
pytestmark = pytest.mark.skipif(
    not (EXAMPLE / "rights").is_dir(), reason="the bundled example has no rights/ folder yet"
)


def kept(gen_id: str, platform: str, modality: str, day: datetime, **fields: object) -> Generation:
    return Generation.model_validate(
        {
            "id": gen_id,
            "platform": platform,
            "account": "marebasse",
            "modality": modality,
            "created_at": day,
            "source_file": f"logs/{platform}/x.json",
            "source_locator": "/0",
            "adapter": "test",
            "kept": True,
            **fields,
        }
    )


def example_context() -> AuditContext:
    return AuditContext(
        production=load_production(EXAMPLE),
        generations=[
            kept("suno:kept", "suno", "music", datetime(2026, 9, 2, 14, tzinfo=UTC)),
            kept(
                "elevenlabs:h01",
                "elevenlabs",
                "speech",
                datetime(2026, 9, 20, 9, tzinfo=UTC),
                attributes={
                    "voice_category": "cloned",
                    "voice_id": "vx_narr_yann",
                    "voice_name": "Yann (narrateur)",
                    "voice_is_owner": True,
                },
            ),
        ],
        ledgers=load_ledgers(EXAMPLE),
        as_of=date(2026, 10, 1),
        unexplained_media=["stock_vagues_0412.mov"],
        credits_text="Images, voix et musique générées par IA.",
    )


def test_example_ledgers_load() -> None:
    ledgers = load_ledgers(EXAMPLE)
    assert [(p.platform, p.tier) for p in ledgers.plans] == [
        ("midjourney", "Pro"),
        ("kling", "Pro"),
        ("magnific", "Premium"),
        ("suno", "Free"),
        ("suno", "Pro"),
        ("elevenlabs", "Creator"),
        ("comfyui", "n/a"),
    ]
    (consent,) = ledgers.consents
    assert (consent.person, consent.valid_until) == ("Yann Le Goff", date(2027, 1, 31))
    assert next(s.asset for s in ledgers.sources) == "stock_vagues_0412.mov"


def test_example_planted_problems() -> None:
    blockers = [f for f in run_rules(example_context()) if f.severity == "blocker"]
    assert [f.code for f in blockers] == ["CONSENT003", "TERMS001"]
    consent, terms = blockers
    assert consent.message == (
        "The consent of Yann Le Goff (voice, rights/consents.csv:2) ends on 2027-01-31, before "
        "the release on 2027-03-15."
    )
    assert "consents/yann-le-goff-voix.pdf" in consent.evidence
    assert terms.generation_ids == ["suno:kept"]
    assert terms.message == (
        "1 generation from Suno used in the film was made under the Free plan "
        "(rights/plans.csv:5, from 2026-06-01 to 2026-09-10); the terms recorded for this plan "
        "(source: secondary summaries, not verified) allow only personal, non-commercial use, "
        "while the film is shown publicly (festival, online)."
    )
    assert terms.evidence[:3] == [
        "rights/plans.csv:5",
        "generated: 2026-09-02",
        "terms: Suno owns the songs; non-commercial use only",
    ]


def test_example_stock_clip_is_listed_with_its_licence() -> None:
    found = run_rules(example_context(), only=["SOURCE002"])
    assert [(f.severity.value, f.evidence) for f in found] == [
        ("info", ["stock_vagues_0412.mov", "rights/sources.csv:2"])
    ]

"""Findings in French and English: the templates and their plain parameters, and the bundled
example's planted findings as the French report prints them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from audit.base.i18n import Formatter
from audit.base.resources import example_dir
from audit.pipeline import AuditRun, Options, run
from audit.report.context import build_context
from audit.report.contract import FindingCard, ReportContext
from audit.rights.messages import NP_, english, local_value, localise

NBSP = "\u00a0"
NNBSP = "\u202f"
GENERATIONS = NP_(
    "%(count)s generation from %(platform)s used in the film was made under the %(tier)s "
    "plan (%(where)s, from %(plan_from)s to %(plan_to)s); the terms recorded for this plan "
    "(%(checked)s) allow only personal, non-commercial use, while the film is shown "
    "publicly (%(distribution)s).",
    "%(count)s generations from %(platform)s used in the film were made under the %(tier)s "
    "plan (%(where)s, from %(plan_from)s to %(plan_to)s); the terms recorded for this plan "
    "(%(checked)s) allow only personal, non-commercial use, while the film is shown "
    "publicly (%(distribution)s).",
)
PARAMS: dict[str, Any] = {
    "platform": "Suno",
    "tier": "Free",
    "where": "rights/plans.csv:5",
    "plan_from": "2026-06-01",
    "plan_to": "…",
    "checked": "source: the original text",
    "distribution": "festival, online",
}


def test_english_is_machine_stable() -> None:
    text = english(GENERATIONS, {**PARAMS, "count": 1234})
    assert text.startswith("1,234 generations from Suno used in the film were made under")
    assert "(rights/plans.csv:5, from 2026-06-01 to …)" in text
    assert "(source: the original text)" in text
    assert text.endswith("(festival, online).")


def test_french_plural_numbers_dates_and_labels() -> None:
    fr = Formatter("fr")
    one = localise(*GENERATIONS, {**PARAMS, "count": 1}, fr)
    assert one == (
        "1 génération Suno utilisée dans le film a été faite avec l’offre Free "
        f"(rights/plans.csv:5, du 1er juin 2026 au …){NBSP}; les conditions enregistrées pour "
        f"cette offre (source{NBSP}: texte original) n’autorisent qu’un usage personnel et non "
        "commercial, alors que le film est destiné à une diffusion publique (festivals, "
        "en ligne)."
    )
    many = localise(*GENERATIONS, {**PARAMS, "count": 1234}, fr)
    assert many.startswith(f"1{NNBSP}234 générations Suno utilisées dans le film ont été")


@pytest.mark.parametrize(
    ("key", "value", "french", "english"),
    [
        ("revenue_usd", 2_500_000, f"2{NNBSP}500{NNBSP}000", "2,500,000"),
        ("end", "2027-01-31", "31 janvier 2027", "31 January 2027"),
        ("kind", "likeness", "image", "likeness"),
        (
            "uses",
            "broadcast, education",
            "diffusion télévisée, enseignement",
            "broadcast, education",
        ),
        ("person", "Yann Le Goff", "Yann Le Goff", "Yann Le Goff"),
        ("scope", "", "", ""),
    ],
)
def test_parameters_are_written_the_readers_way(
    key: str, value: str | int, french: str, english: str
) -> None:
    assert local_value(Formatter("fr"), key, value) == french
    assert local_value(Formatter("en"), key, value) == english


@pytest.fixture(scope="module")
def example_run() -> AuditRun:
    return run(example_dir(), Options(as_of=date(2026, 11, 20)))


def _printed(context: ReportContext, code: str) -> list[FindingCard]:
    return [f for group in context.findings for f in group.findings if f.code == code]


def test_french_report_prints_the_planted_findings_in_french(example_run: AuditRun) -> None:
    context = build_context(example_run, "fr")
    (consent,) = _printed(context, "CONSENT003")
    assert consent.message == (
        "Le consentement de Yann Le Goff (voix, rights/consents.csv:2) prend fin le "
        "31 janvier 2027, avant la sortie du 15 mars 2027."
    )
    assert consent.fix == (
        "Faites prolonger le consentement jusqu’à la sortie et pour toute la durée "
        "d’exploitation, ou remplacez les éléments concernés avant la sortie."
    )
    (terms,) = [f for f in _printed(context, "TERMS001") if f.severity == "blocker"]
    assert terms.message.startswith(
        "1 génération Suno utilisée dans le film a été faite avec l’offre Free "
        "(rights/plans.csv:5, du 1er juin 2026 au 10 septembre 2026)"
    )
    assert terms.message.endswith("destiné à une diffusion publique (festivals, en ligne).")
    assert [group.label for group in context.findings] == [
        "Bloquant",
        "Avertissement",
        "Information",
    ]


def test_english_report_writes_dates_out_and_audit_json_keeps_iso(example_run: AuditRun) -> None:
    (consent,) = _printed(build_context(example_run, "en"), "CONSENT003")
    assert consent.message == (
        "The consent of Yann Le Goff (voice, rights/consents.csv:2) ends on 31 January 2027, "
        "before the release on 15 March 2027."
    )
    (found,) = [f for f in example_run.findings if f.code == "CONSENT003"]
    assert found.message == (
        "The consent of Yann Le Goff (voice, rights/consents.csv:2) ends on 2027-01-31, before "
        "the release on 2027-03-15."
    )
    assert found.message_id == (
        "The consent of %(person)s (%(kind)s, %(where)s) ends on %(end)s, before the release on "
        "%(release)s."
    )
    assert found.params == {
        "person": "Yann Le Goff",
        "kind": "voice",
        "where": "rights/consents.csv:2",
        "end": "2027-01-31",
        "release": "2027-03-15",
    }

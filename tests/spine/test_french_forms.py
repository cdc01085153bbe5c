"""French forms Babel does not give: "1er" for the first day of a month, and ``--redact``'s label
"la personne n° N" in a French report, while audit.json keeps the machine-stable "person #N"."""

from __future__ import annotations

import json
from datetime import date

import pytest

from audit.base.i18n import Formatter
from audit.base.resources import example_dir
from audit.pipeline import AuditRun, Options, run
from audit.report.audit_json import audit_document, findings_frame
from audit.report.context import build_context
from audit.report.contract import FindingCard, ReportContext
from audit.rights.base import local_labels, redact_text

NBSP = "\u00a0"
CONSENT_EN = (
    "The consent of person #1 (voice, rights/consents.csv:2) ends on 2027-01-31, before the "
    "release on 2027-03-15."
)


@pytest.mark.parametrize(
    ("day", "french", "english"),
    [
        (date(2026, 6, 1), "1er juin 2026", "1 June 2026"),
        (date(2027, 1, 1), "1er janvier 2027", "1 January 2027"),
        (date(2026, 8, 1), "1er août 2026", "1 August 2026"),
        (date(2026, 6, 2), "2 juin 2026", "2 June 2026"),
        (date(2026, 6, 11), "11 juin 2026", "11 June 2026"),
        (date(2026, 12, 21), "21 décembre 2026", "21 December 2026"),
        (date(2026, 12, 31), "31 décembre 2026", "31 December 2026"),
    ],
)
def test_long_dates_write_the_first_of_the_month_as_an_ordinal_in_french(
    day: date, french: str, english: str
) -> None:
    assert Formatter("fr").date(day) == french
    assert Formatter("en").date(day) == english


def test_short_dates_stay_numeric() -> None:
    assert Formatter("fr").short_date(date(2026, 6, 1)) == "01/06/2026"
    assert Formatter("en").short_date(date(2026, 6, 1)) == "01/06/2026"


def test_redaction_labels_are_translated_for_the_reader() -> None:
    fr, en = Formatter("fr"), Formatter("en")
    text = "voice of person #1 and person #12"
    assert local_labels(text, fr) == (f"voice of la personne n°{NBSP}1 and la personne n°{NBSP}12")
    assert local_labels(text, en) == text
    for other in ("person #1a", "chairperson #2", "person 3", "#4"):
        assert local_labels(other, fr) == other


def test_redaction_catches_names_joined_by_hyphens_dots_or_underscores() -> None:
    names = {"Yann Le Goff": "person #1", "Yann": "person #1"}
    assert redact_text("consents/yann-le-goff-voix.pdf", names) == "consents/person #1-voix.pdf"
    assert redact_text("YANN_LE_GOFF.wav; Yann.Le.Goff", names) == "person #1.wav; person #1"
    assert redact_text("Yannick (narrateur)", names) == "Yannick (narrateur)"


@pytest.fixture(scope="module")
def redacted_run() -> AuditRun:
    return run(example_dir(), Options(as_of=date(2026, 11, 20), redact=True))


def _printed(context: ReportContext, code: str) -> list[FindingCard]:
    return [f for group in context.findings for f in group.findings if f.code == code]


def test_french_report_names_the_redacted_person_in_french(redacted_run: AuditRun) -> None:
    (consent,) = _printed(build_context(redacted_run, "fr"), "CONSENT003")
    assert consent.message == (
        f"Le consentement de la personne n°{NBSP}1 (voix, rights/consents.csv:2) prend fin le "
        "31 janvier 2027, avant la sortie du 15 mars 2027."
    )
    (english,) = _printed(build_context(redacted_run, "en"), "CONSENT003")
    assert english.message == (
        "The consent of person #1 (voice, rights/consents.csv:2) ends on 31 January 2027, "
        "before the release on 15 March 2027."
    )


def test_audit_json_and_findings_csv_keep_the_english_label(redacted_run: AuditRun) -> None:
    findings = audit_document(redacted_run)["findings"]
    (consent,) = [f for f in findings if f["code"] == "CONSENT003"]
    assert consent["message"] == CONSENT_EN
    assert consent["params"]["person"] == "person #1"
    assert consent["evidence"] == ["rights/consents.csv:2", "consents/person #1-voix.pdf"]
    frame = findings_frame(redacted_run)
    assert list(frame.loc[frame["code"] == "CONSENT003", "message"]) == [CONSENT_EN]
    for text in (json.dumps(findings, ensure_ascii=False), frame.to_csv(index=False)):
        assert "yann" not in text.lower()
        assert "goff" not in text.lower()

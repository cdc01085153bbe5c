"""The curated texts of data/ that findings quote as evidence (terms summaries, notes, claims, the
name lists' notes) have a French counterpart beside the English: the loaders reject a text without
one, the French report shows it, and the English (audit.json, findings.csv) stays as it was."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from audit.base.errors import DataError
from audit.base.i18n import Formatter
from audit.rights import AuditContext
from audit.rights.base import EVIDENCE_LABELS, Finding, french_notes
from audit.rights.datafiles import load_lists, load_terms, load_training_claims, rights_sources
from audit.rights.tiers import run_rules

FR, EN = Formatter("fr"), Formatter("en")
NBSP = "\u00a0"
SUNO_PLAN = [{"platform": "suno", "account": "mb", "tier": "Free", "from": "2026-06-01", "to": ""}]
SCENARIO: dict[str, Any] = {
    "plans": SUNO_PLAN,
    "generations": [
        {"platform": "suno", "account": "mb", "modality": "music",
         "created_at": "2026-09-02T10:00:00Z"},
        {"platform": "comfyui", "created_at": "2026-09-02T10:00:00Z",
         "attributes": {"unet_name": "flux1-dev.safetensors"}},
        {"platform": "midjourney", "created_at": "2026-09-02T10:00:00Z",
         "prompt": "Marion Cotillard and Omar Sy on a pier, in the style of Moebius"},
    ],
}  # fmt: skip


@pytest.fixture
def findings(make_context: Callable[[dict[str, Any]], AuditContext]) -> dict[str, Finding]:
    """The scenario's findings by code and subject (``TERMS001 Suno``, ``CLEAR001 Omar Sy``)."""
    subject = {"TERMS001": "platform", "MODEL001": "model", "TRAIN001": "platform"}
    subject["CLEAR001"] = "name"
    found = run_rules(make_context(SCENARIO), only=list(subject))
    keyed = {f"{f.code} {f.params[subject[f.code]]}": f for f in found}
    assert len(keyed) == len(found)
    return keyed


def test_french_reader_gets_the_french_note(findings: dict[str, Finding]) -> None:
    suno = findings["TERMS001 Suno"]
    french = f"conditions{NBSP}: Suno est propriétaire des morceaux{NBSP}; usage non commercial uniquement"
    assert french in suno.local_evidence(FR)
    assert "terms: Suno owns the songs; non-commercial use only" in suno.evidence
    flux = findings["MODEL001 FLUX.1 [dev]"].local_evidence(FR)
    (model_note,) = [line for line in flux if line.startswith(f"note{NBSP}: ")]
    assert model_note.startswith(f"note{NBSP}: Les poids relèvent d’une licence non commerciale")
    assert "Black Forest Labs" in model_note
    train = findings["TRAIN001 suno"].local_evidence(FR)
    assert any(line.startswith(f"note{NBSP}: Suno opère désormais") for line in train)


def test_list_notes_follow_the_person_and_give_the_year_of_death(
    findings: dict[str, Finding],
) -> None:
    assert f"note{NBSP}: actrice" in findings["CLEAR001 Marion Cotillard"].local_evidence(FR)
    assert f"note{NBSP}: acteur" in findings["CLEAR001 Omar Sy"].local_evidence(FR)
    moebius = findings["CLEAR001 Moebius"]
    expected = f"note{NBSP}: Auteur de bande dessinée français, décès en 2012"
    assert expected in moebius.local_evidence(FR)
    assert "note: French comics artist, died 2012" in moebius.evidence


def test_english_and_other_lines_stay_as_recorded(findings: dict[str, Finding]) -> None:
    """English keeps every line but a cited source, shown as its public link; French relabels
    labelled lines and keeps the rest (record locations, ids); a labelled line's text changes
    only for the curated notes."""
    links = {sid: s.url for sid, s in rights_sources().items() if s.url}
    for item in findings.values():
        english = item.local_evidence(EN)
        assert len(english) == len(item.evidence)
        for before, after in zip(item.evidence, english, strict=True):
            label, _, text = before.partition(": ")
            assert after == (f"source: {links[text]}" if label == "source" and text in links
                             else before)  # fmt: skip
        french = item.local_evidence(FR)
        assert len(french) == len(item.evidence)
        for before, after in zip(item.evidence, french, strict=True):
            label, colon, text = before.partition(": ")
            text = links.get(text, text) if label == "source" else text
            if not colon or label not in EVIDENCE_LABELS:
                assert after == before
            elif label not in ("terms", "note", "claim", "caveat"):
                assert after.endswith(f"{NBSP}: {text}")
                assert after != before
    assert "note: actor" in findings["CLEAR001 Marion Cotillard"].evidence


def test_an_unknown_note_is_left_in_english(findings: dict[str, Finding]) -> None:
    item = findings["TERMS001 Suno"].model_copy(update={"evidence": ["note: not in data/", "x"]})
    assert item.local_evidence(FR) == [f"note{NBSP}: not in data/", "x"]


def test_every_quoted_text_has_its_french_counterpart() -> None:
    notes = french_notes()
    terms, claims = load_terms(), load_training_claims()
    quoted = [t for p in terms.platforms.values() for e in p.tiers for t in (e.ownership, e.notes)]
    quoted += [m.notes for m in terms.models] + [c.summary for c in claims.claims]
    quoted += [c.caveat for c in claims.claims] + list(claims.none_known.notes.values())
    for text in filter(None, quoted):
        assert notes[("", text)] != text, text
    entries = [e for name_list in load_lists().values() for e in name_list.entries]
    assert len(entries) > 60
    for entry in entries:
        assert notes[(entry.name, entry.quoted_note())] == entry.quoted_note("fr")


def test_french_texts_use_french_typography() -> None:
    """A no-break space before ; : ! ? and inside « », a curly apostrophe."""
    for french in french_notes().values():
        assert not re.search(r"[ \w][;:!?»]|«[ \w]|'", french), french


TERMS_YAML = """\
data_version: 1
checked_on: 2026-08-20
distribution: {}
platforms:
  suno:
    tiers:
      - tier: free
        commercial_use: "no"
        ownership: "Suno owns the songs"
        ownership_fr: "Suno est propriétaire des morceaux"
        notes: "Not cured by upgrading later."
        verified: false
"""


def test_a_note_without_its_french_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text(TERMS_YAML, encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"terms\.yaml: platforms\.suno\.tiers\.0: .*notes 'Not cured by upgrading later\.' "
        r"has no French notes_fr",
    ):
        load_terms(path)
    path.write_text(TERMS_YAML.replace('notes: "Not', 'notes_fr: "Pas'), encoding="utf-8")
    with pytest.raises(DataError, match=r"tiers\.0: .*notes_fr 'Pas cured.*' translates no notes"):
        load_terms(path)


def test_a_list_entry_without_its_french_note_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(
        'kind: public_figure\nchecked_on: 2026-08-20\nnote: "Indicative list, not exhaustive."\n'
        'note_fr: "Liste indicative, non exhaustive."\n'
        'entries:\n  - {name: Omar Sy, note: "actor", note_fr: "acteur"}\n'
        '  - {name: Tom Cruise, note: "actor"}\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"people\.yaml: entries\.1: .*note 'actor' has no French"):
        load_lists(tmp_path)


def test_a_training_claim_note_without_its_french_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(
        "data_version: 1\nchecked_on: 2026-08-20\nclaims: []\nnone_known:\n  platforms: [suno]\n"
        '  summary: "None found."\n  summary_fr: "Aucune trouvée."\n'
        '  notes: {suno: "A settlement."}\n  notes_fr: {udio: "Un accord."}\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"claims\.yaml: none_known: .*'A settlement\.' has no"):
        load_training_claims(path)

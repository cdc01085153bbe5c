"""rights/*.csv: French Excel files, missing files, one-line errors, plan lookup."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from audit.base.errors import LedgerError
from audit.ingest.ledgers import ConsentKind, Ledgers, PlanRow, SourceKind, load_ledgers


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / "rights" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_missing_files_are_empty_ledgers(tmp_path: Path) -> None:
    assert load_ledgers(tmp_path) == Ledgers()


def test_french_excel_consents(tmp_path: Path) -> None:
    text = (
        "person;kind;scope;territories;valid_from;valid_until;document;union_status\r\n"
        "Yann Le Goff;Voice;narration, festivals et en ligne;FR|be|CH;01/08/2026;31/01/2027;"
        "consents/yann.pdf;non syndiqué\r\n\r\n"
    )
    write(tmp_path, "consents.csv", text, encoding="cp1252")
    ledgers = load_ledgers(tmp_path)
    assert ledgers.files == ("rights/consents.csv",)
    (row,) = ledgers.consents
    assert row.person == "Yann Le Goff"
    assert row.kind is ConsentKind.voice
    assert row.territories == ("BE", "CH", "FR")
    assert (row.valid_from, row.valid_until) == (date(2026, 8, 1), date(2027, 1, 31))
    assert row.union_status == "non syndiqué"
    assert row.where == "rights/consents.csv:2"


def test_french_kinds(tmp_path: Path) -> None:
    """Kinds written in French, as a French producer fills the ledger (issue 19)."""
    write(tmp_path, "consents.csv", "person,kind\nYann,voix\nLéa,Droit à l’image\n")
    assert [r.kind for r in load_ledgers(tmp_path).consents] == [
        ConsentKind.voice, ConsentKind.likeness
    ]  # fmt: skip


def test_sources_optional_cells(tmp_path: Path) -> None:
    write(
        tmp_path,
        "sources.csv",
        "\ufeffasset,kind,holder,licence,scope,territories,valid_until,document\n"
        "stock_vagues_0412.mov,footage,Houle Images,Royalty-free standard,,WORLD,,\n"
        "actor.jpg,Photo of person,Paul,release,,,2027-06-30,\n",
    )
    first, second = load_ledgers(tmp_path).sources
    assert (first.kind, first.territories, first.valid_until) == (
        SourceKind.footage,
        ("WORLD",),
        None,
    )
    assert (second.kind, second.territories, second.valid_until, second.line) == (
        SourceKind.photo_of_person,
        (),
        date(2027, 6, 30),
        3,
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "consents.csv",
            "person,kind\nYann,vox\n",  # voix is French for voice, read as such (issue 19)
            "rights/consents.csv:2: kind: not an allowed value (got 'vox'); "
            "allowed: likeness, performance, voice",
        ),
        (
            "consents.csv",
            "person,kind,valid_until\nYann,voice,2027-02-30\n",
            "rights/consents.csv:2: valid_until: not a date; write YYYY-MM-DD or DD/MM/YYYY "
            "(got '2027-02-30')",
        ),
        (
            "consents.csv",
            "person,kind,territories\nYann,voice,FR|XX\n",
            "rights/consents.csv:2: territories: unknown territory; use ISO 3166 alpha-2 codes "
            "separated by |, or WORLD or EU (got 'XX')",
        ),
        (
            "plans.csv",
            "platform,tier,start\nsuno,Free,2026-01-01\n",
            "rights/plans.csv:1: start: unknown column; allowed: account, from, notes, platform, tier, "
            "to",
        ),
        (
            "plans.csv",
            "platform,account\nsuno,me\n",
            "rights/plans.csv:1: tier: missing column; allowed: account, from, notes, platform, tier, "
            "to",
        ),
        (
            "sources.csv",
            "asset,kind,licence\nclip.mov,footage,\n",
            "rights/sources.csv:2: licence: required, cannot be empty",
        ),
        (
            "plans.csv",
            "platform,tier,from\nsuno,Free,June\n",
            "rights/plans.csv:2: from: not a date; write YYYY-MM-DD or DD/MM/YYYY (got 'June')",
        ),
    ],
)
def test_one_line_errors(tmp_path: Path, name: str, text: str, message: str) -> None:
    write(tmp_path, name, text)
    with pytest.raises(LedgerError) as info:
        load_ledgers(tmp_path)
    assert str(info.value) == message
    assert info.value.exit_code == 2


def plan(line: int, tier: str, start: str, end: str, account: str = "") -> PlanRow:
    return PlanRow(
        file="rights/plans.csv",
        line=line,
        platform="Suno",
        account=account,
        tier=tier,
        from_=date.fromisoformat(start),
        to=date.fromisoformat(end),
    )


def tier_on(
    ledgers: Ledgers, platform: str | list[str], day: date, account: str | None = None
) -> str | None:
    row = ledgers.plan_on(platform, day, account)
    return row.tier if row else None


def test_plan_on_change_day_and_accounts() -> None:
    ledgers = Ledgers(
        plans=(
            plan(2, "Free", "2026-06-01", "2026-09-10", "marebasse"),
            plan(3, "Pro", "2026-09-10", "2027-12-31", "marebasse"),
            plan(4, "Premier", "2026-01-01", "2027-12-31", "other"),
        )
    )
    assert tier_on(ledgers, "suno", date(2026, 9, 2), "MareBasse") == "Free"
    assert tier_on(ledgers, "suno", date(2026, 9, 10), "marebasse") == "Pro"
    assert tier_on(ledgers, "suno", date(2026, 9, 2), "other") == "Premier"
    # an account the ledger does not know falls back to every row of the platform: the plan
    # that started last among those covering the day wins
    assert tier_on(ledgers, ["suno", "suno-ai"], date(2026, 9, 2), "unknown") == "Free"
    assert tier_on(ledgers, "suno", date(2026, 3, 1)) == "Premier"
    assert tier_on(ledgers, "suno", date(2026, 5, 1), "marebasse") is None
    assert ledgers.plan_on("udio", date(2026, 9, 2)) is None

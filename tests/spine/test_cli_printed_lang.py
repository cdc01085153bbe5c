"""``--lang`` the same everywhere (issue 19): every command accepts it, and what ``ingest``,
``estimate`` and ``audit`` print (table titles, column headers, the counts) is French with
``--lang fr`` or ``EMPREINTE_LANG=fr``, English otherwise (the English lines are pinned by
test_cli.py and test_cli_edges.py); ``--json`` stays the machine format in both."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from audit.base.i18n import translations
from audit.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "data" / "examples" / "le-dernier-phare")
AS_OF = ["--as-of", "2026-11-20"]
#: English words of the headers and titles those commands print that French writes otherwise
#: ("code", "coefficients", "source" are the same in both).
ENGLISH_WORDS = {
    "file", "adapter", "accepted", "merged", "rejected", "why", "read", "Ingest", "quantity",
    "low", "central", "high", "platform", "generations", "outputs", "energy", "carbon", "water",
    "method", "status", "run", "route", "severity", "message", "evidence", "Findings", "By",
    "Film", "totals", "files", "records", "unclaimed", "skipped",
}  # fmt: skip
runner = CliRunner()


def _printed_words(output: str) -> set[str]:
    """The words of the table titles and header rows and of the summary lines (not the cells,
    which hold the records' own values: ids, file names, platform names)."""
    lines = output.splitlines()
    fixed = []
    for i, line in enumerate(lines):
        if line.startswith("┃"):
            fixed.append(line)
        elif i + 1 < len(lines) and lines[i + 1].startswith("┏"):
            fixed.append(line)  # a table's title
        elif re.match(r"^[\w ]+ : ", line) or re.match(r"^\w+: ", line):
            fixed.append(line.split(":", 1)[0] + " " + re.sub(r"[\w./-]+\.\w+", "", line))
    return set(re.findall(r"[A-Za-zÀ-ÿ’']+", " ".join(fixed)))


def test_every_command_accepts_lang() -> None:
    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert len(commands) >= 17
    lacking = [
        name
        for name, command in commands.items()
        if not any("--lang" in param.opts for param in command.params)
    ]
    assert lacking == []


def test_a_language_other_than_fr_or_en_is_refused_in_one_line() -> None:
    result = runner.invoke(app, ["platforms", "--lang", "de"])
    assert result.exit_code == 2
    assert result.stderr == (
        "empreinte: error: --lang: unknown language (got 'de'); allowed: en, fr\n"
    )


@pytest.mark.parametrize(
    ("command", "titles"),
    [
        (["ingest", EXAMPLE], ["Lecture des relevés", "fichiers : 115 lus, 0 non reconnus"]),
        (
            ["estimate", EXAMPLE, *AS_OF],
            ["Totaux du film (basse / centrale / haute)", "Par plateforme", "énergie : 0,4\u00a0%"],
        ),
        (["audit", EXAMPLE, *AS_OF], ["Constats", "enregistrements : 710 lus, 591 acceptés"]),
    ],
)
def test_french_output_has_no_english_header_word(command: list[str], titles: list[str]) -> None:
    french = runner.invoke(app, [*command, "--lang", "fr"])
    assert french.exit_code == 0, french.output
    for title in titles:
        assert title in french.stdout
    english = runner.invoke(app, [*command, "--lang", "en"])
    assert english.exit_code == 0, english.output
    assert _printed_words(english.stdout) & ENGLISH_WORDS  # the check sees the English words
    assert _printed_words(french.stdout) & ENGLISH_WORDS == set()


def test_the_environment_speaks_when_lang_is_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMPREINTE_LANG", "fr")
    result = runner.invoke(app, ["ingest", EXAMPLE])
    assert result.exit_code == 0, result.output
    assert "┃ fichier" in result.stdout
    assert "raison de non-lecture" in result.stdout
    assert "aucun enregistrement : logs/elevenlabs/voice-vx_narr_yann.json: elevenlabs: ne " \
        "contient aucun enregistrement" in result.stdout  # fmt: skip


def test_french_findings_read_as_the_report_writes_them() -> None:
    result = runner.invoke(app, ["audit", EXAMPLE, *AS_OF, "--lang", "fr"])
    assert "│ bloquant" in result.stdout
    assert "Le consentement de Yann Le Goff (voix," in result.stdout
    assert "blocker" not in result.stdout


@pytest.mark.parametrize(
    "command", [["ingest", EXAMPLE], ["estimate", EXAMPLE, *AS_OF], ["audit", EXAMPLE, *AS_OF]]
)
def test_json_is_the_same_in_both_languages(command: list[str]) -> None:
    french = runner.invoke(app, [*command, "--json", "--lang", "fr"])
    english = runner.invoke(app, [*command, "--json", "--lang", "en"])
    assert french.exit_code == english.exit_code
    assert french.stdout == english.stdout
    assert french.stdout.startswith(("{", "["))


def test_init_ends_with_the_next_steps_in_french(tmp_path: Path) -> None:
    film = tmp_path / "film"
    result = runner.invoke(app, ["init", str(film), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    tail = result.stdout.split("Étapes suivantes :", 1)[1]
    steps = [line.strip()[:3] for line in tail.strip().splitlines() if line[:3].strip()]
    assert steps == ["1. ", "2. ", "3. "]
    assert f"empreinte report {film} --lang fr --lang en" in tail


def test_registry_tables_in_french() -> None:
    result = runner.invoke(app, ["platforms", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Adaptateurs")
    assert re.search(r"┃ nom +┃ plateforme +┃ titre +┃ formats +┃", result.stdout)
    result = runner.invoke(app, ["coefficients", "--lang", "fr", "--modality", "image"])
    assert result.stdout.startswith("Coefficients (données ")
    assert "┃ identifiant" in result.stdout
    assert "emplacement" in result.stdout


def test_english_output_loads_no_catalogue() -> None:
    """B4: the catalogue is read only when a French line is printed."""
    translations.cache_clear()
    result = runner.invoke(app, ["platforms", "--lang", "en"])
    assert result.exit_code == 0
    assert translations.cache_info().currsize == 0


def test_the_command_line_starts_without_babel() -> None:
    """B4: ``empreinte --help`` imports the command modules, none of which loads Babel or the
    catalogues (the what-if words are marked with a local ``N_``)."""
    probe = "import sys, audit.cli; print(sorted(m for m in sys.modules if m.startswith('babel')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "records: 1,200 read, 1,200 accepted"), ("fr", "enregistrements : 1\u202f200 lus")],
)
def test_counts_are_grouped_by_thousands(tmp_path: Path, lang: str, expected: str) -> None:
    """The counts line of a 1,200-record production reads as its language writes numbers
    (``1,200`` / ``1 200`` with Babel's narrow no-break space), like the report's own figures."""
    from bench.generate import generate

    root = generate(tmp_path / "film", 1200, 12)
    result = runner.invoke(app, ["ingest", str(root), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert expected in result.output


@pytest.mark.parametrize(
    ("lang", "water", "energy"), [("en", "159.3", "25,287"), ("fr", "159,3", "25\u202f287")]
)
def test_estimate_tables_write_numbers_as_the_language_does(
    lang: str, water: str, energy: str
) -> None:
    """The estimate's tables give four significant figures the reader's way: no ``2.529e+04``
    (as they printed in both languages), a decimal comma and grouped thousands in French."""
    result = runner.invoke(app, ["estimate", EXAMPLE, *AS_OF, "--lang", lang])
    assert result.exit_code == 0, result.output
    assert water in result.output
    assert energy in result.output
    assert not re.search(r"\de[+-]\d", result.output)

"""The command line speaks the user's language (issue 19): error lines, warnings and the what-if's
words in French with ``--lang fr`` (else ``EMPREINTE_LANG``, else the locale), in English
otherwise; the one-line format (file:line: field: reason (value); choices) is the same in both."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.base import safetext
from audit.base.errors import ConfigError, LedgerError
from audit.base.i18n import cli_gettext
from audit.base.safetext import BIDI_REMOVED, NOTICE_REASONS, notice
from audit.cli import app
from audit.cli.common import GLYPH_GAPS, friendly, message_lang, translator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "data" / "examples" / "le-dernier-phare")
ERRORS = {"InputError", "ConfigError", "RecordError", "LedgerError", "TimelineError", "PlanError"}
runner = CliRunner()


def _raised_messages() -> dict[str, str]:
    """Every fixed reason an input error is raised with in audit/, with where it is raised."""
    found = {}
    for path in sorted((ROOT / "audit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if name in ERRORS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[first.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_fixed_error_reason_has_its_french() -> None:
    messages = _raised_messages()
    assert len(messages) > 100  # the scan sees the raise sites
    missing = {text: where for text, where in messages.items() if cli_gettext("fr", text) == text}
    assert missing == {}, "add these to report_templates/locales/fr/LC_MESSAGES/cli.po"


def test_the_line_keeps_its_shape_in_both_languages() -> None:
    error = LedgerError(
        "unknown kind", file="rights/consents.csv", locator=3, field="kind", value="vox",
        choices=["voice", "likeness"],
    )  # fmt: skip
    assert (
        str(error)
        == error.line()
        == ("rights/consents.csv:3: kind: unknown kind (got 'vox'); allowed: likeness, voice")
    )
    assert error.line(translator("fr")) == (
        "rights/consents.csv:3: kind : nature inconnue (valeur lue : 'vox') ; "
        "valeurs admises : likeness, voice"
    )


@pytest.mark.parametrize(
    ("lang", "env", "expected"),
    [
        (["fr"], {"EMPREINTE_LANG": "en", "LANG": "en_GB.UTF-8"}, "fr"),
        ("en", {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, {"EMPREINTE_LANG": "fr", "LANG": "en_GB.UTF-8"}, "fr"),
        (None, {"LANG": "fr_CA.UTF-8"}, "fr"),
        (None, {"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        (["de"], {"LANG": "fr_BE.UTF-8"}, "fr"),  # a refused --lang: the locale speaks
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_message_language(
    monkeypatch: pytest.MonkeyPatch, lang: object, env: dict[str, str], expected: str
) -> None:
    for name in ("EMPREINTE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert message_lang(lang) == expected


def test_error_line_in_french_with_lang_fr() -> None:
    result = runner.invoke(app, ["whatif", EXAMPLE, "--region", "XX", "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "empreinte : erreur : --region : aucun facteur d’émission du réseau électrique pour ce "
        "pays (valeur lue : 'XX') ; valeurs admises : AUS, "
    )
    assert result.stderr.count("\n") == 1


def test_error_line_in_french_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMPREINTE_LANG", "fr")
    result = runner.invoke(app, ["estimate", EXAMPLE, "--as-of", "2026-13-01"])
    assert result.exit_code == 2
    assert result.stderr == (
        "empreinte : erreur : --as-of : pas une date (AAAA-MM-JJ) (valeur lue : '2026-13-01')\n"
    )


def test_error_line_stays_english_by_default() -> None:
    result = runner.invoke(app, ["estimate", EXAMPLE, "--as-of", "2026-13-01"])
    assert result.stderr == (
        "empreinte: error: --as-of: not a date (YYYY-MM-DD) (got '2026-13-01')\n"
    )


def test_whatif_words_follow_lang() -> None:
    args = ["whatif", EXAMPLE, "--region", "FR", "--as-of", "2026-11-20"]
    french = runner.invoke(app, [*args, "--lang", "fr"])
    assert french.exit_code == 0, french.output
    first, second = french.stdout.splitlines()[:2]
    assert first == "Scénario : pays de calcul=FRA"
    assert second.startswith("plateformes recalculées dans ce pays : comfyui, ")
    english = runner.invoke(app, args)
    first, second = english.stdout.splitlines()[:2]
    assert first == "What-if: region=FRA"
    assert second.startswith("region platforms: comfyui, ")


def test_an_unknown_reason_is_printed_as_raised() -> None:
    """A reason built at run time (``cannot read: …``) has no entry: it stays as raised, inside
    the French frame, rather than being dropped."""
    error = ConfigError("cannot read: [Errno 13] Permission denied", file="a.csv")
    assert error.line(translator("fr")) == "a.csv: cannot read: [Errno 13] Permission denied"


def _notice_reasons() -> dict[str, str]:
    """The reason of every ``notice(where, reason)`` call in audit/, with where it is given (a
    name is one of audit.base.safetext's constants)."""
    found = {}
    for path in sorted((ROOT / "audit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) != 2:
                continue
            func = node.func
            if (func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)) != "notice":
                continue
            reason = node.args[1]
            if isinstance(reason, ast.Name):
                text = getattr(safetext, reason.id)
            else:
                assert isinstance(reason, ast.Constant), f"{path}:{node.lineno}: a fixed reason"
                text = reason.value
            found[text] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_fixed_notice_has_its_french() -> None:
    given = _notice_reasons()
    assert BIDI_REMOVED in given  # the scan sees the call sites
    assert set(given) <= set(NOTICE_REASONS), "list the new reason in NOTICE_REASONS"
    texts = [*NOTICE_REASONS, GLYPH_GAPS, " and %(count)s more"]
    assert [text for text in texts if cli_gettext("fr", text) == text] == []


@friendly
def _noticing(lang: str) -> None:
    notice("rights/consents.csv:3: person", BIDI_REMOVED)


def test_notice_line_follows_lang(capsys: pytest.CaptureFixture[str]) -> None:
    _noticing(lang="fr")
    assert capsys.readouterr().err == (
        "empreinte : avertissement : rights/consents.csv:3: person : caractères de contrôle "
        "bidirectionnels retirés (ils changent l’ordre de lecture du texte)\n"
    )
    _noticing(lang="en")
    assert capsys.readouterr().err == (
        "empreinte: warning: rights/consents.csv:3: person: bidirectional control characters "
        "removed (they reorder text)\n"
    )


def test_notice_in_french_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A production title holding U+202E (as test_injection's hostile production does), read by
    ``estimate`` (which has no --lang) with EMPREINTE_LANG=fr."""
    film = tmp_path / "film"
    shutil.copytree(EXAMPLE, film)
    yaml_path = film / "production.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace('title: "Le Dernier', 'title: "Le \u202eDernier'), "utf-8")
    monkeypatch.setenv("EMPREINTE_LANG", "fr")
    result = runner.invoke(app, ["estimate", str(film), "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert (
        "empreinte : avertissement : production.yaml: title : caractères de contrôle "
        "bidirectionnels retirés" in result.stderr
    )

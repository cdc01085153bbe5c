"""CLI rough edges of issue 19: one-line errors for misuse, next steps after init, country codes
in two or three letters everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.base.countries import alpha2, alpha3
from audit.base.errors import ConfigError
from audit.base.production import Production
from audit.base.resources import example_dir
from audit.cli import app
from audit.tools.whatif import parse_region

runner = CliRunner()


def test_init_on_a_file_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "film"
    target.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"empreinte: error: {target}: a file of that name exists: give a folder to create"
    ]


def test_init_ends_with_the_next_three_steps(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "film")])
    assert result.exit_code == 0
    tail = result.output.split("Next steps:", 1)[1]
    assert [line.strip()[:3] for line in tail.strip().splitlines() if line[:3].strip()] == [
        "1. ", "2. ", "3. "
    ]  # fmt: skip
    assert "empreinte report" in tail


def test_ingest_on_a_folder_without_logs_says_what_is_missing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 2
    assert "a folder without logs/" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("written", "two", "three"),
                         [("FR", "FR", "FRA"), ("fra", "FR", "FRA"), ("WORLD", "WORLD", "WOR"),
                          ("WOR", "WORLD", "WOR"), ("XX", None, None)])  # fmt: skip
def test_country_codes_in_two_or_three_letters(written: str, two: str, three: str) -> None:
    assert (alpha2(written), alpha3(written)) == (two, three)


def test_whatif_region_takes_two_letters() -> None:
    from audit.base.resources import data_dir
    from estimators.loading import load_registry

    registry = load_registry(data_dir())
    assert parse_region("FR", registry) == parse_region("FRA", registry) == "FRA"
    with pytest.raises(ConfigError, match="no grid factors"):
        parse_region("ZZ", registry)


def test_production_yaml_takes_both_code_lengths() -> None:
    import yaml

    data = yaml.safe_load((example_dir() / "production.yaml").read_text(encoding="utf-8"))
    data.update(territories=["FRA", "be", "CH"], compute_regions={"comfyui": "FR"})
    production = Production.model_validate(data)
    assert production.territories == ["FR", "BE", "CH"]
    assert production.compute_regions == {"comfyui": "FRA"}


@pytest.mark.parametrize(("written", "value"),
                         [("vidéo", "video"), ("Agrandissement", "upscale"), ("voix", "speech"),
                          ("video", "video")])  # fmt: skip
def test_modality_in_french(written: str, value: str) -> None:
    from audit.base.vocab import modality

    assert modality(written) == value


def test_coefficients_refuses_an_unknown_modality() -> None:
    result = runner.invoke(app, ["coefficients", "--modality", "film"])
    assert result.exit_code == 2
    assert result.output.startswith("empreinte: error: --modality: unknown modality (got 'film')")
    assert runner.invoke(app, ["coefficients", "--modality", "vidéo", "--json"]).exit_code == 0


@pytest.mark.parametrize(("written", "value"),
                         [("voix", "voice"), ("Droit à l’image", "likeness"),
                          ("photo_of_person", "photo_of_person"), ("Musique", "music")])  # fmt: skip
def test_ledger_kinds_in_french(written: str, value: str) -> None:
    from audit.base.vocab import ledger_kind

    assert ledger_kind(written) == value


def test_help_reads_like_the_workflow() -> None:
    import re

    text = runner.invoke(app, ["--help"]).output
    names = [
        n for n in re.findall(r"│ (\w+) ", text) if n in {"init", "ingest", "report", "credits"}
    ]
    assert names == ["init", "ingest", "report", "credits"]
    report = runner.invoke(app, ["report", "--help"]).output
    for typer_type in ("<bool>", "<list[str]>", "{folder}"):
        assert typer_type not in report


def test_whatif_changes_in_words() -> None:
    from audit.cli.more import _changes_line

    line = _changes_line({"region_platforms": ["comfyui", "kling"], "remapped": {"kling": 3},
                          "removed": 0})  # fmt: skip
    assert line == "region platforms: comfyui, kling; remapped: kling 3"


def test_credits_lang_repeats_like_report() -> None:
    example = str(example_dir())
    result = runner.invoke(app, ["credits", example, "--lang", "fr", "--lang", "en",
                                 "--as-of", "2026-11-20"])  # fmt: skip
    assert result.exit_code == 0
    assert result.output.index("Réalisation — Inès Morvan") < result.output.index(
        "Directed by — Inès Morvan"
    )


def test_whatif_table_in_french() -> None:
    result = runner.invoke(app, ["whatif", str(example_dir()), "--region", "FR", "--lang", "fr",
                                 "--as-of", "2026-11-20"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Scénario comparé à la référence" in result.output
    assert "énergie" in result.output
    assert "quantity" not in result.output

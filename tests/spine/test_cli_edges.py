"""CLI rough edges of issue 19: one-line errors for misuse, next steps after init, country codes
in two or three letters everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.cli import app
from audit.countries import alpha2, alpha3
from audit.errors import ConfigError
from audit.production import Production
from audit.resources import example_dir
from audit.whatif import parse_region

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
    from audit.resources import data_dir
    from estimators.coefficients import load_registry

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

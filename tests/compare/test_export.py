"""export: the AI line item for Carbon'Clap and albert, and the generic CSV."""

from __future__ import annotations

import csv
import io

import pytest

from audit.base.errors import ConfigError
from audit.pipeline import AuditRun
from audit.tools.export import _number, export_csv


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("value", "text"),
    [(21.29705, "21.30"), (0.00001871, "0.00001871"), (1598.2, "1598"), (0.0, "0"),
     (-12.34567, "-12.35"), (None, "")],
)  # fmt: skip
def test_numbers_never_in_scientific_notation(value: float | None, text: str) -> None:
    assert _number(value, 4) == text


def test_carbonclap_line_item(baseline: AuditRun) -> None:
    lines = rows(export_csv(baseline, "carbonclap"))
    assert [r["role"] for r in lines] == ["line item", *["detail"] * 5, "information"]
    assert {r["section"] for r in lines} == {"Post-production"}
    item = lines[0]
    carbon = baseline.aggregates.totals["carbon_g"]
    assert item["unit"] == "kgCO2e"
    assert [item["low"], item["central"], item["high"]] == [
        _number(carbon.low / 1e3, 4), _number(carbon.central / 1e3, 4),
        _number(carbon.high / 1e3, 4),
    ]  # fmt: skip
    # runtime 90 s: per finished minute = total / 1.5
    assert float(item["per_finished_minute"]) == pytest.approx(carbon.central / 1e3 / 1.5, 1e-3)
    details = sum(float(r["central"]) for r in lines[1:6])
    assert details == pytest.approx(float(item["central"]), rel=1e-3)
    assert lines[-1]["unit"] == "kWh"
    assert item["source"] == "https://www.ecoprod.com/en/carbon-clap/user-guide.html"


def test_albert_line_item_in_tonnes_per_hour(baseline: AuditRun) -> None:
    lines = rows(export_csv(baseline, "albert"))
    item = lines[0]
    carbon = baseline.aggregates.totals["carbon_g"]
    assert item["unit"] == "tCO2e"
    assert float(item["central"]) == pytest.approx(carbon.central / 1e6, rel=1e-3)
    # 90 s of film: per finished hour = total × 40
    assert float(item["per_finished_hour"]) == pytest.approx(carbon.central / 1e6 * 40, 1e-3)
    assert "Music and sound" in lines[3]["item"]  # English labels by default


def test_generic_csv(baseline: AuditRun) -> None:
    lines = rows(export_csv(baseline, "csv"))
    assert len(lines) == 12  # 4 quantities × total, per finished minute, per kept second
    by_key = {(r["quantity"], r["scope"]): r for r in lines}
    total = float(by_key[("energy_wh", "total")]["central"])
    per_minute = float(by_key[("energy_wh", "per_finished_minute")]["central"])
    assert per_minute == pytest.approx(total / 1.5, rel=1e-5)
    assert by_key[("carbon_g", "per_kept_second")]["unit"] == "gCO2e/s"
    assert {r["generations"] for r in lines} == {"591"}


def test_unknown_format() -> None:
    with pytest.raises(ConfigError) as err:
        export_csv(None, "pear")  # type: ignore[arg-type]
    assert str(err.value) == (
        "--format: unknown export format (got 'pear'); allowed: albert, carbonclap, csv"
    )


def test_carbonclap_line_in_french(baseline: AuditRun) -> None:
    """Issue 19: with --lang fr the texts typed into Carbon'Clap are French; keys stay stable."""
    lines = rows(export_csv(baseline, "carbonclap", "fr"))
    assert lines[0]["item"] == "IA générative : calcul acheté, tous les essais compris"
    assert lines[0]["note"].startswith("Ligne à saisir")
    assert lines[1]["item"].startswith("IA générative, détail par poste")
    assert "\u00a0: " in lines[1]["item"]
    assert lines[-1]["item"] == "IA générative : électricité du calcul (pour information)"
    english = rows(export_csv(baseline, "carbonclap", "en"))
    assert english[-1]["item"] == "Generative AI: electricity of the computation (for information)"
    assert [r["role"] for r in lines] == [r["role"] for r in english]

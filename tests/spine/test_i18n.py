"""French and English: every message translated, numbers and dates the French way."""

from datetime import date

import pytest
from babel.messages.pofile import read_po

from audit.base.i18n import Formatter, translations
from audit.base.resources import templates_dir
from audit.report.units import quantity, ranged
from estimators.ranges import Range
from tests.spine.i18n_extract import message_ids


def test_every_message_has_a_french_translation() -> None:
    po = templates_dir() / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    translated = set()
    for message in catalog:
        if (
            message.id
            and message.string
            and all(message.string if isinstance(message.string, tuple) else [message.string])
        ):
            translated.update(message.id if isinstance(message.id, tuple) else [message.id])
    missing = sorted(message_ids() - translated)
    assert not missing, f"untranslated (add them to messages.po): {missing[:5]}"


def test_french_numbers_and_dates() -> None:
    fr, en = Formatter("fr"), Formatter("en")
    assert fr.number(1234.5) == "1\u202f234,5"
    assert en.number(1234.5) == "1,234.5"
    assert fr.date(date(2027, 3, 15)) == "15 mars 2027"
    assert fr.percent(0.183) == "18\u00a0%"
    assert quantity(fr, "energy_wh", 1234.5) == "1,23\u00a0kWh"
    shown = ranged(fr, "carbon_g", Range(1_200.0, 4_560.0, 12_000.0))
    assert shown.central == "4,56\u00a0kg CO₂e"
    assert shown.range == "1,2–12\u00a0kg CO₂e"


def test_plural_forms_follow_french_rules() -> None:
    t = translations("fr")
    singular = "%(num)d blocking rights finding must be resolved before delivery (see Rights)."
    plural = "%(num)d blocking rights findings must be resolved before delivery (see Rights)."
    assert t.ngettext(singular, plural, 1).startswith("%(num)d constat bloquant")
    assert t.ngettext(singular, plural, 2).startswith("%(num)d constats bloquants")


@pytest.mark.parametrize("lang", ["de", "FR", ""])
def test_unknown_language_is_refused(lang: str) -> None:
    from audit.base.errors import ConfigError

    with pytest.raises(ConfigError, match="allowed: en, fr"):
        Formatter(lang)


def test_public_locator_drops_working_notes() -> None:
    from audit.report.context_util import public_locator

    # shapes of data/coefficients.csv and data/platforms.yaml locators
    # "hosting NOT FOUND" of the working notes is said as a reader understands it
    assert public_locator("generic cloud band (see luma); research coefficients.md §10.3 hosting NOT FOUND") == "generic cloud band; hosting not published"  # fmt: skip
    assert public_locator("research coefficients.md §6.1 (home PC: PUE 1.0); docs/production-folder.md (local runs)") == "home PC: PUE 1.0"  # fmt: skip
    assert public_locator("text-to-image.json bs=1 H100; research coefficients.md §1.1 and §4") == "text-to-image.json bs=1 H100"  # fmt: skip
    assert public_locator("research coefficients.md §6.1 (home PC: PUE 1.0)") == "home PC: PUE 1.0"
    assert public_locator("data/electricity_mixes.json zone FRA") == "data/electricity_mixes.json zone FRA"  # fmt: skip

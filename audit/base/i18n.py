"""French and English through Babel: message catalogues and locale-aware numbers and dates.

English strings are the message ids; ``report_templates/locales/<lang>/LC_MESSAGES/messages.po``
holds the translations of the code's and templates' texts, ``data.po`` those of the data files'
texts that reach a report (coefficient locators, source descriptions), ``cli.po`` the command line's
(error lines, what-if words); all are compiled in memory at load (no binary .mo in the repository).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from audit.base.countries import alpha2
from audit.base.errors import ConfigError
from audit.base.resources import templates_dir

LANGUAGES = ("fr", "en")
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
#: The message catalogues of a language, merged in this order.
CATALOGUES = ("messages.po", "data.po")
#: The command line's own catalogue (error lines, what-if words).
CLI_CATALOGUES = ("cli.po",)
#: The day field of a CLDR date pattern (a lone ``d``, outside quoted text in practice).
_DAY = re.compile(r"(?<![d'])d(?![d'])")


def check_lang(lang: str) -> str:
    """``lang`` itself when the report speaks it; else a ConfigError listing the languages."""
    if lang not in LANGUAGES:
        raise ConfigError("unknown language", field="--lang", value=lang, choices=LANGUAGES)
    return lang


@cache
def translations(lang: str, catalogues: tuple[str, ...] = CATALOGUES) -> NullTranslations:
    """The gettext translations for ``lang`` from ``catalogues`` (English: identity)."""
    check_lang(lang)
    folder = templates_dir() / "locales" / lang / "LC_MESSAGES"
    merged: NullTranslations = NullTranslations()
    for name in catalogues:
        po = folder / name
        if not po.is_file():
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        loaded = Translations(fp=buffer)
        if isinstance(merged, Translations):
            merged.merge(loaded)
        else:
            merged = loaded
    return merged


def gettext(lang: str, message: str) -> str:
    """``message`` translated into ``lang`` (itself in English or when the catalogue lacks it)."""
    return translations(lang).gettext(message)


def cli_gettext(lang: str, message: str) -> str:
    """A message of the command line (an error line's reason, a what-if word) in ``lang``, from
    ``cli.po``: kept apart from the report's catalogues, whose short words mean other things."""
    return translations(lang, CLI_CATALOGUES).gettext(message)


def N_(message: str) -> str:
    """Mark a message id for extraction; translated later with :func:`gettext`."""
    return message


class Formatter:
    """Numbers, ranges, quantities and dates the way a reader of ``lang`` writes them."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self.locale = Locale.parse(LOCALES[lang])

    def number(self, value: float | None, digits: int = 1) -> str:
        """A number with ``digits`` decimals and the locale's separators; a dash when missing."""
        if value is None or math.isnan(value):
            return "–"
        fmt = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return format_decimal(value, format=fmt, locale=self.locale)

    def sig(self, value: float | None, figures: int = 2) -> str:
        """Significant figures (at least the integer part), for quantities with wide ranges."""
        if value is None or math.isnan(value):
            return "–"
        if value == 0:
            return self.number(0, 0)
        magnitude = math.floor(math.log10(abs(value)))
        digits = max(0, figures - 1 - magnitude)
        return self.number(round(value, digits), digits)

    def tick(self, value: float) -> str:
        """An axis tick: as few decimals as the value needs (``2,5`` in French)."""
        text = self.number(value, 2)
        decimal = self.locale.number_symbols["latn"]["decimal"]
        return text.rstrip("0").rstrip(decimal) if decimal in text else text

    def compact(self, value: float, figures: int = 3) -> str:
        """Significant figures, in scientific notation below 0.001 (``8,52 × 10⁻⁸``)."""
        if value and abs(value) < 1e-3:
            exponent = math.floor(math.log10(abs(value)))
            mantissa = self.number(value / 10**exponent, figures - 1)
            superscript = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
            return f"{mantissa} × 10{superscript}"
        return self.sig(value, figures)

    def percent(self, value: float, digits: int = 0) -> str:
        """The locale's own percent pattern (``18 %`` in French, ``18%`` in English)."""
        pattern = self.locale.percent_formats[None].pattern
        if digits:
            pattern = pattern.replace("#,##0", "#,##0." + "0" * digits)
        return format_percent(value, format=pattern, locale=self.locale)

    def date(self, value: dt.date) -> str:
        """The long date: ``20 novembre 2026``, ``1er juin 2026`` (French writes the first day of
        the month as an ordinal, which Babel does not), ``20 November 2026``."""
        pattern = self.locale.date_formats["long"].pattern
        if self.lang == "fr" and value.day == 1:
            pattern = _DAY.sub("d'er'", pattern, count=1)
        return format_date(value, format=pattern, locale=self.locale)

    def short_date(self, value: dt.date) -> str:
        """The locale's short date (``20/11/2026``, ``11/20/26``), for tables."""
        return format_date(value, format="short", locale=self.locale)

    def territory(self, code: str, world: str = "World average") -> str:
        """A country or region code (``FR``, ``FRA``, ``WOR``, ``EU``) named in the reader's
        language (``Chine``, ``China``); the code itself when neither Babel nor ISO 3166 knows it.
        ``world`` names the whole world: the grid's average, or a release ``Worldwide``."""
        two = alpha2(code) or code.strip().upper()
        if two == "WORLD":
            return gettext(self.lang, world)
        return str(self.locale.territories.get(two, code))

"""Finding texts as translatable templates.

A rule writes its message and fix as English gettext message ids with ``%(name)s`` placeholders,
marked for extraction with ``N_("…")`` (from :mod:`audit.base.i18n`) or, when the sentence
depends on a count, ``NP_("… %(count)s generation …", "… %(count)s generations …")``. The
placeholders' values (``params``) are plain values: names, file:line, counts, ISO dates.

:func:`english` renders the machine-stable English kept in ``Finding.message`` and ``fix``
(audit.json, findings.csv): ISO dates, counts as they are. :func:`localise` renders the report's
text in French or English: the template translated, counts and amounts grouped the reader's way,
ISO dates written out ("31 janvier 2027"), and label parameters translated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from audit.base.errors import DataError
from audit.base.i18n import N_, Formatter, translations
from audit.ingest.registry import platforms

Param = str | int | float
Message = str | tuple[str, str]

#: Parameters whose value is itself an English message id (a label), translated whole.
LABEL_PARAMS = frozenset({"checked", "claim", "kind", "laws", "name_kind", "source_kind"})
#: Parameters holding message ids joined by ", " (distribution values), translated one by one.
LIST_PARAMS = frozenset({"distribution", "uses"})
#: Parameters holding a platform (registry key or name), written as the registry's title in the
#: reader's language (``kling`` → ``Kling``; ``local`` → ``Machine de la production…`` in French).
PLATFORM_PARAMS = frozenset({"platform"})
#: The ``checked`` label: whether a terms or licence summary was read in the original text.
CHECKED = {
    True: N_("source: the original text"),
    False: N_("source: secondary summaries, not verified"),
}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form (chosen by the ``count`` parameter) for extraction."""
    return singular, plural


def split(message: Message) -> tuple[str, str | None]:
    """(message id, plural message id or None)."""
    return message if isinstance(message, tuple) else (message, None)


def _count(params: Mapping[str, Param], msgid: str) -> int:
    if "count" not in params:
        raise DataError(f"plural finding message without a count parameter: {msgid!r}")
    return int(params["count"])


def plain(value: Param) -> str:
    """A parameter in the machine-stable English text (numbers grouped with commas)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{value:,.0f}"
    if isinstance(value, float):
        return f"{value:,}"
    return value


def english(message: Message, params: Mapping[str, Param]) -> str:
    """The English text of a message id (plural chosen by ``count``) with plain parameters."""
    msgid, plural = split(message)
    template = msgid if plural is None or _count(params, msgid) == 1 else plural
    return template % {key: plain(_titled(key, value, "en")) for key, value in params.items()}


def _titled(key: str, value: Param, lang: str) -> Param:
    """A platform parameter as its registry title in ``lang``; any other value as it is."""
    if key in PLATFORM_PARAMS and isinstance(value, str) and value:
        return platforms().title(value, lang)
    return value


def _label(lang: str, value: str, key: str) -> str:
    gettext = translations(lang).gettext
    if not value:
        return value
    if key in LIST_PARAMS:
        return ", ".join(gettext(part) for part in value.split(", "))
    return gettext(value)


def local_value(fmt: Formatter, key: str, value: Param) -> str:
    """A parameter the way a reader of ``fmt.lang`` writes it."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return fmt.number(value, 0) if float(value).is_integer() else fmt.sig(value, 3)
    if key in LABEL_PARAMS or key in LIST_PARAMS:
        return _label(fmt.lang, value, key)
    if key in PLATFORM_PARAMS:
        return str(_titled(key, value, fmt.lang))
    if _ISO_DAY.match(value):
        return fmt.date(date.fromisoformat(value))
    return value


def localise(
    message_id: str, plural_id: str | None, params: Mapping[str, Param], fmt: Formatter
) -> str:
    """The translated template (plural by ``count``) filled with localised parameters."""
    catalogue = translations(fmt.lang)
    if plural_id is None:
        template = catalogue.gettext(message_id)
    else:
        template = catalogue.ngettext(message_id, plural_id, _count(params, message_id))
    return template % {key: local_value(fmt, key, value) for key, value in params.items()}

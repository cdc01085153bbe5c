"""Text from a stranger's production folder, made safe for each place it is written to.

Every sink has its own rule (docs/security.md):

- CSV and workbook cells: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is a formula to a spreadsheet; :func:`neutralise_csv_cell` prefixes it with ``'`` (the
  OWASP "CSV injection" rule). Numbers written as numbers are left alone.
- Terminal lines: :func:`for_terminal` shows control characters (ESC, newlines, bidirectional
  controls) as visible escapes, so one error stays one line and no escape sequence reaches the
  terminal; :func:`for_rich` also escapes rich markup (``[/]``, ``[link=…]``).
- ``(got …)`` values in messages: :func:`clip` cuts them to a readable length.
- Names: :func:`name_key` is the form names are compared in (NFKC, case folded, format characters
  such as zero-width joiners and bidirectional controls removed, spaces collapsed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Bidirectional controls: embeddings, overrides and isolates (Unicode UAX #9), and the marks.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

#: Longest value quoted back in a message, in characters (docs/security.md).
MESSAGE_VALUE_CHARS = 120

_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029\ud800-\udfff]"
)
_SPACES = re.compile(r"\s+")


#: A plain signed number (``-12.5``, ``+3e-4``): a spreadsheet reads it as that number, no formula.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise_csv_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it as text: ``'`` before a formula's first character
    (a plain signed number such as ``-12.5`` is left as it is: it is no formula)."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_cells(cells: list[str]) -> list[str]:
    """:func:`neutralise_csv_cell` over a column of text cells (one test per cell)."""
    return [
        neutralise_csv_cell(cell) if cell.startswith(FORMULA_STARTS) else cell for cell in cells
    ]


def neutralise_row(row: Iterable[object]) -> list[object]:
    """A row for :func:`csv.writer`: text cells neutralised, numbers and others unchanged."""
    return [neutralise_csv_cell(cell) if isinstance(cell, str) else cell for cell in row]


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def for_terminal(text: str) -> str:
    """``text`` on one terminal line: control and bidirectional characters as escapes."""
    return _CONTROL.sub(_visible, text)


def display_name(name: str) -> str:
    """A file name as text that can be printed and written: bytes that were not UTF-8 (kept by
    Python as lone surrogates) shown as ``\\xff``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", errors="backslashreplace")
    return raw.decode("utf-8", errors="backslashreplace")


def for_rich(text: str) -> str:
    """``text`` for a rich table or console: :func:`for_terminal`, then markup escaped."""
    from rich.markup import escape

    return escape(for_terminal(text))


def clip(text: str, limit: int = MESSAGE_VALUE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def has_bidi(text: str) -> bool:
    """Whether ``text`` holds a bidirectional control (which can make text read differently)."""
    return any(char in BIDI_CONTROLS for char in text)


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional controls."""
    return "".join(char for char in text if char not in BIDI_CONTROLS)


#: Notices for the user (``empreinte: warning: …``), printed by the CLI after the command: where
#: (file and field, as written) and a fixed reason, an English message id of the command line's
#: catalogue (cli.po), which the CLI prints in the user's language.
NOTICES: list[tuple[str, str]] = []
#: The reason of the notice for a text whose bidirectional controls were removed.
BIDI_REMOVED = "bidirectional control characters removed (they reorder text)"
#: Every fixed reason a notice is given with (tests/spine/test_cli_lang.py: each has its French).
NOTICE_REASONS = (BIDI_REMOVED,)

_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")
_LINE_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def notice(where: str, reason: str) -> None:
    """Gather a notice for the user: ``where`` (file and field) and ``reason``, one of
    :data:`NOTICE_REASONS`."""
    NOTICES.append((where, reason))


def take_notices() -> list[tuple[str, str]]:
    """The notices gathered since the last call, (where, reason) each once, in order."""
    notices = list(dict.fromkeys(NOTICES))
    NOTICES.clear()
    return notices


def clean_field(value: str, where: str) -> str:
    """``value`` in NFC (the same name typed on macOS and elsewhere is then the same text) and
    without bidirectional controls, with a notice naming ``where`` (the file and field) when
    there were some: they can make a name read as text that is in no input."""
    if value.isascii():
        return value
    value = unicodedata.normalize("NFC", value)
    if not has_bidi(value):
        return value
    notice(where, BIDI_REMOVED)
    return strip_bidi(value)


def one_line(text: str) -> str:
    """``text`` on one line, for plain-text outputs: control characters and line breaks
    become one space, bidirectional controls are removed."""
    return _LINE_BREAKS.sub(" ", strip_bidi(text)).strip()


def for_markdown(text: str) -> str:
    """``text`` as literal Markdown text: one line, HTML special characters as entities (no
    ``<script>``, no autolink), Markdown punctuation backslash-escaped (no ``[…](javascript:…)``
    link, no emphasis, no table cell)."""
    line = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", line)


def name_key(name: str) -> str:
    """The form in which two names are the same name: NFKC, case folded, format characters
    (category Cf: zero-width joiners, bidirectional controls, soft hyphens) removed, runs of
    spaces made one, ends stripped. ``"Loi\\u0308c"`` (NFD, as macOS writes it) and ``"LOÏC"``
    give the same key."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    kept = "".join(char for char in folded if unicodedata.category(char) != "Cf")
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", kept)).strip()

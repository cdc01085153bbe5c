"""Jinja2 (autoescape, StrictUndefined) and WeasyPrint (PDF/A-3b) with a URL fetcher that loads only
``data:`` URIs and files inside ``report_templates/`` — never ``file://`` elsewhere, ``http(s)://``
or attachment links coming from the data (see GHSA-35jj-wx47-4w8r)."""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from isal import isal_zlib
from markupsafe import Markup

from audit.base.errors import RenderError
from audit.base.i18n import translations
from audit.base.resources import templates_dir
from audit.base.safetext import for_markdown, has_bidi, one_line, strip_bidi
from audit.report.contract import template_names
from audit.report.pdf_streams import freeze_streams
from audit.rights.base import redact_text

#: Content types of our own assets, fixed here rather than read from the system's mime.types:
#: the fetcher opens nothing outside report_templates/ and serves the same on every machine.
ASSET_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


@cache
def environment(lang: str) -> jinja2.Environment:
    """The Jinja environment of the report templates in ``lang``: autoescaped, strict about
    undefined names, translated through gettext, bidirectional controls removed from every value
    shown."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_without_bidi,
    )
    # the method is added at run time by the i18n extension, so Jinja's types do not declare it
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["md"] = for_markdown  # text from the input, as literal Markdown
    env.filters["line"] = one_line  # text from the input, on one line of plain text
    return env


#: Names to hide (``--redact``) → their labels, while a redacted report is rendered.
REDACTED: ContextVar[dict[str, str] | None] = ContextVar("redacted", default=None)


def _without_bidi(value: Any) -> Any:
    """Every value printed by a template loses its bidirectional controls (defence in depth:
    production.yaml and the ledgers are cleaned, with a warning, when read), and under
    ``--redact`` the consent subjects' names (whatever value carries them)."""
    if not isinstance(value, str):
        return value
    names = REDACTED.get()
    cleaned = strip_bidi(value) if has_bidi(value) else value
    if names and not isinstance(value, Markup):  # Markup: our own stylesheet, no input text
        cleaned = redact_text(cleaned, names)
    if cleaned is value:
        return value
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


def render_template(name: str, lang: str, context: Any, **extra: Any) -> str:
    """One template rendered with the fields of ``context`` (a record of
    :mod:`audit.report.contract`, or a mapping) and ``extra`` as its top-level names; a template
    error becomes a RenderError naming the template."""
    names = dict(context) if isinstance(context, Mapping) else template_names(context)
    try:
        return environment(lang).get_template(name).render(**names, **extra)
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {name}: {exc}") from exc


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    assets = templates_dir().resolve()

    # WeasyPrint ships no types: its URLFetcher is Any to mypy, so subclassing it is flagged
    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """data: URIs, and files inside report_templates/; everything else is refused."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(assets) and path.is_file():
                    mime = ASSET_TYPES.get(path.suffix.lower(), "application/octet-stream")
                    return URLFetcherResponse(
                        url, body=path.read_bytes(), headers={"Content-Type": mime}
                    )
            raise ValueError(f"refused by Empreinte's fetcher: {url[:80]}")

    return SafeFetcher


#: pydyf's compression of PDF streams (``zlib.compressobj(level=9)``), done ahead by :func:`deflate`.
ZLIB_LEVEL = 9
#: ISA-L's level 1 (``isal.isal_zlib``, the same zlib format, which FlateDecode reads), for
#: attachments above :data:`LARGE`: on a 58 MB audit.json (1,000,000 generations) 0.09-0.10 s of a
#: core for 14.3 MB, against zlib's level 1 0.37-0.50 s for 16.0 MB and level 9 2.7 s for 14.7 MB.
#: Like zlib, it lets go of the GIL while it compresses (the pages are laid out meanwhile).
LARGE_LEVEL = 1
#: Attachments up to this size are deflated at pydyf's level (the PDF the same as pydyf's own).
LARGE = 1 << 20


def deflate(data: bytes) -> bytes:
    """``data`` compressed as pydyf compresses a stream (the same bytes in the PDF either way), or
    by ISA-L at :data:`LARGE_LEVEL` above :data:`LARGE` bytes."""
    if len(data) <= LARGE:
        compressor = zlib.compressobj(level=ZLIB_LEVEL)
        return compressor.compress(data) + compressor.flush()
    fast = isal_zlib.compressobj(level=LARGE_LEVEL)
    return fast.compress(data) + fast.flush()


@dataclass(frozen=True)
class Attachment:
    """A file attached to the PDF, of MIME type ``mime``. ``deflated``: :func:`deflate` of
    ``data``, under way in another thread (zlib lets go of the GIL) while the report is laid out;
    None: pydyf compresses it, unless ``stored`` (a file compressed already, such as Parquet,
    embedded as it is)."""

    name: str
    data: bytes
    description: str
    mime: str
    deflated: Future[bytes] | None = field(default=None, compare=False, repr=False)
    stored: bool = False
    #: the file's bytes, when ``data`` only stands for them until the pages are laid out
    later: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)


def _embed(attachments: Sequence[Attachment]) -> Callable[[Any, Any], None]:
    """A WeasyPrint ``finisher``: each attached file's stream gets its MIME type (WeasyPrint
    guesses it from the name, ``application/octet-stream`` for what the standard library does
    not know), and its bytes deflated ahead, marked FlateDecode as pydyf marks what it
    compresses, or stored as they are; pydyf then leaves the stream alone. Every stream is
    then made into bytes once (:func:`audit.report.pdf_streams.freeze_streams`)."""

    def finisher(_document: Any, pdf: Any) -> None:
        for stream in pdf.objects:
            extra = getattr(stream, "extra", None)
            if not isinstance(extra, dict) or extra.get("Type") != "/EmbeddedFile":
                continue
            if not stream.compress or len(stream.stream) != 1:
                continue
            for attachment in attachments:
                data = attachment.data
                if len(data) == len(stream.stream[0]) and data == stream.stream[0]:
                    _finish(stream, extra, attachment)
                    break
        freeze_streams(pdf)

    return finisher


def _finish(stream: Any, extra: dict[str, Any], attachment: Attachment) -> None:
    extra["Subtype"] = "/" + attachment.mime.replace("/", "#2f")
    if attachment.later is not None:
        data = attachment.later()
        stream.stream = [data]
        extra["Params"]["Size"] = len(data)
        extra["Params"]["CheckSum"] = f"<{hashlib.md5(data, usedforsecurity=False).hexdigest()}>"
    if attachment.stored:
        stream.compress = False
    elif attachment.deflated is not None:
        stream.stream = [attachment.deflated.result()]
        extra["Filter"] = "/FlateDecode"
        stream.compress = False


#: WeasyPrint's warning for a character no installed font has (it draws the .notdef box).
_NOTDEF = re.compile(r"^\.notdef glyph rendered for .*\(U\+([0-9A-F]+)\)")
#: Code points drawn as boxes since the last :func:`take_glyph_gaps` (the CLI warns of them).
_GAPS: set[int] = set()


def take_glyph_gaps() -> list[str]:
    """``U+XXXX`` of each character drawn as a box (no font has it) since the last call."""
    gaps = [f"U+{code:04X}" for code in sorted(_GAPS)]
    _GAPS.clear()
    return gaps


def _fatal(messages: list[str]) -> list[str]:
    """WeasyPrint's warnings but the missing glyphs, which are kept in :data:`_GAPS`: text from
    the input that no installed font covers shows as a visible box, with a warning, and is no
    internal error (install the fonts of docs/security.md to cover it)."""
    kept = []
    for message in messages:
        found = _NOTDEF.match(message)
        if found:
            _GAPS.add(int(found.group(1), 16))
        else:
            kept.append(message)
    return kept


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(
    html: str,
    target: Path,
    attachments: Sequence[Attachment],
    as_of: date,
    identifier: bytes,
) -> list[str]:
    """Render ``html`` to a PDF/A-3b at ``target``; returns WeasyPrint's warnings (none expected)."""
    import weasyprint

    stamp = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    files = [
        weasyprint.Attachment(
            string=a.data,
            name=a.name,
            description=a.description,
            relationship="Data",
            created=stamp,
            modified=stamp,
        )
        for a in attachments
    ]
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = weasyprint.HTML(
            string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=_fetcher_class()()
        )
        document.write_pdf(
            target,
            finisher=_embed(attachments),
            pdf_variant="pdf/a-3b",
            attachments=files,
            pdf_identifier=identifier,
            uncompressed_pdf=False,
        )
    except (OSError, ValueError) as exc:
        raise RenderError(f"cannot write {target}: {exc}") from exc
    finally:
        logger.removeHandler(collector)
    return _fatal(collector.messages)

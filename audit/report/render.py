"""Jinja2 (autoescape, StrictUndefined) and WeasyPrint (PDF/A-3b) with a URL fetcher that loads only
``data:`` URIs and files inside ``report_templates/`` — never ``file://`` elsewhere, ``http(s)://``
or attachment links coming from the data (see GHSA-35jj-wx47-4w8r)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from audit.errors import RenderError
from audit.report.i18n import translations
from audit.resources import templates_dir

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
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_template(name: str, lang: str, context: dict[str, Any]) -> str:
    try:
        return environment(lang).get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {name}: {exc}") from exc


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    assets = templates_dir().resolve()

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


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    description: str
    mime: str


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
            pdf_variant="pdf/a-3b",
            attachments=files,
            pdf_identifier=identifier,
            uncompressed_pdf=False,
        )
    except (OSError, ValueError) as exc:
        raise RenderError(f"cannot write {target}: {exc}") from exc
    finally:
        logger.removeHandler(collector)
    return collector.messages

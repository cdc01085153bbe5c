"""report_templates/paged.css, read after report.css for the PDF only, replaces the cover's grid
and flex boxes by cheaper blocks: every page must come out pixel for pixel the same as with
report.css alone, with its text in the same order (what a PDF reader extracts), on the bundled
example (fr and en) and on covers whose label is taller than its value and the reverse (a row as
tall as its taller box, as in the grid)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf
import pytest

from audit.pipeline import AuditRun
from audit.report.render import write_pdf
from audit.report.write import render_html, stylesheet
from tests.report.report_support import WEASYPRINT_ICC_LEAK, page_images, pdftoppm

pytestmark = [pytest.mark.slow, WEASYPRINT_ICC_LEAK]

PAGED = '<link rel="stylesheet" href="paged.css">'
DPI = 100


def _pages(html: str, folder: Path, ci: bool) -> list[tuple[bytes, str]]:
    """Every page of ``html`` as a PDF/A-3b: its pixels and its text as pypdf reads it."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "report.pdf"
    assert write_pdf(html, pdf, [], date(2026, 11, 20), b"0" * 32) == []
    images = page_images(pdftoppm(ci), pdf, folder / "png", DPI)
    texts = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
    return list(zip((image.tobytes() for image in images), texts, strict=True))


def _same_pages(html: str, folder: Path, ci: bool) -> int:
    """Renders ``html`` (which links paged.css) with and without paged.css; the page count."""
    assert html.count(PAGED) == 1
    paged = _pages(html, folder / "paged", ci)
    plain = _pages(html.replace(PAGED, ""), folder / "plain", ci)
    assert len(paged) == len(plain)
    pixels = [
        number for number, (a, b) in enumerate(zip(paged, plain, strict=True), 1) if a[0] != b[0]
    ]
    assert pixels == []
    assert [text for _, text in paged] == [text for _, text in plain]
    return len(paged)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_example_pages_are_the_same_with_paged_css(
    example_run: AuditRun, tmp_path: Path, ci: bool, lang: str
) -> None:
    html = render_html(example_run, lang)
    assert 'class="toc"' in html
    assert _same_pages(html, tmp_path, ci) >= 13


def test_report_html_inlines_report_css_only(example_run: AuditRun) -> None:
    standalone = render_html(example_run, "fr", standalone=True)
    assert stylesheet() in standalone
    assert "paged.css" not in standalone


def test_rows_as_tall_as_their_taller_box(tmp_path: Path, ci: bool) -> None:
    """A label over two lines beside a one-line value, a one-line label beside a value over
    several lines, and a long hash in a smaller font last, as on the cover."""
    long_label = "Consentement éclairé de la personne représentée"
    long_value = " ".join(["Une valeur qui court sur plusieurs lignes de la colonne."] * 6)
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="report.css">{PAGED}</head><body>'
        '<section class="cover" id="cover"><div><h1>Titre</h1><dl>\n'
        f"<dt>{long_label}</dt><dd>court</dd>\n<dt>Production</dt><dd>{long_value}</dd>\n"
        f'<dt>Entrées</dt><dd class="mono">{"0123456789abcdef" * 4}</dd>\n'
        '</dl></div><div><nav class="toc"><ol><li><a href="#methodology">Méthodologie</a></li>'
        "</ol></nav></div></section>"
        '<section class="chapter" id="methodology"><h2>Méthodologie</h2><p>texte</p></section>'
        "</body></html>"
    )
    assert _same_pages(html, tmp_path, ci) == 2

"""Golden HTML of every report section, French and English, for the bundled example.

The report HTML (what WeasyPrint lays out) is split into its ``<section id=…>`` blocks; charts
become a hash of their SVG drawing and the version strings are masked. A deliberate change of
the report is accepted with ``pytest tests/report --update-golden`` and reviewed in the diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from audit import __version__
from audit.pipeline import AuditRun
from audit.report.write import render_html
from tests.report.report_support import normalise, sections

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "report"
SECTIONS = (
    "cover",
    "summary",
    "breakdown",
    "shots",
    "rights",
    "methodology",
    "appendix",
    "credits",
)
UPDATE = "pytest tests/report --update-golden"


@pytest.fixture(scope="module")
def current(example_run: AuditRun) -> dict[str, dict[str, str]]:
    """Normalised sections of the report HTML, by language then section id."""
    data_version = example_run.footprint.registry.data_version
    return {
        lang: {
            key: normalise(text, data_version)
            for key, text in sections(render_html(example_run, lang)).items()
        }
        for lang in ("fr", "en")
    }


def _compare(path: Path, actual: str, update: bool) -> None:
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    rel = path.relative_to(GOLDEN.parents[2])
    if not path.is_file():
        pytest.fail(f"{rel} is missing; write it with `{UPDATE}`")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), str(rel), "rendered", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:40])
        pytest.fail(
            f"{rel} differs from the rendered section; if the change is intended, run "
            f"`{UPDATE}` and review the diff.\n{shown}",
            pytrace=False,
        )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_report_has_the_eight_sections_in_order(
    current: dict[str, dict[str, str]], lang: str
) -> None:
    assert tuple(current[lang]) == SECTIONS


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_section_matches_golden(
    current: dict[str, dict[str, str]], update_golden: bool, lang: str, section: str
) -> None:
    _compare(GOLDEN / lang / f"{section}.html", current[lang][section], update_golden)


def test_no_stale_golden_files(update_golden: bool) -> None:
    expected = {f"{lang}/{section}.html" for lang in ("fr", "en") for section in SECTIONS}
    stale = sorted(
        p.relative_to(GOLDEN).as_posix()
        for p in GOLDEN.rglob("*.html")
        if p.relative_to(GOLDEN).as_posix() not in expected
    )
    if update_golden:
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert stale == [], f"golden files of no section: remove them or run `{UPDATE}`"


def test_normalise_masks_charts_and_versions() -> None:
    # base64 of "<svg><metadata>v3.11</metadata><g/></svg>"; 1ebf5521… = sha256("<svg><g/></svg>")
    svg = "PHN2Zz48bWV0YWRhdGE+djMuMTE8L21ldGFkYXRhPjxnLz48L3N2Zz4="
    html = (
        f'<img src="data:image/svg+xml;base64,{svg}"> Empreinte {__version__} · data 2026.11.0.'
        " 12026.11.0 2026.11.05"
    )
    assert normalise(html, "2026.11.0") == (
        '<img src="data:image/svg+xml;sha256=1ebf5521a6ff2a87"> '
        "Empreinte {version} · data {data_version}. 12026.11.0 2026.11.05"
    )

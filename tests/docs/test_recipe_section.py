"""The recipe "add a report section" of docs/development.md, followed step by step: its builder
(the block tagged ``recipe-section``) run on the bundled example, its template
(``recipe-section-template``) rendered by the report's own Jinja environment in English and French
with what the builder returned, and the files the other steps name checked to be what the report
uses (every section template included, the golden test's list of sections). When the report's
environment, units or run change, this test fails with the page."""

from __future__ import annotations

import re
import sys
import types
from datetime import date
from typing import Any

import pytest

from audit.base.i18n import Formatter
from audit.base.resources import example_dir, templates_dir
from audit.pipeline import AuditRun, Options, run
from audit.report import context
from audit.report.render import environment
from tests.docs.docblocks import ROOT, block, named_paths, steps


@pytest.fixture(scope="module")
def example() -> AuditRun:
    return run(example_dir(), Options(as_of=date(2026, 11, 20)))


def _builder(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The recipe's builder, from a module of its code (importable while the test runs: a
    dataclass looks its module up)."""
    module = types.ModuleType("empreinte_recipe_section")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(
        compile(block("development.md", "recipe-section"), module.__name__, "exec"), module.__dict__
    )
    return module.by_modality


def test_recipe_steps_name_files_that_exist() -> None:
    named = named_paths(steps("development.md", "Recipe: add a report section"))
    for name in (
        "audit/report/context.py",
        "report_templates/sections/",
        "report_templates/report.html.j2",
        "report_templates/locales/fr/LC_MESSAGES/messages.po",
        "tests/report/test_report_golden.py",
    ):
        assert name in named
    assert [path for path in named if not (ROOT / path).exists()] == []
    assert callable(context.build_context)  # step 2
    # step 4: every section template is included by a template, the way the recipe writes it
    folder = templates_dir()
    included = set()
    for template in [*folder.glob("*.j2"), *folder.glob("sections/*.j2")]:
        text = template.read_text(encoding="utf-8")
        included |= set(re.findall(r'{% include "(sections/[\w.]+)" %}', text))
    assert {f"sections/{p.name}" for p in (folder / "sections").glob("*.html.j2")} == included
    # step 6: the golden test lists the sections it compares
    golden = (ROOT / "tests/report/test_report_golden.py").read_text(encoding="utf-8")
    assert "\nSECTIONS = (" in golden


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_recipe_section_renders_the_example(
    example: AuditRun, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _builder(monkeypatch)(example, Formatter(lang))
    modalities = set(example.footprint.table["modality"])
    assert [row.modality for row in rows]
    assert {row.modality for row in rows} == modalities
    template = environment(lang).from_string(block("development.md", "recipe-section-template"))
    html = template.render(modalities=rows)
    assert html.startswith('<section id="modalities">')
    for row in rows:
        assert (
            f"<tr><td>{row.modality}</td><td>{row.generations}</td><td>{row.energy}</td></tr>"
            in html
        )
    assert sum(int(re.sub(r"\D", "", row.generations)) for row in rows) == len(
        example.footprint.table
    )

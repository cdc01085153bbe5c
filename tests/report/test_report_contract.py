"""The report's contract is typed: every attribute a template reads exists on the records that
build_context returns (checked on the templates' Jinja syntax trees), and mypy refuses a field or
an impact name that does not exist (checked by running mypy on a small snippet)."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2 import meta, nodes

from audit.base.resources import templates_dir
from audit.report.contract import Credits, ReportContext
from audit.report.contract_forecast import ForecastReport
from audit.report.render import environment
from audit.tools.compare_contract import CompareContext

#: Names a template sees besides the record's fields (render_template's ``extra``).
EXTRA = {"inline_css": str}
#: Each template rendered from a record, with the names it gets.
ROOTS: dict[str, dict[str, Any]] = {
    "report.html.j2": {
        **{
            f.name: typing.get_type_hints(ReportContext)[f.name]
            for f in dataclasses.fields(ReportContext)
        },
        **EXTRA,
    },
    "forecast.html.j2": {
        **typing.get_type_hints(ForecastReport),
        **EXTRA,
    },
    **{f"credits.{ext}.j2": {"credits": Credits, "title": str} for ext in ("txt", "md", "html")},
    "compare.html.j2": {**typing.get_type_hints(CompareContext), **EXTRA},
}


def _strip_optional(kind: Any) -> Any:
    """``X | None`` → ``X``."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        return args[0] if len(args) == 1 else None
    return kind


def _element(kind: Any) -> Any:
    """The element type of ``list[X]`` (what a ``for`` loop binds), else None (not checked)."""
    kind = _strip_optional(kind)
    if typing.get_origin(kind) is list:
        return typing.get_args(kind)[0]
    return None


class Checker:
    """Walks a template's syntax tree with the type of each name in scope; records every
    ``a.b`` whose ``a`` is a record without a field ``b``."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.missing: list[str] = []
        self.checked = 0

    def template(self, name: str, scope: dict[str, Any]) -> None:
        source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
        self.walk(self.env.parse(source), scope, name)

    def kind(self, node: nodes.Node, scope: dict[str, Any], where: str) -> Any:
        if isinstance(node, nodes.Name):
            return scope.get(node.name)
        if isinstance(node, nodes.Getattr):
            owner = _strip_optional(self.kind(node.node, scope, where))
            if owner is None or not dataclasses.is_dataclass(owner):
                return None
            hints = typing.get_type_hints(owner)
            self.checked += 1
            if node.attr not in hints:
                self.missing.append(f"{where}:{node.lineno}: {owner.__name__} has no {node.attr}")
                return None
            return hints[node.attr]
        if isinstance(node, nodes.Getitem):
            return _element(self.kind(node.node, scope, where))
        return None

    def walk(self, node: nodes.Node, scope: dict[str, Any], where: str) -> None:
        if isinstance(node, nodes.Include) and isinstance(node.template, nodes.Const):
            self.template(node.template.value, scope)
            return
        if isinstance(node, nodes.For):
            self.walk(node.iter, scope, where)
            inner = dict(scope)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = _element(self.kind(node.iter, scope, where))
            for child in node.body:
                self.walk(child, inner, where)
            for child in node.else_:
                self.walk(child, scope, where)
            return
        if isinstance(node, nodes.Getattr):
            self.kind(node, scope, where)
        for child in node.iter_child_nodes():
            self.walk(child, scope, where)


def _checked(name: str, scope: dict[str, Any]) -> Checker:
    checker = Checker(environment("en"))
    checker.template(name, scope)
    return checker


#: Names the report's Jinja environment gives every template (i18n extension, loop variables).
GLOBALS = {"_", "gettext", "ngettext", "range", "loop"}


def _undeclared(name: str) -> set[str]:
    """Top-level names ``name`` and the templates it includes read without defining them."""
    env = environment("en")
    tree = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
    names = meta.find_undeclared_variables(tree)
    for child in meta.find_referenced_templates(tree):
        names |= _undeclared(child) if child else set()
    return names


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_every_name_a_template_reads_is_in_its_context(name: str) -> None:
    assert _undeclared(name) - set(ROOTS[name]) - GLOBALS == set()


@pytest.mark.parametrize("name", sorted(ROOTS))
def test_every_attribute_a_template_reads_exists(name: str) -> None:
    checker = _checked(name, ROOTS[name])
    assert checker.missing == []
    assert checker.checked > 0  # the walk reached typed records


def test_every_report_section_is_checked() -> None:
    """report.html.j2 includes every section template but the comparison report's."""
    sections = {p.name for p in (templates_dir() / "sections").glob("*.j2")}
    included = {
        node.template.value.split("/")[-1]
        for name in ("report.html.j2", "sections/summary.html.j2")
        for node in environment("en")
        .parse(environment("en").loader.get_source(environment("en"), name)[0])  # type: ignore[union-attr]
        .find_all(nodes.Include)
        if isinstance(node.template, nodes.Const)
    }
    assert sections - included == {p for p in sections if p.startswith("compare_")}


def test_a_misspelt_attribute_is_found(tmp_path: Path) -> None:
    """The checker itself: a template reading a field no record has is reported, with its line."""
    (tmp_path / "t.j2").write_text(
        "{% for fig in summary.figures %}{{ fig.centrl }}{% endfor %}\n{{ meta.titel }}",
        encoding="utf-8",
    )
    checker = Checker(jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path))))
    checker.template("t.j2", ROOTS["report.html.j2"])
    assert checker.missing == [
        "t.j2:1: Figure has no centrl",
        "t.j2:2: Meta has no titel",
    ]


SNIPPET = """
from audit.estimate.aggregate import Aggregates
from audit.report.contract import ReportContext, Summary


def read(context: ReportContext, agg: Aggregates) -> None:
    print(context.summary.generatoins)
    print(agg.totals["carbon_gram"])


def build(context: ReportContext) -> Summary:
    return Summary(generation="1")
"""


def _mypy_errors(snippet: str) -> Iterator[str]:
    from mypy import api

    stdout, _, status = api.run(["--no-incremental", "--follow-imports=silent", "-c", snippet])
    assert status == 1, stdout
    yield from (line for line in stdout.splitlines() if ": error:" in line)


def test_mypy_refuses_a_renamed_field_or_column() -> None:
    """A field renamed on one side, a misspelt impact name: mypy says so before any render."""
    errors = "\n".join(_mypy_errors(SNIPPET))
    assert '"Summary" has no attribute "generatoins"' in errors
    assert "Invalid index type \"Literal['carbon_gram']\"" in errors
    assert 'Unexpected keyword argument "generation" for "Summary"' in errors

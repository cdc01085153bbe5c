"""The recipe "add a rule" of docs/development.md, followed step by step: its rule (the block
tagged ``recipe-rule``) registered through ``@rule`` in a sandboxed registry, its YAML cases
(``recipe-rule-cases``) run through the same harness and checks as tests/rules/cases/, its
docstring rendered into the rules page, and its untranslated message caught as step 2 says. When
the rule API changes, this test fails with the page."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
import yaml

from audit.base.i18n import translations
from audit.rights import base, run_rules
from audit.rights.datafiles import rights_sources
from audit.rights.docs import render_rules_md
from tests.docs.docblocks import ROOT, block, named_paths, steps
from tests.rules.conftest import build_context
from tests.rules.test_rule_cases import check_finding, check_texts

CODE = "CREDIT001"


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> dict[str, base.Rule]:
    """The rule registry as it is (built-ins loaded), on a copy the recipe's rule may join."""
    rules = {**base.registry()}
    monkeypatch.setattr(base, "_REGISTRY", rules)
    module = types.ModuleType("empreinte_recipe_rule")
    exec(compile(block("development.md", "recipe-rule"), module.__name__, "exec"), module.__dict__)
    return rules


def _cases() -> list[tuple[str, dict[str, Any]]]:
    spec = yaml.safe_load(block("development.md", "recipe-rule-cases"))
    assert spec["rule"] == CODE
    return [(kind, case) for kind in ("pass", "fail") for case in spec[kind]]


def test_recipe_steps_name_files_that_exist() -> None:
    named = named_paths(steps("development.md", "Recipe: add a rule"))
    assert "audit/rights/base.py" in named
    assert "tests/rules/cases/" in named
    assert [path for path in named if not (ROOT / path).exists()] == []
    assert all(module.startswith("audit.rights.") for module in base.BUILTIN_MODULES)
    assert {kind for kind, _ in _cases()} == {"pass", "fail"}  # step 3 asks for both


def test_recipe_rule_registers_and_its_cases_hold(
    sandbox: dict[str, base.Rule], tmp_path: Path
) -> None:
    registered = sandbox[CODE]
    assert (registered.name, registered.severity) == ("credits.humans.listed", "warning")
    assert set(registered.sections) == {"Why", "Fails when", "How to fix"}
    assert set(registered.basis) <= set(rights_sources())
    for number, (kind, case) in enumerate(_cases()):
        ctx = build_context(case, tmp_path / str(number))
        found = run_rules(ctx, only=[CODE])
        expected = case.get("findings", [])
        assert kind == "fail" or all(item["severity"] == "info" for item in expected)
        assert len(found) == len(expected), (case["name"], [f.message for f in found])
        for item, wanted in zip(found, expected, strict=True):
            check_finding(item, wanted)
            # step 2: the example's message has no French, and the case test refuses it so
            assert translations("fr").gettext(item.fix_id) == item.fix_id
            with pytest.raises(AssertionError):
                check_texts(item)
    # step 4: the rules page documents it from its docstring
    page = render_rules_md()
    assert f"| [{CODE}](#{CODE.lower()}) | `credits.humans.listed` | warning |" in page
    assert "**Why.** the credits Empreinte writes print the human roles beside" in page

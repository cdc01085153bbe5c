"""Every rule's pass and fail scenarios (tests/rules/cases/<CODE>.yaml), expanded into one test.

A case lists the findings the rule must report, in run_rules order: severity exactly, and
substrings that must appear in the message and in the evidence. Pass cases may only expect
information findings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from audit.rules import AuditContext, Finding, registry, run_rules

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind in ("pass", "fail"):
            for case in spec.get(kind) or []:
                params.append(
                    pytest.param(
                        spec["rule"], kind, case, id=f"{spec['rule']}-{kind}-{case['name']}"
                    )
                )
    return params


def check_finding(found: Finding, expected: dict[str, Any]) -> None:
    assert found.severity == expected["severity"], found.message
    for text in expected.get("message", []):
        assert text in found.message, f"{text!r} not in {found.message!r}"
    for text in expected.get("evidence", []):
        assert any(text in line for line in found.evidence), f"{text!r} not in {found.evidence}"
    if "generation_ids" in expected:
        assert found.generation_ids == expected["generation_ids"]
    if "shot_ids" in expected:
        assert found.shot_ids == expected["shot_ids"]


@pytest.mark.parametrize(("code", "kind", "case"), load_cases())
def test_rule_case(
    code: str,
    kind: str,
    case: dict[str, Any],
    make_context: Callable[[dict[str, Any]], AuditContext],
) -> None:
    ctx = make_context(case)
    found = run_rules(ctx, only=[code])
    expected = case.get("findings", [])
    if kind == "pass":
        assert all(item["severity"] == "info" for item in expected)
    else:
        assert expected, "a fail case must expect at least one finding"
    assert len(found) == len(expected), [f.message for f in found]
    for item, wanted in zip(found, expected, strict=True):
        assert item.code == code
        assert item.doc_url == f"docs/rules.md#{code.lower()}"
        check_finding(item, wanted)


def test_every_rule_has_pass_and_fail_cases() -> None:
    seen: dict[str, set[str]] = {}
    for param in load_cases():
        code, kind, _ = param.values
        seen.setdefault(code, set()).add(kind)
    for code in registry():
        assert seen.get(code) == {"pass", "fail"}, f"{code}: add pass and fail cases"

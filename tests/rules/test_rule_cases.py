"""Every rule's pass and fail scenarios (tests/rules/cases/<CODE>.yaml), expanded into one test.

A case lists the findings the rule must report, in run_rules order: severity exactly,
substrings that must appear in the (English) message and in the evidence, and parameters the
finding must carry with exactly these values. Pass cases may only expect information findings.
Every finding's message is also rendered in French: its template and fix must be translated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from audit.base.i18n import Formatter, translations
from audit.rights import AuditContext, Finding, registry, run_rules
from audit.rights.messages import english

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
    params = expected.get("params", {})
    assert {key: found.params.get(key) for key in params} == params


def check_texts(found: Finding) -> None:
    """The English message and fix are their templates filled in; the French ones translate
    the templates and keep the plain values."""
    template = (
        (found.message_id, found.message_id_plural) if found.message_id_plural else found.message_id
    )
    assert found.message == english(template, found.params)
    assert found.fix == english(found.fix_id, found.params)
    french = translations("fr")
    plural = found.message_id_plural
    if plural:
        assert french.ngettext(found.message_id, plural, 1) != found.message_id
        assert french.ngettext(found.message_id, plural, 2) != plural
    for msgid in (found.message_id, found.fix_id):
        assert french.gettext(msgid) != msgid, f"untranslated: {msgid!r}"
    message, fix = found.localised(Formatter("fr"))
    assert message != found.message
    assert fix != found.fix
    for key in ("where", "input", "media", "path", "master", "asset", "person"):
        if key in found.params:
            assert str(found.params[key]) in message


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
        check_texts(item)


def test_every_rule_has_pass_and_fail_cases() -> None:
    seen: dict[str, set[str]] = {}
    for param in load_cases():
        code, kind, _ = param.values
        seen.setdefault(code, set()).add(kind)
    for code in registry():
        assert seen.get(code) == {"pass", "fail"}, f"{code}: add pass and fail cases"

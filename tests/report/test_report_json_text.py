"""audit.json's text: :func:`audit.report.audit_json.indented_json` writes the long lists of
text itself (a finding's generation ids) and must give exactly ``json.dumps(document,
ensure_ascii=False, indent=2, sort_keys=True)``, whatever the document."""

from __future__ import annotations

import json
from typing import Any

import pytest

from audit.pipeline import AuditRun
from audit.report.audit_json import _TOKEN, LONG_LIST, audit_document, indented_json


def _json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def test_the_example_audit_document(example_run: AuditRun) -> None:
    document = audit_document(example_run)
    ids = [item for f in document["findings"] for item in f["generation_ids"]]
    assert ids, "the example's findings name generations"
    document["findings"].append({"generation_ids": ids * LONG_LIST, "code": "X"})
    assert indented_json(document) == _json(document)


IDS = [f"kling:{n:016x}" for n in range(LONG_LIST)]
ODD = [f'id "{n}" \\ é\n\x01\u2028 {n}' for n in range(LONG_LIST + 5)]


@pytest.mark.parametrize(
    "document",
    [
        {"findings": [{"generation_ids": IDS, "shot_ids": IDS[:3], "params": {"n": 1.5}}]},
        {"deep": {"deeper": [[IDS, ODD], {"x": IDS}], "empty": [], "none": None}},
        IDS,
        [IDS, (IDS[0],) * LONG_LIST],  # a tuple is a list to json
        {"mixed": [*IDS, 1], "numbers": list(range(LONG_LIST)), "nan": [float("nan")] * 70},
        {"short": IDS[: LONG_LIST - 1], "unicode": ["é€𝄞"] * LONG_LIST},
        {"2": IDS, "10": IDS, "1": {}},
    ],
)
def test_same_text_as_json(document: Any) -> None:
    assert indented_json(document) == _json(document)


@pytest.mark.parametrize(
    "text",
    [_TOKEN.format(0), _TOKEN.format(1), 'x"' + _TOKEN.format(0)[:-1] + '\x00"', _TOKEN[:-1]],
)
def test_a_text_like_a_placeholder(text: str) -> None:
    """Input text shaped like the placeholder of a lifted list is written as json writes it."""
    document = {"ids": IDS, "note": text, "more": [text] * LONG_LIST, "list": [text, IDS]}
    assert indented_json(document) == _json(document)

"""CLEAR001 on many prompts: each distinct prompt read once, screened by one regex per list kind
before the entry-by-entry search, ``fold`` done without a loop per character — same findings as
the plain reading. And ``--redact-prompts`` hides the names it quotes (``name #N``)."""

from __future__ import annotations

import random
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

from audit.base.i18n import Formatter
from audit.rights import AuditContext
from audit.rights.clearance import (
    _Screen,
    local_name_label,
    names_in,
    prompt_keys,
    prompt_names,
    redact_prompt_names,
)
from audit.rights.datafiles import load_lists
from audit.rights.folding import fold

NBSP = "\u00a0"


def reference_fold(text: str) -> str:
    """The definition: NFKD, every combining character dropped, case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def test_fold_is_the_reference_fold_on_every_code_point_sampled() -> None:
    rnd = random.Random(11)
    points = [*range(0x3000), *rnd.sample(range(0x3000, sys.maxunicode + 1), 20000)]
    chars = [chr(cp) for cp in points if not 0xD800 <= cp <= 0xDFFF]
    for ch in chars:
        for text in (ch, f"É{ch}x", f"{ch}\u0301", f"a{ch}\u034f\u0300b"):
            assert fold(text) == reference_fold(text), repr(text)
    assert fold("Télévision ÇA") == "television ca"
    assert fold("Ærø Straße ﬁn") == "ærø strasse fin"


def _variants(name: str) -> list[str]:
    return [name, name.upper(), name.lower(), fold(name), name.replace(" ", "-"),
            name.replace(" ", ""), f"x{name}", f"{name}s", f"_{name}", name[:-1]]  # fmt: skip


def test_screened_prompts_give_the_same_names() -> None:
    lists = load_lists()
    names = [n for lst in lists.values() for e in lst.entries for n in (e.name, *e.aliases)]
    rnd = random.Random(5)
    prompts = ["a lighthouse at dusk, storm", "", "dans le style de Jeanne Marivaux"]
    for _ in range(3000):
        name = rnd.choice(_variants(rnd.choice(names)))
        lead = rnd.choice(["phare, ", "in the style of ", "art by ", "à la manière de ", ""])
        prompts.append(f"{lead}{name}{rnd.choice(['', ', Coca', ' et Jean Dupont', '!'])}")
    screen = _Screen(lists)
    found = 0
    for prompt in prompts:
        assert prompt_keys(prompt, lists, screen) == prompt_keys(prompt, lists), prompt
        found += bool(names_in(prompt, lists))
        assert screen.may_name(prompt) or not names_in(prompt, lists)
    assert found > 1000  # the sample does name listed people and brands


SCENARIO: dict[str, Any] = {
    "generations": [
        {"platform": "midjourney", "created_at": "2026-09-02T10:00:00Z", "shot_id": "SC01_SH010",
         "prompt": "lighthouse by greg rutkowski, a Coca Cola can on the rocks"},
        {"platform": "midjourney", "created_at": "2026-09-02T11:00:00Z",
         "prompt": "the pier, art by GREG RUTKOWSKI, in the style of Moebius"},
        {"platform": "midjourney", "created_at": "2026-09-02T12:00:00Z",
         "prompt": "harbour at night, dans le style de Jeanne Marivaux, blue ink"},
        {"platform": "midjourney", "created_at": "2026-09-02T13:00:00Z",
         "prompt": "harbour at night, dans le style de Jeanne Marivaux, blue ink"},
    ]
}  # fmt: skip
HIDDEN = ("rutkowski", "coca", "moebius", "marivaux", "soft drink", "comics")


def test_redacted_findings_quote_no_name_from_a_prompt(
    make_context: Callable[[dict[str, Any]], AuditContext],
) -> None:
    found = list(prompt_names(make_context(SCENARIO)))
    assert len(found) == 4
    redacted = redact_prompt_names(found)
    labels = [f.params["name"] for f in redacted]
    assert labels == [f"name #{n}" for n in range(1, 5)]
    for before, after in zip(found, redacted, strict=True):
        text = after.model_dump_json().lower()
        assert not [word for word in HIDDEN if word in text], text
        assert after.evidence[0] == f"name: {after.params['name']}"
        kept = [line for line in before.evidence if not line.startswith(("name: ", "note: "))]
        assert after.evidence[1:] == kept
        assert kept
        assert all(line.startswith("midjourney:") for line in kept)
        assert after.message == before.message.replace(
            f"“{before.params['name']}”", f"“{after.params['name']}”"
        )
        assert (after.severity, after.generation_ids, after.shot_ids) == (
            before.severity, before.generation_ids, before.shot_ids
        )  # fmt: skip
        assert after.params["name_kind"] == before.params["name_kind"]


def test_one_label_per_name_and_other_findings_untouched(
    make_context: Callable[[dict[str, Any]], AuditContext],
) -> None:
    found = list(prompt_names(make_context(SCENARIO)))
    twice = [found[0], found[1].model_copy(update={"code": "SOURCE001"}), found[0]]
    redacted = redact_prompt_names(twice)
    assert redacted[1] is twice[1]
    assert redacted[0].params["name"] == redacted[2].params["name"] == "name #1"


def test_the_label_is_written_the_readers_way(
    make_context: Callable[[dict[str, Any]], AuditContext],
) -> None:
    (first, *_) = redact_prompt_names(list(prompt_names(make_context(SCENARIO))))
    french = local_name_label(first, Formatter("fr"))
    assert french.params["name"] == f"nom n°{NBSP}1"
    message, _ = french.localised(Formatter("fr"))
    assert f"«{NBSP}nom n°{NBSP}1{NBSP}»" in message
    assert local_name_label(first, Formatter("en")) is first
    unredacted = next(iter(prompt_names(make_context(SCENARIO))))
    assert local_name_label(unredacted, Formatter("fr")) is unredacted

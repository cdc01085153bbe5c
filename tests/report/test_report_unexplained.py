"""The clips no generation explains, as the PDF prints them, on the real Avid feature reel
(iluvcapra/pycmx tests/edls/INS4_R1_010417.edl, in ../shared/fixtures/realworld): 287 events of
live footage. Printed once per clip with its advice, they took 62 of the report's 91 pages, and
one SOURCE002 card per clip 20 more; now the advice is said once per group, the PDF stops at
MAX_CLIPS_IN_PDF clips and MAX_CARDS_PER_RULE cards of a rule, saying how many more the
machine files list."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

import audit.rights.clearance  # noqa: F401  (registers SOURCE002)
from audit.base.i18n import N_, Formatter
from audit.link.status import Unexplained
from audit.link.timeline import read_timeline_file
from audit.report import linking
from audit.report.context import MAX_CARDS_PER_RULE, _findings
from audit.rights.base import Finding, finding

REEL = Path(__file__).resolve().parents[2].parent / "shared/fixtures/realworld/timelines"


@pytest.fixture
def items() -> list[Unexplained]:
    path = REEL / "INS4_R1_010417.edl"
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing and CI=true")
        pytest.skip(f"shared real-world fixtures not found at {REEL}")
    clips = read_timeline_file(path, frame_rate="23.976").clips
    return [
        Unexplained(clip, clip.shot_id, clip.duration_s, 3 if k % 50 == 7 else 0,
                    "unresolved" if k % 50 == 7 else "untagged")
        for k, clip in enumerate(clips)
    ]  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_real_reel_printed_by_advice_and_capped(items: list[Unexplained], lang: str) -> None:
    fmt = Formatter(lang)
    cap = linking.MAX_CLIPS_IN_PDF
    assert len(items) > cap
    groups = linking._unexplained(items[:cap], fmt)
    shown = [clip for group in groups for clip in group.clips]
    assert len(shown) == cap
    assert len(groups) == 2  # the untagged advice once, the unresolved one (3 candidates) once
    assert [len(g.clips) for g in groups] == [cap - 2, 2]
    assert shown[0].clip == (items[0].clip.media_name or items[0].clip.name)
    more = linking._more(items[cap:], fmt)
    rest = items[cap:]
    assert fmt.number(len(rest), 0) in more
    assert fmt.number(sum(i.seconds for i in rest), 1) in more
    assert "audit.json" in more
    assert linking._more([], fmt) == ""


def _source002(media: str) -> Finding:
    """SOURCE002 for a clip of the reel, worded as the rule words it (audit/rights/clearance.py)."""
    return finding(
        "SOURCE002",
        N_(
            "%(media)s is in the cut, no generation explains it, and rights/sources.csv "
            "has no licence record for it."
        ),
        fix=N_("Add it to rights/sources.csv with its licence."),
        params={"media": media},
        evidence=[media],
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_one_rule_on_every_clip_prints_a_few_cards_and_counts_the_rest(
    items: list[Unexplained], lang: str
) -> None:
    """One SOURCE002 per clip of the reel: MAX_CARDS_PER_RULE cards, the last saying how many
    more; the severity's heading counts them all; another rule's cards are all printed."""
    found = [_source002(item.shot_id) for item in items]
    other = finding(
        "SOURCE001", N_("%(media)s"), fix=N_("x"), params={"media": "m"}, severity="warning"
    )
    run = SimpleNamespace(findings=[*found[:3], other, *found[3:]])
    (group,) = _findings(run, Formatter(lang))  # type: ignore[arg-type]
    cap = MAX_CARDS_PER_RULE
    assert group.count == len(found) + 1
    assert [card.code for card in group.findings] == ["SOURCE002"] * cap + ["SOURCE001"]
    assert [bool(card.more) for card in group.findings] == [False] * (cap - 1) + [True, False]
    more = group.findings[cap - 1].more
    assert Formatter(lang).number(len(found) - cap, 0) in more
    assert "SOURCE002" in more
    assert "findings.csv" in more

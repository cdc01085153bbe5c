"""Shot-id normalisation, media names and prompt keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.link.names import (
    basename,
    id_candidates,
    normalise_prompt,
    searched_shot_id,
    sequence_of,
    shot_id_in,
    stem,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sc01_sh020_anim.mov", "SC01_SH020"),
        ("SC01_SH010", "SC01_SH010"),
        ("SC01_SH010-t03", "SC01_SH010"),
        ("sq001_s001", "SC01_SH001"),
        ("SEQ2_P040.mov", "SC02_SH040"),
        ("Scene 3 Shot 12", "SC03_SH012"),
        ("sc01_master_layerA_sh030_temp.mov", "SC01_SH030"),
        ("SC02_SH030_wan_00001.mp4", "SC02_SH030"),
        ("sh20_v2", "SH020"),
        ("sc1_sh1234", "SC01_SH1234"),
        ("IMG_0715", None),
        ("test_title", None),
        ("stock_vagues_0412.mov", None),
        ("disc01_take3", None),
        ("", None),
        (None, None),
    ],
)
def test_shot_id_in(text: str | None, expected: str | None) -> None:
    assert shot_id_in(text) == expected


def test_sequence_of() -> None:
    assert sequence_of("SC01_SH020") == "SC01"
    assert sequence_of("SH020") is None
    assert sequence_of("IMG_0715") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("file://localhost/D%3a/media/sc01_sh020_anim.mov", "sc01_sh020_anim.mov"),
        ("S:\\path\\to\\ZZ100_501.take_1.0001.exr", "ZZ100_501.take_1.0001.exr"),
        ("file:///Volumes/MAREE/rendus/SC01_SH010_kling_a%20b.mp4", "SC01_SH010_kling_a b.mp4"),
        ("https://cdn.midjourney.com/0b1c/0_2.png?sig=a/b", "0_2.png"),
        ("media/x.mov", "x.mov"),
        ("", None),
        (None, None),
    ],
)
def test_basename(url: str | None, expected: str | None) -> None:
    assert basename(url) == expected


def test_stem() -> None:
    assert stem("suno_abc.mp3") == "suno_abc"
    assert stem("ZZ100_501.take_1.0001.exr") == "ZZ100_501.take_1.0001"
    assert stem("no_extension") == "no_extension"


def test_id_candidates_hold_every_embedded_id() -> None:
    found = id_candidates("marebasse_phare_0b1c2d3e-aaaa-bbbb-cccc-0123456789ab_2.png")
    assert "0b1c2d3e-aaaa-bbbb-cccc-0123456789ab" in found
    assert "marebasse" in found
    assert len(id_candidates("a_b_c")) == 6  # a, a_b, a_b_c, b, b_c, c


def test_normalise_prompt() -> None:
    one = normalise_prompt("A lighthouse at dusk --ar 16:9 --v 7 --seed 123 --sref https://x/y.png")
    two = normalise_prompt("a  lighthouse at DUSK  --seed 9 --ar 16:9")
    assert one == two == "a lighthouse at dusk"
    assert normalise_prompt("a well-lit room --tile --no text") == "a well-lit room"
    assert normalise_prompt("  --ar 16:9 ") is None
    assert normalise_prompt(None) is None


# Tags written as ids with a take, as the 1M benchmark's generator writes them ("SC06_SH450-t14"),
# and near misses: other digits (Arabic-Indic), case, separators, lengths, suffixes.
_TAG_PARTS = st.sampled_from(
    ["SC", "sc", "SQ", "SH", "sh", "_", "-", "-t", "t", "0", "6", "45", "٠٦", "x", ".mov"]
)


@given(st.lists(_TAG_PARTS, max_size=12).map("".join))
def test_shot_id_of_a_written_id_is_what_the_search_finds(text: str) -> None:
    """The shortcut for text already written as an id gives what the search gives, for any text."""
    assert shot_id_in(text) == (searched_shot_id(text) if text else None)


@pytest.mark.parametrize(
    "text", ["SC06_SH450", "SC06_SH450-t14", "SC00_SH000-t1", "SC99_SH999-t9999"]
)
def test_written_ids_keep_their_first_ten_characters(text: str) -> None:
    assert shot_id_in(text) == searched_shot_id(text) == text[:10]

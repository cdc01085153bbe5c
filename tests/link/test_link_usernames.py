"""Join keys on the names users give takes (issue 15), parent links through a platform id in an
input's path, and the use status of every generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.link.linker import link
from audit.link.usernames import file_name_key, names_a_take, prompt_shot, tag_name, take_key
from tests.link.conftest import MakeGen
from tests.link.test_link_linker import clip, cut


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SC01_SH010_take1", "SC01_SH010#1"),
        ("sc01_sh010-t03.mp4", "SC01_SH010#3"),
        ("SEQ2_P040_tk_02", "SC02_SH040#2"),
        ("SC01_SH010", None),
        ("SC01_SH010_grade_v2.mov", None),
        ("take1", None),
    ],
)
def test_take_key(text: str, expected: str | None) -> None:
    assert take_key(text) == expected


def test_names_that_are_only_a_shot_name_no_take() -> None:
    assert not names_a_take("sc01_sh010")
    assert names_a_take("sc01_sh010_take1")
    assert tag_name("SC01_SH010") is None
    assert tag_name(" SC01_SH010_take1 ") == "sc01_sh010_take1"
    # a ComfyUI output: prefix, counter and the trailing separator ComfyUI adds
    assert file_name_key("out/SC02_SH030_00001_.png") == "sc02_sh030_00001"
    assert file_name_key("SC02_SH030.mov") is None


def test_prompt_shot_only_from_an_id_written_as_an_id() -> None:
    assert prompt_shot("SC03_SH010: waves on black rocks") == "SC03_SH010"
    assert prompt_shot("a wide shot 4k of scene 2 with a sky") is None
    assert prompt_shot("SC03_SH010 then SC03_SH020") is None


def _takes(make_gen: MakeGen, shot: str, tag: str = "{shot}_take{n}") -> list:
    return [
        make_gen(
            f"kling:85004003450822{n}",
            modality="video",
            shot_tag=tag.format(shot=shot, n=n),
            status="failed" if n == 2 else "succeeded",
            outputs=[] if n == 2 else [f"https://cdn.kling.example/v/{shot}{n}x.mp4"],
            inputs=[
                (
                    f"https://s.example/mj/user_prompt_1b7ff047-1b4d-4c87-845e-bc8ac45e7df{n}_0.png",
                    "image",
                )
            ],
        )
        for n in (1, 2, 3)
    ]


def test_clip_named_like_a_take_keeps_it(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = _takes(make_gen, "SC01_SH010")
    result = link(gens, cut(clip("SC01_SH010_take3.mp4", None, 0, 4)), tmp_path)
    (shot,) = result.shots
    assert shot.kept_ids == ("kling:850040034508223",)
    assert shot.join_keys == ("user_name",)
    assert not shot.unresolved


def test_take_number_joins_differently_written_names(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = _takes(make_gen, "SC01_SH010", tag="{shot}-t0{n}")
    result = link(gens, cut(clip("SC01_SH010_take1.mp4", None, 0, 4)), tmp_path)
    assert result.shots[0].kept_ids == ("kling:850040034508221",)


def test_a_failed_take_is_never_kept(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = _takes(make_gen, "SC01_SH010")
    result = link(gens, cut(clip("SC01_SH010_take2.mp4", None, 0, 4)), tmp_path)
    (shot,) = result.shots
    assert shot.kept_ids == ()
    assert shot.unresolved
    use = result.use_by_id()
    assert use["kling:850040034508221"] == "possibly_in_film"
    assert use["kling:850040034508222"] == "not_in_film"  # failed: made no media


def test_clip_named_after_the_shot_only_is_unresolved(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = _takes(make_gen, "SC01_SH010", tag="{shot}")
    result = link(gens, cut(clip("SC01_SH010.mov", None, 0, 4)), tmp_path)
    (shot,) = result.shots
    assert shot.kept_ids == ()
    assert shot.unresolved
    assert len(shot.attempt_ids) == 3


def test_platform_id_in_an_input_path_makes_a_parent(make_gen: MakeGen, tmp_path: Path) -> None:
    still = make_gen(
        "midjourney:1b7ff047-1b4d-4c87-845e-bc8ac45e7df1",
        outputs=["https://cdn.midjourney.com/1b7ff047-1b4d-4c87-845e-bc8ac45e7df1/0_0.png"],
        inputs=[("https://s.example/refs/actor.jpg", "cref")],
    )
    gens = [still, *_takes(make_gen, "SC01_SH010")]
    result = link(gens, cut(clip("SC01_SH010_take1.mp4", None, 0, 4)), tmp_path)
    (shot,) = result.shots
    assert shot.ancestor_ids == (still.id,)
    assert result.use_by_id()[still.id] == "in_film"
    assert any(uri.endswith("e7df1_0.png") for uri in result.generated_inputs)


def test_sound_without_audio_track_is_possibly_in_the_film(
    make_gen: MakeGen, tmp_path: Path
) -> None:
    music = make_gen("suno:9583dfb4-8f44-43c7-9837-fae34bdccbf9", modality="music")
    failed = make_gen("suno:9583dfb4-8f44-43c7-9837-fae34bdccbf0", modality="music",
                      status="failed")  # fmt: skip
    gens = [music, failed, *_takes(make_gen, "SC01_SH010")]
    result = link(gens, cut(clip("SC01_SH010_take1.mp4", None, 0, 4)), tmp_path)
    use = result.use_by_id()
    assert use[music.id] == "possibly_in_film"
    assert use[failed.id] == "not_in_film"
    assert result.audio_unchecked


def test_unexplained_sound_clip_leaves_unlinked_sound_possibly_in_the_film(
    make_gen: MakeGen, tmp_path: Path
) -> None:
    music = make_gen("suno:9583dfb4-8f44-43c7-9837-fae34bdccbf9", modality="music")
    clips = (clip("SC01_SH010_take1.mp4", None, 0, 4), clip("mix_v3.wav", None, 0, 4, "audio"))
    result = link([music, *_takes(make_gen, "SC01_SH010")], cut(*clips), tmp_path)
    assert not result.audio_unchecked
    assert result.use_by_id()[music.id] == "possibly_in_film"


def test_a_prompt_written_shot_names_the_sora_clip(make_gen: MakeGen, tmp_path: Path) -> None:
    sora = make_gen(
        "openai:video_68d7512d07848190b3e45da0ecbebcde004da08e1e0678d5",
        modality="video",
        prompt="SC03 SH010 — waves on black rocks",
        outputs=["video_68d7512d07848190b3e45da0ecbebcde004da08e1e0678d5.mp4"],
    )
    media = "video_68d7512d07848190b3e45da0ecbebcde004da08e1e0678d5.mp4"
    result = link([sora], cut(clip(media, media, 0, 4)), tmp_path)
    (shot,) = result.shots
    assert (shot.shot_id, shot.sequence, shot.kept_ids) == ("SC03_SH010", "SC03", (sora.id,))
    assert any("shot SC03_SH010 from the tag of its kept generation" in w for w in result.warnings)

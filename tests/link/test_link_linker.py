"""Joining synthetic generations to a synthetic cut: keys, lineage, siblings, sharing, leftovers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from audit.base.models import Generation
from audit.link.linker import link
from audit.link.model import Clip, ClipKind, Shot, Timeline
from audit.link.names import shot_id_in
from audit.link.result import LinkResult

MakeGen = Callable[..., Generation]
MJ = "https://cdn.midjourney.com"
MG = "https://cdn.magnific.example"


def clip(
    name: str, media: str | None, at: float, length: float, kind: ClipKind = "picture"
) -> Clip:
    return Clip(
        name=name,
        media_name=media,
        media_url=f"file:///Volumes/MAREE/{media}" if media else None,
        kind=kind,
        track=1,
        record_in_s=at,
        duration_s=length,
        shot_id=shot_id_in(name) or name,
    )


def cut(*clips: Clip) -> Timeline:
    groups: dict[str, list[Clip]] = defaultdict(list)
    for item in clips:
        if item.kind == "picture":
            groups[item.shot_id].append(item)
    shots = [
        Shot(
            sid,
            sid[:4] if "_SH" in sid else None,
            "picture",
            members[0].record_in_s,
            sum(c.duration_s for c in members),
            tuple(members),
        )
        for sid, members in groups.items()
    ]
    audio = [c for c in clips if c.kind == "audio"]
    end = max(c.record_out_s for c in clips if c.kind == "picture")
    return Timeline("timeline/cut.xml", "cut", 25.0, "fcp_xml", end, shots, audio, "")


def by_gen(result: LinkResult) -> dict[str, list[tuple[str, str, float]]]:
    out: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for alloc in result.allocations:
        out[alloc.generation_id].append((alloc.shot_id, alloc.role, alloc.weight))
    return dict(out)


def three_platform_chain(make_gen: MakeGen, tag: str, n: str) -> list[Generation]:
    """Midjourney grid → upscale → Magnific → Kling for one shot, with the usual discards."""
    grid, up, up2 = f"{n}0000000-grid", f"{n}0000000-up01", f"{n}0000000-up02"
    prompt = f"the keeper climbs the stairs, take {n}"
    kept_image = f"{MJ}/{up}/0_0.png"
    return [
        make_gen(
            f"midjourney:{grid}",
            prompt=f"{prompt} --ar 16:9 --v 7 --seed 1",
            outputs_count=4,
            outputs=[f"{MJ}/{grid}/0_{i}.png" for i in range(4)],
        ),
        make_gen(
            f"midjourney:{n}0000000-reroll",
            prompt=f"{prompt} --ar 16:9 --seed 2",
            outputs_count=4,
            outputs=[f"{MJ}/{n}0000000-reroll/0_{i}.png" for i in range(4)],
        ),
        make_gen(
            f"midjourney:{up}",
            modality="upscale",
            parents=[f"midjourney:{grid}"],
            outputs=[kept_image],
        ),
        make_gen(
            f"midjourney:{up2}",
            modality="upscale",
            parents=[f"midjourney:{grid}"],
            outputs=[f"{MJ}/{up2}/0_0.png"],
        ),
        make_gen(
            f"magnific:{n}mag00001",
            modality="upscale",
            inputs=[(kept_image, "image")],
            outputs=[f"{MG}/{n}mag00001.png"],
        ),
        make_gen(
            f"magnific:{n}mag00002",
            modality="upscale",
            inputs=[(kept_image, "image")],
            outputs=[f"{MG}/{n}mag00002.png"],
        ),
        make_gen(
            f"kling:{n}KT0000001",
            modality="video",
            shot_tag=f"{tag}-t01",
            inputs=[(f"{MG}/{n}mag00001.png", "image")],
            outputs=[f"https://kling.example/{n}KT0000001.mp4"],
        ),
        make_gen(
            f"kling:{n}KT0000002",
            modality="video",
            shot_tag=f"{tag}-t02",
            status="failed",
            inputs=[(f"{MG}/{n}mag00001.png", "image")],
        ),
    ]


def test_chain_across_three_platforms(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = three_platform_chain(make_gen, "SC01_SH010", "a")
    result = link(gens, cut(clip("SC01_SH010", "SC01_SH010_kling_aKT0000001.mp4", 0, 5)), tmp_path)
    (shot,) = result.shots
    assert shot.kept_ids == ("kling:aKT0000001",)
    assert shot.ancestor_ids == (
        "magnific:amag00001",
        "midjourney:a0000000-grid",
        "midjourney:a0000000-up01",
    )
    assert shot.attempt_ids == (
        "kling:aKT0000002",  # same shot tag, same input (failed takes count)
        "magnific:amag00002",  # another run on the kept upscale
        "midjourney:a0000000-reroll",  # same prompt, other seed
        "midjourney:a0000000-up02",  # another upscale of the kept grid
    )
    assert shot.platforms == ("kling", "magnific", "midjourney")
    assert shot.join_keys == ("platform_id",)
    assert (shot.sequence, shot.duration_s, shot.clip_names) == ("SC01", 5, ("SC01_SH010",))
    assert all(weight == 1.0 for rows in by_gen(result).values() for _, _, weight in rows)
    flags = {g.id: (g.shot_id, g.kept) for g in result.objects(np.arange(len(result.table)))}
    assert flags["midjourney:a0000000-grid"] == ("SC01_SH010", True)
    assert flags["kling:aKT0000002"] == ("SC01_SH010", False)
    assert result.not_in_cut == []
    assert result.warnings == []
    assert result.unexplained_clips == []
    summary = result.summary()
    assert (summary.generations, summary.in_cut, summary.attempts, summary.not_in_cut) == (
        8,
        4,
        4,
        0,
    )
    assert (summary.outputs, summary.outputs_in_cut) == (14, 7)
    assert summary.share_in_cut == pytest.approx(0.5)


def test_a_generation_feeding_two_shots_is_split(make_gen: MakeGen, tmp_path: Path) -> None:
    grid = "midjourney:b0000000-grid"
    gens = [
        make_gen(grid, prompt="two views of the lighthouse", outputs=[f"{MJ}/grid/0_0.png"]),
        make_gen("midjourney:b0000000-up-a", parents=[grid], outputs=[f"{MJ}/up-a/0_0.png"]),
        make_gen("midjourney:b0000000-up-b", parents=[grid], outputs=[f"{MJ}/up-b/0_0.png"]),
        make_gen("midjourney:b0000000-up-c", parents=[grid], outputs=[f"{MJ}/up-c/0_0.png"]),
        make_gen("kling:bKT000000A", modality="video", inputs=[(f"{MJ}/up-a/0_0.png", "image")]),
        make_gen("kling:bKT000000B", modality="video", inputs=[(f"{MJ}/up-b/0_0.png", "image")]),
    ]
    timeline = cut(
        clip("SC02_SH010", "SC02_SH010_kling_bKT000000A.mp4", 0, 3),
        clip("SC02_SH020", "SC02_SH020_kling_bKT000000B.mp4", 3, 4),
    )
    allocated = by_gen(link(gens, timeline, tmp_path))
    assert allocated[grid] == [("SC02_SH010", "ancestor", 0.5), ("SC02_SH020", "ancestor", 0.5)]
    # up-a is a sibling attempt of SC02_SH020 too, but its kept-chain role wins
    assert allocated["midjourney:b0000000-up-a"] == [("SC02_SH010", "ancestor", 1.0)]
    assert allocated["midjourney:b0000000-up-c"] == [
        ("SC02_SH010", "attempt", 0.5),
        ("SC02_SH020", "attempt", 0.5),
    ]
    assert allocated["kling:bKT000000B"] == [("SC02_SH020", "kept", 1.0)]
    for rows in allocated.values():
        assert sum(weight for _, _, weight in rows) == pytest.approx(1.0)


def test_shared_inputs_but_not_shared_references(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = [
        make_gen(
            "runway:c-task-kept",
            modality="video",
            prompt="the keeper turns",
            inputs=[("uploads/keeper.jpg", "image"), ("refs/face.png", "cref")],
        ),
        make_gen(
            "runway:c-task-other",
            modality="video",
            prompt="the keeper looks at the sea",
            inputs=[("uploads/keeper.jpg", "image")],
        ),
        make_gen(
            "runway:c-task-elsewhere",
            modality="video",
            prompt="gulls over the pier",
            inputs=[("uploads/pier.jpg", "image"), ("refs/face.png", "cref")],
        ),
    ]
    result = link(
        gens, cut(clip("SC03_SH010", "SC03_SH010_runway_c-task-kept.mp4", 0, 2)), tmp_path
    )
    assert result.shots[0].attempt_ids == ("runway:c-task-other",)
    assert result.not_in_cut == ["runway:c-task-elsewhere"]


def test_cycle_warns_and_terminates(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = [
        make_gen("kling:dKT0000001", modality="video", parents=["kling:dKT0000002"]),
        make_gen("kling:dKT0000002", modality="video", parents=["kling:dKT0000001"]),
    ]
    result = link(gens, cut(clip("SC04_SH010", "SC04_SH010_kling_dKT0000001.mp4", 0, 2)), tmp_path)
    assert result.warnings == [
        "lineage cycle: kling:dKT0000001 → kling:dKT0000002 → kling:dKT0000001 (child → parent); "
        "each generation is counted once"
    ]
    assert by_gen(result) == {
        "kling:dKT0000001": [("SC04_SH010", "kept", 1.0)],
        "kling:dKT0000002": [("SC04_SH010", "ancestor", 1.0)],
    }


def test_missing_parent_warns(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = [make_gen("kling:eKT0000001", modality="video", parents=["midjourney:ffff-missing"])]
    result = link(gens, cut(clip("SC04_SH020", "SC04_SH020_kling_eKT0000001.mp4", 0, 2)), tmp_path)
    assert result.warnings == [
        "lineage: kling:eKT0000001 (logs/test.json:/0) names parent 'midjourney:ffff-missing', "
        "which was not ingested; its ancestry stops there"
    ]
    assert result.shots[0].kept_ids == ("kling:eKT0000001",)


def test_audio_cues_stock_orphans_and_stray_tags(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = [
        make_gen("kling:fKT0000001", modality="video", outputs=["https://k/fKT0000001.mp4"]),
        make_gen("comfyui:prompt-0001", modality="video", outputs=["SC02_SH030_wan_00001.mp4"]),
        make_gen(
            "suno:11111111-kept",
            modality="music",
            prompt="sea shanty, slow",
            outputs=["https://cdn1.suno.ai/11111111-kept.mp3"],
        ),
        make_gen("suno:11111111-twin", modality="music", prompt="Sea shanty, slow"),
        make_gen("elevenlabs:HIST00000001", modality="speech", prompt="Le phare s'éteint."),
        make_gen("suno:99999999-orphan", modality="music", prompt="techno"),
        make_gen("kling:zzKT0000099", modality="video", shot_tag="SC09_SH990-t01"),
        make_gen("kling:gKT0000001", modality="video", shot_tag="SC07_SH010-t01"),
    ]
    timeline = cut(
        clip("SC01_SH010", "SC01_SH010_kling_fKT0000001.mp4", 0, 5),
        clip("SC02_SH030", "SC02_SH030_wan_00001.mp4", 5, 3),
        clip("stock_vagues_0412.mov", "stock_vagues_0412.mov", 8, 2),
        clip("SC07_SH010", "SC07_SH010_final_v3.mov", 10, 2),
        clip("SC01_SH010", "SC01_SH010_kling_fKT0000001.mp4", 0, 5, "audio"),  # sync sound
        clip("suno_11111111-kept.mp3", "suno_11111111-kept.mp3", 0, 6, "audio"),
        clip("suno_11111111-kept.mp3", "suno_11111111-kept.mp3", 7, 5, "audio"),
        clip("elevenlabs_HIST00000001.mp3", "elevenlabs_HIST00000001.mp3", 2, 1.5, "audio"),
    )
    result = link(gens, timeline, tmp_path)
    shots = {s.shot_id: (s.kept_ids, s.join_keys) for s in result.shots}
    assert shots == {
        "SC01_SH010": (("kling:fKT0000001",), ("platform_id",)),
        "SC02_SH030": (("comfyui:prompt-0001",), ("file_name",)),
        "stock_vagues_0412.mov": ((), ()),
        "SC07_SH010": ((), ()),
    }
    cues = {c.shot_id: (c.kind, c.duration_s, c.kept_ids, c.attempt_ids) for c in result.audio}
    assert cues == {
        "cue:suno_11111111-kept": ("audio", 11.0, ("suno:11111111-kept",), ("suno:11111111-twin",)),
        "cue:elevenlabs_HIST00000001": ("audio", 1.5, ("elevenlabs:HIST00000001",), ()),
    }
    assert [c.name for c in result.unexplained_clips] == ["stock_vagues_0412.mov", "SC07_SH010"]
    assert result.not_in_cut == ["kling:zzKT0000099", "suno:99999999-orphan"]
    orphan = next(
        g for g in result.objects(np.arange(len(result.table))) if g.id == "suno:99999999-orphan"
    )
    assert (orphan.shot_id, orphan.kept) == (None, False)
    assert result.warnings == [
        "SC07_SH010: 1 generation(s) tagged or related, but none made the media of its clips "
        "(SC07_SH010); unresolved: they are its candidates",
        "1 generation(s) tagged 'SC09_SH990', which is not a shot of the cut; they are listed as "
        "not in the final cut",
    ]


def test_content_hash_of_local_media(make_gen: MakeGen, tmp_path: Path) -> None:
    import hashlib

    body = b"\x00\x01 rendered frames"
    for rel in ("media/SC05_SH010_final.mov", "downloads/veo_clip_77.mp4", "logs/other.mp4"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(body)
    gens = [
        make_gen("veo:operations-xyz", modality="video", outputs=["https://g/veo_clip_77.mp4"]),
        make_gen(
            "runway:task-sha-0001",
            modality="video",
            attributes={"sha256": hashlib.sha256(body).hexdigest()},
        ),
        make_gen("veo:decoy-operation", modality="video", outputs=["https://g/other.mp4"]),
    ]
    result = link(gens, cut(clip("SC05_SH010", "SC05_SH010_final.mov", 0, 4)), tmp_path)
    assert result.shots[0].kept_ids == ("runway:task-sha-0001", "veo:operations-xyz")
    assert result.shots[0].join_keys == ("content_hash",)
    assert result.not_in_cut == ["veo:decoy-operation"]  # logs/ is not searched


def test_c2pa_instance_id(make_gen: MakeGen, tmp_path: Path) -> None:
    gens = [make_gen("firefly:gen-c2pa-0001", attributes={"c2pa_instance_id": "xmp:iid:AB12"})]
    timeline = cut(clip("SC06_SH010", "SC06_SH010_grade.mov", 0, 4))
    result = link(gens, timeline, tmp_path, instance_ids={"SC06_SH010_grade.mov": "xmp:iid:AB12"})
    assert (result.shots[0].kept_ids, result.shots[0].join_keys) == (
        ("firefly:gen-c2pa-0001",),
        ("c2pa_instance_id",),
    )
    assert link(gens, timeline, tmp_path).not_in_cut == ["firefly:gen-c2pa-0001"]


def test_many_shots_link_in_linear_time(make_gen: MakeGen, tmp_path: Path) -> None:
    """1,500 shots × 12 generations: every shot finds its take, in well under a second per 1,000."""
    import time

    gens: list[Generation] = []
    clips: list[Clip] = []
    for s in range(1500):
        tag = f"SC{s // 100 + 1:02d}_SH{s % 100 * 10 + 10:03d}"
        source = f"https://img/{s}.png"
        gens.append(make_gen(f"midjourney:{s:08d}-grid", prompt=f"shot {s}", outputs=[source]))
        gens += [
            make_gen(
                f"kling:{s:08d}-t{t:02d}",
                modality="video",
                shot_tag=f"{tag}-t{t:02d}",
                inputs=[(source, "image")],
            )
            for t in range(11)
        ]
        clips.append(clip(tag, f"{tag}_kling_{s:08d}-t03.mp4", s * 2.0, 2.0))
    started = time.perf_counter()
    result = link(gens, cut(*clips), tmp_path)
    elapsed = time.perf_counter() - started
    assert len(result.shots) == 1500
    assert all(len(s.kept_ids) == 1 and len(s.attempt_ids) == 10 for s in result.shots)
    assert len(result.allocations) == 18000
    assert elapsed < 20

"""The bundled example production, "Le Dernier Phare": its cut reads and every shot links."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from audit.base.production import load_production
from audit.base.resources import example_dir
from audit.link.linker import link
from audit.link.timeline import read_timeline

SHOTS = [
    *(f"SC01_SH0{n}0" for n in range(1, 5)),
    "stock_vagues_0412.mov",
    *(f"SC02_SH0{n}0" for n in range(1, 5)),
    *(f"SC03_SH0{n}0" for n in range(1, 6)),
]


@pytest.fixture(scope="module")
def example() -> Path:
    folder = example_dir()
    if not (folder / "timeline").is_dir():
        pytest.skip(f"example production not generated yet at {folder}")
    return folder


def test_example_cut_reads(example: Path) -> None:
    timeline = read_timeline(example, load_production(example))
    assert (timeline.path, timeline.adapter, timeline.rate) == (
        "timeline/le-dernier-phare.xml",
        "fcp_xml",
        25,
    )
    assert timeline.name == "Le Dernier Phare — V3 final"
    assert [s.shot_id for s in timeline.shots] == SHOTS
    assert timeline.duration_s == pytest.approx(90.0)
    assert sum(s.duration_s for s in timeline.shots) == pytest.approx(90.0)
    assert timeline.gap_s == pytest.approx(0.0)
    stock = timeline.shots[4]
    assert (stock.duration_s, stock.clips[0].media_name) == (2.0, "stock_vagues_0412.mov")
    assert next(s for s in timeline.shots if s.shot_id == "SC02_SH030").clips[0].media_name == (
        "SC02_SH030_wan_00001.mp4"
    )
    tracks = sorted({(c.track, c.media_name.split("_")[0]) for c in timeline.audio if c.media_name})
    assert tracks == [(1, "suno"), (2, "elevenlabs")]


def test_example_links_every_generated_shot(example: Path) -> None:
    from audit.ingest.walk import ingest_folder

    generations = ingest_folder(example).generations
    result = link(generations, read_timeline(example, load_production(example)), example)
    kept = {s.shot_id: s.kept_ids for s in result.shots}
    assert [s for s, ids in kept.items() if len(ids) != 1] == ["stock_vagues_0412.mov"]
    assert {ids[0].split(":")[0] for ids in kept.values() if ids} == {"kling", "comfyui"}
    for shot in result.shots:
        if shot.kept_ids and shot.kept_ids[0].startswith("kling:"):
            assert shot.platforms == ("kling", "magnific", "midjourney")
            assert len(shot.ancestor_ids) == 3  # grid → upscale → Magnific
    assert [c.name for c in result.unexplained_clips] == ["stock_vagues_0412.mov"]
    cues = sorted(c.shot_id.split("_")[0] for c in result.audio if len(c.kept_ids) == 1)
    assert cues == ["cue:elevenlabs"] * 8 + ["cue:suno"]
    weights: dict[str, float] = defaultdict(float)
    for alloc in result.allocations:
        weights[alloc.generation_id] += alloc.weight
    assert all(w == pytest.approx(1.0) for w in weights.values())
    assert len(weights) + len(result.not_in_cut) == len(generations)
    assert result.warnings == []

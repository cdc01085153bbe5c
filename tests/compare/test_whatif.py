"""What-if: each changed assumption moves the figures the expected way; the kept chain stays."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from audit.base.errors import ConfigError
from audit.base.gentable import from_generations
from audit.base.models import Generation, Modality
from audit.estimate.footprint import estimate_generations, registry
from audit.ingest.registry import platforms
from audit.pipeline import AuditRun
from audit.tools.whatif import (
    KEPT_CHAIN,
    TARGETS,
    Changes,
    Delta,
    WhatIf,
    capped_sizes,
    changed_table,
    discarded_ids,
    parse_platforms,
    parse_ratio,
    parse_region,
    parse_resolution,
    remapped_columns,
    variant,
    whatif_document,
)
from estimators.ranges import Range

#: The example: 591 generations, 59 of them in the kept chain (22 kept, 37 ancestors).
GENERATIONS, CHAIN = 591, 59


def _gen(modality: str, width: int | None, height: int | None) -> Generation:
    return Generation(
        id="t:1", platform="kling", modality=Modality(modality), width=width, height=height,
        created_at=datetime(2026, 1, 1, tzinfo=UTC), source_file="x", source_locator="1",
        adapter="test",
    )  # fmt: skip


def chain(run: AuditRun) -> set[str]:
    return {a.generation_id for a in run.link.allocations if a.role in KEPT_CHAIN}


def test_example_counts(baseline: AuditRun) -> None:
    assert baseline.aggregates.generations == GENERATIONS
    assert len(chain(baseline)) == CHAIN
    assert len(discarded_ids(baseline.link)) == GENERATIONS - CHAIN


def test_region_changes_carbon_not_energy(baseline: AuditRun) -> None:
    changed, changes = variant(baseline, WhatIf(region="FRA"))
    assert set(changed.footprint.table["region"]) == {"FRA"}
    assert changes.region_platforms == [
        "comfyui", "elevenlabs", "kling", "magnific", "midjourney", "suno",
    ]  # fmt: skip
    base, var = baseline.aggregates.totals, changed.aggregates.totals
    assert var["energy_wh"] == base["energy_wh"]
    # France's grid is far lower-carbon than China's (Kling) and the US (Midjourney).
    assert var["carbon_g"].high < base["carbon_g"].low
    assert var["water_l"].central < base["water_l"].central
    assert baseline.aggregates.totals["carbon_g"] == base["carbon_g"]  # baseline untouched


def test_platform_remap_moves_every_kling_video(baseline: AuditRun) -> None:
    changed, changes = variant(baseline, WhatIf(platforms=(("kling", "veo"),)))
    assert changes.remapped == {"kling=veo": 97}
    plat = changed.aggregates.by_platform.set_index("platform")
    assert "kling" not in plat.index
    assert int(plat.loc["google", "generations"]) == 97
    table = changed.footprint.table
    google = table[table["platform"] == "google"]
    # full runs by EcoLogits; the failed ones cost their elapsed time at a GPU's power (proxy)
    assert set(google.loc[google["run"] == "full", "estimate_status"]) == {"ecologits"}
    assert set(google.loc[google["run"] != "full", "estimate_status"]) == {"proxy"}
    assert set(table.loc[table["platform"] == "google", "model"]) == {"veo-3.1"}
    assert changed.aggregates.generations == GENERATIONS


def test_discard_ratio_half_keeps_half_of_each_platform_and_the_whole_chain(
    baseline: AuditRun,
) -> None:
    changed, changes = variant(baseline, WhatIf(discard_ratio=0.5))
    # Discarded by platform and modality: Midjourney images 350 → keep 175, Kling 85 → 43
    # (42.5 rounds up), ElevenLabs 56 → 28, Suno 23 → 12, Midjourney upscales 11 → 6,
    # Magnific 6 → 3, ComfyUI 1 → 1: 264 of 532 dropped.
    assert (changes.discarded, changes.removed) == (532, 264)
    assert changed.aggregates.generations == GENERATIONS - 264
    assert chain(changed) == chain(baseline)
    assert changed.aggregates.kept_outputs == baseline.aggregates.kept_outputs == 22
    kling = sorted(i for i in discarded_ids(baseline.link) if i.startswith("kling:"))
    kept = set(changed.footprint.table["id"]) - chain(baseline)
    assert sorted(i for i in kept if i.startswith("kling:")) == kling[:43]  # first by sorted id
    for quantity in ("energy_wh", "carbon_g", "water_l"):
        assert changed.aggregates.totals[quantity].central < (
            baseline.aggregates.totals[quantity].central
        )


def test_discard_ratio_bounds(baseline: AuditRun) -> None:
    none, _ = variant(baseline, WhatIf(discard_ratio=0.0))
    assert none.aggregates.generations == CHAIN
    every, changes = variant(baseline, WhatIf(discard_ratio=1.0))
    assert changes.removed == 0
    assert every.aggregates.totals == baseline.aggregates.totals


def test_resolution_cap_lowers_video_energy(baseline: AuditRun) -> None:
    changed, changes = variant(baseline, WhatIf(resolution="720p"))
    assert (changes.resized, changes.unknown_size) == (97, 0)  # 97 Kling clips at 1920×1080
    sizes = {
        (g.width, g.height)
        for g in changed.link.objects(np.arange(len(changed.link.table)))
        if g.platform == "kling"
    }
    assert sizes == {(1280, 720)}
    wan = [
        g
        for g in changed.link.objects(np.arange(len(changed.link.table)))
        if g.platform == "comfyui" and g.modality == "video"
    ]
    assert [(g.width, g.height) for g in wan] == [(832, 480)]  # already below the cap
    assert (
        changed.aggregates.totals["energy_wh"].high < baseline.aggregates.totals["energy_wh"].high
    )


@pytest.mark.parametrize(
    ("size", "cap", "expected"),
    [((1920, 1080), 720, (1280, 720)), ((1080, 1920), 720, (720, 1280)),
     ((1000, 700), 480, (686, 480)), ((832, 480), 720, (832, 480))],
)  # fmt: skip
def test_capped(size: tuple[int, int], cap: int, expected: tuple[int, int]) -> None:
    width, height, resized = capped_sizes(
        np.array([size[0]], float), np.array([size[1]], float), cap
    )
    assert (width[0], height[0]) == expected
    assert resized[0] == (size != expected)


def test_capped_leaves_images_and_unknown_sizes() -> None:
    """On columns: an image keeps its size, a video of unknown size is counted, not resized;
    the records built from the changed table carry the new sizes, the others stay as they were."""
    gens = [_gen("image", 4096, 4096), _gen("video", None, None), _gen("video", 1920, 1080)]
    gens = [gen.model_copy(update={"id": f"t:{k}"}) for k, gen in enumerate(gens)]
    changes = Changes()
    table = changed_table(from_generations(gens), WhatIf(resolution="720p"), changes)
    assert table.column("width").tolist()[0] == 4096
    assert (changes.resized, changes.unknown_size) == (1, 1)
    image, unknown, video = table.generations()
    assert image is gens[0]  # unchanged rows are the records themselves
    assert unknown.width is None
    assert (video.width, video.height) == (1280, 720)
    assert isinstance(video.width, int)
    assert gens[2].width == 1920  # the baseline's record is untouched


def test_remap_edits_columns_and_the_records_built_from_them() -> None:
    gens = [_gen("video", 1920, 1080), _gen("image", 1024, 1024)]
    gens = [gen.model_copy(update={"id": f"t:{k}"}) for k, gen in enumerate(gens)]
    changes = Changes()
    table = changed_table(from_generations(gens), WhatIf(platforms=(("kling", "veo"),)), changes)
    assert table.column("platform").tolist() == ["google", "kling"]
    assert table.column("model").tolist() == ["veo-3.1", None]
    assert (changes.remapped, changes.not_remapped) == ({"kling=veo": 1}, 1)
    video, image = table.generations()
    assert (video.platform, video.model, video.width) == ("google", "veo-3.1", 1920)
    assert image is gens[1]


@pytest.mark.parametrize(("key", "status"), [
    ("veo", "ecologits"), ("veo-fast", "ecologits"), ("kling", "ecologits"),
    ("sora", "ecologits"), ("runway", "ecologits"), ("wan-local", "modelled"),
    ("flux-local", "modelled"), ("sdxl-local", "modelled"), ("midjourney", "proxy"),
])  # fmt: skip
def test_every_target_is_covered(key: str, status: str, baseline: AuditRun) -> None:
    target = TARGETS[key]
    gen = _gen(target.modalities[0], 1280, 720).model_copy(
        update={"platform": target.platform, "model": target.model, "duration_s": 5.0}
    )
    table = estimate_generations([gen], baseline.production).table
    assert table.loc[0, "estimate_status"] == status


def test_delta_is_taken_at_equal_coefficients() -> None:
    delta = Delta("carbon_g", "totals", Range(10.0, 20.0, 30.0), Range(5.0, 8.0, 12.0))
    assert delta.change == Range(-18.0, -12.0, -5.0)
    assert delta.relative == pytest.approx(-0.6)
    assert delta.overlap  # 5 ≤ 30 and 10 ≤ 12


def test_overlap_rule() -> None:
    assert Range(1, 2, 3).overlaps(Range(3, 4, 5))  # touching counts as overlapping
    assert not Range(1, 2, 3).overlaps(Range(3.1, 4, 5))
    assert not Range(3.1, 4, 5).overlaps(Range(1, 2, 3))


def test_variant_document_names_its_assumptions(baseline: AuditRun) -> None:
    spec = WhatIf(region="FRA", platforms=(("kling", "veo"),), discard_ratio=0.5)
    changed, changes = variant(baseline, spec)
    doc = whatif_document(baseline, changed, spec, changes)
    assert doc["schema_version"] == "1.2"
    assert doc["whatif"]["description"] == "region=FRA; platform kling=veo; discard-ratio=0.5"
    assert doc["whatif"]["changes"]["removed_generations"] == 264
    # 97 Kling videos less the 42 discarded ones dropped
    assert doc["whatif"]["changes"]["remapped_generations"] == {"kling=veo": 55}
    assert doc["footprint"]["generations"] == GENERATIONS - 264
    assert doc["whatif"]["baseline"]["generations"] == GENERATIONS
    assert doc["production"]["compute_regions"]["google"] == "FRA"


def test_option_errors_are_one_line() -> None:
    reg = registry()
    with pytest.raises(ConfigError) as err:
        parse_region("xyz", reg)
    assert str(err.value).startswith("--region: no grid factors for this country (got 'xyz')")
    with pytest.raises(ConfigError) as err:
        parse_platforms(["kling=dalle"], reg)
    assert str(err.value) == (
        "--platform: unknown target (got 'kling=dalle'); allowed: flux-local, kling, midjourney, "
        "runway, sdxl-local, sora, veo, veo-fast, wan-local"
    )
    with pytest.raises(ConfigError, match=r"--platform: expected PLATFORM=TARGET"):
        parse_platforms(["veo"], reg)
    with pytest.raises(ConfigError, match=r"--discard-ratio: must be between 0 and 1 \(got 1.5\)"):
        parse_ratio(1.5)
    with pytest.raises(ConfigError, match=r"allowed: 1080p, 1440p, 2160p, 480p, 540p, 720p"):
        parse_resolution("8k")


def test_option_parsing_normalises() -> None:
    reg = registry()
    assert parse_region("fra", reg) == "FRA"
    assert parse_platforms(["KlingAI=veo", "midjourney=flux-local"], reg) == (
        ("kling", "veo"), ("midjourney", "flux-local"),
    )  # fmt: skip
    assert parse_resolution("4K") == "2160p"
    assert WhatIf().describe() == "no change"


def test_platform_named_by_the_registry_not_by_its_hosting_profile() -> None:
    """``--platform veo=kling`` remaps Veo's records (platform ``veo``, computed on Google's
    profile), not every Google model: the source is a platform of the registry."""
    reg = registry()
    assert parse_platforms(["Veo=kling", "gemini=sora"], reg) == (
        ("google", "sora"),
        ("veo", "kling"),
    )
    pairs = dict(parse_platforms(["veo=kling"], reg))
    changes = Changes()
    veo = _gen("video", 1280, 720).model_copy(update={"platform": "veo"})
    gemini = veo.model_copy(update={"platform": "gemini", "id": "t:2"})
    columns = remapped_columns(from_generations([veo, gemini]), pairs, changes)
    assert columns["platform"].tolist() == [TARGETS["kling"].platform, "gemini"]
    assert changes.remapped == {"veo=kling": 1}


def test_every_target_computes_on_a_registry_platform() -> None:
    reg = registry()
    for key, target in TARGETS.items():
        assert platforms().get(target.platform) is not None, key
        assert reg.platform_key(target.platform) is not None, key

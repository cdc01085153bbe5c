"""B3: 100,000 video and text generations through our estimators, against one EcoLogits call per
record. Ours is the estimate stage as the pipeline runs it: on the table of the generations (the
columns ingest hands on), rows grouped by signature, each distinct one estimated once and joined
back; making that table from objects is timed apart (``records_to_table_s``: ingest's work, not
the estimate's). The baseline calls ``video_impacts`` / ``llm_impacts`` for every record with the
same parameters. Both must give every record the same facility energy and embodied carbon."""

from __future__ import annotations

import math
import random
import time
from pathlib import Path
from typing import Any

from audit.base.models import Generation

SEED = 20261120
RECORDS = 100_000
#: Our side is timed this many times (EcoLogits caches cleared before each); the best counts.
REPEATS = 3
VIDEO = (
    ("kling", "kling-v2.6"),
    ("google", "veo-3.1"),
    ("runway", "gen-4.5"),
    ("sora", "sora-2-pro"),
)
TEXT = (("openai", "gpt-4o-mini"), ("openai", "gpt-4.1-mini"), ("mistral", "mistral-large-latest"))
SIZES = ((1280, 720), (1920, 1080))


def generations(count: int = RECORDS, seed: int = SEED) -> list[Generation]:
    """Seeded video (two thirds) and text generations, every one covered by EcoLogits."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        common = {"id": f"b3:{n:06d}", "created_at": "2026-06-01T12:00:00Z",
                  "source_file": "bench", "source_locator": str(n), "adapter": "bench"}  # fmt: skip
        if rng.random() < 2 / 3:
            platform, model = rng.choice(VIDEO)
            width, height = rng.choice(SIZES)
            fields = {"platform": platform, "model": model, "modality": "video", "width": width,
                      "height": height, "duration_s": rng.choice((4, 5, 8, 10)),
                      "outputs_count": rng.choice((1, 1, 1, 2)),
                      "attributes": {"with_audio": rng.random() < 0.5}}  # fmt: skip
        else:
            platform, model = rng.choice(TEXT)
            fields = {"platform": platform, "model": model, "modality": "text",
                      "tokens_in": rng.randrange(100, 4000), "tokens_out": rng.randrange(50, 2000, 10)}  # fmt: skip
        out.append(Generation.model_validate({**common, **fields}))
    return out


def _per_record(gen: Generation, production: Any, registry: Any) -> tuple[float, float]:
    """One EcoLogits call for one record: its facility energy (low, high), Wh."""
    from ecologits.estimations import video_impacts
    from ecologits.tracers.utils import llm_impacts
    from ecologits.utils.range_value import RangeValue

    from audit.estimate.footprint import signature
    from estimators.basis import resolve_region
    from estimators.video import ecologits_model

    sig = signature(gen, production)
    if gen.modality.value == "video":
        covered = ecologits_model(sig, registry)
        assert covered is not None, gen.model
        name, runs_on = covered
        profile = registry.platforms[runs_on]
        out = video_impacts(
            name, f"{gen.width}x{gen.height}", float(gen.duration_s or 0),
            with_audio=bool(gen.attributes["with_audio"]),
            datacenter_location=resolve_region(sig, profile, registry),
            datacenter_pue=RangeValue(min=profile.pue.low, max=profile.pue.high),
            datacenter_wue=RangeValue(min=profile.wue.low, max=profile.wue.high),
        )  # fmt: skip
    else:
        profile = registry.platform(gen.platform)
        region = resolve_region(sig, profile, registry)
        provider, model, tokens = profile.ecologits_provider, gen.model, gen.tokens_out
        if provider is None or model is None or tokens is None:
            raise ValueError(f"{gen.id}: not a text record EcoLogits covers")
        out = llm_impacts(provider, model, tokens, math.inf, region)
    n = gen.outputs_count
    assert out.energy is not None, gen.id
    value: Any = out.energy.value
    low, high = (value.min, value.max) if hasattr(value, "min") else (value, value)
    return float(low) * 1000 * n, float(high) * 1000 * n


def b3_estimation(_root: Path) -> dict[str, Any]:
    import numpy as np

    from audit.base.gentable import from_generations
    from audit.base.production import load_production
    from audit.base.resources import example_dir
    from audit.estimate.footprint import estimate_table, registry
    from estimators import ecologits_bridge

    gens = generations()
    production = load_production(example_dir())
    reg = registry()
    start = time.perf_counter()
    table = from_generations(gens)
    to_table_s = time.perf_counter() - start
    shot_ids, kept = np.full(len(gens), None, dtype=object), np.zeros(len(gens), dtype=bool)
    runs = []
    for _ in range(REPEATS):  # best of three, each from cold EcoLogits caches
        ecologits_bridge.video.cache_clear()
        ecologits_bridge.llm.cache_clear()
        start = time.perf_counter()
        footprint = estimate_table(table, shot_ids, kept, production, reg)
        runs.append(time.perf_counter() - start)
    ours_s = min(runs)
    start = time.perf_counter()
    baseline = [_per_record(gen, production, reg) for gen in gens]
    baseline_s = time.perf_counter() - start
    table = footprint.table
    ours = zip(table["energy_wh_low"], table["energy_wh_high"], strict=True)
    worst = max(
        abs(a - b) / b
        for (low, high), (b_low, b_high) in zip(ours, baseline, strict=True)
        for a, b in ((low, b_low), (high, b_high))
    )
    statuses = sorted(set(table["estimate_status"]))
    return {
        "records": len(gens),
        "signatures": len(footprint.by_signature),
        "ours_s": round(ours_s, 3),
        "ours_runs_s": [round(t, 3) for t in runs],
        "records_to_table_s": round(to_table_s, 3),
        "per_record_ecologits_s": round(baseline_s, 3),
        "speedup": round(baseline_s / ours_s, 1),
        "max_relative_difference": worst,
        "statuses": statuses,
        "wall_s": round(ours_s, 3),
    }

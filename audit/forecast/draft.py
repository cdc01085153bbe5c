"""Drafting a plan: ``empreinte plan DIR --from-timeline --recipe …`` and the commented plan that
``empreinte init`` writes. A draft fills only shot, platform, modality and attempts: every other cell
is left empty and takes its default when the forecast runs (see :mod:`audit.forecast.plan`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from audit.base.errors import ConfigError
from audit.base.production import load_production
from audit.forecast.plan import COLUMNS, parse_recipe
from audit.forecast.versus import platform_keys
from audit.link.shotscsv import read_shots_csv
from audit.link.timeline import read_timeline

#: The commented plan of ``empreinte init``: rows whose first cell starts with ``#`` are comments.
COMMENTS = (
    "# plan.csv: the generations you plan, before the first prompt (docs/production-folder.md).",
    "# One row per shot and step (shot_id empty: the whole film). Empty cells take a default:",
    "# your production's own history, else a published or stated practice (data/plan_defaults.yaml).",
    "# '-' in a cell: unknown on purpose. Draft rows from the cut: empreinte plan DIR --from-timeline",
    "# --recipe 'midjourney:image:40,magnific:upscale:2,kling:video:8'. Then: empreinte forecast DIR",
    "# Example: SC01_SH010 | midjourney | image | 40 attempts | 4 outputs; then kling | video | 8",
)


def _writer(buffer: io.StringIO) -> csv.DictWriter[str]:
    return csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")


def plan_template() -> str:
    """The commented, empty plan ``empreinte init`` writes."""
    buffer = io.StringIO()
    writer = _writer(buffer)
    writer.writeheader()
    for line in COMMENTS:
        writer.writerow({"shot_id": line})
    return buffer.getvalue()


def shot_list(folder: Path, storyboard: Path | None, rate: float | None) -> list[str]:
    """Shot ids in cut order: from the cut in ``timeline/``, or from a storyboard CSV."""
    production = load_production(folder)
    if storyboard is None:
        timeline = read_timeline(folder, production, rate=rate)
        shots = [s.shot_id for s in sorted(timeline.shots, key=lambda s: s.record_in_s)]
    else:
        if not storyboard.is_file():
            raise ConfigError("no such file", field="--shots", value=str(storyboard))
        placed, _, _ = read_shots_csv(
            storyboard, frame_rate=rate or production.frame_rate, display=storyboard.name
        )
        shots = [clip.shot_id or clip.name for clip, _ in placed]
    unique = list(dict.fromkeys(shots))
    if not unique:
        raise ConfigError(
            "no shot to plan", field="--from-timeline" if storyboard is None else "--shots"
        )
    return unique


def draft_plan(shots: list[str], recipe: str, source: str) -> str:
    """One row per shot and recipe step, with a comment naming where the shots came from."""
    steps = parse_recipe(recipe, platform_keys())
    buffer = io.StringIO()
    writer = _writer(buffer)
    writer.writeheader()
    writer.writerow(
        {
            "shot_id": f"# drafted from {source} with --recipe {recipe}; fill in what "
            "you know (model, size, duration, steps), then run the forecast"
        }
    )
    for shot in shots:
        for platform, modality, attempts in steps:
            writer.writerow(
                {
                    "shot_id": shot,
                    "platform": platform,
                    "modality": modality.value,
                    "attempts": attempts,
                }
            )
    return buffer.getvalue()

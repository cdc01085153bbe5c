"""Still images of the example: Midjourney grids and upscales, then Magnific creative upscales.

Midjourney records follow the web "recent jobs" JSON read by archivers and the PNG text chunks
of website downloads (research: platforms-and-rights.md §1.4); Magnific follows the Freepik API
request body and ``{data: {task_id, status, generated}}`` result (§1.12).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from _gen_common import (
    ACCOUNT,
    CREF_URL,
    SHOTS,
    SREF_URL,
    Chain,
    Shot,
    Writer,
    day,
    iso_z,
    mj_time,
)

MODIFIERS = (
    "overcast",
    "volumetric light",
    "muted teal and amber palette",
    "heavy film grain",
    "low angle",
    "shallow depth of field",
    "anamorphic lens",
    "soft haze",
    "wet stone textures",
)
GRID_SIZE_PX = (1456, 816)
UPSCALE_SIZE_PX = (2912, 1632)
MJ_USER_ID = "3f6c2a9e-5b1d-4e8a-9c07-2d4b6e8f1a35"
#: Magnific prompts: the shot's subject (first clause of its image prompt) plus one of these.
MAGNIFIC_STYLES = (
    "35mm film grain, natural sea light",
    "cinematic still, fine texture, soft contrast",
)
#: Shots whose Midjourney download also sits in logs/midjourney/png/ (kept upscale, or a grid).
PNG_SHOTS = {"SC01_SH010": "kept", "SC01_SH020": "grid", "SC03_SH030": "kept"}


def mj_output(job: dict[str, Any], index: int = 0) -> str:
    """The CDN URL of one output image of a Midjourney job."""
    return f"https://cdn.midjourney.com/{job['id']}/0_{index}.png"


def _versions(w: Writer, shot: Shot, n_grid: int) -> list[str]:
    """The prompt text of each grid: 0–2 short exploratory versions, then the final wording,
    rerolled until the end (rerolls differ only in their parameters)."""
    modifiers = w.rng.sample(MODIFIERS, 2)
    wordings = [", ".join([shot.image_prompt, *modifiers[:k]]) for k in range(3)]
    early = w.rng.randint(0, 2)
    texts: list[str] = []
    for version in range(early):
        texts += [wordings[version]] * w.rng.randint(2, 5)
    return texts + [wordings[early]] * (n_grid - len(texts))


def _command(w: Writer, shot: Shot, text: str, index: int, total: int) -> str:
    params = ["--ar 16:9", "--v 7"]
    if w.rng.random() < 0.4:
        params.append(f"--s {w.rng.choice((50, 100, 250, 400))}")
    if w.rng.random() < 0.5:
        params.append(f"--seed {w.rng.randrange(1, 4_294_967_295)}")
    if shot.cref and index >= total // 4:
        params.append(f"--cref {CREF_URL}")
    if index >= total // 3:
        params.append(f"--sref {SREF_URL}")
    return f"{text} {' '.join(params)}"


def _job(
    w: Writer, moment: datetime, command: str, kind: str, parent: dict[str, Any] | None = None
) -> dict[str, Any]:
    upscale = kind.startswith("upscaler")
    width, height = UPSCALE_SIZE_PX if upscale else GRID_SIZE_PX
    event = "upscale" if upscale else kind
    return {
        "id": w.uuid4(),
        "parent_grid": w.rng.randrange(4) if parent else None,
        "parent_id": parent["id"] if parent else None,
        "enqueue_time": mj_time(moment),
        "event_type": event,
        "full_command": command,
        "job_type": f"v7_{kind}",
        "batch_size": 1 if upscale else 4,
        "width": width,
        "height": height,
        "username": ACCOUNT,
        "user_id": MJ_USER_ID,
    }


def _shot_jobs(w: Writer, shot: Shot, start: datetime) -> list[dict[str, Any]]:
    """15–40 grids (mostly rerolls of the final wording), a few variations, 1–3 upscales; the
    last upscale is kept."""
    n_grid = w.rng.randint(15, 40)
    extra_ups = w.rng.sample(range(n_grid // 2, n_grid - 1), w.rng.randint(0, 2))
    upscaled = {*extra_ups, n_grid - 1}
    texts = _versions(w, shot, n_grid)
    jobs: list[dict[str, Any]] = []
    moment = start
    for index, text in enumerate(texts):
        moment = w.later(moment, 40, 540)
        grid = _job(w, moment, _command(w, shot, text, index, n_grid), "diffusion")
        jobs.append(grid)
        if w.rng.random() < 0.08:
            moment = w.later(moment, 30, 120)
            jobs.append(_job(w, moment, grid["full_command"], "variation", grid))
        if index in upscaled:
            moment = w.later(moment, 20, 90)
            kind = w.rng.choice(("upscaler_2x_subtle", "upscaler_2x_creative"))
            jobs.append(_job(w, moment, grid["full_command"], kind, grid))
    return jobs


def _png_name(job: dict[str, Any], index: int) -> str:
    words = re.findall(r"[a-z0-9]+", job["full_command"].lower())[:6]
    return f"{ACCOUNT}_{'_'.join(words)}_{job['id']}_{index}.png"


def _write_png(w: Writer, job: dict[str, Any], index: int) -> None:
    """The website download: saved a few minutes after the job ran."""
    description = f"{job['full_command']} Job ID: {job['id']}"
    ran = datetime.strptime(job["enqueue_time"], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
    w.png(
        f"logs/midjourney/png/{_png_name(job, index)}",
        {"Description": description, "Author": job["username"]},
        w.later(ran, 60, 900),
    )


def midjourney(w: Writer, chain: Chain) -> None:
    """Archive JSON per month (newest first, as the site lists them) and three PNG downloads."""
    all_jobs: list[dict[str, Any]] = []
    for number, shot in enumerate(SHOTS):
        if shot.tool != "kling":
            continue
        jobs = _shot_jobs(w, shot, w.later(day(7 + 8 * number, 9), 0, 3600))
        kept = [job for job in jobs if job["event_type"] == "upscale"][-1]
        chain.mj_upscale_url[shot.shot_id] = mj_output(kept)
        if PNG_SHOTS.get(shot.shot_id) == "kept":
            _write_png(w, kept, 0)
        elif shot.shot_id in PNG_SHOTS:
            grids = [job for job in jobs if job["event_type"] == "diffusion"]
            _write_png(w, grids[len(grids) // 2], 2)
        all_jobs.extend(jobs)
    for month in sorted({job["enqueue_time"][:7] for job in all_jobs}):
        rows = [job for job in all_jobs if job["enqueue_time"].startswith(month)]
        rows.sort(key=lambda job: job["enqueue_time"], reverse=True)
        w.json(f"logs/midjourney/archive-{month}.json", rows)
    chain.counts["midjourney"] = len(all_jobs)


def magnific(w: Writer, chain: Chain) -> None:
    """1–2 creative 4× upscales of each kept Midjourney upscale; the last one is kept."""
    requests: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    for number, shot in enumerate(SHOTS):
        if shot.tool != "kling":
            continue
        moment = w.later(day(10 + 8 * number, 14), 0, 5400)
        runs = w.rng.randint(1, 2)
        subject = shot.image_prompt.split(",")[0]
        for run in range(runs):
            kept = run == runs - 1
            task_id = w.uuid4()
            body = {
                "image": chain.mj_upscale_url[shot.shot_id],
                "scale_factor": "4x",
                "optimized_for": "films_n_photography",
                "creativity": 2 if kept else w.rng.choice((5, 7)),
                "hdr": 0 if kept else 3,
                "resemblance": 0 if kept else -3,
                "prompt": f"{subject}, {w.rng.choice(MAGNIFIC_STYLES)}",
            }
            width, height = UPSCALE_SIZE_PX
            requests.append(  # the user's script logs time and input size beside the body
                {"task_id": task_id, "created_at": iso_z(moment), "input_width": width,
                 "input_height": height, "request": body}
            )  # fmt: skip
            url = f"https://cdn.magnific.example/{task_id}.png"
            results.append(
                {"data": {"task_id": task_id, "status": "COMPLETED", "generated": [url]}}
            )
            if kept:
                chain.magnific_url[shot.shot_id] = url
            moment = w.later(moment, 300, 1500)
    w.jsonl("logs/magnific/requests.jsonl", requests)
    w.json("logs/magnific/results.json", results)
    chain.counts["magnific"] = len(requests)

"""Seeded generator of synthetic productions for the benchmarks.

``python -m bench.generate --records 1000000 --shots 1500 --out bench/work/b1`` writes a production
folder: ``production.yaml``, ``logs/generations.csv`` in Empreinte's canonical format (one row per
generation, eight platforms, every modality the estimators cover), ``timeline/shots.csv`` (one
kept take per shot, named after its platform id), and empty rights ledgers. Every shot has tagged
attempts, shared prompts and some lineage (videos made from an image of the same shot), so linking
does real work. The same seed always gives the same bytes; nothing reads the clock.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20261120
WORK = Path(__file__).resolve().parent / "work"
MARKER = "# Empreinte benchmark production (synthetic, bench/generate.py)"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SPAN_S = 280 * 24 * 3600

COLUMNS = (
    "id", "platform", "account", "model", "modality", "task", "created_at", "prompt", "seed",
    "width", "height", "duration_s", "fps", "outputs_count", "characters", "tokens_in",
    "tokens_out", "outputs", "parent_ids", "shot_tag", "status",
)  # fmt: skip

PRODUCTION_YAML = f"""{MARKER}
title: "Banc d'essai"
directors: ["Bench Generator"]
company: "Empreinte benchmarks"
year: 2026
runtime_s: {{runtime}}
release_date: 2027-03-15
distribution: [festival]
territories: [FR]
languages: [fr]
frame_rate: 25
compute_regions: {{{{comfyui: FRA}}}}
"""


@dataclass(frozen=True)
class Kind:
    """One kind of generation in the mix: platform, model, modality, share and output suffix."""

    platform: str
    model: str
    modality: str
    task: str
    weight: float
    suffix: str


MIX: tuple[Kind, ...] = (
    Kind("midjourney", "7", "image", "text_to_image", 0.34, ".png"),
    Kind("kling", "kling-v2.6", "video", "image_to_video", 0.20, ".mp4"),
    Kind("runway", "gen-4.5", "video", "image_to_video", 0.08, ".mp4"),
    Kind("comfyui", "wan2.1-i2v-14b", "video", "image_to_video", 0.05, ".mp4"),
    Kind("magnific", "magnific-creative", "upscale", "upscale", 0.08, ".png"),
    Kind("elevenlabs", "eleven_multilingual_v2", "speech", "tts", 0.10, ".mp3"),
    Kind("suno", "v4.5", "music", "text_to_music", 0.07, ".mp3"),
    Kind("openai", "gpt-4o-mini", "text", "chat", 0.08, ".txt"),
)
WORDS = (
    "phare", "tempête", "falaise", "écume", "gardien", "lanterne", "nuit", "vague", "brume",
    "rocher", "mouette", "horizon", "orage", "lumière", "marée", "quai", "voile", "silence",
)  # fmt: skip


@dataclass(frozen=True)
class Shot:
    shot_id: str
    sequence: str
    duration_s: float
    prompt: str


def shots(rng: random.Random, count: int) -> list[Shot]:
    """``count`` shots in sequences of 50 (SC01_SH010, SC01_SH020…), 2–8 s each."""
    out = []
    for n in range(count):
        seq = f"SC{n // 50 + 1:02d}"
        words = " ".join(rng.sample(WORDS, 5))
        duration = round(rng.uniform(2.0, 8.0), 2)
        out.append(Shot(f"{seq}_SH{(n % 50 + 1) * 10:03d}", seq, duration, f"{words}, plan {n}"))
    return out


def _dims(kind: Kind, rng: random.Random) -> dict[str, object]:
    if kind.modality == "image":
        return {"width": 1456, "height": 816, "outputs_count": 4}
    if kind.modality == "upscale":
        return {"width": 2912, "height": 1632}
    if kind.modality == "video":
        wide = rng.random() < 0.7
        return {
            "width": 1280 if wide else 1920,
            "height": 720 if wide else 1080,
            "duration_s": rng.choice((5, 10)),
            "fps": 24,
        }
    if kind.modality == "speech":
        return {"characters": rng.randrange(40, 1200, 20)}
    if kind.modality == "music":
        return {"duration_s": rng.randrange(60, 240, 10), "outputs_count": 2}
    return {"tokens_in": rng.randrange(50, 2000, 50), "tokens_out": rng.randrange(100, 2000, 100)}


def records(
    rng: random.Random, cut: list[Shot], count: int
) -> Iterator[tuple[int, dict[str, object]]]:
    """``count`` (shot index, row) pairs; each shot's last image is the parent of its later
    videos."""
    weights = [kind.weight for kind in MIX]
    last_image: dict[int, str] = {}
    for n in range(count):
        kind = rng.choices(MIX, weights)[0]
        s = rng.randrange(len(cut))
        shot = cut[s]
        pid = f"{rng.getrandbits(64):016x}"
        gen_id = f"{kind.platform}:{pid}"
        row: dict[str, object] = {
            "id": gen_id, "platform": kind.platform, "account": f"{kind.platform}-studio",
            "model": kind.model, "modality": kind.modality, "task": kind.task,
            "created_at": (START + timedelta(seconds=SPAN_S * n // count)).isoformat().replace(
                "+00:00", "Z"),
            "prompt": f"{shot.prompt} --v{rng.randrange(3)}", "seed": rng.getrandbits(31),
            "outputs": f"{kind.platform}_{pid}{kind.suffix}",
            "shot_tag": f"{shot.shot_id}-t{rng.randrange(1, 40):02d}" if rng.random() < 0.6 else "",
            "status": "failed" if rng.random() < 0.03 else "succeeded",
            **_dims(kind, rng),
        }  # fmt: skip
        if kind.modality == "image":
            last_image[s] = gen_id
        elif kind.modality == "video" and s in last_image and rng.random() < 0.5:
            row["parent_ids"] = last_image[s]
        yield s, row


def _clear(out: Path) -> None:
    """Remove a previous benchmark production at ``out``; refuse to touch anything else."""
    if not out.exists():
        return
    marker = out / "production.yaml"
    first = marker.read_text(encoding="utf-8").splitlines()[:1] if marker.is_file() else []
    if first != [MARKER]:
        raise SystemExit(f"{out}: exists and is not a benchmark production; refusing to clear")
    shutil.rmtree(out)


def generate(out: Path, record_count: int, shot_count: int, seed: int = SEED) -> Path:
    """Write the production folder; returns the canonical CSV's path."""
    _clear(out)
    rng = random.Random(seed)
    cut = shots(rng, shot_count)
    for folder in ("logs", "timeline", "rights"):
        (out / folder).mkdir(parents=True)
    log = out / "logs" / "generations.csv"
    kept: dict[int, str] = {}
    video = {kind.platform for kind in MIX if kind.modality == "video"}
    with log.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for shot, row in records(rng, cut, record_count):
            writer.writerow(row)
            if row["platform"] in video and row["status"] == "succeeded":
                kept[shot] = str(row["outputs"])
    _timeline(out / "timeline" / "shots.csv", cut, kept)
    runtime = round(sum(shot.duration_s for shot in cut))
    (out / "production.yaml").write_text(PRODUCTION_YAML.format(runtime=runtime), "utf-8")
    for name, header in (
        ("sources.csv", "asset,kind,holder,licence,scope,territories,valid_until,document"),
        ("consents.csv", "person,kind,scope,territories,valid_from,valid_until,document"),
        ("plans.csv", "platform,account,tier,from,to"),
    ):
        (out / "rights" / name).write_text(header + "\n", "utf-8")
    return log


def _timeline(path: Path, cut: list[Shot], kept: dict[int, str]) -> None:
    """shots.csv: every shot in order; its media is the last successful video made for it."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["shot_id", "sequence", "duration_s", "media"])
        for i, shot in enumerate(cut):
            writer.writerow([shot.shot_id, shot.sequence, shot.duration_s, kept.get(i, "")])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--shots", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=WORK / "b1")
    args = parser.parse_args(argv)
    log = generate(args.out, args.records, args.shots, args.seed)
    print(f"wrote {log} ({log.stat().st_size / 1e6:.1f} MB)")  # noqa: T201


if __name__ == "__main__":
    main()

"""The bundled example production: deterministic, committed as generated, and internally consistent.

The content checks read the committed folder (what ``empreinte demo`` uses); the generator checks
run ``data/examples/generate.py`` into temporary folders.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import struct
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import opentimelineio as otio
import pytest
from PIL import Image, PngImagePlugin

from audit.base.production import load_production
from audit.base.resources import example_dir

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "data" / "examples" / "generate.py"
EXAMPLE = example_dir()
SHOTS = [
    "SC01_SH010",
    "SC01_SH020",
    "SC01_SH030",
    "SC01_SH040",
    "stock_vagues_0412.mov",
    "SC02_SH010",
    "SC02_SH020",
    "SC02_SH030",
    "SC02_SH040",
    "SC03_SH010",
    "SC03_SH020",
    "SC03_SH030",
    "SC03_SH040",
    "SC03_SH050",
]
#: Records per platform log, pinned (the seed fixes them; a generator change must update them).
COUNTS = {"midjourney": 385, "magnific": 18, "kling": 97, "suno": 24, "elevenlabs": 64}
REGENERATE = "run `python data/examples/generate.py` and commit data/examples/le-dernier-phare/"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("empreinte_example_generate", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _png_text(path: Path) -> dict[str, str]:
    with Image.open(path) as image:
        assert isinstance(image, PngImagePlugin.PngImageFile)
        return {key: str(value) for key, value in image.text.items()}


def _json(rel: str) -> Any:
    return json.loads((EXAMPLE / rel).read_text(encoding="utf-8"))


def _jsonl(rel: str) -> list[dict[str, Any]]:
    lines = (EXAMPLE / rel).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _csv(rel: str) -> list[dict[str, str]]:
    with (EXAMPLE / rel).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _mj_jobs() -> list[dict[str, Any]]:
    return [
        job
        for p in sorted(EXAMPLE.glob("logs/midjourney/archive-*.json"))
        for job in json.loads(p.read_text(encoding="utf-8"))
    ]


def _history_items() -> list[dict[str, Any]]:
    pages = sorted(EXAMPLE.glob("logs/elevenlabs/history-page-*.json"))
    return [item for p in pages for item in json.loads(p.read_text(encoding="utf-8"))["history"]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("run-a") / "le-dernier-phare"
    _script().generate(out)
    return _snapshot(out)


@pytest.fixture(scope="module")
def timeline() -> otio.schema.Timeline:
    result = otio.adapters.read_from_file(str(EXAMPLE / "timeline" / "le-dernier-phare.xml"))
    assert isinstance(result, otio.schema.Timeline)
    return result


def test_generator_is_deterministic(generated: dict[str, bytes], tmp_path: Path) -> None:
    _script().generate(tmp_path / "run-b")
    again = _snapshot(tmp_path / "run-b")
    assert sorted(again) == sorted(generated)
    assert [name for name in generated if generated[name] != again[name]] == []


def test_committed_folder_matches_generator(generated: dict[str, bytes]) -> None:
    committed = _snapshot(EXAMPLE)
    missing = sorted(set(generated) - set(committed))
    extra = sorted(set(committed) - set(generated))
    changed = sorted(n for n in set(generated) & set(committed) if generated[n] != committed[n])
    assert (missing, extra, changed) == ([], [], []), (
        f"committed example differs from the generator (missing {missing[:3]}, extra "
        f"{extra[:3]}, changed {changed[:3]}): {REGENERATE}"
    )


def test_generate_refuses_to_clear_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit, match="refusing to clear"):
        _script().generate(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_production_yaml_loads() -> None:
    prod = load_production(EXAMPLE)
    assert prod.title == "Le Dernier Phare"
    assert prod.original_title is None
    assert prod.directors == ["Inès Morvan", "Théo Kerbrat"]
    assert prod.company == "Collectif Marée Basse"
    assert prod.company_annual_revenue_usd == pytest.approx(180_000)
    assert prod.runtime_s == pytest.approx(90)
    assert prod.release_date == date(2027, 3, 15)
    assert [d.value for d in prod.distribution] == ["festival", "online"]
    assert prod.territories == ["FR", "BE", "CH"]
    assert prod.frame_rate == pytest.approx(25)
    assert [c.role for c in prod.credits] == [
        "Réalisation",
        "Réalisation",
        "Scénario",
        "Montage",
        "Musique (direction)",
        "Voix off",
        "Production",
    ]
    assert prod.compute_regions == {"comfyui": "FRA"}
    assert (EXAMPLE / "production.yaml").read_text(encoding="utf-8").startswith("# ")


def test_timeline_picture_track(timeline: otio.schema.Timeline) -> None:
    assert timeline.name == "Le Dernier Phare — V3 final"
    (video,) = timeline.video_tracks()
    assert [type(item).__name__ for item in video] == ["Clip"] * 14
    assert [clip.name for clip in video] == SHOTS
    frames = [clip.source_range.duration.to_frames() for clip in video]
    assert sum(frames) == 2250
    assert video.duration().to_seconds() == pytest.approx(90.0)
    assert frames[4] == 50  # the 2-s stock clip
    assert all(100 <= f <= 250 for i, f in enumerate(frames) if i != 4)  # shots of 4–10 s


def test_timeline_audio_tracks(timeline: otio.schema.Timeline) -> None:
    music, voice = timeline.audio_tracks()
    (bed,) = list(music)
    assert re.fullmatch(r"suno_[0-9a-f-]{36}\.mp3", bed.name)
    assert bed.source_range.duration.to_seconds() == pytest.approx(90.0)
    clips = [item for item in voice if isinstance(item, otio.schema.Clip)]
    assert len(clips) == 8
    assert all(re.fullmatch(r"elevenlabs_[A-Za-z0-9]{20}\.mp3", c.name) for c in clips)
    kept_ids = {c.name[len("elevenlabs_") : -4] for c in clips}
    by_id = {item["history_item_id"]: item for item in _history_items()}
    assert kept_ids <= set(by_id)


def test_kept_kling_tasks_exist(timeline: otio.schema.Timeline) -> None:
    (video,) = timeline.video_tracks()
    kept = {}
    for clip in video:
        match = re.search(r"/(SC\d\d_SH\d{3})_kling_(\d+)\.mp4$", clip.media_reference.target_url)
        if match:
            kept[match[1]] = (match[2], clip)
    assert len(kept) == 12
    assert "SC02_SH030" not in kept
    for shot, (task_id, clip) in kept.items():
        task = _json(f"logs/kling/tasks/{task_id}.json")["data"]
        assert task["task_id"] == task_id
        assert task["task_status"] == "succeed"
        assert task["task_info"]["external_task_id"].startswith(f"{shot}-t")
        video_s = float(task["task_result"]["videos"][0]["duration"])
        assert clip.source_range.end_time_exclusive().to_seconds() <= video_s


def test_lineage_midjourney_to_magnific_to_kling(timeline: otio.schema.Timeline) -> None:
    requests = {r["task_id"]: r["body"] for r in _jsonl("logs/kling/requests.jsonl")}
    magnific = {r["task_id"]: r["request"] for r in _jsonl("logs/magnific/requests.jsonl")}
    results = {
        r["data"]["generated"][0]: r["data"]["task_id"] for r in _json("logs/magnific/results.json")
    }
    jobs = {job["id"]: job for job in _mj_jobs()}
    (video,) = timeline.video_tracks()
    for clip in video:
        match = re.search(r"_kling_(\d+)\.mp4$", clip.media_reference.target_url)
        if not match:
            continue
        body = requests[match[1]]
        assert body["external_task_id"].startswith(clip.name)
        mj_url = magnific[results[body["image"]]]["image"]
        url_match = re.fullmatch(r"https://cdn\.midjourney\.com/([0-9a-f-]{36})/0_0\.png", mj_url)
        assert url_match is not None
        upscale = jobs[url_match[1]]
        assert upscale["event_type"] == "upscale"
        assert (upscale["width"], upscale["height"]) == (2912, 1632)
        assert jobs[upscale["parent_id"]]["job_type"] == "v7_diffusion"


def test_comfyui_shot_chain() -> None:
    stills = sorted(EXAMPLE.glob("logs/comfyui/SC02_SH030_*_.png"))
    assert 2 <= len(stills) <= 4
    for path in stills:
        text = _png_text(path)
        graph = json.loads(text["prompt"])
        assert set(json.loads(text["workflow"])) >= {"nodes", "links", "version"}
        nodes = {node["class_type"]: node["inputs"] for node in graph.values()}
        assert nodes["UNETLoader"]["unet_name"] == "flux1-dev.safetensors"
        assert nodes["BasicScheduler"]["steps"] == 20
        assert nodes["SaveImage"]["filename_prefix"] == "SC02_SH030"
    history = _json("logs/comfyui/history.json")
    assert history.pop("_synthetic") == "Empreinte example data, not a real export"
    ((prompt_id, run),) = history.items()
    _number, run_id, graph, extra, _outputs = run["prompt"]
    assert run_id == prompt_id
    assert extra["hardware"] == "NVIDIA RTX 4090"
    loaded = [n["inputs"]["image"] for n in graph.values() if n["class_type"] == "LoadImage"]
    assert loaded == [stills[-1].name]
    assert run["outputs"]["60"]["gifs"][0]["filename"] == "SC02_SH030_wan_00001.mp4"
    (measured,) = _csv("logs/comfyui/measured.csv")
    assert measured["id"] == f"comfyui:{prompt_id}"
    assert measured["hardware"] == "NVIDIA RTX 4090"
    times = [m[1]["timestamp"] for m in run["status"]["messages"]]
    assert float(measured["measured_energy_wh"]) == pytest.approx(
        430 * (times[-1] - times[0]) / 3_600_000, abs=0.05
    )


def test_planted_problem_suno_free_tier(timeline: otio.schema.Timeline) -> None:
    music, _voice = timeline.audio_tracks()
    clip_id = music[0].name.removeprefix("suno_").removesuffix(".mp3")
    clips = {clip["id"]: clip for clip in _json("logs/suno/clips.json")["clips"]}
    assert len(clips) == 24
    created = clips[clip_id]["created_at"]
    assert created.startswith("2026-09-02T")
    assert clips[clip_id]["metadata"]["duration"] >= 90
    (free,) = [
        p for p in _csv("rights/plans.csv") if p["platform"] == "suno" and p["tier"] == "Free"
    ]
    assert free["from"] <= created[:10] < free["to"] == "2026-09-10"


def test_planted_problem_consent_ends_before_release() -> None:
    (consent,) = _csv("rights/consents.csv")
    assert consent["person"] == "Yann Le Goff"
    assert consent["valid_until"] == "2027-01-31"
    assert date.fromisoformat(consent["valid_until"]) < load_production(EXAMPLE).release_date
    voice = _json("logs/elevenlabs/voice-vx_narr_yann.json")
    assert (voice["category"], voice["is_owner"], voice["sharing"]) == ("cloned", True, None)


def test_record_counts() -> None:
    counts = {
        "midjourney": len(_mj_jobs()),
        "magnific": len(_jsonl("logs/magnific/requests.jsonl")),
        "kling": len(_jsonl("logs/kling/requests.jsonl")),
        "kling_tasks": len(list(EXAMPLE.glob("logs/kling/tasks/*.json"))),
        "suno": len(_json("logs/suno/clips.json")["clips"]),
        "elevenlabs": len(_history_items()),
    }
    assert counts == {**COUNTS, "kling_tasks": COUNTS["kling"]}
    assert 500 <= sum(counts.values()) - counts["kling_tasks"] <= 700
    assert len(_json("logs/magnific/results.json")) == counts["magnific"]


def _all_moments() -> list[datetime]:
    moments = [datetime.fromisoformat(j["enqueue_time"]).replace(tzinfo=UTC) for j in _mj_jobs()]
    moments += [
        datetime.fromisoformat(r["created_at"]) for r in _jsonl("logs/magnific/requests.jsonl")
    ]
    for path in EXAMPLE.glob("logs/kling/tasks/*.json"):
        ms = json.loads(path.read_text(encoding="utf-8"))["data"]["created_at"]
        moments.append(datetime.fromtimestamp(ms / 1000, tz=UTC))
    moments += [
        datetime.fromisoformat(c["created_at"]) for c in _json("logs/suno/clips.json")["clips"]
    ]
    moments += [datetime.fromtimestamp(i["date_unix"], tz=UTC) for i in _history_items()]
    return moments


def _png_saved(path: Path) -> datetime:
    data = path.read_bytes()
    at = data.index(b"tIME")
    assert struct.unpack(">I", data[at - 4 : at]) == (7,)
    year, month, day, hour, minute, second = struct.unpack(">HBBBBB", data[at + 4 : at + 11])
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_dates_within_production_period() -> None:
    moments = _all_moments()
    assert len(moments) == sum(COUNTS.values())
    pngs = sorted(EXAMPLE.glob("logs/**/*.png"))
    assert len(pngs) == 3 + 2  # Midjourney downloads, ComfyUI stills
    moments += [_png_saved(path) for path in pngs]
    assert min(moments).date() >= date(2026, 6, 1)
    assert max(moments).date() <= date(2026, 10, 31)


def test_midjourney_pngs_duplicate_archive_jobs() -> None:
    jobs = {job["id"]: job for job in _mj_jobs()}
    pngs = sorted(EXAMPLE.glob("logs/midjourney/png/*.png"))
    assert len(pngs) == 3
    for path in pngs:
        text = _png_text(path)
        match = re.fullmatch(r"(.+) Job ID: ([0-9a-f-]{36})", text["Description"])
        assert match is not None
        assert jobs[match[2]]["full_command"] == match[1]
        assert text["Author"] == "marebasse"
        assert re.fullmatch(rf"marebasse_[a-z0-9_]+_{match[2]}_[0-3]\.png", path.name)


def test_prompts_carry_the_audit_cases() -> None:
    commands = [job["full_command"] for job in _mj_jobs()]
    assert any("in the style of Moebius" in c for c in commands)
    assert any("--cref https://" in c for c in commands)
    assert all("--ar 16:9 --v 7" in c for c in commands)
    tricky = [r for r in _jsonl("logs/kling/requests.jsonl") if "<" in r["body"]["prompt"]]
    assert len(tricky) == 1
    prompt = tricky[0]["body"]["prompt"]
    assert all(ch in prompt for ch in ("<", "&", '"', "é", "'"))


def test_elevenlabs_history_pages() -> None:
    pages = [_json(f"logs/elevenlabs/history-page-{n}.json") for n in (1, 2)]
    assert [p["has_more"] for p in pages] == [True, False]
    assert [p["last_history_item_id"] for p in pages] == [
        p["history"][-1]["history_item_id"] for p in pages
    ]
    items = _history_items()
    assert {(i["voice_id"], i["voice_category"], i["source"]) for i in items} == {
        ("vx_narr_yann", "cloned", "TTS")
    }
    assert all(
        i["character_count_change_to"] - i["character_count_change_from"] == len(i["text"])
        for i in items
    )


def test_json_object_files_say_they_are_synthetic() -> None:
    marked = []
    for path in sorted(EXAMPLE.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "_synthetic" in data:
            marked.append(path.relative_to(EXAMPLE).as_posix())
    # Kling tasks, Suno clips, ElevenLabs pages and voice, ComfyUI history
    assert len(marked) == COUNTS["kling"] + 1 + 2 + 1 + 1

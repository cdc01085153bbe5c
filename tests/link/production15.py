"""A small production made the way users make them, written in each platform's own format, with
planted rights problems (issue 15). SYNTHETIC: every name, id and file is made up here.

Midjourney stills (archive JSON as the Midjourney adapter reads it: ``id, parent_id,
parent_grid, enqueue_time, event_type, full_command, job_type, batch_size, width, height``) →
Kling image-to-video, three takes a shot, each request's ``external_task_id`` = ``<shot>_take<n>``
(request log + task query responses, shape of docs/platforms.md "kling" and
tests/ingest/fixtures/kling), its ``image`` the Midjourney download ``…/<job uuid>_0.png``; one
shot made with Sora (video objects of ``GET /v1/videos/{id}``, as tests/ingest/fixtures/openai),
cut under its download name ``video_….mp4``, its shot written at the start of the prompt; an
ElevenLabs narration (history items, as tests/ingest/fixtures/elevenlabs); Suno music (clips, as
tests/ingest/fixtures/suno); a 25 fps CMX 3600 EDL with picture only, each event a
``* FROM CLIP NAME:`` of the kept take's file (as the otio-cmx3600-adapter sample EDLs).

Planted problems (:class:`Planted` says where each one is):

- a ``--cref`` of a real actor's photo (recorded in sources.csv as ``photo_of_person``) on the
  Midjourney image kept for one shot;
- a prompt "in the style of" a living artist, on the kept image of another shot;
- music generated on Suno's free plan for a commercial release (the cut has no audio track);
- a voice consent that ends before the release;
- a brand in the prompt of a take of a shot whose kept take cannot be told (its clip is named
  after the shot and a grade, not the take): to verify.

The seed also varies how shots are named, how a Kling request names its image (the re-hosted
download or the Midjourney CDN URL), how takes are named (``_take1`` or ``-t01``; the clip is
always ``<shot>_take<n>.mp4``), and whether EDL events carry ``* FROM CLIP:`` paths.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ACTOR_PHOTO = "https://storage.atelier-nord.example/refs/actor-headshot-{n}.jpg"
#: How a Kling request names its image: the Midjourney download re-hosted, the Midjourney CDN.
INPUT_URLS = (
    "https://storage.atelier-nord.example/mj/{user}_{slug}_{job}_0.png",
    "https://cdn.midjourney.com/{job}/0_0.png",
)
#: How a take is named on Kling: the brief's ``<shot>_take1``, or the ``-t01`` form of the docs.
TAKE_NAMES = ("{shot}_take{n}", "{shot}-t0{n}")
START = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)
FPS = 25


@dataclass
class Planted:
    """Where each planted problem lives: generation ids and the shots they serve."""

    cref_job: str = ""
    cref_shot: str = ""
    style_job: str = ""
    style_artist: str = ""
    brand_takes: list[str] = field(default_factory=list)
    brand_shot: str = ""
    suno_ids: list[str] = field(default_factory=list)
    consent_row: str = "rights/consents.csv:2"


@dataclass
class Made:
    """What the builder wrote and what a correct audit must find."""

    root: Path
    kept: dict[str, str] = field(default_factory=dict)  # shot → kept generation id
    ancestors: dict[str, set[str]] = field(default_factory=dict)  # shot → ancestor ids
    unresolved: dict[str, set[str]] = field(default_factory=dict)  # shot → candidate ids
    planted: Planted = field(default_factory=Planted)
    shots: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.input_url = self.rng.choice(INPUT_URLS)
        self.take_name = self.rng.choice(TAKE_NAMES)
        self.clip_paths = self.rng.random() < 0.5  # EDL events with * FROM CLIP: paths
        self.clock = START
        self.mj: list[dict[str, object]] = []
        self.kling_requests: list[dict[str, object]] = []
        self.events: list[tuple[str, int]] = []  # (clip name, frames)

    def tick(self, minutes: int = 3) -> datetime:
        self.clock += timedelta(minutes=minutes, seconds=self.rng.randint(0, 59))
        return self.clock

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def task_id(self) -> str:
        return str(self.rng.randint(10**17, 10**18 - 1))

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _shot_names(rng: random.Random, count: int) -> list[str]:
    style = rng.choice(["SC{s:02d}_SH{p:03d}", "sc{s}_sh{p:02d}", "SEQ{s}_P{p:03d}"])
    return [style.format(s=1 + i // 3, p=10 * (1 + i % 3)) for i in range(count)]


def _mj_job(w: _Writer, prompt: str, parent: str | None = None) -> str:
    job = w.uuid()
    when = w.tick().strftime("%Y-%m-%d %H:%M:%S.%f")
    upscale = parent is not None
    w.mj.append(
        {
            "id": job,
            "parent_grid": w.rng.randint(0, 3) if upscale else None,
            "parent_id": parent,
            "enqueue_time": when,
            "event_type": "upscale" if upscale else "diffusion",
            "full_command": prompt,
            "job_type": "v7_upscaler_2x_creative" if upscale else "v7_diffusion",
            "batch_size": 1 if upscale else 4,
            "width": 2912 if upscale else 1456,
            "height": 1632 if upscale else 816,
            "username": "atelier_nord",
            "user_id": "5b0e7c1a-2f44-4d8b-9a61-0c3d2e1f4a57",
        }
    )
    return job


def _kling_take(w: _Writer, shot: str, take: int, image: str, prompt: str, failed: bool) -> str:
    task = w.task_id()
    created = w.tick(4)
    w.kling_requests.append(
        {
            "task_id": task,
            "endpoint": "/v1/videos/image2video",
            "body": {
                "model_name": "kling-v2-6",
                "mode": "pro",
                "duration": "5",
                "aspect_ratio": "16:9",
                "image": image,
                "prompt": prompt,
                "negative_prompt": "blurry, text, watermark",
                "external_task_id": w.take_name.format(shot=shot, n=take),
            },
        }
    )
    videos = [] if failed else [{"id": w.uuid(), "url": f"https://cdn.kling.example/v/{w.uuid()}.mp4",
                                 "duration": "5.1"}]  # fmt: skip
    result = {
        "code": 0,
        "message": "SUCCEED",
        "request_id": w.uuid(),
        "data": {
            "task_id": task,
            "task_status": "failed" if failed else "succeed",
            "task_status_msg": "generation failed" if failed else "",
            "task_info": {"external_task_id": w.take_name.format(shot=shot, n=take)},
            "task_result": {"videos": videos},
            "created_at": int(created.timestamp() * 1000),
            "updated_at": int((created + timedelta(minutes=2)).timestamp() * 1000),
        },
    }
    w.write(f"logs/kling/tasks/{task}.json", json.dumps(result, indent=2))
    return f"kling:{task}"


@dataclass(frozen=True)
class _ShotPlan:
    shot: str
    kept_take: int
    cref: bool = False
    style: str | None = None
    brand: bool = False


def _kling_shot(w: _Writer, made: Made, plan: _ShotPlan) -> None:
    """A grid, its upscale (the still given to Kling), a reroll nobody used, three takes."""
    cref = f" --cref {ACTOR_PHOTO.format(n=w.rng.randint(1, 99))}" if plan.cref else ""
    style = f", in the style of {plan.style}" if plan.style else ""
    text = f"lone cyclist on a coastal road at dawn, fog{style} --ar 16:9 --v 7{cref}"
    grid = _mj_job(w, text)
    _mj_job(w, text.replace("--v 7", "--v 7 --seed 4"))  # a reroll, not used
    upscale = _mj_job(w, text, parent=grid)
    image = w.input_url.format(user="atelier_nord", slug="lone_cyclist_on_a_coastal", job=upscale)
    takes = []
    for take in (1, 2, 3):
        prompt = "slow dolly forward, the cyclist passes the camera"
        prompt += ", a Coca-Cola truck parked by the road" if plan.brand and take != 2 else ""
        failed = take == 2 and take != plan.kept_take
        takes.append(_kling_take(w, plan.shot, take, image, prompt, failed))
    if plan.kept_take:
        made.kept[plan.shot] = takes[plan.kept_take - 1]
        made.ancestors[plan.shot] = {f"midjourney:{upscale}", f"midjourney:{grid}"}
        w.events.append((f"{plan.shot}_take{plan.kept_take}.mp4", w.rng.randint(75, 140)))
    else:
        made.unresolved[plan.shot] = {t for i, t in enumerate(takes, 1) if i != 2}
        w.events.append((f"{plan.shot}_grade_v2.mov", w.rng.randint(75, 140)))
    if plan.cref:
        made.planted.cref_job, made.planted.cref_shot = f"midjourney:{upscale}", plan.shot
    if plan.style:
        made.planted.style_job, made.planted.style_artist = f"midjourney:{grid}", plan.style
    if plan.brand:
        made.planted.brand_takes = [t for i, t in enumerate(takes, 1) if i != 2]
        made.planted.brand_shot = plan.shot


def _sora_shot(w: _Writer, made: Made, shot: str) -> None:
    videos = []
    for n in range(2):
        created = w.tick(6)
        vid = "video_" + "".join(w.rng.choice("0123456789abcdef") for _ in range(48))
        videos.append(
            {"id": vid, "object": "video", "model": "sora-2", "status": "completed",
             "progress": 100, "prompt": f"{shot}: waves breaking on black rocks, take {n + 1}",
             "seconds": "8", "size": "1280x720", "remixed_from_video_id": None,
             "created_at": int(created.timestamp()),
             "completed_at": int(created.timestamp()) + 140, "expires_at": None, "error": None}
        )  # fmt: skip
    w.write("logs/openai/videos.json", json.dumps({"object": "list", "data": videos,
                                                   "has_more": False}, indent=2))  # fmt: skip
    kept = videos[1]["id"]
    made.kept[shot] = f"openai:{kept}"
    made.ancestors[shot] = set()
    w.events.append((f"{kept}.mp4", w.rng.randint(75, 140)))


def _voice(w: _Writer) -> None:
    items = []
    for n in range(3):
        items.append(
            {"history_item_id": "".join(w.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijk23456789")
                                        for _ in range(20)),
             "request_id": w.uuid().replace("-", "")[:20], "voice_id": "vx_camille_narr",
             "voice_name": "Camille (narration)", "voice_category": "cloned",
             "model_id": "eleven_multilingual_v2",
             "text": "Chaque matin, la route du cap disparaît dans le brouillard.",
             "date_unix": int(w.tick(2).timestamp()), "character_count_change_from": 60 * n,
             "character_count_change_to": 60 * (n + 1), "content_type": "audio/mpeg",
             "state": "created", "settings": {"stability": 0.5, "similarity_boost": 0.75},
             "feedback": None, "share_link_id": None, "source": "TTS", "alignments": None,
             "dialogue": None, "output_format": "mp3_44100_128"}
        )  # fmt: skip
    w.write("logs/elevenlabs/history.json", json.dumps({"history": items, "has_more": False,
                                                        "last_history_item_id": None}, indent=2))  # fmt: skip


def _music(w: _Writer, made: Made) -> None:
    clips = []
    for _ in range(2):
        clip = w.uuid()
        made.planted.suno_ids.append(f"suno:{clip}")
        clips.append(
            {"id": clip, "title": "Route du cap", "status": "complete",
             "audio_url": f"https://cdn1.suno.ai/{clip}.mp3",
             "image_url": f"https://cdn2.suno.ai/image_{clip}.jpeg", "model_name": "chirp-v4-5",
             "major_model_version": "v4.5",
             "created_at": w.tick(5).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "display_name": "atelier_nord", "handle": "atelier_nord", "is_public": False,
             "metadata": {"prompt": "[Intro]\n[Theme]", "tags": "ambient, piano, fog",
                          "duration": 150.5, "type": "gen"}}
        )  # fmt: skip
    w.write("logs/suno/clips.json", json.dumps({"clips": clips}, indent=2))


def _edl(w: _Writer) -> str:
    lines = ["TITLE: ROUTE DU CAP V4", "FCM: NON-DROP FRAME", ""]
    record = 0
    for number, (name, frames) in enumerate(w.events, start=1):
        src_in, src_out = _tc(0), _tc(frames)
        lines.append(f"{number:03d}  AX       V     C        {src_in} {src_out} "
                     f"{_tc(3600 * FPS + record)} {_tc(3600 * FPS + record + frames)}")  # fmt: skip
        lines.append(f"* FROM CLIP NAME: {name}")
        lines += [f"* FROM CLIP: /Volumes/ATELIER/rushes/{name}", ""] if w.clip_paths else [""]
        record += frames
    return "\n".join(lines)


def _tc(frames: int) -> str:
    seconds, frame = divmod(frames, FPS)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{second:02d}:{frame:02d}"


def make_production(root: Path, seed: int = 1, kling_shots: int = 4) -> Made:
    """Write a production folder under ``root``; ``seed`` varies names, ids, kept takes and
    which shot carries which problem."""
    w = _Writer(root, seed)
    made = Made(root)
    names = _shot_names(w.rng, kling_shots + 1)
    order = list(range(kling_shots))
    w.rng.shuffle(order)
    cref, style, brand = order[0], order[1], order[2]
    for i, shot in enumerate(names[:kling_shots]):
        plan = _ShotPlan(shot, 0 if i == brand else w.rng.choice([1, 3]), cref=i == cref,
                         style="Simon Stålenhag" if i == style else None, brand=i == brand)  # fmt: skip
        _kling_shot(w, made, plan)
    _sora_shot(w, made, names[kling_shots])
    made.shots = [shot for shot in names]
    _voice(w)
    _music(w, made)
    w.write("logs/midjourney/archive.json", json.dumps(w.mj, indent=2))
    w.write("logs/kling/requests.jsonl", "\n".join(json.dumps(r) for r in w.kling_requests))
    w.write("timeline/route-du-cap.edl", _edl(w) + "\n")
    _ledgers(w, made)
    return made


def _ledgers(w: _Writer, made: Made) -> None:
    actor = next((ref["full_command"] for ref in w.mj if "--cref" in str(ref["full_command"])), "")
    photo = str(actor).split("--cref ", 1)[1] if actor else ""
    w.write("production.yaml", "\n".join([
        'title: "Route du cap"', 'directors: ["Nora Vasseur"]', 'company: "Atelier Nord"',
        "company_annual_revenue_usd: 240000", "year: 2026", "runtime_s: 30",
        "release_date: 2027-04-01", "distribution: [commercial, online]", "territories: [FR]",
        "languages: [fr]", "frame_rate: 25", "",
    ]))  # fmt: skip
    w.write("rights/plans.csv", "\n".join([
        "platform,account,tier,from,to", "midjourney,atelier_nord,Pro,2026-01-01,2026-12-31",
        "kling,atelier_nord,Pro,2026-01-01,2026-12-31",
        "openai,atelier_nord,Pro,2026-01-01,2026-12-31",
        "elevenlabs,atelier_nord,Creator,2026-01-01,2026-12-31",
        "suno,atelier_nord,Free,2026-01-01,2026-12-31", "",
    ]))  # fmt: skip
    w.write("rights/consents.csv", "\n".join([
        "person,kind,scope,territories,valid_from,valid_until,document,union_status",
        "Camille Durand,voice,narration du film Route du cap (commercial et en ligne),FR,"
        "2026-06-01,2027-01-31,consents/camille-durand-voix.pdf,non syndiquée", "",
    ]))  # fmt: skip
    w.write("rights/sources.csv", "\n".join([
        "asset,kind,holder,licence,scope,territories,valid_until,document",
        f"{photo},photo_of_person,Agence Portraits (fictive),editorial,"
        "portrait of the actor Marc Delorme,WORLD,,", "",
    ]))  # fmt: skip

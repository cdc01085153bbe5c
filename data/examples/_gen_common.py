"""Shared pieces of the example generator: the shot list, the seeded writer, time formats.

Everything random comes from one ``random.Random`` consumed in a fixed order, so the same code
always writes the same bytes. Nothing reads the clock.
"""

from __future__ import annotations

import csv
import io
import json
import random
import string
import struct
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from PIL.PngImagePlugin import PngInfo

SEED = 20260914
FPS = 25
RUNTIME_FRAMES = 90 * FPS
FIRST_DAY = date(2026, 6, 1)
LAST_DAY = date(2026, 10, 31)
RELEASE_DATE = date(2027, 3, 15)
ACCOUNT = "marebasse"
SYNTHETIC_KEY = "_synthetic"
SYNTHETIC_NOTE = "Empreinte example data, not a real export"
CREF_URL = "https://cdn.marebasse.example/refs/gardien-cref.jpg"
SREF_URL = "https://cdn.marebasse.example/refs/sref-encre-bleue.png"
STOCK_FILE = "stock_vagues_0412.mov"
STOCK_FRAMES = 50
STOCK_AFTER = "SC01_SH040"
COMFY_SHOT = "SC02_SH030"
COMFY_VIDEO = "SC02_SH030_wan_00001.mp4"


@dataclass(frozen=True)
class Shot:
    """One picture shot of the cut: how long it lasts and what made it."""

    shot_id: str
    frames: int
    image_prompt: str
    motion_prompt: str
    cref: bool = False

    @property
    def tool(self) -> str:
        return "comfyui" if self.shot_id == COMFY_SHOT else "kling"


SHOTS: tuple[Shot, ...] = (
    Shot(
        "SC01_SH010",
        200,
        "wide shot of a lone granite lighthouse on a reef off the Breton coast at dusk, "
        "heavy grey sea, gulls circling, melancholic, cinematic 35mm film still",
        "slow push-in towards the lighthouse, gulls drifting across frame, waves rolling",
    ),
    Shot(
        "SC01_SH020",
        150,
        "old lighthouse keeper with a white beard climbing a spiral stone staircase, "
        "oil lamp in hand, damp walls, low warm light",
        "the keeper climbs slowly, lamp swaying, shadows sliding along the wall",
        cref=True,
    ),
    Shot(
        "SC01_SH030",
        125,
        "close-up of the keeper's weathered hands writing in a logbook by lamplight, "
        "ink and brass, storm clouds in the window",
        "the pen moves across the page, the flame flickers, rain starts on the glass",
    ),
    Shot(
        "SC01_SH040",
        175,
        "la salle de la lanterne du phare, grande lentille de Fresnel, lumière dorée, "
        "le gardien de dos, crépuscule bleu",
        "la lentille tourne lentement, le faisceau balaie la mer, le gardien immobile",
    ),
    Shot(
        "SC02_SH010",
        150,
        "storm breaking over the lighthouse at night, waves crashing up the tower, "
        "rain streaks, beam of light cutting the dark",
        "huge waves hit the tower, spray rising, the beam sweeps through the rain",
    ),
    Shot(
        "SC02_SH020",
        135,
        "goélands pris dans la tempête, plumes trempées, ciel noir, écume, ralenti",
        "les goélands luttent contre le vent, ralenti, écume qui vole",
    ),
    Shot(
        COMFY_SHOT,
        120,
        "the keeper wiping salt from the lamp room glass during the storm, reflection of "
        "the rotating beam, 35mm film still",
        "the keeper wipes the salty glass, the beam turns slowly behind him, rain streaks",
    ),
    Shot(
        "SC02_SH040",
        175,
        "the keeper's face lit by the rotating beam, eyes closed, a memory rising, "
        "storm muffled, deep shadows",
        "light passes over his face every few seconds, he opens his eyes",
        cref=True,
    ),
    Shot(
        "SC03_SH010",
        225,
        "memory of a shipwreck on the reef, a fishing boat broken in two, drowned lanterns, "
        "ink line drawing in the style of Moebius, muted blue palette",
        "slow drift over the wreck, lanterns sinking, ink lines trembling",
    ),
    Shot(
        "SC03_SH020",
        150,
        "matin calme après la tempête, mer d'huile, débris de bois sur les rochers, "
        "brume, lumière pâle",
        "travelling latéral lent sur les rochers, la brume se lève",
    ),
    Shot(
        "SC03_SH030",
        145,
        "a bronze ship's bell half buried in seaweed on the shore, gulls walking around it, "
        "soft morning light",
        "a gull pecks at the bell, small waves reach it and withdraw",
    ),
    Shot(
        "SC03_SH040",
        200,
        "the old keeper walking down the stone jetty with a small suitcase, last day, "
        "wide shot, overcast",
        "the keeper walks away from camera, his coat moving in the wind",
        cref=True,
    ),
    Shot(
        "SC03_SH050",
        250,
        "le phare éteint au crépuscule, une dernière lueur dans la lanterne, mouettes, "
        "plan large fixe, mélancolie",
        "plan fixe, la dernière lueur s'éteint, les mouettes passent",
    ),
)

#: The one prompt that carries markup characters, quotes and accents (untrusted text test).
TRICKY_PROMPT = (
    'Le gardien écrit dans le registre : "Vent > 10 Beaufort & mer démontée <!>" — '
    "la flamme vacille, plan serré, lumière d'huile"
)
TRICKY_SHOT = "SC01_SH030"


@dataclass
class KlingKept:
    task_id: str
    video_s: float


@dataclass
class Chain:
    """What each stage kept, for the next stage and for the timeline."""

    mj_upscale_url: dict[str, str] = field(default_factory=dict)
    magnific_url: dict[str, str] = field(default_factory=dict)
    kling: dict[str, KlingKept] = field(default_factory=dict)
    comfy_video_s: float = 0.0
    suno_clip: tuple[str, float] = ("", 0.0)
    narration: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def day(offset_days: int, hour: int = 9) -> datetime:
    """A UTC datetime ``offset_days`` after 2026-06-01 at ``hour``:00."""
    return datetime.combine(FIRST_DAY + timedelta(days=offset_days), time(hour), tzinfo=UTC)


def mj_time(moment: datetime) -> str:
    """Midjourney ``enqueue_time``: UTC, no zone, microseconds."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def iso_z(moment: datetime) -> str:
    """ISO 8601 with milliseconds and ``Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def unix_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def unix_s(moment: datetime) -> int:
    return int(moment.timestamp())


class Writer:
    """The seeded random source and the file writer (UTF-8, ``\\n`` line ends)."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.written: list[str] = []

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def digits(self, count: int) -> str:
        return str(self.rng.randrange(10 ** (count - 1), 10**count))

    def token(self, count: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(count))

    def later(self, moment: datetime, low_s: float, high_s: float) -> datetime:
        """``moment`` plus a random delay, rounded to the microsecond."""
        return moment + timedelta(microseconds=round(self.rng.uniform(low_s, high_s) * 1e6))

    def text(self, rel: str, content: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
        self.written.append(rel)

    def json(self, rel: str, obj: Any) -> None:
        self.text(rel, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")

    def jsonl(self, rel: str, rows: list[dict[str, Any]]) -> None:
        lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
        self.text(rel, "\n".join(lines) + "\n")

    def csv(self, rel: str, header: list[str], rows: list[list[Any]]) -> None:
        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
        self.text(rel, buffer.getvalue())

    def png(self, rel: str, chunks: dict[str, str], saved: datetime) -> None:
        """A 16×9 sea-toned image with a ``tIME`` chunk (``saved``, UTC) and text chunks; stored,
        not deflated, so bytes never vary with the zlib build."""
        image = Image.new("RGB", (16, 9))
        for y in range(9):
            for x in range(16):
                shade = self.rng.randrange(0, 24)
                image.putpixel((x, y), (20 + shade, 40 + 6 * y + shade, 70 + 4 * x + shade))
        info = PngInfo()
        stamp = (saved.year, saved.month, saved.day, saved.hour, saved.minute, saved.second)
        info.add(b"tIME", struct.pack(">HBBBBB", *stamp))
        for key, value in chunks.items():
            info.add_text(key, value)
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path, format="PNG", pnginfo=info, compress_level=0)
        self.written.append(rel)

"""The final cut as a Premiere Pro / FCP7 ``xmeml`` (version 4) sequence at 25 fps.

Video track 1: the 13 shots (each named after its shot, its file named after the kept Kling task or
the ComfyUI render) and the 2-s stock clip, back to back over 90 s. Audio track 1: the Suno clip
across the film. Audio track 2: the kept narration takes. All times are frames at 25 fps.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from _gen_audio import NARRATION
from _gen_common import (
    COMFY_VIDEO,
    FPS,
    RUNTIME_FRAMES,
    SHOTS,
    STOCK_AFTER,
    STOCK_FILE,
    STOCK_FRAMES,
    Chain,
    Writer,
)

SEQUENCE_NAME = "Le Dernier Phare — V3 final"
VOLUME = "file://localhost/Volumes/MAREE"
STOCK_MEDIA_FRAMES = 300
#: Speaking rate used to size narration clips, characters per second.
SPEECH_CHARS_PER_S = 14


@dataclass(frozen=True)
class Item:
    """One clip on a track: timeline start, duration and source in-point, in frames."""

    name: str
    file_name: str
    folder: str
    start: int
    frames: int
    source_in: int
    media_frames: int


def _sub(parent: ET.Element, tag: str, text: str | int | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _rate(parent: ET.Element) -> None:
    rate = _sub(parent, "rate")
    _sub(rate, "timebase", FPS)
    _sub(rate, "ntsc", "FALSE")


def _file(parent: ET.Element, number: int, item: Item, audio: bool) -> None:
    file_e = _sub(parent, "file")
    file_e.set("id", f"file-{number}")
    _sub(file_e, "name", item.file_name)
    _sub(file_e, "pathurl", f"{VOLUME}/{item.folder}/{item.file_name}")
    _rate(file_e)
    _sub(file_e, "duration", item.media_frames)
    media = _sub(file_e, "media")
    if audio:
        audio_e = _sub(media, "audio")
        chars = _sub(audio_e, "samplecharacteristics")
        _sub(chars, "depth", 16)
        _sub(chars, "samplerate", 48000)
        _sub(audio_e, "channelcount", 2)
    else:
        chars = _sub(_sub(media, "video"), "samplecharacteristics")
        _sub(chars, "width", 1920)
        _sub(chars, "height", 1080)


def _clipitem(track: ET.Element, number: int, item: Item, audio: bool) -> None:
    clip = _sub(track, "clipitem")
    clip.set("id", f"clipitem-{number}")
    _sub(clip, "name", item.name)
    _sub(clip, "enabled", "TRUE")
    _sub(clip, "duration", item.media_frames)
    _rate(clip)
    _sub(clip, "start", item.start)
    _sub(clip, "end", item.start + item.frames)
    _sub(clip, "in", item.source_in)
    _sub(clip, "out", item.source_in + item.frames)
    _file(clip, number, item, audio)
    if audio:
        source = _sub(clip, "sourcetrack")
        _sub(source, "mediatype", "audio")
        _sub(source, "trackindex", 1)


def picture_items(w: Writer, chain: Chain) -> list[Item]:
    """The shots in order, with the stock clip after STOCK_AFTER; no gap, 90 s in all."""
    items: list[Item] = []
    start = 0
    for shot in SHOTS:
        if shot.tool == "kling":
            kept = chain.kling[shot.shot_id]
            file_name = f"{shot.shot_id}_kling_{kept.task_id}.mp4"
            media_frames = math.floor(kept.video_s * FPS)
        else:
            file_name = COMFY_VIDEO
            media_frames = math.floor(chain.comfy_video_s * FPS)
        source_in = w.rng.randint(0, media_frames - shot.frames)
        items.append(
            Item(shot.shot_id, file_name, "rendus", start, shot.frames, source_in, media_frames)
        )
        start += shot.frames
        if shot.shot_id == STOCK_AFTER:
            items.append(
                Item(STOCK_FILE, STOCK_FILE, "stock", start, STOCK_FRAMES, 100, STOCK_MEDIA_FRAMES)
            )
            start += STOCK_FRAMES
    if start != RUNTIME_FRAMES:
        raise ValueError(f"picture track lasts {start} frames, not {RUNTIME_FRAMES}")
    return items


def sound_items(chain: Chain) -> tuple[list[Item], list[Item]]:
    """Audio track 1 (the Suno bed over the whole film) and track 2 (narration takes)."""
    clip_id, duration_s = chain.suno_clip
    music_file = f"suno_{clip_id}.mp3"
    music = [
        Item(music_file, music_file, "audio", 0, RUNTIME_FRAMES, 0, math.floor(duration_s * FPS))
    ]
    voices: list[Item] = []
    ends = [start for start, _line in NARRATION[1:]] + [RUNTIME_FRAMES]
    for (start, _line), end, (item_id, text) in zip(NARRATION, ends, chain.narration, strict=True):
        frames = math.ceil(len(text) / SPEECH_CHARS_PER_S * FPS) + 10
        if start + frames > end:
            raise ValueError(f"narration {item_id} overlaps the next one")
        name = f"elevenlabs_{item_id}.mp3"
        voices.append(Item(name, name, "audio/voix", start, frames, 0, frames + 12))
    return music, voices


def timeline(w: Writer, chain: Chain) -> None:
    """Write timeline/le-dernier-phare.xml."""
    root = ET.Element("xmeml", version="4")
    sequence = _sub(root, "sequence")
    sequence.set("id", "sequence-1")
    _sub(sequence, "uuid", w.uuid4())
    _sub(sequence, "duration", RUNTIME_FRAMES)
    _rate(sequence)
    _sub(sequence, "name", SEQUENCE_NAME)
    media = _sub(sequence, "media")
    video = _sub(media, "video")
    chars = _sub(_sub(video, "format"), "samplecharacteristics")
    _rate(chars)
    _sub(chars, "width", 1920)
    _sub(chars, "height", 1080)
    number = 0
    tracks = [(video, picture_items(w, chain), False)]
    audio = _sub(media, "audio")
    tracks += [(audio, items, True) for items in sound_items(chain)]
    for parent, items, is_audio in tracks:
        track = _sub(parent, "track")
        for item in items:
            number += 1
            _clipitem(track, number, item, is_audio)
        _sub(track, "enabled", "TRUE")
        _sub(track, "locked", "FALSE")
    code = _sub(sequence, "timecode")
    _rate(code)
    _sub(code, "string", "00:00:00:00")
    _sub(code, "frame", 0)
    _sub(code, "displayformat", "NDF")
    ET.indent(root, space="\t")
    body = ET.tostring(root, encoding="unicode")
    w.text(
        "timeline/le-dernier-phare.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xmeml>\n' + body + "\n",
    )

"""AUTOMATIC1111 / Forge / SD.Next: the generation "infotext" saved in the images.

PNGs keep it in the text chunk ``parameters``, or, saved with the ``stealth_pnginfo`` extension,
in the pixels' least significant bits with no text chunk (:mod:`audit.ingest._stealth`); JPEG and
WEBP in the EXIF UserComment (tag 0x9286 of the Exif IFD 0x8769, ``UNICODE\\0`` + UTF-16)
(platforms-and-rights.md §1.16, [P]). The text
is: the prompt (any number of lines), an optional ``Negative prompt:`` part, and a last line of
``Key: value`` pairs separated by commas, a value in double quotes when it holds commas (JSON
string escapes). This parser is written from that description.

The image carries no job id: the id is ``a1111:`` + the first 16 hex of the sha256 of the
infotext, so copies of one image merge. ``Denoising strength`` without any ``Hires`` key means
img2img (the source image is not named). The model file and the LoRAs (``Lora hashes`` and
``<lora:name:weight>`` prompt tags) become inputs with roles ``checkpoint`` and ``lora``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._images import open_image, png_text, png_time
from audit.ingest._records import reject_of
from audit.ingest._sniff import tail
from audit.ingest._stealth import has_signature, read_stealth
from audit.ingest._util import TIME_SOURCE, mtime_utc, size_of
from audit.ingest.base import Adapter, Item, Reject, Source, build, head

_PNG_LOCATOR = "tEXt:parameters"
_EXIF_LOCATOR = "exif:UserComment"
_DECODER = json.JSONDecoder()
_LORA_TAG = re.compile(r"<lora:([^:>]+)(?::[^>]*)?>")
#: The infotext marker looked for when sniffing, in the encodings it is stored in.
_STEPS = tuple("Steps: ".encode(codec) for codec in ("ascii", "utf-16-be", "utf-16-le"))
#: Infotext keys copied into attributes → attribute name.
ATTRIBUTES = {
    "Sampler": "sampler", "Schedule type": "schedule_type", "CFG scale": "cfg_scale",
    "Model hash": "model_hash", "VAE": "vae", "VAE hash": "vae_hash", "Clip skip": "clip_skip",
    "Denoising strength": "denoising_strength", "Hires upscale": "hires_upscale",
    "Hires upscaler": "hires_upscaler", "Hires resize": "hires_resize",
    "Hires steps": "hires_steps", "Lora hashes": "lora_hashes", "TI hashes": "ti_hashes",
    "Version": "version",
    "Batch size": "batch_size", "Batch pos": "batch_pos",
}  # fmt: skip
_NUMBERS = {"cfg_scale", "denoising_strength", "hires_upscale", "clip_skip"}


@dataclass
class Infotext:
    """What an A1111 infotext says."""

    prompt: str = ""
    negative: str | None = None
    params: dict[str, str] = field(default_factory=dict)


def parse_params(line: str) -> dict[str, str] | None:
    """``Steps: 20, Sampler: "Euler a", ...`` → {key: value}; None when the line is not that."""
    pairs: dict[str, str] = {}
    pos, end = 0, len(line)
    while pos < end:
        colon = line.find(":", pos)
        key = line[pos:colon].strip() if colon >= 0 else ""
        if not key or any(c in key for c in ',"'):
            return None
        pos = _skip_spaces(line, colon + 1)
        if line.startswith('"', pos):
            try:
                value, pos = _DECODER.raw_decode(line, pos)
            except json.JSONDecodeError:
                return None
            pairs[key] = str(value)
        else:
            comma = line.find(",", pos)
            stop = end if comma < 0 else comma
            pairs[key], pos = line[pos:stop].strip(), stop
        pos = _skip_spaces(line, pos)
        if pos < end and line[pos] != ",":
            return None
        pos = _skip_spaces(line, pos + 1)
    return pairs


def _skip_spaces(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] == " ":
        pos += 1
    return pos


def parse_infotext(text: str) -> Infotext:
    """Split an infotext into prompt, negative prompt and the ``Key: value`` line."""
    lines = text.strip().replace("\r\n", "\n").split("\n")
    params = parse_params(lines[-1].strip()) if lines else None
    if params is not None and ("Steps" in params or len(params) >= 3):
        lines = lines[:-1]
    else:
        params = {}
    info = Infotext(params=params)
    marker = next((i for i, ln in enumerate(lines) if ln.startswith("Negative prompt:")), None)
    if marker is None:
        info.prompt = "\n".join(lines).strip()
        return info
    info.prompt = "\n".join(lines[:marker]).strip()
    rest = [lines[marker].removeprefix("Negative prompt:"), *lines[marker + 1 :]]
    info.negative = "\n".join(rest).strip() or None
    return info


def decode_user_comment(raw: bytes | str) -> str:
    """An EXIF UserComment: 8-byte charset prefix (``UNICODE\\0`` = UTF-16, byte order guessed
    from where the zero bytes fall; ``ASCII\\0\\0\\0``), else UTF-8."""
    if isinstance(raw, str):
        return raw
    prefix, body = raw[:8], raw[8:]
    if prefix == b"UNICODE\x00":
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return body.decode("utf-16", errors="replace")
        big = body[0::2].count(0) >= body[1::2].count(0)
        return body.decode("utf-16-be" if big else "utf-16-le", errors="replace")
    if prefix.rstrip(b"\x00") in (b"ASCII", b""):
        return body.decode("utf-8", errors="replace").rstrip("\x00")
    return raw.decode("utf-8", errors="replace").rstrip("\x00")


def exif_user_comment(source: Source) -> str | None:
    """The UserComment (0x9286 in the Exif IFD 0x8769) of a JPEG or WEBP, decoded."""
    with open_image(source) as image:
        try:
            raw = image.getexif().get_ifd(0x8769).get(0x9286)
        except (OSError, ValueError, SyntaxError) as exc:
            raise RecordError(
                f"unreadable EXIF ({exc})", file=source.name, locator="exif", field="file"
            ) from exc
    return decode_user_comment(raw) if isinstance(raw, bytes | str) and raw else None


def _whole(params: dict[str, str], key: str) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    if not (value.lstrip("-").isdecimal() and len(value) <= 18):
        raise RecordError("expected a whole number", field=key, value=value)
    return int(value)


def _number(value: str, key: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise RecordError("expected a number", field=key, value=value) from exc


def _size(params: dict[str, str]) -> tuple[int | None, int | None]:
    """The saved size: ``Hires resize``, else ``Size`` × ``Hires upscale``, else ``Size``."""
    if params.get("Hires resize"):
        width, height = size_of(params["Hires resize"], "Hires resize")
        if width and height:
            return width, height
    width, height = size_of(params.get("Size"), "Size")
    scale = _number(params["Hires upscale"], "Hires upscale") if "Hires upscale" in params else 1
    if width is None or height is None:
        return None, None
    return round(width * scale), round(height * scale)


Passes = dict[str, str | int | float]


def _hires(
    params: dict[str, str], width: int | None, height: int | None
) -> tuple[int | None, Passes]:
    """A hires fix ran two passes: ``Steps`` at ``Size``, then ``Hires steps`` (0 or absent:
    ``Steps`` again; A1111 runs the requested steps of the second pass whatever the denoising
    strength) at the saved size. (total steps, the passes' attributes as ComfyUI's)."""
    base_w, base_h = size_of(params.get("Size"), "Size")
    first = _whole(params, "Steps")
    hires = "Hires upscale" in params or "Hires resize" in params
    if not (hires and first and base_w and base_h and width and height):
        return first, {}
    second = _whole(params, "Hires steps") or first
    return first + second, {
        "sampling_passes": 2,
        "passes": f"first pass: {first} steps at {base_w}x{base_h}; "
        f"hires pass: {second} steps at {width}x{height}",
        "step_pixels": float(first * base_w * base_h + second * width * height),
    }


def _loras(info: Infotext) -> list[str]:
    names = [m.group(1).strip() for m in _LORA_TAG.finditer(info.prompt)]
    for pair in info.params.get("Lora hashes", "").split(","):
        name = pair.split(":", 1)[0].strip()
        if name:
            names.append(name)
    return list(dict.fromkeys(names))


def _attributes(params: dict[str, str]) -> dict[str, str | int | float]:
    found: dict[str, str | int | float] = {}
    for key, name in ATTRIBUTES.items():
        if key in params:
            found[name] = _number(params[key], key) if name in _NUMBERS else params[key]
    return found


class A1111Adapter(Adapter):
    """Images from AUTOMATIC1111 and Forge: the infotext they write into the picture (text chunk,
    EXIF comment or stealth bits in the pixels), one generation per image."""

    name = "a1111"
    platform = "a1111"
    title = "AUTOMATIC1111 / Forge (infotext in PNG, JPEG and WEBP)"
    suffixes = (".png", ".jpg", ".jpeg", ".webp")
    formats = (
        "PNG text chunk 'parameters', or 'stealth' infotext in the pixels when there is no text "
        "chunk (stealth_pnginfo extension: least significant bits taken column by column, alpha "
        "channel for stealth_pnginfo/stealth_pngcomp, red-green-blue for stealth_rgbinfo/"
        "stealth_rgbcomp; 15-byte signature, 32-bit bit count, UTF-8 text, gzip for *comp; "
        "locator pixels:<signature>; images over 40 MP not searched); JPEG/WEBP EXIF "
        "UserComment (UNICODE + UTF-16): prompt lines, 'Negative prompt:', and a last line of "
        "'Key: value' pairs (quoted values)"
    )
    reads = (
        "prompt, negative prompt, Steps, Sampler, Schedule type, CFG scale, Seed, Size, Model "
        "hash, Model, VAE, Clip skip, Denoising strength (img2img without Hires keys), Hires "
        "upscale/upscaler/resize/steps, Lora hashes and <lora:...> tags, TI hashes, Version; a "
        "hires fix is two sampling passes (Steps at Size, then Hires steps, or Steps when 0, at "
        "the saved size): steps is their total, attributes sampling_passes, passes and "
        "step_pixels as for ComfyUI"
    )
    cannot_know = (
        "the time of the run (PNG Creation Time/tIME chunk, else the file's modification time), "
        "the img2img source image, the GPU, energy"
    )
    seen_in = (
        "real PNG and JPEG infotext: d3x-at/sd-parsers tests/resources/parsers/AUTOMATIC1111; "
        "stealth format: neggles/sd-webui-stealth-pnginfo scripts/stealth_pnginfo.py"
    )

    def sniff(self, path: Path) -> bool:
        """An image carrying an infotext: a PNG with a ``parameters`` chunk (and no ComfyUI graph)
        or a stealth signature, a WEBP or JPEG whose EXIF holds one."""
        suffix = path.suffix.lower()
        data = head(path)
        if suffix == ".png":
            kinds = (b"tEXt", b"iTXt", b"zTXt")
            comfy = any(k + key in data for k in kinds for key in (b"prompt\x00", b"workflow\x00"))
            if comfy:
                return False
            return any(k + b"parameters\x00" in data for k in kinds) or has_signature(path)
        if suffix == ".webp" and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
            data = data + tail(path)
        elif not data.startswith(b"\xff\xd8"):
            return False
        charset = b"UNICODE\x00" in data or b"ASCII\x00\x00\x00" in data
        return charset and any(marker in data for marker in _STEPS)

    def read(self, source: Source) -> Iterator[Item]:
        """The image's one generation, or one reject at its PNG chunk or EXIF locator."""
        png = source.path.suffix.lower() == ".png"
        locator = _PNG_LOCATOR if png else _EXIF_LOCATOR
        try:
            yield self._image(source, locator, png)
        except RecordError as exc:
            yield reject_of(source, locator, exc)

    def _image(self, source: Source, locator: str, png: bool) -> Item:
        text = png_text(source) if png else {}
        raw = text.get("parameters") if png else exif_user_comment(source)
        if png and not raw:
            stealth = read_stealth(source)
            if stealth is not None:
                locator, raw = f"pixels:{stealth[0]}", stealth[1]
        if not raw or not raw.strip():
            return Reject(source.name, locator, "parameters", "no infotext")
        info = parse_infotext(raw)
        created, origin = png_time(source, text) if png else (mtime_utc(source.path), "file_mtime")
        params = info.params
        width, height = _size(params)
        attributes = _attributes(params)
        if origin == "file_mtime":
            attributes[TIME_SOURCE] = origin
        steps, passes = _hires(params, width, height)
        attributes.update(passes)
        hires = any(key.startswith("Hires") for key in params)
        img2img = "Denoising strength" in params and not hires
        model = params.get("Model") or None
        inputs = [AssetRef(uri=model, role="checkpoint")] if model else []
        inputs += [AssetRef(uri=name, role="lora") for name in _loras(info)]
        return build(
            source,
            locator,
            self.name,
            id="a1111:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16],
            platform=self.platform,
            model=model,
            modality="image",
            task="image_to_image" if img2img else "text_to_image",
            created_at=created,
            prompt=info.prompt or None,
            negative_prompt=info.negative,
            seed=_whole(params, "Seed"),
            steps=steps,
            width=width,
            height=height,
            inputs=inputs,
            outputs=[source.path.name],
            attributes=attributes,
        )

"""ComfyUI: the API graph embedded in PNGs (text chunk ``prompt``) and animated WEBPs (EXIF string
``prompt:{...}``), and the server's ``/history`` JSON (platforms-and-rights.md §1.15, [P]).

The graph says everything the run used (:mod:`audit.ingest.comfyui_graph` reads it: models,
prompts, inputs, size, seed, and the vendor of a paid API node). This module reads the files that
carry it: when the run happened (``status.messages``, the PNG's time chunks, else the file's
modification time), its status and saved outputs, and the hardware or measured energy a local run
wrote into its extra data. A PNG or WEBP carries no prompt id: its id is
``comfyui:<first 16 hex of sha256 of the prompt text>``, so copies of one image merge.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.ingest._images import exif_strings, png_text, png_time
from audit.ingest._records import each_record, load_document, pointer, reject_of
from audit.ingest._sniff import is_json_suffix, looks_canonical, tail
from audit.ingest._util import TIME_SOURCE, epoch_time, expect, mtime_utc, required
from audit.ingest.base import Adapter, Item, Source, build, head, head_text
from audit.ingest.comfyui_graph import analyse, node_order, parse_graph
from audit.ingest.comfyui_graph import prompts as prompts  # still importable from here

_HARDWARE_KEYS = ("hardware", "gpu", "gpu_name", "device")
_PROMPT_LIST = re.compile(r'"prompt"\s*:\s*\[\s*\d+\s*,\s*"')


def _extra_facts(extra: dict[str, Any]) -> dict[str, Any]:
    """Hardware and measured energy a local run wrote into its extra data, if any."""
    nested = extra.get("extra_pnginfo")
    pools: list[dict[str, Any]] = [extra, nested if isinstance(nested, dict) else {}]
    facts: dict[str, Any] = {}
    for pool in pools:
        for key in _HARDWARE_KEYS:
            value = _decoded(pool.get(key))
            if isinstance(value, str) and value and "hardware" not in facts:
                facts["hardware"] = value
        energy = _decoded(pool.get("measured_energy_wh"))
        if isinstance(energy, int | float) and not isinstance(energy, bool):
            facts.setdefault("measured_energy_wh", float(energy))
    return facts


def _decoded(value: object) -> object:
    """PNG text chunks hold extra_pnginfo values as JSON text; decode when they are."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):  # not JSON (or not JSON Python can hold): as text
            return value
    return value


def _short_id(text: str) -> str:
    return "comfyui:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _status(status: dict[str, Any], extra: dict[str, Any]) -> tuple[Any, str, float | None]:
    """(created_at, status, run seconds) from ``status.messages`` (ms timestamps)."""
    stamps: dict[str, Any] = {}
    for message in expect(status, "messages", list, "status.messages") or []:
        if isinstance(message, list) and len(message) == 2 and isinstance(message[1], dict):
            when = epoch_time(message[1], "timestamp", f"status.messages.{message[0]}.timestamp")
            if when is not None:
                stamps.setdefault(str(message[0]), when)
    start = stamps.get("execution_start") or min(stamps.values(), default=None)
    created = start or epoch_time(extra, "create_time", "prompt.3.create_time")
    created = required(created, "status.messages")
    ends = ("execution_success", "execution_error", "execution_interrupted")
    end = next((stamps[k] for k in ends if k in stamps), None)
    run_s = round((end - start).total_seconds(), 3) if start and end else None
    word = status.get("status_str")
    if "execution_interrupted" in stamps:
        return created, "cancelled", run_s
    if word in ("success", None) and status.get("completed", True):
        return created, "succeeded", run_s
    if word == "error":
        return created, "failed", run_s
    raise RecordError(
        "run not finished", field="status.status_str", value=word, choices=("error", "success")
    )


_OUTPUT_KINDS = {"images": "image", "gifs": "video", "videos": "video", "audio": "sound"}


def _history_outputs(outputs: dict[str, Any]) -> tuple[list[str], str | None]:
    """Saved file names (previews left out) and the modality their keys suggest."""
    names: list[str] = []
    kind: str | None = None
    for node_id in sorted(outputs, key=node_order):
        produced = outputs[node_id] if isinstance(outputs[node_id], dict) else {}
        for key, files in produced.items():
            for item in files if isinstance(files, list) else []:
                if isinstance(item, dict) and item.get("filename") and item.get("type") != "temp":
                    folder = item.get("subfolder") or ""
                    names.append(f"{folder}/{item['filename']}" if folder else item["filename"])
                    kind = kind if kind == "video" else _OUTPUT_KINDS.get(key, kind)
    return names, kind


class ComfyUIAdapter(Adapter):
    """ComfyUI's graphs: the API graph embedded in PNG and WEBP outputs, and the /history JSON, one
    generation per prompt with its sampler passes counted."""

    name = "comfyui"
    platform = "comfyui"
    title = "ComfyUI (embedded graphs and /history)"
    suffixes = (".png", ".webp", ".json")
    formats = (
        "PNG text chunk 'prompt' (API graph; 'workflow' is the UI graph); animated WEBP EXIF "
        "strings 'prompt:{...}'; GET /history JSON {prompt_id: {prompt: [number, prompt_id, "
        "graph, extra, outputs], outputs, status}}"
    )
    reads = (
        "loader nodes (ckpt_name, unet_name, lora_name, control_net_name), seed/noise_seed, "
        "latent width/height/batch_size/length, fps/frame_rate, CLIPTextEncode texts "
        "(negative when wired to a negative input), LoadImage/LoadVideo/LoadAudio, paid API "
        "nodes, save nodes, status.messages timestamps, extra hardware/measured_energy_wh; "
        "sampling passes, walked back from every save node (previews only when nothing is "
        "saved) through every sampler that ran: steps are the total effective steps "
        "(KSamplerAdvanced end_at_step - start_at_step within steps, KSampler steps x denoise "
        "rounded up, SamplerCustom/SamplerCustomAdvanced from the scheduler wired to sigmas, "
        "SplitSigmas halves), each pass's latent size (Empty*Latent*, LatentUpscale/"
        "LatentUpscaleBy, images re-encoded after ImageScale/ImageScaleBy/"
        "ImageUpscaleWithModel with the factor the model file names, LatentComposite "
        "destination, RepeatLatentBatch), a tiled upscaler that samples (UltimateSDUpscale: "
        "steps x denoise at its output size), width/height the final output's size, one output per "
        "save node and batch item; with several passes, attributes sampling_passes, passes "
        "(one line per pass) and step_pixels (sum of steps x latent pixels x batch, which the "
        "image estimate uses so each pass counts at its own size)"
    )
    seen_in = (
        "embedded graphs: comfyanonymous/ComfyUI_examples (flux, sdxl base + refiner, ltxv, "
        "2_pass_txt2img hires fix); a real two-pass graph (area composition, latent upscale, "
        "second KSampler at denoise 0.5): d3x-at/sd-parsers tests/resources/parsers/ComfyUI"
    )
    cannot_know = (
        "the time of a PNG/WEBP run (Creation Time/tIME chunk, else the file's modification "
        "time), the GPU unless the extra data names it, energy unless measured"
    )

    def sniff(self, path: Path) -> bool:
        """A PNG with a ``prompt`` or ``workflow`` text chunk, an animated WEBP whose EXIF holds
        ``prompt:``, or /history JSON."""
        suffix = path.suffix.lower()
        if suffix == ".png":
            data = head(path)
            return any(
                kind + key in data
                for kind in (b"tEXt", b"iTXt", b"zTXt")
                for key in (b"prompt\x00", b"workflow\x00")
            )
        if suffix == ".webp":
            data = head(path)
            if not (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
                return False
            end = tail(path)
            return b"prompt:{" in end or b"workflow:{" in end
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        return not looks_canonical(text) and bool(_PROMPT_LIST.search(text))

    def read(self, source: Source) -> Iterator[Item]:
        """The generation of an embedded graph, or one per prompt of a /history file."""
        suffix = source.path.suffix.lower()
        if suffix == ".png":
            text = png_text(source)
            yield self._embedded(source, "tEXt:prompt", text.get("prompt"), text, "png")
        elif suffix == ".webp":
            yield self._embedded(
                source, "exif:prompt", exif_strings(source).get("prompt"), {}, "webp"
            )
        else:
            yield from self._history(source)

    def _embedded(
        self, source: Source, locator: str, raw: str | None, text: dict[str, str], kind: str
    ) -> Item:
        try:
            fields = analyse(parse_graph(required(raw, "prompt"), "prompt"))
            if kind == "png":
                created, origin = png_time(source, text)
            else:
                created, origin = mtime_utc(source.path), "file_mtime"
        except RecordError as exc:
            return reject_of(source, locator, exc)
        if origin == "file_mtime":
            fields["attributes"][TIME_SOURCE] = origin
        fields.update(_extra_facts(dict(text)), id=_short_id(str(raw)), created_at=created)
        fields.setdefault("platform", self.platform)
        return build(source, locator, self.name, outputs=[source.path.name], **fields)

    def _history(self, source: Source) -> Iterator[Item]:
        doc = load_document(source)
        if not isinstance(doc, dict):
            kind = type(doc).__name__
            msg = "expected {prompt_id: {...}}"
            raise RecordError(msg, file=source.name, locator="/", field="file", value=kind)
        pairs = [(pointer(k), v) for k, v in doc.items() if not str(k).startswith("_")]
        yield from each_record(source, pairs, lambda loc, obj: self._run(source, loc, obj))

    def _run(self, source: Source, locator: str, entry: dict[str, Any]) -> Item:
        prompt = required(expect(entry, "prompt", list, "prompt"), "prompt")
        if len(prompt) < 3 or not isinstance(prompt[1], str):
            raise RecordError(
                "expected [number, prompt_id, graph, extra, outputs]",
                field="prompt",
                value=f"list of {len(prompt)}",
            )
        extra = prompt[3] if len(prompt) > 3 and isinstance(prompt[3], dict) else {}
        created, status, run_s = _status(expect(entry, "status", dict, "status") or {}, extra)
        names, kind = _history_outputs(expect(entry, "outputs", dict, "outputs") or {})
        fields = analyse(parse_graph(prompt[2], "prompt.2"), fallback=kind)
        fields.update(_extra_facts(extra))
        fields.setdefault("platform", self.platform)
        if run_s is not None:
            fields["attributes"]["run_s"] = run_s
        if names:
            fields["outputs_count"] = len(names)
        fields.update(id=f"comfyui:{prompt[1]}", created_at=created, status=status, outputs=names)
        return build(source, locator, self.name, **fields)

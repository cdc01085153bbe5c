"""ComfyUI: the API graph embedded in PNGs (text chunk ``prompt``) and animated WEBPs (EXIF string
``prompt:{...}``), and the server's ``/history`` JSON (platforms-and-rights.md §1.15, [P]).

The graph says everything the run used: loader nodes name the model files, samplers the seed and
steps, latent nodes the size and frame count, text encoders the prompts, load nodes the inputs. A
paid API node (Kling, Runway, Veo...) means the work ran on that vendor: the record's platform is
the vendor, with attribute ``via: comfyui``. A PNG or WEBP carries no prompt id: its id is
``comfyui:<first 16 hex of sha256 of the prompt text>``, so copies of one image merge.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audit.errors import RecordError
from audit.ingest._util import (
    TIME_SOURCE,
    each_record,
    epoch_time,
    exif_strings,
    expect,
    is_json_suffix,
    load_document,
    looks_canonical,
    mtime_utc,
    png_text,
    png_time,
    pointer,
    reject_of,
    required,
    tail,
)
from audit.ingest.base import Adapter, Item, Source, build, head, head_text
from audit.models import AssetRef
from audit.textio import NESTED_TOO_DEEPLY

Graph = dict[str, dict[str, Any]]
# fmt: off
#: Loader inputs naming model files, and the AssetRef role they get.
LOADER_ROLES = {
    "ckpt_name": "checkpoint", "unet_name": "checkpoint", "lora_name": "lora",
    "control_net_name": "controlnet", "controlnet_name": "controlnet",
}
#: Class-name prefixes (lower case) of paid API ("partner") nodes → platform key.
API_VENDORS = (
    ("kling", "kling"), ("runway", "runway"), ("veo", "veo"), ("luma", "luma"), ("pika", "pika"),
    ("minimax", "minimax"), ("elevenlabs", "elevenlabs"), ("openai", "openai"),
    ("gemini", "google"), ("google", "google"), ("stability", "stability"),
    ("ideogram", "ideogram"), ("recraft", "recraft"), ("fluxpro", "bfl"), ("fluxkontext", "bfl"),
    ("flux2pro", "bfl"), ("moonvalley", "moonvalley"), ("vidu", "vidu"),
    ("bytedance", "bytedance"), ("magnific", "magnific"), ("tripo", "tripo"),
)
# fmt: on
_TEXT_KEYS = ("text", "t5xxl", "clip_l", "text_g", "text_l")
_HARDWARE_KEYS = ("hardware", "gpu", "gpu_name", "device")
_SIZE_HINTS = ("Latent", "ToVideo", "EmptyImage")
_PROMPT_LIST = re.compile(r'"prompt"\s*:\s*\[\s*\d+\s*,\s*"')


def _order(node_id: str) -> tuple[int, str]:
    numeric = node_id.isdecimal() and len(node_id) <= 18  # "²" is a digit int() refuses
    return (int(node_id), "") if numeric else (1 << 62, node_id)


def _is_link(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[1], int)


def parse_graph(text: str | object, field: str) -> Graph:
    """The API graph as ``{node_id: {class_type, inputs}}``; a RecordError names the bad node."""
    try:
        graph = json.loads(text) if isinstance(text, str) else text
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON: {exc.msg}", field=field) from exc
    except RecursionError as exc:
        raise RecordError(NESTED_TOO_DEEPLY, field=field) from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise RecordError(f"invalid JSON: {exc}", field=field) from exc
    if not isinstance(graph, dict):
        raise RecordError("expected the API graph object", field=field, value=type(graph).__name__)
    for node_id, node in graph.items():
        if not isinstance(node, dict) or not isinstance(node.get("class_type"), str):
            raise RecordError("node without class_type", field=f"{field}.{node_id}")
        expect(node, "inputs", dict, f"{field}.{node_id}.inputs")
    return {
        str(k): {"class_type": v["class_type"], "inputs": v.get("inputs") or {}}
        for k, v in sorted(graph.items(), key=lambda kv: _order(str(kv[0])))
    }


def _first(
    graph: Graph, keys: tuple[str, ...], kind: type | tuple[type, ...], only: tuple[str, ...] = ()
) -> Any:
    """The first value of one of ``keys`` (of type ``kind``) in node order."""
    for node in graph.values():
        if only and not any(hint in node["class_type"] for hint in only):
            continue
        for key in keys:
            value = node["inputs"].get(key)
            if isinstance(value, kind) and not isinstance(value, bool):
                return value
    return None


def _output_modality(class_type: str) -> str | None:
    if not (class_type.startswith(("Save", "Preview")) or class_type == "VHS_VideoCombine"):
        return None
    if "Audio" in class_type:
        return "sound"
    if any(word in class_type for word in ("Video", "Animated", "WEBM", "Combine")):
        return "video"
    return "image"


def _vendor(class_type: str) -> str | None:
    lowered = class_type.lower()
    return next((key for prefix, key in API_VENDORS if lowered.startswith(prefix)), None)


def _text_of(node: dict[str, Any]) -> str | None:
    if "TextEncode" not in node["class_type"]:
        return None
    return next((v for k in _TEXT_KEYS if isinstance(v := node["inputs"].get(k), str)), None)


def _trace(graph: Graph, link: list[Any], found: set[str], seen: set[tuple[str, int]]) -> None:
    """Collect the text encoders upstream of a ``negative`` link (a walk with its own stack, so
    a chain of thousands of nodes cannot exhaust Python's recursion limit)."""
    todo = [link]
    while todo:
        current = todo.pop()
        node_id, index = str(current[0]), current[1]
        node = graph.get(node_id)
        if node is None or (node_id, index) in seen or node["class_type"] == "ConditioningZeroOut":
            continue
        seen.add((node_id, index))
        if _text_of(node) is not None:
            found.add(node_id)
            continue
        inputs = node["inputs"]
        if "positive" in inputs and "negative" in inputs:
            upstream = [inputs["negative" if index == 1 else "positive"]]
        else:
            upstream = list(inputs.values())
        todo += [value for value in reversed(upstream) if _is_link(value)]


def prompts(graph: Graph) -> tuple[str | None, str | None]:
    """(positive, negative) prompt texts: encoders wired to a ``negative`` input are negative."""
    negative: set[str] = set()
    for node in graph.values():
        link = node["inputs"].get("negative")
        if _is_link(link):
            _trace(graph, link, negative, set())
    texts: dict[bool, list[str]] = {True: [], False: []}
    for node_id, node in graph.items():
        text = _text_of(node)
        if text and text not in texts[node_id in negative]:
            texts[node_id in negative].append(text)
    return "\n".join(texts[False]) or None, "\n".join(texts[True]) or None


def _inputs(graph: Graph) -> list[AssetRef]:
    refs: list[AssetRef] = []
    for node in graph.values():
        class_type, inputs = node["class_type"], node["inputs"]
        for key, role in LOADER_ROLES.items():
            if isinstance(inputs.get(key), str):
                refs.append(AssetRef(uri=inputs[key], role=role))
        if class_type.startswith(("Load", "VHS_Load")):
            kind = next((r for r in ("image", "video", "audio") if r in class_type.lower()), None)
            keys = [k for k in ("image", "video", "file", "audio") if _is_str(inputs, k)]
            name = inputs[keys[0]] if keys else None
            if kind and name:
                refs.append(AssetRef(uri=name, role=kind))
    return refs


def analyse(graph: Graph, fallback: str | None = None) -> dict[str, Any]:
    """Generation fields the API graph tells: model, modality, size, frames, seed, prompts...
    ``fallback`` is the modality when no save node is in the graph (from /history outputs)."""
    modalities = [m for n in graph.values() if (m := _output_modality(n["class_type"]))]
    inputs = _inputs(graph)
    positive, negative = prompts(graph)
    fields: dict[str, Any] = {
        "model": next((ref.uri for ref in inputs if ref.role == "checkpoint"), None),
        "modality": modalities[0] if modalities else fallback,
        "prompt": positive,
        "negative_prompt": negative,
        "inputs": inputs,
        "attributes": {},
    }
    api = next((n for n in graph.values() if _vendor(n["class_type"])), None)
    if api is not None:
        fields.update(_api_fields(api, fields["modality"]))
    if fields["modality"] is None:
        raise RecordError("no output node (Save*/Preview*) in the graph", field="prompt")
    fields["task"] = _task(fields["modality"], inputs)
    fields.update(_numbers(graph, fields["modality"]))
    return fields


def _api_fields(api: dict[str, Any], modality: str | None) -> dict[str, Any]:
    """A paid API node: the vendor is the platform; its model and prompts are plain inputs."""
    inputs = api["inputs"]
    found: dict[str, Any] = {
        "platform": _vendor(api["class_type"]),
        "model": next((inputs[k] for k in ("model", "model_name") if _is_str(inputs, k)), None),
        "modality": _api_modality(api["class_type"], modality),
        "attributes": {"via": "comfyui", "api_node": api["class_type"]},
    }
    for key in ("prompt", "negative_prompt"):
        if _is_str(inputs, key):
            found[key] = inputs[key]
    return found


def _is_str(inputs: dict[str, Any], key: str) -> bool:
    return isinstance(inputs.get(key), str)


def _api_modality(class_type: str, fallback: str | None) -> str | None:
    if "Video" in class_type:
        return "video"
    if any(word in class_type for word in ("Speech", "TTS", "Voice")):
        return "speech"
    if "Audio" in class_type:
        return "sound"
    return fallback or ("image" if "Image" in class_type else None)


def _task(modality: str, inputs: list[AssetRef]) -> str:
    source = "image" if any(ref.role == "image" for ref in inputs) else "text"
    target = {"video": "video", "sound": "audio", "speech": "speech"}.get(modality, "image")
    return f"{source}_to_{target}"


def _size_node(graph: Graph) -> dict[str, Any]:
    """Inputs of the first latent/video node with integer width and height."""
    for node in graph.values():
        inputs: dict[str, Any] = node["inputs"]
        sized = isinstance(inputs.get("width"), int) and isinstance(inputs.get("height"), int)
        if sized and any(hint in node["class_type"] for hint in _SIZE_HINTS):
            return inputs
    return {}


def _numbers(graph: Graph, modality: str) -> dict[str, Any]:
    size_node = _size_node(graph)
    batch = size_node.get("batch_size")
    found: dict[str, Any] = {
        "seed": _first(graph, ("seed", "noise_seed"), int),
        "steps": _first(graph, ("steps",), int),
        "width": size_node.get("width"),
        "height": size_node.get("height"),
        "outputs_count": batch if isinstance(batch, int) else 1,
    }
    if modality == "video":
        frames = size_node.get("length")
        fps = _first(graph, ("fps", "frame_rate"), (int, float), ("Save", "Combine", "Create"))
        fps = fps or _first(graph, ("fps", "frame_rate"), (int, float))
        found.update(frames=frames if isinstance(frames, int) else None, fps=fps)
        if isinstance(frames, int) and fps:
            found["duration_s"] = frames / fps
    return found


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
    for node_id in sorted(outputs, key=_order):
        produced = outputs[node_id] if isinstance(outputs[node_id], dict) else {}
        for key, files in produced.items():
            for item in files if isinstance(files, list) else []:
                if isinstance(item, dict) and item.get("filename") and item.get("type") != "temp":
                    folder = item.get("subfolder") or ""
                    names.append(f"{folder}/{item['filename']}" if folder else item["filename"])
                    kind = kind if kind == "video" else _OUTPUT_KINDS.get(key, kind)
    return names, kind


class ComfyUIAdapter(Adapter):
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
        "steps, latent width/height/batch_size/length, fps/frame_rate, CLIPTextEncode texts "
        "(negative when wired to a negative input), LoadImage/LoadVideo/LoadAudio, paid API "
        "nodes, save nodes, status.messages timestamps, extra hardware/measured_energy_wh"
    )
    cannot_know = (
        "the time of a PNG/WEBP run (Creation Time/tIME chunk, else the file's modification "
        "time), the GPU unless the extra data names it, energy unless measured"
    )

    def sniff(self, path: Path) -> bool:
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

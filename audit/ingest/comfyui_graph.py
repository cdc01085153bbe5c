"""What a ComfyUI API graph says about the run: models, prompts, inputs, size, seed, vendor.

The graph is ``{node_id: {class_type, inputs}}``, as ComfyUI embeds it in PNGs and WEBPs and returns
it from ``/history`` (how those files carry it is :mod:`audit.ingest.comfyui`'s part). Loader
nodes name the model files, samplers the seed and steps, latent nodes the size and frame count,
text encoders the prompts (negative when wired to a ``negative`` input), load nodes the inputs,
save nodes the modality. A paid API node (Kling, Runway, Veo...) means the work ran on that vendor:
the record's platform is the vendor, with attribute ``via: comfyui``.
"""

from __future__ import annotations

import json
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.base.textio import NESTED_TOO_DEEPLY
from audit.ingest._util import expect
from audit.ingest.comfyui_passes import Walk, walk

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
_SIZE_HINTS = ("Latent", "ToVideo", "EmptyImage")


def node_order(node_id: str) -> tuple[int, str]:
    """Sort key of node ids: numbers in numeric order, then other ids by name."""
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
        for k, v in sorted(graph.items(), key=lambda kv: node_order(str(kv[0])))
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
    fields["attributes"].update(fields.pop("pass_attributes"))
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
    found.update(_walked(walk(graph), modality))
    if modality == "video":
        frames = size_node.get("length")
        fps = _first(graph, ("fps", "frame_rate"), (int, float), ("Save", "Combine", "Create"))
        fps = fps or _first(graph, ("fps", "frame_rate"), (int, float))
        found.update(frames=frames if isinstance(frames, int) else None, fps=fps)
        if isinstance(frames, int) and fps:
            found["duration_s"] = frames / fps
    return found


def _walked(found: Walk, modality: str) -> dict[str, Any]:
    """Steps, final size and outputs from the walk back from every output node; with several
    passes (or when counting them differs from steps × size × outputs), the passes and their
    ``step_pixels`` (Σ effective steps × latent pixels × batch) go in the attributes, so the
    estimate counts each pass at its own size."""
    fields: dict[str, Any] = {"pass_attributes": {}}
    if found.total_steps is not None:
        fields["steps"] = found.total_steps
    if found.final is not None:
        fields["width"], fields["height"] = found.final[:2]
    if found.outputs_count is not None:
        fields["outputs_count"] = found.outputs_count
    step_pixels = found.step_pixels() if modality == "image" else None
    naive = None
    if found.final is not None and found.total_steps is not None:
        naive = found.total_steps * found.final[0] * found.final[1] * fields.get("outputs_count", 1)
    if len(found.passes) > 1 or (step_pixels is not None and step_pixels != naive):
        fields["pass_attributes"] = {
            "sampling_passes": len(found.passes),
            "passes": "; ".join(one.describe() for one in found.passes),
        }
        if step_pixels is not None:
            fields["pass_attributes"]["step_pixels"] = step_pixels
    return fields

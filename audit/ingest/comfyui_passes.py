"""The sampling passes of a ComfyUI API graph, walked back from every output node.

A graph may sample more than once: a hires fix (sample, upscale the latent or the decoded image,
sample again at part denoise), an SDXL base + refiner pair of ``KSamplerAdvanced`` nodes sharing
one schedule, composited latents, an unCLIP second pass. From every save node
(``SaveImage``, ``SaveAnimatedWEBP``, ``VHS_VideoCombine``...; preview nodes only when there is
no save node) the walk follows every link upstream and keeps every sampler that ran:

- effective steps: ``KSamplerAdvanced`` runs ``min(end_at_step, steps) − start_at_step``; a
  ``KSampler`` runs ``steps × denoise`` rounded up; ``SamplerCustom``/``SamplerCustomAdvanced``
  take ``steps`` and ``denoise`` from the scheduler wired to ``sigmas`` (``SplitSigmas`` halves
  counted);
- each pass's latent size: ``Empty*Latent*`` nodes, ``LatentUpscale``/``LatentUpscaleBy``,
  images re-encoded (``VAEEncode`` of an upscaled decode), ``LatentComposite`` (its destination),
  batch repeats; the output's size the same way through ``VAEDecode`` and image scalers
  (``ImageScale``, ``ImageScaleBy``, ``ImageUpscaleWithModel`` with the factor its model file
  names, e.g. ``4x-UltraSharp.pth``);
- a tiled upscaler that samples (Ultimate SD Upscale: ``steps × denoise`` over its tiles) is a
  pass at its output size (the input image × ``upscale_by``; tile padding not counted).

Every walk is bounded (:data:`MAX_DEPTH` links deep) and keeps its own stack, so a crafted graph
cannot exhaust Python's recursion limit; what it cannot resolve stays unknown, never guessed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

Graph = dict[str, dict[str, Any]]
#: (width, height, batch) of a latent or an image; None when the graph does not tell.
Size = tuple[int, int, int]
#: How many links a size or steps lookup follows before giving up (the value stays unknown).
MAX_DEPTH = 64
#: Largest side and batch believed; beyond, a size is unknown (a crafted graph's 10**200).
MAX_SIDE, MAX_BATCH = 1 << 17, 1 << 12
_LATENT_KEYS = ("samples", "latent_image", "latent", "samples_to", "destination", "samples1")
_IMAGE_KEYS = ("image", "images", "pixels", "frames")
#: How an upscale model's file names its factor: ``4x-UltraSharp``, ``2xLexica``, ``RealESRGAN_x4plus``.
_FACTOR = re.compile(r"^(\d{1,2})x|(?<![0-9a-z])(\d{1,2})x(?!\d)|(?<![0-9a-z])x(\d{1,2})(?!\d)")
#: Beyond this many samplers, passes are ordered by node id only (ancestry is not counted).
_MAX_ORDERED = 64


@dataclass(frozen=True)
class Pass:
    """One sampler that ran: its node, effective steps and latent size (None = unknown)."""

    node: str
    class_type: str
    steps: int | None
    size: Size | None
    how: str = ""

    def describe(self) -> str:
        """The pass as a reader sees it: ``KSampler #3: 20 steps at 1024x1024 x2``."""
        steps = "? steps" if self.steps is None else f"{self.steps} steps"
        steps += f" ({self.how})" if self.how else ""
        size = f" at {self.size[0]}x{self.size[1]}" if self.size else " (size unknown)"
        batch = f" x{self.size[2]}" if self.size and self.size[2] != 1 else ""
        return f"{self.class_type} #{self.node}: {steps}{size}{batch}"


@dataclass(frozen=True)
class Walk:
    """What the walk found: every pass (upstream first) and each output node's size."""

    passes: tuple[Pass, ...]
    outputs: tuple[tuple[str, Size | None], ...]
    final: Size | None

    @property
    def total_steps(self) -> int | None:
        """Steps of all passes whose count is known, or None when none is."""
        known = [p.steps for p in self.passes if p.steps is not None]
        return sum(known) if known else None

    @property
    def outputs_count(self) -> int | None:
        """One output per save node, times its batch (1 when its size is unknown); None when
        no output's size is known."""
        if all(size is None for _, size in self.outputs):
            return None
        return sum(size[2] if size else 1 for _, size in self.outputs)

    def step_pixels(self) -> float | None:
        """Σ over passes of effective steps × latent pixels × batch (a pass of unknown size
        counted at the final output's size); None when a pass's steps are unknown."""
        total = 0.0
        for one in self.passes:
            size = one.size or self.final
            if one.steps is None or size is None:
                return None
            total += one.steps * size[0] * size[1] * size[2]
        return total


def is_link(value: object) -> bool:
    """Whether an input value is a link ``[node id, output index]`` rather than a literal."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str | int)
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    )


def _whole(value: object) -> int | None:
    """An integer input within ±2**31 (steps, sizes, batch); else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    ok = math.isfinite(value) and value == int(value) and abs(value) <= 1 << 31
    return int(value) if ok else None


def _real(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return float(value) if math.isfinite(value) else default


def is_sampler(node: dict[str, Any]) -> bool:
    """A node that samples: a ``*Sampler*`` class with a ``latent_image`` input, or a tiled
    upscaler that samples its tiles (Ultimate SD Upscale: ``steps``, ``denoise`` and
    ``upscale_by`` on an ``image``)."""
    inputs = node["inputs"]
    if "Sampler" in node["class_type"] and is_link(inputs.get("latent_image")):
        return True
    return is_link(inputs.get("image")) and all(
        k in inputs for k in ("steps", "denoise", "upscale_by")
    )


def output_nodes(graph: Graph) -> list[str]:
    """Save nodes (video combiners included); preview nodes only when nothing is saved."""
    saves = [k for k, n in graph.items() if _is_save(n["class_type"])]
    if saves:
        return saves
    return [k for k, n in graph.items() if n["class_type"].startswith("Preview")]


def _is_save(class_type: str) -> bool:
    return class_type.startswith("Save") or class_type == "VHS_VideoCombine"


def upstream(graph: Graph, start: str) -> set[str]:
    """Every node ``start`` depends on (itself included), with an explicit stack."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        node_id = todo.pop()
        node = graph.get(node_id)
        if node is None or node_id in seen:
            continue
        seen.add(node_id)
        todo += [str(v[0]) for v in node["inputs"].values() if is_link(v)]
    return seen


class _Resolver:
    """Sizes and steps looked up through links, memoised, at most MAX_DEPTH links deep."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.latents: dict[tuple[str, int], Size | None] = {}
        self.images: dict[tuple[str, int], Size | None] = {}

    def node(self, link: object) -> tuple[str, int, dict[str, Any]] | None:
        if not is_link(link):
            return None
        assert isinstance(link, list)
        node = self.graph.get(str(link[0]))
        return (str(link[0]), link[1], node) if node is not None else None

    def number(self, value: object, depth: int = 0) -> int | None:
        """An integer input, also when wired from a literal node (``{"value": 20}``)."""
        found = self.node(value)
        if found is None:
            return _whole(value)
        inputs = found[2]["inputs"]
        key = next((k for k in ("value", "int", "steps", "Value") if k in inputs), None)
        return self.number(inputs[key], depth + 1) if key and depth < MAX_DEPTH else None

    def latent(self, link: object, depth: int = 0) -> Size | None:
        found = self.node(link)
        if found is None or depth > MAX_DEPTH:
            return None
        key = (found[0], found[1])
        if key not in self.latents:
            self.latents[key] = None  # a cycle reads as unknown
            self.latents[key] = _sane(self._latent(found[2], depth + 1))
        return self.latents[key]

    def _latent(self, node: dict[str, Any], depth: int) -> Size | None:
        class_type, inputs = node["class_type"], node["inputs"]
        width, height = self.number(inputs.get("width")), self.number(inputs.get("height"))
        batch = self.number(inputs.get("batch_size")) or 1
        if class_type.startswith("Empty") and width and height:
            return width, height, batch
        if "Encode" in class_type and not is_sampler(node):
            return self.image(next((inputs[k] for k in _IMAGE_KEYS if k in inputs), None), depth)
        if class_type == "LatentComposite" or "destination" in inputs:
            return self.latent(inputs.get("samples_to", inputs.get("destination")), depth)
        source = next((inputs[k] for k in _LATENT_KEYS if is_link(inputs.get(k))), None)
        below = self.latent(source, depth)
        return _resized(class_type, inputs, width, height, below, latent=True)

    def image(self, link: object, depth: int = 0) -> Size | None:
        found = self.node(link)
        if found is None or depth > MAX_DEPTH:
            return None
        key = (found[0], found[1])
        if key not in self.images:
            self.images[key] = None
            self.images[key] = _sane(self._image(found[2], depth + 1))
        return self.images[key]

    def _image(self, node: dict[str, Any], depth: int) -> Size | None:
        class_type, inputs = node["class_type"], node["inputs"]
        if "Decode" in class_type:
            return self.latent(inputs.get("samples"), depth)
        if class_type.startswith(("Load", "VHS_Load")):
            return None
        width, height = self.number(inputs.get("width")), self.number(inputs.get("height"))
        below = self.image(
            next((inputs[k] for k in _IMAGE_KEYS if is_link(inputs.get(k))), None), depth
        )
        if "upscale_model" in inputs and "upscale_by" not in inputs and below is not None:
            factor = self.model_factor(inputs["upscale_model"])
            return None if factor is None else (below[0] * factor, below[1] * factor, below[2])
        return _resized(class_type, inputs, width, height, below, latent=False)

    def model_factor(self, link: object) -> int | None:
        """The scale an upscale model file names: ``4x-UltraSharp.pth`` → 4, ``RealESRGAN_x2`` → 2."""
        found = self.node(link)
        name = found[2]["inputs"].get("model_name") if found else None
        match = _FACTOR.search(name.lower()) if isinstance(name, str) else None
        return int(next(g for g in match.groups() if g)) if match else None

    def sampling_pass(self, node_id: str) -> Pass:
        node = self.graph[node_id]
        steps, how = self.steps(node)
        latent = node["inputs"].get("latent_image")
        size = self.latent(latent) if is_link(latent) else self.image([node_id, 0])
        return Pass(node_id, node["class_type"], steps, size, how)

    def steps(self, node: dict[str, Any]) -> tuple[int | None, str]:
        """Effective steps of one sampler node (see the module docstring), and how they were
        counted when that is not simply its ``steps``."""
        inputs = node["inputs"]
        steps = self.number(inputs.get("steps"))
        if "start_at_step" in inputs or "end_at_step" in inputs:
            if steps is None:
                return None, ""
            start = max(self.number(inputs.get("start_at_step")) or 0, 0)
            end = min(self.number(inputs.get("end_at_step")) or steps, steps)
            ran = max(end - start, 0)
            return ran, "" if ran == steps else f"steps {start}-{end} of {steps}"
        if steps is None and "sigmas" in inputs:
            return self.sigma_steps(inputs["sigmas"], 0), "from its sigmas"
        denoise = min(max(_real(inputs.get("denoise"), 1.0), 0.0), 1.0)
        if steps is None:
            return None, ""
        ran = math.ceil(steps * denoise - 1e-9)
        return ran, "" if denoise == 1.0 else f"{steps} x denoise {denoise:g}"

    def sigma_steps(self, link: object, depth: int) -> int | None:
        """Steps of a sigmas schedule: a scheduler's ``steps × denoise`` rounded up, or the part
        of a ``SplitSigmas`` its output index names (0: the first ``step`` steps, 1: the rest)."""
        found = self.node(link)
        if found is None or depth > MAX_DEPTH:
            return None
        _, index, node = found
        inputs = node["inputs"]
        if node["class_type"] == "SplitSigmas":
            total = self.sigma_steps(inputs.get("sigmas"), depth + 1)
            split = self.number(inputs.get("step"))
            if total is None or split is None:
                return None
            return min(split, total) if index == 0 else max(total - split, 0)
        steps = self.number(inputs.get("steps"))
        if steps is None:
            return self.sigma_steps(inputs.get("sigmas"), depth + 1)
        denoise = min(max(_real(inputs.get("denoise"), 1.0), 0.0), 1.0)
        return math.ceil(steps * denoise - 1e-9)


def _sane(size: Size | None) -> Size | None:
    """A size within MAX_SIDE and MAX_BATCH (each at least 1), else unknown."""
    if size is None or not (0 < size[0] <= MAX_SIDE and 0 < size[1] <= MAX_SIDE):
        return None
    return size if 0 < size[2] <= MAX_BATCH else None


def _resized(
    class_type: str,
    inputs: dict[str, Any],
    width: int | None,
    height: int | None,
    below: Size | None,
    *,
    latent: bool,
) -> Size | None:
    """A node that sets a size (width/height, 0 keeping the aspect), scales it (``scale_by``,
    latents kept to multiples of 8 as ComfyUI does), repeats a batch, or passes it through."""
    scale = inputs.get("scale_by", inputs.get("upscale_by"))
    if isinstance(scale, int | float) and not isinstance(scale, bool) and below is not None:
        if not (math.isfinite(scale) and 0 < scale <= MAX_SIDE):
            return None
        step = 8 if latent else 1
        return (
            round(below[0] / step * scale) * step,
            round(below[1] / step * scale) * step,
            below[2],
        )
    if (width or height) and (
        "Upscale" in class_type
        or "Scale" in class_type
        or "Resize" in class_type
        or "Crop" in class_type
    ):
        if width and height:
            return width, height, below[2] if below else 1
        if below is None:
            return None
        if width:
            return width, round(below[1] * width / below[0]), below[2]
        assert height is not None
        return round(below[0] * height / below[1]), height, below[2]
    amount = inputs.get("amount")
    if class_type == "RepeatLatentBatch" and isinstance(amount, int) and below is not None:
        return below[0], below[1], below[2] * amount
    return below


def walk(graph: Graph) -> Walk:
    """Every sampling pass behind every output node, and each output's size."""
    resolver = _Resolver(graph)
    behind: dict[str, set[str]] = {}
    outputs: list[tuple[str, Size | None]] = []
    for out in output_nodes(graph):
        behind[out] = {k for k in upstream(graph, out) if is_sampler(graph[k])}
        inputs = graph[out]["inputs"]
        link = next((inputs[k] for k in _IMAGE_KEYS if is_link(inputs.get(k))), None)
        outputs.append((out, resolver.image(link)))
    samplers = sorted(set().union(*behind.values()), key=_order)
    if len(samplers) <= _MAX_ORDERED:  # upstream passes first
        ahead = {k: len(upstream(graph, k) & set(samplers)) for k in samplers}
        samplers.sort(key=lambda k: ahead[k])
    passes = tuple(resolver.sampling_pass(k) for k in samplers)
    ranked = [(len(behind[out]), size[0] * size[1], size) for out, size in outputs if size]
    return Walk(passes, tuple(outputs), max(ranked)[2] if ranked else None)


def _order(node_id: str) -> tuple[int, str]:
    numeric = node_id.isdecimal() and len(node_id) <= 18
    return (int(node_id), "") if numeric else (1 << 62, node_id)

"""The one shot made locally in ComfyUI: FLUX.1-dev stills, then a Wan 2.1 image-to-video run.

PNGs carry the ``prompt`` (API graph) and ``workflow`` (UI graph) text chunks; the video run is a
``GET /history`` object whose ``prompt`` is the list ``[number, prompt_id, graph, extra, outputs]``
(research: platforms-and-rights.md §1.15). The wall-meter reading of that run is a canonical CSV row.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from _gen_common import (
    COMFY_SHOT,
    COMFY_VIDEO,
    SHOTS,
    SYNTHETIC_KEY,
    SYNTHETIC_NOTE,
    Chain,
    Writer,
    day,
    iso_z,
    unix_ms,
)

HARDWARE = "NVIDIA RTX 4090"
#: Whole-PC draw during a Wan 2.1 14B run on one RTX 4090, W (synthetic wall-meter value).
WALL_POWER_W = 430.0
WAN_FRAMES = 81
WAN_FPS = 16
NEGATIVE = "blurry, static, deformed hands, text, watermark, oversaturated"
Graph = dict[str, dict[str, Any]]


def _node(class_type: str, **inputs: Any) -> dict[str, Any]:
    return {"inputs": inputs, "class_type": class_type}


def flux_graph(seed: int, text: str) -> Graph:
    """API graph of a FLUX.1-dev text-to-image run (SamplerCustomAdvanced pipeline)."""
    return {
        "6": _node("CLIPTextEncode", text=text, clip=["11", 0]),
        "8": _node("VAEDecode", samples=["13", 0], vae=["10", 0]),
        "9": _node("SaveImage", filename_prefix=COMFY_SHOT, images=["8", 0]),
        "10": _node("VAELoader", vae_name="ae.safetensors"),
        "11": _node(
            "DualCLIPLoader",
            clip_name1="t5xxl_fp16.safetensors",
            clip_name2="clip_l.safetensors",
            type="flux",
        ),
        "12": _node("UNETLoader", unet_name="flux1-dev.safetensors", weight_dtype="default"),
        "13": _node(
            "SamplerCustomAdvanced",
            noise=["25", 0],
            guider=["22", 0],
            sampler=["16", 0],
            sigmas=["17", 0],
            latent_image=["27", 0],
        ),
        "16": _node("KSamplerSelect", sampler_name="euler"),
        "17": _node("BasicScheduler", scheduler="simple", steps=20, denoise=1.0, model=["12", 0]),
        "22": _node("BasicGuider", model=["12", 0], conditioning=["26", 0]),
        "25": _node("RandomNoise", noise_seed=seed),
        "26": _node("FluxGuidance", guidance=3.5, conditioning=["6", 0]),
        "27": _node("EmptySD3LatentImage", width=1344, height=768, batch_size=1),
    }


#: Nodes of the Wan graph that never change: model loaders, negative prompt, decoder, video saver.
WAN_FIXED: Graph = {
    "7": _node("CLIPTextEncode", text=NEGATIVE, clip=["38", 0]),
    "8": _node("VAEDecode", samples=["3", 0], vae=["39", 0]),
    "37": _node("UNETLoader", unet_name="wan2.1_i2v_480p_14B_fp8_e4m3fn.safetensors",
                weight_dtype="default"),
    "38": _node("CLIPLoader", clip_name="umt5_xxl_fp8_e4m3fn_scaled.safetensors", type="wan"),
    "39": _node("VAELoader", vae_name="wan_2.1_vae.safetensors"),
    "49": _node("CLIPVisionLoader", clip_name="clip_vision_h.safetensors"),
    "51": _node("CLIPVisionEncode", crop="none", clip_vision=["49", 0], image=["52", 0]),
    "60": _node("VHS_VideoCombine", frame_rate=WAN_FPS, loop_count=0,
                filename_prefix=f"{COMFY_SHOT}_wan", format="video/h264-mp4", pingpong=False,
                save_output=True, images=["8", 0]),
}  # fmt: skip


def wan_graph(seed: int, text: str, image: str) -> Graph:
    """API graph of a Wan 2.1 14B image-to-video run (81 frames at 16 fps), nodes in id order."""
    nodes = {
        "3": _node("KSampler", seed=seed, steps=30, cfg=6.0, sampler_name="uni_pc",
                   scheduler="simple", denoise=1.0, model=["37", 0], positive=["50", 0],
                   negative=["50", 1], latent_image=["50", 2]),
        "6": _node("CLIPTextEncode", text=text, clip=["38", 0]),
        "50": _node("WanImageToVideo", width=832, height=480, length=WAN_FRAMES, batch_size=1,
                    positive=["6", 0], negative=["7", 0], vae=["39", 0],
                    clip_vision_output=["51", 0], start_image=["52", 0]),
        "52": _node("LoadImage", image=image),
    }  # fmt: skip
    return dict(sorted({**WAN_FIXED, **nodes}.items(), key=lambda item: int(item[0])))


def ui_graph(graph: Graph) -> dict[str, Any]:
    """A small UI ``workflow`` graph matching the API graph (positions laid out in a row)."""
    nodes: list[dict[str, Any]] = []
    links: list[list[Any]] = []
    for order, (node_id, node) in enumerate(graph.items()):
        inputs = []
        for slot, (name, value) in enumerate(
            (k, v) for k, v in node["inputs"].items() if isinstance(v, list)
        ):
            links.append([len(links) + 1, int(value[0]), value[1], int(node_id), slot, "*"])
            inputs.append({"name": name, "type": "*", "link": len(links)})
        widgets = [v for v in node["inputs"].values() if not isinstance(v, list)]
        nodes.append(
            {
                "id": int(node_id),
                "type": node["class_type"],
                "pos": [40 + 340 * order, 120],
                "size": [315, 106],
                "flags": {},
                "order": order,
                "mode": 0,
                "inputs": inputs,
                "outputs": [],
                "properties": {"Node name for S&R": node["class_type"]},
                "widgets_values": widgets,
            }
        )
    last_node = max(int(node_id) for node_id in graph)
    return {
        "last_node_id": last_node,
        "last_link_id": len(links),
        "nodes": nodes,
        "links": links,
        "groups": [],
        "config": {},
        "extra": {},
        "version": 0.4,
    }


def _stills(w: Writer, text: str, start: datetime) -> list[str]:
    """2–4 FLUX stills saved from ``start`` on; the last one is fed to Wan."""
    names = [f"{COMFY_SHOT}_{i:05d}_.png" for i in range(1, w.rng.randint(2, 4) + 1)]
    saved = start
    for name in names:
        graph = flux_graph(w.rng.randrange(2**50), text)
        saved = w.later(saved, 120, 600)
        w.png(
            f"logs/comfyui/{name}",
            {"prompt": json.dumps(graph), "workflow": json.dumps(ui_graph(graph))},
            saved,
        )
    return names


MEASURED_COLUMNS = [
    "id", "platform", "modality", "task", "created_at", "model", "hardware",
    "measured_energy_wh", "region",
]  # fmt: skip
VIDEO_OUTPUT = {
    "filename": COMFY_VIDEO,
    "subfolder": "",
    "type": "output",
    "format": "video/h264-mp4",
    "frame_rate": float(WAN_FPS),
}


def _history(
    prompt_id: str, graph: Graph, extra: dict[str, Any], start_ms: int, end_ms: int
) -> Any:
    """One ``GET /history`` entry: the prompt list, outputs, status messages with ms stamps."""
    stamp = {"prompt_id": prompt_id}
    messages = [
        ["execution_start", {**stamp, "timestamp": start_ms}],
        ["execution_cached", {"nodes": [], **stamp, "timestamp": start_ms}],
        ["execution_success", {**stamp, "timestamp": end_ms}],
    ]
    meta = {"node_id": "60", "display_node": "60", "parent_node": None, "real_node_id": "60"}
    return {
        SYNTHETIC_KEY: SYNTHETIC_NOTE,  # not a prompt id; readers skip keys starting with "_"
        prompt_id: {
            "prompt": [41, prompt_id, graph, extra, ["60"]],
            "outputs": {"60": {"gifs": [VIDEO_OUTPUT]}},
            "status": {"status_str": "success", "completed": True, "messages": messages},
            "meta": {"60": meta},
        },
    }


def comfyui(w: Writer, chain: Chain) -> None:
    """The stills, the /history of the video run, and its measured energy."""
    number = next(i for i, shot in enumerate(SHOTS) if shot.shot_id == COMFY_SHOT)
    shot = SHOTS[number]
    stills = _stills(w, shot.image_prompt, w.later(day(10 + 8 * number, 15), 0, 3600))
    graph = wan_graph(w.rng.randrange(2**50), shot.motion_prompt, stills[-1])
    prompt_id = w.uuid4()
    start = w.later(day(11 + 8 * number, 10), 0, 3600)
    end = w.later(start, 1320, 1560)
    extra = {
        "client_id": w.token(32, "0123456789abcdef"),
        "hardware": HARDWARE,  # written by the studio's queue script, beside the client id
        "extra_pnginfo": {"workflow": ui_graph(graph)},
    }
    history = _history(prompt_id, graph, extra, unix_ms(start), unix_ms(end))
    w.json("logs/comfyui/history.json", history)
    energy_wh = round(WALL_POWER_W * (end - start).total_seconds() / 3600, 1)
    model = graph["37"]["inputs"]["unet_name"]
    row = [f"comfyui:{prompt_id}", "comfyui", "video", "image_to_video", iso_z(start), model,
           HARDWARE, energy_wh, "FRA"]  # fmt: skip
    w.csv("logs/comfyui/measured.csv", MEASURED_COLUMNS, [row])
    chain.comfy_video_s = WAN_FRAMES / WAN_FPS
    chain.counts["comfyui"] = len(stills) + 1

"""Midjourney through a Discord relay: the task objects of midjourney-proxy and its many forks
(``GET /mj/task/<id>/fetch``, ``/mj/task/list``), read by the Midjourney adapter.

A task is ``{id, action, prompt, promptEn, description, state, status, progress, submitTime,
startTime, finishTime, imageUrl, imageUrls?, failReason, properties: {finalPrompt?, ...}}``. Its
``id`` is the relay's, not Midjourney's: the Midjourney job id is read from the image's file name
(Discord attachments are named ``<user>_<prompt>_<job uuid>.png``), so that a relay task, the
website's archive and a downloaded PNG of the same job merge; otherwise the id is
``midjourney:proxy-<id>``. Times are Unix milliseconds; the run's ``finishTime - startTime`` is
attribute ``elapsed_s``.
"""

from __future__ import annotations

import re
from typing import Any

from audit.base.errors import RecordError
from audit.ingest._util import opt_dict, opt_list, opt_str, required, time_at

#: Relay status → record status (NOT_START, SUBMITTED, MODAL, IN_PROGRESS: work under way).
STATUS = {"SUCCESS": "succeeded", "FAILURE": "failed", "CANCEL": "cancelled"}
STATUS |= {"NOT_START": "pending", "SUBMITTED": "pending", "MODAL": "pending"}
STATUS |= {"IN_PROGRESS": "pending"}
#: Relay action → (modality, task).
ACTIONS = {
    "IMAGINE": ("image", "text_to_image"), "UPSCALE": ("upscale", "upscale"),
    "VARIATION": ("image", "variation"), "REROLL": ("image", "reroll"),
    "BLEND": ("image", "image_to_image"), "ZOOM": ("image_edit", "zoom"),
    "PAN": ("image_edit", "pan"), "INPAINT": ("image_edit", "inpaint"),
    "OUTPAINT": ("image_edit", "outpaint"), "DESCRIBE": ("text", "describe"),
    "SHORTEN": ("text", "shorten"), "VIDEO": ("video", "image_to_video"),
}  # fmt: skip
_JOB_IN_NAME = re.compile(
    r"_([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"(?:_\d+)?\.(?:png|webp|jpe?g)(?:\?|$)"
)


def is_proxy_task(obj: dict[str, Any]) -> bool:
    """Whether a JSON object is a Discord relay's task (midjourney-proxy keys)."""
    return "submitTime" in obj and "action" in obj


def job_id_of(url: str | None) -> str | None:
    """The Midjourney job uuid in a Discord attachment's file name, if any."""
    match = _JOB_IN_NAME.search(url or "")
    return match.group(1).lower() if match else None


def proxy_fields(task: dict[str, Any]) -> dict[str, Any]:
    """What a relay task says: id, command text, kind, status, times and outputs (the adapter
    parses the command and builds the record)."""
    relay_id = required(opt_str(task, "id"), "id")
    status_text = required(opt_str(task, "status"), "status")
    if status_text not in STATUS:
        choices = sorted(STATUS)
        raise RecordError("unknown task status", field="status", value=status_text, choices=choices)
    action = (opt_str(task, "action") or "IMAGINE").upper()
    modality, kind = ACTIONS.get(action, ("image", action.lower()))
    properties = opt_dict(task, "properties")
    command = (
        opt_str(properties, "finalPrompt", "properties.finalPrompt")
        or opt_str(task, "promptEn")
        or opt_str(task, "prompt")
    )
    image = opt_str(task, "imageUrl")
    images = [str(url) for url in opt_list(task, "imageUrls") if isinstance(url, str) and url]
    images = images or ([image] if image else [])
    status = STATUS[status_text]
    start, finish = time_at(task, "startTime"), time_at(task, "finishTime")
    elapsed = (finish - start).total_seconds() if start and finish and finish >= start else None
    job = job_id_of(image)
    progress = task.get("progress")
    return {
        "id": f"midjourney:{job}" if job else f"midjourney:proxy-{relay_id}",
        "command": command or "",
        "modality": modality,
        "task": kind,
        "status": status,
        "created_at": required(time_at(task, "submitTime"), "submitTime"),
        "outputs": images if status == "succeeded" else [],
        "attributes": {
            "relay_task_id": relay_id,
            "relay_action": action,
            "elapsed_s": elapsed,
            "fail_reason": opt_str(task, "failReason"),
            "progress": progress if isinstance(progress, str | int | float) else None,
        },
    }

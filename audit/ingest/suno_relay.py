"""Suno clips inside the wrappings of the unofficial API relays (read by the Suno adapter).

- new-api style relays (Suno-API/Suno-API): ``{code, message, data: {task_id, action, status,
  fail_reason, submit_time, ..., data: [clips]}}``, or ``data`` a list of such tasks;
- sunoapi.org style callbacks: ``{code, msg, data: {callbackType, task_id, data: [clips]}}``
  (clips without status: :func:`audit.ingest.suno` derives it from ``callbackType``);
- sunoapi.org style record-info: ``{code, msg, data: {taskId, status, errorMessage,
  response: {taskId, sunoData: [clips in camelCase]}}}``, normalised here to the first form
  (``taskId`` → ``task_id``, ``audioUrl`` → ``audio_url``, ``modelName`` → ``model_name``, its
  status to a ``callbackType``).

Every clip keeps its JSON pointer (``/data/data/0``, ``/data/response/sunoData/0``); a task
without clips is yielded itself, for a pending or failed record of the task.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit.ingest._records import json_records, pointer
from audit.ingest.base import Source

#: Status of a relay task that holds no clip (new-api and sunoapi.org statuses).
TASK_STATUS = {
    "SUCCESS": "succeeded", "FAILURE": "failed", "FAILED": "failed", "NOT_START": "pending",
    "SUBMITTED": "pending", "QUEUED": "pending", "IN_PROGRESS": "pending",
    "PENDING": "pending", "TEXT_SUCCESS": "pending", "FIRST_SUCCESS": "pending",
    "CREATE_TASK_FAILED": "failed", "GENERATE_AUDIO_FAILED": "failed",
    "CALLBACK_EXCEPTION": "failed", "SENSITIVE_WORD_ERROR": "failed",
}  # fmt: skip
#: A sunoapi.org record-info status as the callbackType its clips would carry.
_AS_CALLBACK = {"SUCCESS": "complete", "FIRST_SUCCESS": "first", "TEXT_SUCCESS": "text",
                "PENDING": "text"}  # fmt: skip
_SNAKE = {"audioUrl": "audio_url", "modelName": "model_name", "streamAudioUrl": "stream_audio_url"}
#: Relay task of each record read from a relay response, by the record's locator.
Tasks = dict[str, dict[str, Any]]


def _join(base: str, *parts: str | int) -> str:
    return ("" if base == "/" else base) + pointer(*parts)


def _record_info(data: dict[str, Any]) -> tuple[dict[str, Any], object]:
    """A record-info task in the new-api form, and its clips (camelCase keys renamed)."""
    word = str(data.get("status") or "")
    task = {
        **data,
        "task_id": data.get("taskId"),
        "fail_reason": data.get("errorMessage"),
        "submit_time": data.get("createTime"),
        "callbackType": _AS_CALLBACK.get(word, "error"),
    }
    response = data.get("response")
    found = response.get("sunoData") if isinstance(response, dict) else None
    if isinstance(found, list):
        found = [
            {_SNAKE.get(k, k): v for k, v in c.items()} if isinstance(c, dict) else c for c in found
        ]
    return task, found


def _tasks(locator: str, obj: object) -> list[tuple[str, str, dict[str, Any], object]] | None:
    """(task pointer, clips pointer, task, clips) of each task of a relay response; None when
    ``obj`` is not one."""
    if not (isinstance(obj, dict) and "code" in obj):
        return None
    data = obj.get("data")
    if isinstance(data, dict) and "task_id" in data:
        where = _join(locator, "data")
        return [(where, _join(where, "data"), data, data.get("data"))]
    if isinstance(data, dict) and "taskId" in data:
        where = _join(locator, "data")
        task, found = _record_info(data)
        return [(where, _join(where, "response", "sunoData"), task, found)]
    if (
        isinstance(data, list)
        and data
        and all(isinstance(t, dict) and "task_id" in t for t in data)
    ):
        return [
            (_join(locator, "data", i), _join(locator, "data", i, "data"), t, t.get("data"))
            for i, t in enumerate(data)
        ]
    return None


def clips(source: Source, tasks: Tasks) -> Iterator[tuple[str, Any]]:
    """Each clip with its JSON pointer: lists, feeds (``clips``), generate responses and relay
    responses (``tasks`` learns each record's task; a task without clips is yielded itself)."""
    for locator, obj in json_records(source, ("clips",)):
        relay = _tasks(locator, obj)
        nested = obj.get("clips") if isinstance(obj, dict) else None
        if relay is not None:
            for where, base, task, found in relay:
                if not (isinstance(found, list) and found):
                    tasks[where] = task
                    yield where, task
                    continue
                for i, clip in enumerate(found):
                    tasks[_join(base, i)] = task
                    yield _join(base, i), clip
        elif isinstance(nested, list):
            yield from ((_join(locator, "clips", i), clip) for i, clip in enumerate(nested))
        else:
            yield locator, obj

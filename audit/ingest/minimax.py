"""MiniMax (Hailuo) video API: task queries joined with the request log and the file retrieve.

Three records make one generation (platforms-and-rights.md §1.11, [S]): the request body the user
logged with the ``task_id`` it returned (``{task_id, endpoint?, request: {...}}``, one JSON line
per call), the task query ``GET /v1/query/video_generation`` (``{task_id, status, file_id,
base_resp}``) and the file retrieve ``GET /v1/files/retrieve`` (``{file: {file_id, bytes,
created_at, filename, download_url}, base_resp}``). The task query is the generation; the request
joins it by ``task_id`` and the file by ``file_id`` (both then count as merged). Records are told
apart by shape, so one file may hold all three.

``subject_reference`` images (S2V-01) get role ``subject_reference``: a face to clear. The frame
size is the query's ``video_width`` × ``video_height`` (exact); the resolution class (768P, 1080P)
of the request is kept as an attribute. A video file retrieved without its task query stands alone
as an output record (``minimax:file-<file_id>``, dated when the file was written): the task's
prompt, model and duration are then unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from audit.base.errors import RecordError
from audit.base.models import AssetRef
from audit.ingest._records import json_records, reject_of
from audit.ingest._requests import Pending, RequestLog, logged_request, settle
from audit.ingest._sniff import is_json_suffix, looks_canonical
from audit.ingest._util import (
    TIME_KEYS,
    TIME_SOURCE,
    any_time,
    epoch_time,
    expect,
    mtime_utc,
    opt_dict,
    opt_int,
    opt_list,
    opt_str,
    required,
    seconds_of,
    uri_of,
)
from audit.ingest.base import Item, JoinedAdapter, Merged, Reject, Source, build, guarded, head_text

#: status → Status; a task Queueing, Preparing or Processing is work in progress.
_STATUS = {
    "Success": "succeeded", "Fail": "failed",
    "Queueing": "pending", "Preparing": "pending", "Processing": "pending",
}  # fmt: skip
_MARKERS = (
    '"base_resp"', '"first_frame_image"', '"subject_reference"', '"prompt_optimizer"',
    "video_generation", '"MiniMax-Hailuo', '"T2V-01', '"I2V-01', '"S2V-01',
)  # fmt: skip
Record = tuple[Source, str, dict[str, Any]]


def _shape(obj: dict[str, Any]) -> str:
    """``file``, ``query`` or ``request``: what a record is."""
    if isinstance(obj.get("file"), dict):
        return "file"
    if "status" in obj and "request" not in obj:
        return "query"
    return "request"


def _inputs(body: dict[str, Any]) -> list[AssetRef]:
    refs: list[AssetRef] = []
    if uri := uri_of(body.get("first_frame_image")):
        refs.append(AssetRef(uri=uri, role="image"))
    for k, subject in enumerate(opt_list(body, "subject_reference", "request.subject_reference")):
        if not isinstance(subject, dict):
            raise RecordError("expected an object", field=f"request.subject_reference.{k}")
        images = subject.get("image")
        for image in images if isinstance(images, list) else [images]:
            if uri := uri_of(image):
                refs.append(AssetRef(uri=uri, role="subject_reference"))
    return refs


class MiniMaxAdapter(JoinedAdapter):
    """MiniMax (Hailuo video) task queries joined with request logs and file retrieves."""

    name = "minimax"
    platform = "minimax"
    title = "MiniMax / Hailuo video API (task queries, request logs, file retrieves)"
    suffixes = (".json", ".jsonl")
    formats = (
        "task queries {task_id, status, file_id, video_width, video_height, base_resp} joined "
        "by task_id with the request log (JSON Lines {task_id, endpoint?, request: {...}}) and "
        "by file_id with file retrieves {file: {file_id, bytes, created_at, filename, "
        "download_url}}; a video file retrieved alone is an output record; records told "
        "apart by shape (one per file, a list or JSON Lines); joined records count as merged"
    )
    reads = (
        "task_id, status (Queueing/Preparing/Processing as pending), file_id, video_width, "
        "video_height (exact frame size), base_resp.status_msg; request model, prompt, "
        "prompt_optimizer, first_frame_image, subject_reference[].image, duration, resolution; "
        "file created_at (s), bytes, filename, purpose, download_url"
    )
    cannot_know = (
        "fps, seed (none in any record), credits; the frame size without the task query (only "
        "the request's resolution class); the time without the file retrieve (logged "
        "created_at, else the file time); prompt, model and duration of a file retrieved alone"
    )
    seen_in = (
        "query → file_id → GET /v1/files/retrieve → file.download_url: MiniMax-AI/MiniMax-MCP "
        "minimax_mcp/server.py; query answers with video_width/video_height: public MiniMax "
        "client typings (VideoStatusResponse); create answer {task_id, base_resp}: "
        "DucAnh0075/CursorAI-Hackathon-Team-frauds MINIMAX_VIDEO_SUCCESS.md"
    )

    def sniff(self, path: Path) -> bool:
        """JSON of MiniMax task queries or file retrieves, not of another platform's tasks."""
        if not is_json_suffix(path):
            return False
        text = head_text(path)
        if looks_canonical(text) or '"task_status"' in text:
            return False
        if '"file"' in text and '"file_id"' in text and '"download_url"' in text:
            return True
        return '"task_id"' in text and any(marker in text for marker in _MARKERS)

    def read_many(self, sources: list[Source]) -> Iterator[Item]:
        """Task queries joined by task id with their requests and by file id with their files; a
        file retrieved alone is an output record."""
        records: dict[str, list[Record]] = {"file": [], "query": [], "request": []}
        for source in sources:
            yield from guarded(source, _collect(source, records))
        requests, files = RequestLog(), RequestLog()
        for kind, log, parse in (("request", requests, _request), ("file", files, _file)):
            for source, locator, obj in records[kind]:
                try:
                    log.add(parse(source, locator, obj))
                except RecordError as exc:
                    yield reject_of(source, locator, exc)
        for source, locator, obj in records["query"]:
            try:
                yield self._query(source, locator, obj, requests, files)
            except RecordError as exc:
                yield reject_of(source, locator, exc)
        yield from requests.outcomes("fetch GET /v1/query/video_generation?task_id=<task_id>")
        yield from self._file_outcomes(files)

    def _query(
        self,
        source: Source,
        locator: str,
        query: dict[str, Any],
        requests: RequestLog,
        files: RequestLog,
    ) -> Item:
        task_id = required(id_text(query.get("task_id"), "task_id"), "task_id")
        status = required(opt_str(query, "status"), "status")
        if status not in _STATUS:
            raise RecordError("unknown task status", field="status", value=status, choices=_STATUS)
        file_id = id_text(query.get("file_id"), "file_id")
        request, file = requests.take(task_id), files.take(file_id)
        body, line = (request.body, request.line) if request else ({}, {})
        attributes = _attributes(query, body, file.body if file else {})
        created, attributes[TIME_SOURCE] = _created(line, file, source.path)
        if attributes[TIME_SOURCE] is None and file is not None:
            done = epoch_time(file.body, "created_at", "file.created_at")
            attributes["elapsed_s"] = (done - created).total_seconds() if done else None
        outputs = _outputs(file.body if file else {}, file_id) if status == "Success" else []
        item = build(
            source,
            locator,
            self.name,
            id=f"minimax:{task_id}",
            platform=self.platform,
            model=opt_str(body, "model", "request.model"),
            modality="video",
            task=_task(body) if request else None,
            created_at=created,
            prompt=opt_str(body, "prompt", "request.prompt"),
            duration_s=seconds_of(body.get("duration"), "request.duration"),
            width=opt_int(query, "video_width"),
            height=opt_int(query, "video_height"),
            status=_STATUS[status],
            outputs=outputs,
            outputs_count=len(outputs),
            inputs=_inputs(body),
            attributes={k: v for k, v in attributes.items() if v is not None},
        )
        settle(file, item)
        return settle(request, item)

    def _file_outcomes(self, files: RequestLog) -> Iterator[Item]:
        """Files joined to a task query are merged; a video file retrieved alone stands as the
        output record of its (unknown) task; a file of another purpose is rejected."""
        for pending in files.pending:
            source, locator, file = pending.source, pending.locator, pending.body
            if pending.into is not None:
                yield Merged(source.name, locator, pending.into)
            elif "video" not in str(file.get("purpose") or "video"):
                reason = "file without its task query: fetch GET /v1/query/video_generation"
                yield Reject(source.name, locator, "file.file_id", reason, repr(pending.keys[0]))
            else:
                try:
                    yield self._file_alone(source, locator, pending.keys[0], file)
                except RecordError as exc:
                    yield reject_of(source, locator, exc)

    def _file_alone(self, source: Source, locator: str, file_id: str, file: dict[str, Any]) -> Item:
        written = epoch_time(file, "created_at", "file.created_at")
        attributes = {
            "file_id": file_id,
            "file_bytes": opt_int(file, "bytes", "file.bytes"),
            TIME_SOURCE: "file.created_at" if written else "file_mtime",
            "task": "unknown: file retrieved without its task query",
        }
        outputs = _outputs(file, file_id)
        return build(
            source,
            locator,
            self.name,
            id=f"minimax:file-{file_id}",
            platform=self.platform,
            modality="video",
            created_at=written or mtime_utc(source.path),
            outputs=outputs,
            outputs_count=len(outputs),
            attributes={k: v for k, v in attributes.items() if v is not None},
        )


def id_text(value: object, field: str) -> str | None:
    """An id written as a string or a number (MiniMax ids are numeric strings)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RecordError("expected a string or a whole number", field=field, value=value)
    return str(value)


def _collect(source: Source, records: dict[str, list[Record]]) -> Iterator[Item]:
    for locator, obj in json_records(source, ("tasks", "files", "requests")):
        if isinstance(obj, dict):
            records[_shape(obj)].append((source, locator, obj))
        else:
            yield Reject(source.name, locator, "record", "not a JSON object", type(obj).__name__)


def _request(source: Source, locator: str, line: dict[str, Any]) -> Pending:
    task_id = required(id_text(line.get("task_id"), "task_id"), "task_id")
    return logged_request(source, locator, line, task_id)


def _file(source: Source, locator: str, obj: dict[str, Any]) -> Pending:
    file = obj["file"]
    file_id = required(id_text(file.get("file_id"), "file.file_id"), "file.file_id")
    return Pending(source, locator, (file_id,), file, obj)


def _created(line: dict[str, Any], file: Pending | None, path: Path) -> tuple[datetime, str | None]:
    """When the job was created: the time logged with the request, else the output file's
    ``created_at`` (when it was written), else the file's modification time."""
    logged = any_time(line, TIME_KEYS)
    if logged is not None:
        return logged, None
    written = epoch_time(file.body, "created_at", "file.created_at") if file else None
    if written is not None:
        return written, "file.created_at"
    return mtime_utc(path), "file_mtime"


def _task(body: dict[str, Any]) -> str:
    if body.get("subject_reference"):
        return "subject_to_video"
    return "image_to_video" if body.get("first_frame_image") else "text_to_video"


def _outputs(file: dict[str, Any], file_id: str | None) -> list[str]:
    for key in ("download_url", "filename"):
        value = file.get(key)
        if isinstance(value, str) and value:
            return [value]
    return [f"minimax-file:{file_id}"] if file_id else []


def _attributes(
    query: dict[str, Any], body: dict[str, Any], file: dict[str, Any]
) -> dict[str, Any]:
    base = opt_dict(query, "base_resp")
    optimizer = expect(body, "prompt_optimizer", bool, "request.prompt_optimizer")
    return {
        "resolution": opt_str(body, "resolution", "request.resolution"),
        "prompt_optimizer": optimizer,
        "file_id": id_text(query.get("file_id"), "file_id"),
        "file_bytes": opt_int(file, "bytes", "file.bytes"),
        "status_msg": opt_str(base, "status_msg", "base_resp.status_msg"),
    }

"""Write the malformed-input corpus: ``python tests/corpus/make_corpus.py`` (rewrites this folder).

Every case starts from one synthetic ingest fixture of an adapter (``tests/ingest/fixtures/``) and
breaks it one way. A case is a folder ``tests/corpus/<adapter>/<case>/`` holding the broken file
under the fixture's own name; the fixture's companions (a request log for a result file) are copied
beside it by the test. ``cases.json`` lists every case and what must happen (README.md). Binary
garbage, enormous metadata and absurd image dimensions are built by the tests at run time.
Deterministic: the same fixtures always give the same bytes (a test checks the committed files).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "ingest" / "fixtures"
MANIFEST = "cases.json"


@dataclass(frozen=True)
class Target:
    """The fixture a case breaks, the files read with it, and where its first record sits."""

    path: str
    companions: tuple[str, ...] = ()
    record: tuple[str | int, ...] = (0,)
    #: record fields to break: (case, key path inside the record, value, expected first reject)
    edits: tuple[tuple[str, tuple[str | int, ...], Any, str], ...] = field(default=())


NAN = float("nan")
#: Expected "first reject" markers: the case reads exactly as the unbroken fixture, or is accepted
#: with a date far in the future (ingest has no clock; see README.md).
SAME = "same"
FUTURE = "future"

#: One target per adapter. Expected lines are "<file>:<locator>: <field>: <reason>" prefixes.
TARGETS: dict[str, Target] = {
    "midjourney": Target("midjourney/archive.json", edits=(
        ("wrong-type", ("full_command",), 42, "archive.json:/0: full_command: expected str (got 42)"),
        ("bad-date", ("enqueue_time",), "yesterday",
         "archive.json:/0: enqueue_time: expected a date-time (ISO 8601, RFC 1123/2822, Unix s/ms or EXIF) (got 'yesterday')"),
        ("date-out-of-range", ("enqueue_time",), "0001-01-01T00:00:00+05:00",
         "archive.json:/0: enqueue_time: expected a date-time (ISO 8601, RFC 1123/2822, Unix s/ms or EXIF)"),
        ("absurd-width", ("width",), 250000, "archive.json:/0: width: more than 100000 px (got 250000)"),
        ("future-date", ("enqueue_time",), "2999-01-01 00:00:00", FUTURE),
    )),
    "magnific": Target("magnific/results.json", ("magnific/requests.jsonl",), (0, "data"), edits=(
        ("wrong-type", ("generated",), "one.png", "results.json:/0: data.generated: expected list"),
    )),
    "kling": Target("kling/tasks/870000000000000001.json", ("kling/requests.jsonl",), ("data",), edits=(
        ("wrong-type", ("created_at",), "yesterday",
         "870000000000000001.json:/data: data.created_at: expected a number (got 'yesterday')"),
        ("seconds-time", ("created_at",), 1789891200, SAME),
        ("nan-time", ("created_at",), NAN,
         "870000000000000001.json:/data: data.created_at: expected a finite number (got nan)"),
        ("epoch-overflow", ("created_at",), 1e22,
         "870000000000000001.json:/data: data.created_at: expected Unix time in seconds or milliseconds"),
        ("negative-duration", ("task_result", "videos", 0, "duration"), "-5.1",
         "870000000000000001.json:/data: duration_s: Input should be greater than or equal to 0"),
        ("nan-duration", ("task_result", "videos", 0, "duration"), "NaN",
         "870000000000000001.json:/data: data.task_result.videos.0.duration: expected a finite number"),
    )),
    "suno": Target("suno/clips.json", record=("clips", 0), edits=(
        ("wrong-type", ("metadata", "duration"), "long",
         "clips.json:/clips/0: metadata.duration: expected a number (got 'long')"),
        ("negative-duration", ("metadata", "duration"), -120.5,
         "clips.json:/clips/0: duration_s: Input should be greater than or equal to 0"),
        ("milliseconds-duration", ("metadata", "duration"), 120500,
         "clips.json:/clips/0: duration_s: longer than 24 h (86400 s): milliseconds logged as seconds?"),
    )),
    "elevenlabs": Target("elevenlabs/history-page-1.json", record=("history", 0), edits=(
        ("wrong-type", ("text",), ["Bonjour."], "history-page-1.json:/history/0: text: expected str"),
        ("milliseconds-time", ("date_unix",), 1789024500000, SAME),
    )),
    "comfyui": Target("comfyui/history.json", record=("aaaaaaaa-0000-4000-8000-000000000001",), edits=(
        ("wrong-type", ("prompt",), "not a list",
         "history.json:/aaaaaaaa-0000-4000-8000-000000000001: prompt: expected list"),
    )),
    "runway": Target("runway/tasks/tasks.json", ("runway/requests.jsonl",), edits=(
        ("wrong-type", ("createdAt",), True,
         "tasks.json:/0: createdAt: expected a date-time (ISO 8601, RFC 1123/2822, Unix s/ms or EXIF) (got True)"),
    )),
    "openai": Target("openai/videos.json", record=("data", 0), edits=(
        ("negative-duration", ("seconds",), "-8",
         "videos.json:/data/0: seconds: must not be negative (got '-8')"),
        ("milliseconds-time", ("created_at",), 1789894800000, SAME),
    )),
    "veo": Target("veo/operations.json", ("veo/requests.jsonl",)),
    "luma": Target("luma/generations.json", record=("generations", 0), edits=(
        ("wrong-type", ("state",), 3, "generations.json:/generations/0: state: expected str (got 3)"),
    )),
    "pika": Target("pika/status.json", ("pika/requests.jsonl",)),
    "minimax": Target("minimax/requests.jsonl", ("minimax/query.jsonl", "minimax/files.json")),
    "firefly": Target("firefly/calls.jsonl"),
    "stability": Target("stability/calls.jsonl"),
    "udio": Target("udio/songs.json", record=("songs", 0), edits=(
        ("nan-duration", ("duration",), NAN, "songs.json:/songs/0: duration: expected a finite number"),
    )),
    "canonical": Target("canonical/generations.csv"),
}  # fmt: skip


def _set(doc: Any, path: tuple[str | int, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _json_edit(text: str, record: tuple[str | int, ...], edit: tuple[str | int, ...], value: Any,
               jsonl: bool) -> str:  # fmt: skip
    if jsonl:
        lines = text.splitlines()
        head = json.loads(lines[0])
        _set(head, edit, value)
        return "\n".join([json.dumps(head, ensure_ascii=False), *lines[1:]]) + "\n"
    doc = json.loads(text)
    _set(doc, (*record, *edit), value)
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def variants(target: Target) -> dict[str, tuple[bytes, dict[str, Any]]]:
    """Case name → (bytes of the broken file, expectation)."""
    text = (FIXTURES / target.path).read_text(encoding="utf-8")
    data = text.encode("utf-8")
    out: dict[str, tuple[bytes, dict[str, Any]]] = {
        "truncated": (data[: len(data) // 2], {"expect": "file-reject", "forced": False}),
        "empty": (b"", {"expect": "empty", "forced": True}),
        "utf16": (text.encode("utf-16"), {"expect": "same"}),
        "bom": (b"\xef\xbb\xbf" + data, {"expect": "same"}),
        "crlf": (text.replace("\n", "\r\n").encode("utf-8"), {"expect": "same"}),
        "duplicate": (data, {"expect": "duplicate"}),
    }
    # a character cp1252 lacks: Excel would not have saved it this way either
    with contextlib.suppress(UnicodeEncodeError):
        out["cp1252"] = (text.encode("cp1252"), {"expect": "same"})
    jsonl = target.path.endswith(".jsonl")
    for case, path, value, first in target.edits:
        broken = _json_edit(text, target.record, path, value, jsonl)
        expectation = (
            {"expect": first} if first in (SAME, FUTURE) else {"expect": "reject", "first": first}
        )
        out[case] = (broken.encode("utf-8"), expectation)
    if target.path.endswith(".csv"):
        for case, (csv_text, expectation) in CSV_CASES.items():
            out[case] = (csv_text.encode("utf-8"), expectation)
    return out


_HEAD = "id,platform,modality,created_at,duration_s\n"
#: Canonical CSV cases written out in full: (text, expectation).
CSV_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "nan-duration": (_HEAD + "kling:a,kling,video,2026-09-01T10:00:00Z,nan\n", {"expect": "reject", "accepted": 0,
        "first": "generations.csv:2: duration_s: not a number or JSON (got 'nan')"}),
    "infinite-duration": (_HEAD + "kling:a,kling,video,2026-09-01T10:00:00Z,-inf\n", {"expect": "reject", "accepted": 0,
        "first": "generations.csv:2: duration_s: not a number or JSON (got '-inf')"}),
    "negative-duration": (_HEAD + "kling:a,kling,video,2026-09-01T10:00:00Z,-5\n", {"expect": "reject", "accepted": 0,
        "first": "generations.csv:2: duration_s: Input should be greater than or equal to 0 (got -5.0)"}),
    "milliseconds-duration": (_HEAD + "suno:a,suno,music,2026-09-01T10:00:00Z,180000\n", {"expect": "reject", "accepted": 0,
        "first": "generations.csv:2: duration_s: longer than 24 h (86400 s): milliseconds logged as seconds?"}),
    "epoch-times": (_HEAD + "kling:s,kling,video,1788256800,5\nkling:ms,kling,video,1788256800000,5\n",
        {"expect": "accepted", "created_at": ["2026-09-01T10:00:00+00:00", "2026-09-01T10:00:00+00:00"]}),
    "future-date": (_HEAD + "kling:f,kling,video,2999-01-01T00:00:00Z,5\n",
        {"expect": "accepted", "created_at": ["2999-01-01T00:00:00+00:00"]}),
    "date-out-of-range": (_HEAD + "kling:o,kling,video,0001-01-01T00:00:00+01:00,5\n", {"expect": "reject", "accepted": 0,
        "first": "generations.csv:2: created_at: date out of the years 1-9999 once in UTC"}),
    "duplicate-ids": (_HEAD + "kling:d,kling,video,2026-09-01T10:00:00Z,5\n"
        "kling:d,kling,video,2026-09-01T10:00:00Z,\n", {"expect": "accepted", "merged": 1,
        "created_at": ["2026-09-01T10:00:00+00:00"]}),
    "unknown-column": ("platform,modality,created_at,colour\nkling,video,2026-09-01T10:00:00Z,red\n",
        {"expect": "reject", "accepted": 0, "first": "generations.csv:1: colour: unknown column; allowed: "}),
    "extra-cells": (_HEAD + "kling:a,kling,video,2026-09-01T10:00:00Z,5\nkling:b,kling,video,x,5,6\n",
        {"expect": "reject", "accepted": 1,
        "first": "generations.csv:3: file: more cells than header columns"}),
    "french-excel": ("platform;modality;created_at;duration_s\r\nkling;video;2026-09-01T12:00:00+02:00;5,1\r\n",
        {"expect": "accepted", "created_at": ["2026-09-01T10:00:00+00:00"]}),
}  # fmt: skip


def build(root: Path = HERE) -> dict[str, Any]:
    """Write every case under ``root``; returns the manifest (also written as cases.json)."""
    manifest: dict[str, Any] = {}
    for adapter, target in TARGETS.items():
        folder = root / adapter
        if folder.exists():
            shutil.rmtree(folder)
        for case, (data, expectation) in sorted(variants(target).items()):
            name = Path(target.path).name
            (folder / case).mkdir(parents=True)
            (folder / case / name).write_bytes(data)
            manifest[f"{adapter}/{case}"] = {
                "adapter": adapter, "target": target.path, "companions": list(target.companions),
                "file": f"{adapter}/{case}/{name}", **expectation,
            }  # fmt: skip
    text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (root / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


if __name__ == "__main__":
    cases = build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    sys.stdout.write(f"wrote {len(cases)} cases\n")

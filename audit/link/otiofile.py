"""OpenTimelineIO files and plugins: loading, with every failure turned into one line.

A file written by a newer OpenTimelineIO is stepped back to schemas 0.18 reads where that is
known to be safe (``Marker.3``); a plugin that fails on a file (its own bug included) gives a
:class:`TimelineError` (exit 2) that names the file and what to do, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import opentimelineio as otio

from audit.base.errors import InputError, TimelineError
from audit.base.limits import MAX_TIMELINE_BYTES, check_json_depth, check_size, check_xml

#: What OTIO and its plugins raise on a file they cannot read (a plugin's own bug included:
#: the file is what it cannot read, so the user gets exit 2 and a way out, not a traceback).
#: pyaaf2 raises its own ``AAFError`` (an ``Exception``), so the plugin boundary takes them all.
READ_ERRORS = (Exception,)


#: An AAF is a Microsoft compound file; pyaaf2 leaves the file open when the signature is wrong.
_CFB_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def check_bounds(path: Path, shown: str, adapter: str) -> None:
    """Size and nesting within the limits (docs/security.md) before any reader: OTIO's C++
    JSON reader crashes on an .otio nested 50,000 deep, the XML readers recurse per level."""
    if path.is_dir():  # a Final Cut bundle (.fcpxmld): its document is Info.fcpxml
        path = path / "Info.fcpxml"
        if not path.is_file():
            return  # the reader says what is missing
    try:
        check_size(path, MAX_TIMELINE_BYTES, "timeline file")
        if adapter == "otio_json":
            check_json_depth(path.read_bytes().decode("utf-8", errors="replace"), shown)
        elif adapter in ("fcp_xml", "fcpx_xml"):
            check_xml(path.read_bytes(), shown)
    except TimelineError:
        raise
    except InputError as exc:
        raise TimelineError(exc.reason, file=shown) from exc


def load_otio(path: Path, shown: str, adapter: str) -> Any:
    """What an OpenTimelineIO adapter reads from ``path`` (a timeline or a collection)."""
    if adapter == "AAF":
        with path.open("rb") as handle:
            if handle.read(8) != _CFB_MAGIC:
                raise TimelineError(
                    "cannot read as AAF: not an AAF file (no compound-file signature); "
                    "export the sequence again from Media Composer (File > Export > AAF)",
                    file=shown,
                )
    try:
        # the AAF adapter prints what it skips to stdout: keep it off `--json` output
        with redirect_stdout(sys.stderr):
            return otio.adapters.read_from_file(str(path), adapter_name=adapter)
    except otio.exceptions.UnsupportedSchemaError as exc:
        if adapter == "otio_json":
            return _load_newer_otio(path, shown, exc)
        raise TimelineError(f"cannot read: {exc}", file=shown) from exc
    except READ_ERRORS as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise TimelineError(
            f"cannot read as {adapter}: {type(exc).__name__}: {message}; re-export the cut "
            "from the editing software, or export it as another format (docs/linking.md)",
            file=shown,
        ) from exc


def _load_newer_otio(path: Path, shown: str, first: Exception) -> Any:
    """An .otio written by a newer OpenTimelineIO: step known schemas back, then read.

    Only ``Marker.3`` is known (its colour became a ``Color.1`` object; 0.18 reads
    ``Marker.2`` with a colour name). Anything else stays an error that says so.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TimelineError(f"cannot read: {exc}", file=shown) from exc
    try:
        return otio.adapters.read_from_string(json.dumps(_downgrade(data)), "otio_json")
    except READ_ERRORS as exc:
        raise TimelineError(
            f"written by a newer OpenTimelineIO than {otio.__version__} ({first}); "
            "re-export it or upgrade opentimelineio",
            file=shown,
        ) from exc


def _downgrade(node: Any) -> Any:
    if isinstance(node, list):
        return [_downgrade(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _downgrade(value) for key, value in node.items()}
    if out.get("OTIO_SCHEMA") == "Marker.3":
        out["OTIO_SCHEMA"] = "Marker.2"
        color = out.get("color")
        if isinstance(color, dict):
            out["color"] = str(color.get("name") or "RED").upper()
    return out


def otio_timelines(node: Any) -> Iterator[Any]:
    """Every timeline in an OTIO object, entering collections (an .otioz bundle, a Resolve export of
    several timelines)."""
    if isinstance(node, otio.schema.Timeline):
        yield node
    elif isinstance(node, otio.schema.SerializableCollection):
        for child in node:
            yield from otio_timelines(child)

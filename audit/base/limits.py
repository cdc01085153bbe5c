"""Bounds on the work a production folder can ask for (docs/security.md, "Limits").

A folder from a stranger can hold a YAML alias bomb, a timeline nested 50,000 deep (which crashes
OpenTimelineIO's C++ reader), or a log of several gigabytes. Each parser is given only what these
checks let through, and each refusal is one line naming the file, the limit and the value:

- sizes: :data:`MAX_LOG_FILE_BYTES` per file of ``logs/``, :data:`MAX_LOGS_BYTES` for all of
  them, :data:`MAX_TIMELINE_BYTES` for a timeline or a rights ledger, :data:`MAX_YAML_BYTES` for
  production.yaml — checked from the file's size before any byte is read;
- nesting: :data:`MAX_DEPTH` levels of JSON arrays and objects, XML elements or YAML
  collections, counted by a flat scan before any parser that recurses;
- YAML: no aliases (``*name``, the bomb's mechanism; anchors alone are harmless), at most
  :data:`MAX_YAML_NODES` nodes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from audit.base.errors import InputError

MIB = 1 << 20
#: One file of logs/ (a canonical CSV of about a million records is 232 MB).
MAX_LOG_FILE_BYTES = 256 * MIB
#: All the files of logs/ together.
MAX_LOGS_BYTES = 1024 * MIB
#: A timeline file (OTIO, EDL, XML, FCPXML, shots.csv) or a rights ledger.
MAX_TIMELINE_BYTES = 64 * MIB
#: production.yaml.
MAX_YAML_BYTES = 1 * MIB
#: Nesting of JSON, XML and YAML (real files stay under 40: a compound clip is a few levels).
MAX_DEPTH = 200
#: Nodes (scalars and collections) of production.yaml.
MAX_YAML_NODES = 100_000

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_XML_SKIPPED = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.DOTALL)
_XML_TAG = re.compile(rb"<(/?)[A-Za-z_:][^<>]*?(/?)>")
_CHUNK = 1 << 20


def check_size(path: Path, limit: int, what: str) -> int:
    """The size of ``path``; InputError when it is over ``limit`` (read nothing)."""
    size = path.stat().st_size
    if size > limit:
        raise InputError(
            f"{what} larger than the limit of {limit // MIB} MiB ({size / MIB:,.0f} MiB); "
            "split it, or see docs/security.md",
            file=path,
        )
    return size


def _depth(opens: np.ndarray, closes: np.ndarray) -> int:
    """Deepest level reached by a sequence of +1 (opens) and -1 (closes), chunk by chunk."""
    level, deepest = 0, 0
    for start in range(0, len(opens), _CHUNK):
        steps = opens[start : start + _CHUNK].astype(np.int32)
        steps -= closes[start : start + _CHUNK]
        running = np.cumsum(steps, dtype=np.int64) + level
        if len(running):
            deepest = max(deepest, int(running.max()))
            level = int(running[-1])
    return deepest


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (strings skipped; no parsing)."""
    flat = _JSON_STRING.sub('""', text).encode("utf-8", errors="replace")
    codes = np.frombuffer(flat, dtype=np.uint8)
    opens = (codes == ord("[")) | (codes == ord("{"))
    closes = (codes == ord("]")) | (codes == ord("}"))
    return _depth(opens, closes)


def xml_depth(data: bytes) -> int:
    """How deep elements nest in ``data`` (comments, CDATA and processing instructions
    skipped; no parsing)."""
    text = _XML_SKIPPED.sub("", data.decode("utf-8", errors="replace")).encode("utf-8")
    kinds = [(bool(m.group(1)), bool(m.group(2))) for m in _XML_TAG.finditer(text)]
    opens = np.array([not close and not empty for close, empty in kinds], dtype=bool)
    closes = np.array([close for close, _ in kinds], dtype=bool)
    return _depth(opens, closes)


def check_json_depth(text: str, path: Path | str, locator: str | int | None = None) -> None:
    """InputError when ``text`` nests deeper than :data:`MAX_DEPTH`."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = json_depth(text)
    if depth > MAX_DEPTH:
        raise InputError(
            f"invalid JSON: nested too deeply ({depth} levels, more than the limit of {MAX_DEPTH})",
            file=path,
            locator=locator,
        )


def check_xml(data: bytes, path: Path | str) -> None:
    """InputError for XML nested deeper than :data:`MAX_DEPTH`, or declaring entities (no
    editing software writes them; they are how an entity-expansion bomb is built)."""
    if b"<!ENTITY" in data:
        raise InputError("XML declares entities (<!ENTITY …>), which are not accepted", file=path)
    depth = xml_depth(data)
    if depth > MAX_DEPTH:
        raise InputError(
            f"XML nested {depth} levels deep, more than the limit of {MAX_DEPTH}", file=path
        )


def load_yaml(text: str, path: Path) -> Any:
    """``yaml.safe_load`` of ``text`` once its events show no alias, no nesting deeper than
    :data:`MAX_DEPTH` and no more than :data:`MAX_YAML_NODES` nodes (the event parser does not
    recurse; the composer that builds the document does)."""
    import yaml

    depth = nodes = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            raise InputError(
                "YAML aliases (*name) are not accepted: write the value out",
                file=path,
                locator=line,
                value=f"*{event.anchor}",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(
                    f"YAML nested more than the limit of {MAX_DEPTH} levels",
                    file=path,
                    locator=line,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        nodes += isinstance(event, yaml.NodeEvent)
        if nodes > MAX_YAML_NODES:
            raise InputError(
                f"YAML holds more than the limit of {MAX_YAML_NODES:,} values",
                file=path,
                locator=line,
            )
    return yaml.safe_load(text)

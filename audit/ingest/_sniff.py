"""Sniffing helpers shared by the platform adapters: what a file's first or last bytes say.

An adapter's ``sniff(path)`` reads the head of a file (:func:`audit.ingest.base.head_text`) and uses
these to tell its own exports from the canonical CSV/JSON and from other platforms' files.
"""

from __future__ import annotations

from pathlib import Path

#: How many bytes at the end of a file are searched when the metadata sits there (WEBP EXIF).
TAIL_BYTES = 65536


def looks_canonical(text: str) -> bool:
    """True when the first line holds Empreinte's own columns (left to the canonical adapter)."""
    first = text.split("\n", 1)[0]
    return all(f'"{col}"' in first for col in ("platform", "modality", "created_at"))


def has_all(text: str, *needles: str) -> bool:
    return all(needle in text for needle in needles)


def tail(path: Path, size: int = TAIL_BYTES) -> bytes:
    """The last ``size`` bytes of a file (one seek), for formats that keep metadata at the end."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - size))
        return fh.read()


def is_json_suffix(path: Path) -> bool:
    return path.suffix.lower() in (".json", ".jsonl")

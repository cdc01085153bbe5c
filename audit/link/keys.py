"""Join keys between clips of the cut and generation records, as dict indexes (linear time).

Lookups are built column by column over a :class:`~audit.gentable.GenTable` (no object per
record). Keys, in the order they are tried for a clip (docs/linking.md, "Join keys"): a platform id
embedded in the media file name, the media file name equal to an output's, a content hash of
local media files, a C2PA instance id. Explicit shot tags do not say which take is in the cut;
the linker uses them for attempts.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from audit.gentable import GenTable, from_generations
from audit.link.model import Clip
from audit.link.names import basename, id_candidates, normalise_prompt, shot_id_in
from audit.models import Generation

#: Platform ids shorter than this are not looked for in file names ("take_1" holds "1").
MIN_PID_CHARS = 8
#: Input roles that reference a style, a character, a voice or a model rather than the content
#: being transformed: they make lineage edges but no sibling attempts.
REFERENCE_ROLES = frozenset(
    {
        "sref",
        "cref",
        "oref",
        "subject_reference",
        "character_ref",
        "voice",
        "checkpoint",
        "lora",
        "controlnet",
    }
)
#: Generation attributes that may carry the sha256 of an output file.
SHA256_ATTRIBUTES = ("sha256", "output_sha256")
_CHUNK = 1 << 20


class Lookup:
    """key → rows holding it (row order, each row once), over parallel arrays of keys and rows.

    Keys are grouped (``pandas.factorize``) on the first query, so a lookup nobody consults costs
    nothing; a query is then a hash lookup of the key and a slice.
    """

    def __init__(
        self,
        keys: np.ndarray | Callable[[slice], np.ndarray] | None,
        rows: np.ndarray,
        factorized: tuple[np.ndarray, Any] | None = None,
    ) -> None:
        """``keys`` are the keys of ``rows``, or a function giving those of ``rows[part]`` (made
        only when needed, a block at a time when :meth:`prepare` is used); with ``factorized``
        (codes of each row, distinct keys), keys may be None."""
        self._keys, self._rows = keys, rows
        self._factorized = factorized
        self._built = False
        self._only: set[str] | None = None

    def _keys_of(self, part: slice) -> np.ndarray:
        keys = self._keys
        if keys is None:
            raise ValueError("a Lookup without keys needs its factorization")
        return keys(part) if callable(keys) else keys[part]

    def prepare(self, queries: Iterable[str]) -> None:
        """Group only the keys among ``queries`` (the others are grouped if ever asked for):
        a million platform ids are matched against a few thousand clip names, a block of rows
        at a time, without keeping the million keys."""
        if self._built:
            return
        wanted = pd.Index(list(dict.fromkeys(q for q in queries if q)), dtype=object)
        keys, rows = [_OBJECTS], [_EMPTY]
        for start in range(0, len(self._rows) if len(wanted) else 0, _PART):
            part = slice(start, start + _PART)
            block = self._keys_of(part)
            keep = wanted.get_indexer(pd.Index(block, dtype=object)) >= 0
            keys.append(block[keep])
            rows.append(self._rows[part][keep])
        self._group(np.concatenate(keys), np.concatenate(rows), None)
        self._only = set(wanted.tolist())

    def _build(self) -> None:
        keys = None if self._factorized is not None else self._keys_of(slice(None))
        self._group(keys, self._rows, self._factorized)
        self._only = None

    def _group(
        self, keys: np.ndarray | None, rows: np.ndarray, factorized: tuple[np.ndarray, Any] | None
    ) -> None:
        if factorized is not None:
            codes, uniques = factorized
            given = codes >= 0
            codes, rows = codes[given], rows[given]
        else:
            if keys is None:
                raise ValueError("a Lookup without keys needs its factorization")
            given = pd.notna(keys)
            if not given.all():
                keys, rows = keys[given], rows[given]
            codes, uniques = pd.factorize(keys)
        order = np.argsort(codes, kind="stable")
        self.rows = rows[order]
        self.starts = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))])
        self.keys = pd.Index(uniques, dtype=object)
        self.codes = codes
        self._repeats = _repeated(codes, rows)
        self._built = True

    def code(self, key: str | None) -> int:
        if not self._built or (self._only is not None and key and key not in self._only):
            self._build()
        if not key:
            return -1
        try:
            found = self.keys.get_loc(key)
        except KeyError:
            return -1
        return int(found)

    def get(self, key: str | None) -> list[int]:
        """The rows of one key, in row order."""
        rows: list[int] = self.rows_of(self.code(key)).tolist()
        return rows

    def rows_of(self, code: int) -> np.ndarray:
        """Rows of a code given by :meth:`code` (or of the factorization given at init)."""
        if not self._built:
            self._build()
        if code < 0:
            return _EMPTY
        found = self.rows[self.starts[code] : self.starts[code + 1]]
        return _unique_in_order(found) if code in self._repeats else found

    def all_keys(self) -> list[str]:
        if not self._built or self._only is not None:
            self._build()
        keys: list[str] = [str(key) for key in self.keys.tolist()]
        return keys


_EMPTY = np.zeros(0, dtype=np.int64)
_OBJECTS = np.zeros(0, dtype=object)
#: Rows per block when keys are made a block at a time.
_PART = 1 << 17


def _repeated(codes: np.ndarray, rows: np.ndarray) -> set[int]:
    """Codes under which one row appears more than once (a record naming a key twice)."""
    if not len(rows):
        return set()
    per_row = np.bincount(rows)
    if per_row.max() < 2:
        return set()
    several = per_row[rows] > 1
    pairs = pd.DataFrame({"code": codes[several], "row": rows[several]})
    return set(pairs[pairs.duplicated()]["code"].tolist())


def _unique_in_order(rows: np.ndarray) -> np.ndarray:
    return np.asarray(list(dict.fromkeys(rows.tolist())), dtype=np.int64)


@dataclass
class Index:
    """Lookups over the rows of a :class:`~audit.gentable.GenTable` (positions are rows)."""

    table: GenTable
    by_id: pd.Index
    by_pid: Lookup
    by_url: Lookup
    by_output_name: Lookup
    by_prompt: Lookup
    by_tag: Lookup
    by_c2pa: Lookup
    by_sha256: Lookup
    #: per row: the code of its normalised prompt in ``by_prompt`` (-1: none)
    prompt_codes: np.ndarray
    #: per row: the code of its shot tag's key in ``by_tag`` (-1: none)
    tag_codes: np.ndarray
    #: content inputs (uri, row) of every row, as a side table
    content_inputs: pd.DataFrame


def tag_key(shot_tag: str | None) -> str | None:
    """The shot a tag names: ``SC01_SH010-t03`` → ``SC01_SH010``; other tags stay as written."""
    if not shot_tag:
        return None
    return shot_id_in(shot_tag) or shot_tag.strip()


def _normalised(
    column: np.ndarray, how: Callable[[str | None], str | None]
) -> tuple[np.ndarray, np.ndarray]:
    """``how`` applied to each distinct cell once (cells that are not text count as empty):
    (code of each row's key or -1, the distinct keys)."""
    codes, uniques = pd.factorize(column)
    keys = [(how(u) or None) if isinstance(u, str) else None for u in uniques]
    key_codes, distinct = pd.factorize(np.asarray([*keys, None], dtype=object))
    return key_codes[codes], distinct


def _pids(ids: np.ndarray) -> np.ndarray:
    """Lower-case platform ids (``kling:8F3A…`` → ``8f3a…``, the part after the first colon; the
    whole id without one) of at least :data:`MIN_PID_CHARS` characters (else None)."""
    out = np.empty(len(ids), dtype=object)
    out[:] = [i[i.find(":") + 1 :].lower() for i in ids.tolist()]
    lengths = np.fromiter(map(len, out), dtype=np.int64, count=len(out))
    out[lengths < MIN_PID_CHARS] = None
    return out


def _names(values: np.ndarray) -> np.ndarray:
    """Lower-case file names of outputs (a bare name is its own file name)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [
        (v.strip().lower() or None)
        if not ("/" in v or "\\" in v or "%" in v)
        else _lower(basename(v))
        for v in values
    ]
    return out


def _lower(name: str | None) -> str | None:
    return name.lower() if name else None


def build_index(gens: GenTable | Sequence[Generation]) -> Index:
    """Every lookup the linker needs, column by column.

    Prompts and shot tags repeat (rerolls share them), so each distinct one is normalised once.
    """
    table = gens if isinstance(gens, GenTable) else from_generations(gens)
    rows = np.arange(len(table), dtype=np.int64)
    ids = table.column("id")
    outputs = table.outputs
    out_rows = outputs["row"].to_numpy()
    out_values = outputs["value"].to_numpy(dtype=object)
    inputs = table.inputs
    content = inputs[~inputs["role"].isin(REFERENCE_ROLES) & ~inputs["uri"].str.startswith("gen:")][
        ["row", "uri"]
    ].reset_index(drop=True)
    prompt_codes, prompt_keys = _normalised(table.column("prompt"), normalise_prompt)
    by_prompt = Lookup(None, rows, (prompt_codes, prompt_keys))
    tag_codes, tag_keys = _normalised(table.column("shot_tag"), tag_key)
    c2pa = table.column("attr_c2pa_instance_id")
    sha = np.concatenate([table.column(f"attr_{a}") for a in SHA256_ATTRIBUTES])
    return Index(
        table=table,
        by_id=table.id_index(),
        by_pid=Lookup(lambda part: _pids(ids[part]), rows),
        by_url=Lookup(out_values, out_rows),
        by_output_name=Lookup(lambda part: _names(out_values[part]), out_rows),
        by_prompt=by_prompt,
        by_tag=Lookup(None, rows, (tag_codes, tag_keys)),
        by_c2pa=Lookup(c2pa, rows),
        by_sha256=Lookup(sha, np.concatenate([rows] * len(SHA256_ATTRIBUTES))),
        prompt_codes=prompt_codes,
        tag_codes=tag_codes,
        content_inputs=content,
    )


def by_file_name(index: Index, name: str) -> set[int]:
    """Generations a file name points at: by an embedded platform id, else by output name."""
    hits = {i for cand in id_candidates(name) for i in index.by_pid.get(cand)}
    return hits or set(index.by_output_name.get(name.lower()))


class LocalMedia:
    """Media files of the production folder (outside ``logs/``), hashed only when needed.

    A clip's media file found here by name is hashed (sha256); it matches generations that
    recorded that hash, and other local files of the same size and hash whose names point at a
    generation (an output downloaded under its platform name, then renamed for the edit).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.warnings: list[str] = []
        self._by_name: dict[str, list[Path]] | None = None
        self._by_size: dict[int, list[Path]] = {}
        self._sizes: dict[Path, int] = {}
        self._digests: dict[Path, str | None] = {}

    def _scan(self) -> dict[str, list[Path]]:
        """Files by lower-case name. Linked folders are not entered; a linked file that leads
        out of the production folder is never read (a warning names it)."""
        if self._by_name is None:
            self._by_name = {}
            inside = self.root.resolve()
            for folder, dirs, files in os.walk(self.root):
                here = Path(folder)
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith(".") and not (here == self.root and d == "logs")
                )
                for name in sorted(files):
                    path = here / name
                    if path.is_symlink() and not path.resolve().is_relative_to(inside):
                        self.warnings.append(
                            f"{path.relative_to(self.root).as_posix()}: a link out of the "
                            "production folder; not read"
                        )
                        continue
                    try:
                        size = path.stat().st_size
                    except OSError:
                        continue
                    self._by_name.setdefault(name.lower(), []).append(path)
                    self._by_size.setdefault(size, []).append(path)
                    self._sizes[path] = size
        return self._by_name

    def digest(self, path: Path) -> str | None:
        """sha256 of a file (hex), or None when it cannot be read (a warning says so)."""
        if path not in self._digests:
            sha = hashlib.sha256()
            try:
                with path.open("rb") as handle:
                    while chunk := handle.read(_CHUNK):
                        sha.update(chunk)
                self._digests[path] = sha.hexdigest()
            except OSError as exc:
                self.warnings.append(f"{path}: cannot read to hash it ({exc.strerror})")
                self._digests[path] = None
        return self._digests[path]

    def match(self, media_name: str, index: Index) -> set[int]:
        hits: set[int] = set()
        for path in self._scan().get(media_name.lower(), ()):
            digest = self.digest(path)
            if digest is None:
                continue
            hits.update(index.by_sha256.get(digest))
            for twin in self._by_size.get(self._sizes[path], ()):
                if twin != path and self.digest(twin) == digest:
                    hits |= by_file_name(index, twin.name)
        return hits


def match_clip(
    clip: Clip, index: Index, local: LocalMedia | None, instance_ids: dict[str, str] | None
) -> tuple[list[int], str | None]:
    """The generations whose output is the clip's media, and the key that told."""
    names = _unique([clip.media_name, clip.name])
    hits = {i for name in names for cand in id_candidates(name) for i in index.by_pid.get(cand)}
    if hits:
        return sorted(hits), "platform_id"
    hits = {i for name in names for i in index.by_output_name.get(name.lower())}
    hits.update(index.by_url.get(clip.media_url or ""))
    if hits:
        return sorted(hits), "file_name"
    if local is not None and clip.media_name:
        hits = local.match(clip.media_name, index)
        if hits:
            return sorted(hits), "content_hash"
    instance = (instance_ids or {}).get(clip.media_name or clip.name)
    hits = set(index.by_c2pa.get(instance.lower())) if instance else set()
    if hits:
        return sorted(hits), "c2pa_instance_id"
    return [], None


def _unique(names: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out

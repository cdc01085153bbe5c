"""Join keys between clips of the cut and generation records, as dict indexes (linear time).

Lookups (:class:`~audit.link.lookup.Lookup`) are built column by column over a
:class:`~audit.base.gentable.GenTable` (no object per record). Keys, in the order they are tried for a
clip (docs/linking.md, "Join keys"): a platform id embedded in the media file name, the media
file name equal to an output's, a name the user gave the take (:mod:`audit.link.usernames`), a
content hash of local media files, a C2PA instance id. A shot tag that names only the shot does
not say which take is in the cut; the linker uses it for attempts and candidates.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.base.codes import factorized, unique_rows
from audit.base.gentable import GenTable, from_generations
from audit.base.models import Generation
from audit.link.lookup import Lookup
from audit.link.model import Clip
from audit.link.names import basename, id_candidates, normalise_prompt, shot_id_in
from audit.link.usernames import (
    file_name_key,
    output_name_keys,
    prompt_shot,
    tag_name,
    take_key,
)

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


@dataclass
class Index:
    """Lookups over the rows of a :class:`~audit.base.gentable.GenTable` (positions are rows)."""

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
    #: per row: the code of its shot tag's key in ``by_tag`` (-1: none); a record with no tag
    #: takes the shot id its prompt carries (:func:`~audit.link.usernames.prompt_shot`)
    tag_codes: np.ndarray
    #: content inputs (uri, row) of every row, as a side table
    content_inputs: pd.DataFrame
    #: user-set names: a take's own tag (:func:`~audit.link.usernames.tag_name`), output stems
    by_user_tag: Lookup
    by_user_output: Lookup
    #: ``<shot>#<take>`` of each tag (:func:`~audit.link.usernames.take_key`)
    by_take: Lookup
    #: per row: True when the job succeeded (only those can be in the cut)
    succeeded: np.ndarray


def tag_key(shot_tag: str | None) -> str | None:
    """The shot a tag names: ``SC01_SH010-t03`` → ``SC01_SH010``; other tags stay as written."""
    if not shot_tag:
        return None
    return shot_id_in(shot_tag) or shot_tag.strip()


Factorized = tuple[np.ndarray, np.ndarray]


def _keyed(
    factorized: Factorized, how: Callable[[str | None], str | None], only: np.ndarray | None = None
) -> Factorized:
    """``how`` applied once to each distinct cell of a factorized column (cells that are not
    text count as empty; with ``only``, just to those distinct cells): (code of each row's key
    or -1, the distinct keys)."""
    codes, uniques = factorized
    keys = np.full(len(uniques) + 1, None, dtype=object)
    for u in range(len(uniques)) if only is None else only.tolist():
        cell = uniques[u]
        keys[u] = (how(cell) or None) if isinstance(cell, str) else None
    key_codes, distinct = pd.factorize(keys)
    return key_codes[codes], np.asarray(distinct, dtype=object)


def _normalised(column: np.ndarray, *hows: Callable[[str | None], str | None]) -> list[Factorized]:
    """Each of ``hows`` applied to each distinct cell once: per function, (code of each row's
    key or -1, the distinct keys)."""
    factorized = pd.factorize(column)
    return [_keyed(factorized, how) for how in hows]


def _with_prompt_shots(
    tags: tuple[np.ndarray, np.ndarray], prompts: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Shot keys of the tags, with the shot id a prompt carries where a record has no tag."""
    (tag_codes, tag_keys), (prompt_codes, prompt_keys) = tags, prompts
    untagged = (tag_codes < 0) & (prompt_codes >= 0)
    if not untagged.any():
        return tags
    merged = np.where(untagged, len(tag_keys) + prompt_codes, tag_codes)
    given = merged >= 0
    names = np.asarray([*tag_keys, *prompt_keys], dtype=object)[merged[given]]
    codes, keys = pd.factorize(names)
    full = np.full(len(merged), -1, dtype=np.int64)
    full[given] = codes
    return full, np.asarray(keys, dtype=object)


def _pids(ids: np.ndarray) -> np.ndarray | pa.Array:
    """Lower-case platform ids (``kling:8F3A…`` → ``8f3a…``, the part after the first colon; the
    whole id without one) of at least :data:`MIN_PID_CHARS` characters (else None/null). ASCII
    ids (all platforms' ids) are cut in Arrow and stay an Arrow array (a lookup matches them
    there); others are cut by Python's own ``str.lower``."""
    arrow = pa.array(ids, type=pa.string())
    if not arrow.null_count and pc.all(pc.string_is_ascii(arrow)).as_py() is not False:
        parts = pc.split_pattern(pc.ascii_lower(arrow), ":", max_splits=1)
        last = parts.values.take(pa.array(parts.offsets.to_numpy()[1:] - 1))
        return pc.if_else(pc.less(pc.binary_length(last), MIN_PID_CHARS), None, last)
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
    prompts = factorized(table, "prompt")
    prompt_codes, prompt_keys = _keyed(prompts, normalise_prompt)
    by_prompt = Lookup(None, rows, (prompt_codes, prompt_keys))
    tags = factorized(table, "shot_tag")
    shots = _keyed(tags, tag_key)
    untagged = unique_rows(prompts[0][(shots[0] < 0) & (prompts[0] >= 0)], len(prompts[1]))
    tag_codes, tag_keys = _with_prompt_shots(shots, _keyed(prompts, prompt_shot, untagged))
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
        by_user_tag=Lookup(None, rows, lambda: _keyed(tags, tag_name)),
        by_user_output=Lookup(lambda part: output_name_keys(out_values[part]), out_rows),
        by_take=Lookup(None, rows, lambda: _keyed(tags, take_key)),
        succeeded=table.column("status") == "succeeded",
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
        """Generations whose output is a file named ``media_name`` in the production folder, found
        by its content: its SHA-256 among the records', or a same-content file of another name."""
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
    hits = user_named(index, names)
    if hits:
        return sorted(hits), "user_name"
    if local is not None and clip.media_name:
        hits = local.match(clip.media_name, index)
        if hits:
            return sorted(hits), "content_hash"
    instance = (instance_ids or {}).get(clip.media_name or clip.name)
    hits = set(index.by_c2pa.get(instance.lower())) if instance else set()
    if hits:
        return sorted(hits), "c2pa_instance_id"
    return [], None


def user_named(index: Index, names: list[str]) -> set[int]:
    """Succeeded generations a clip's names name (key 3): a stem equal to a take's own tag or
    to an output's stem, else the same shot and take number as a tag."""
    keys = {key for name in names if (key := file_name_key(name))}
    hits = {row for key in keys for row in index.by_user_tag.get(key)}
    hits.update(row for key in keys for row in index.by_user_output.get(key))
    if not hits:
        takes = {take for name in names if (take := take_key(basename(name)))}
        hits = {row for take in takes for row in index.by_take.get(take)}
    return {row for row in hits if index.succeeded[row]}


def _unique(names: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out

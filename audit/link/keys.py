"""Join keys between clips of the cut and generation records, as dict indexes (linear time).

Keys, in the order they are tried for a clip (docs/linking.md, "Join keys"): a platform id
embedded in the media file name, the media file name equal to an output's, a content hash of
local media files, a C2PA instance id. Explicit shot tags do not say which take is in the cut;
the linker uses them for attempts.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


def _add(table: dict[str, list[int]], key: str | None, value: int) -> None:
    if key:
        bucket = table.get(key)
        if bucket is None:
            table[key] = [value]
        elif bucket[-1] != value:
            bucket.append(value)


@dataclass
class Index:
    """Lookups over the generations, by position in the list given to :func:`build_index`."""

    gens: Sequence[Generation]
    by_id: dict[str, int] = field(default_factory=dict)
    by_pid: dict[str, list[int]] = field(default_factory=dict)
    by_url: dict[str, list[int]] = field(default_factory=dict)
    by_output_name: dict[str, list[int]] = field(default_factory=dict)
    by_input: dict[str, list[int]] = field(default_factory=dict)
    by_prompt: dict[str, list[int]] = field(default_factory=dict)
    by_tag: dict[str, list[int]] = field(default_factory=dict)
    by_c2pa: dict[str, list[int]] = field(default_factory=dict)
    by_sha256: dict[str, list[int]] = field(default_factory=dict)
    prompt_keys: list[str | None] = field(default_factory=list)
    content_inputs: list[list[str]] = field(default_factory=list)


def platform_id(generation_id: str) -> str:
    """``kling:8f3a9c…`` → ``8f3a9c…`` (the part after the first colon)."""
    return generation_id.split(":", 1)[1] if ":" in generation_id else generation_id


def tag_key(shot_tag: str | None) -> str | None:
    """The shot a tag names: ``SC01_SH010-t03`` → ``SC01_SH010``; other tags stay as written."""
    if not shot_tag:
        return None
    return shot_id_in(shot_tag) or shot_tag.strip()


def build_index(gens: Sequence[Generation]) -> Index:
    """One pass over every generation, its outputs and inputs.

    Prompts and shot tags repeat (rerolls share them), so each distinct one is normalised once.
    """
    index = Index(gens)
    prompts: dict[str | None, str | None] = {}
    tags: dict[str | None, str | None] = {}
    for i, gen in enumerate(gens):
        index.by_id[gen.id] = i
        pid = platform_id(gen.id).lower()
        if len(pid) >= MIN_PID_CHARS:
            _add(index.by_pid, pid, i)
        for output in gen.outputs:
            _add(index.by_url, output, i)
            name = basename(output)
            _add(index.by_output_name, name.lower() if name else None, i)
        content = [
            ref.uri
            for ref in gen.inputs
            if ref.role not in REFERENCE_ROLES and not ref.uri.startswith("gen:")
        ]
        for uri in content:
            _add(index.by_input, uri, i)
        index.content_inputs.append(content)
        if gen.prompt not in prompts:
            prompts[gen.prompt] = normalise_prompt(gen.prompt)
        prompt = prompts[gen.prompt]
        index.prompt_keys.append(prompt)
        _add(index.by_prompt, prompt, i)
        if gen.shot_tag not in tags:
            tags[gen.shot_tag] = tag_key(gen.shot_tag)
        _add(index.by_tag, tags[gen.shot_tag], i)
        if gen.attributes:
            _add(index.by_c2pa, _text(gen.attributes.get("c2pa_instance_id")), i)
            for attribute in SHA256_ATTRIBUTES:
                _add(index.by_sha256, _text(gen.attributes.get(attribute)), i)
    return index


def _text(value: object) -> str | None:
    return value.lower() if isinstance(value, str) and value else None


def by_file_name(index: Index, name: str) -> set[int]:
    """Generations a file name points at: by an embedded platform id, else by output name."""
    hits = {i for cand in id_candidates(name) for i in index.by_pid.get(cand, ())}
    return hits or set(index.by_output_name.get(name.lower(), ()))


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
            hits.update(index.by_sha256.get(digest, ()))
            for twin in self._by_size.get(self._sizes[path], ()):
                if twin != path and self.digest(twin) == digest:
                    hits |= by_file_name(index, twin.name)
        return hits


def match_clip(
    clip: Clip, index: Index, local: LocalMedia | None, instance_ids: dict[str, str] | None
) -> tuple[list[int], str | None]:
    """The generations whose output is the clip's media, and the key that told."""
    names = _unique([clip.media_name, clip.name])
    hits = {i for name in names for cand in id_candidates(name) for i in index.by_pid.get(cand, ())}
    if hits:
        return sorted(hits), "platform_id"
    hits = {i for name in names for i in index.by_output_name.get(name.lower(), ())}
    hits.update(index.by_url.get(clip.media_url or "", ()))
    if hits:
        return sorted(hits), "file_name"
    if local is not None and clip.media_name:
        hits = local.match(clip.media_name, index)
        if hits:
            return sorted(hits), "content_hash"
    instance = (instance_ids or {}).get(clip.media_name or clip.name)
    hits = set(index.by_c2pa.get(instance.lower(), ())) if instance else set()
    if hits:
        return sorted(hits), "c2pa_instance_id"
    return [], None


def _unique(names: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out

"""Names users give their takes, as join keys (docs/linking.md, "Join keys", key 3).

Users name a take on the platform and the editor names the clip the same way: Kling's
``external_task_id`` (``SC01_SH010_take1``), a ComfyUI ``filename_prefix`` and its counter
(``SC02_SH030_00001_.png``), a canonical ``shot_tag`` that names a take. A clip whose name or
media stem is such a name keeps that generation; failing that, a clip and a tag that name the
same shot and the same take number (``SC01_SH010_take1.mp4`` and ``SC01_SH010-t01``) do.

A name that is only a shot id (``SC01_SH010.mov``) names a shot, not a take: it keeps nothing
(its tagged generations are the shot's candidates). Shot ids also come from prompts that carry
one written as an id (``SC03_SH010: the keeper…``), for records with no tag of their own.
"""

from __future__ import annotations

import re

import numpy as np

from audit.link.names import basename, shot_id_in, stem

_EDGES = " _-.()[]"
#: A take number after the shot id: ``take1``, ``take_02``, ``tk3``, ``-t03``.
_TAKE = re.compile(r"(?<![a-z0-9])(?:take|tk|t)[\s_.\-]*(\d{1,3})(?!\d)", re.IGNORECASE)
#: A shot id written as an id in running text (``SC03_SH010``, ``sq2-p40``), not ``scene 2 … shot 4``.
_COMPACT_ID = re.compile(
    r"(?<![a-z0-9])(?:sc|scn|sq|seq)\d{1,4}[\s_\-.]?(?:sh|p|pl)\d{1,4}(?![a-z0-9])", re.IGNORECASE
)
_SHOT_SPAN = re.compile(
    r"(?<![a-z0-9])(?:scene|scn|sc|sequence|seq|sq)[\s_.\-]*\d{1,4}(?!\d).*?"
    r"(?<![a-z0-9])(?:shot|sh|plan|pl|p|s)[\s_.\-]*\d{1,4}(?!\d)"
    r"|(?<![a-z0-9])(?:shot|sh|plan)[\s_.\-]*\d{1,4}(?!\d)",
    re.IGNORECASE,
)


def tag_name(tag: str | None) -> str | None:
    """A user-set tag as a name key: lower-cased, outer separators removed; None when it is
    only a shot id (it then names no take)."""
    if not tag:
        return None
    name = tag.strip().lower().strip(_EDGES)
    return name if name and names_a_take(name) else None


def file_name_key(value: str | None) -> str | None:
    """A clip name, media name or output (URL or path) as a name key: the file name's stem,
    lower-cased, outer separators removed (ComfyUI's ``SC02_SH030_00001_.png`` →
    ``sc02_sh030_00001``); None when it is only a shot id."""
    name = basename(value)
    if not name:
        return None
    key = stem(name).lower().strip(_EDGES)
    return key if key and names_a_take(key) else None


def names_a_take(name: str) -> bool:
    """False when ``name`` is nothing but a shot id (``sc01_sh010``, ``SH020``)."""
    found = _SHOT_SPAN.search(name)
    return not (found and found.start() == 0 and found.end() == len(name))


def take_key(text: str | None) -> str | None:
    """``<shot id>#<take number>`` when ``text`` names a shot then a take (``SC01_SH010_take1``,
    ``sc01_sh010-t01.mp4`` → ``SC01_SH010#1``), else None."""
    if not text:
        return None
    shot = shot_id_in(text)
    found = _SHOT_SPAN.search(text)
    if not shot or not found:
        return None
    take = _TAKE.search(text, found.end())
    return f"{shot}#{int(take.group(1))}" if take else None


def prompt_shot(prompt: str | None) -> str | None:
    """The shot id a prompt carries written as an id (``SC03_SH010: …``), or None; a prompt
    naming two different shots names none."""
    if not prompt:
        return None
    shots = {shot_id_in(m.group()) for m in _COMPACT_ID.finditer(prompt)}
    shots.discard(None)
    return shots.pop() if len(shots) == 1 else None


def output_name_keys(values: np.ndarray) -> np.ndarray:
    """:func:`file_name_key` of each output (object array, None where no key)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [file_name_key(v) if isinstance(v, str) else None for v in values.tolist()]
    return out

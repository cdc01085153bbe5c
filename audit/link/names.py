"""Names seen in an edit: shot ids (``SC01_SH020``), media file names, prompts.

The rules are documented in docs/linking.md ("Shot ids"). They are deliberately small and
predictable: an editor must be able to guess what id a clip gets from its name.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# A scene (or sequence) token, then, later in the name, a shot token. Letters or digits right
# before a token, or digits right after its number, make it no token ("disc01", "sh0101a" is
# fine: the letter after the number ends it).
_SCENE = r"(?:scene|scn|sc|sequence|seq|sq)"
_SHOT = r"(?:shot|sh|plan|pl|p|s)"
_SHOT_ALONE = r"(?:shot|sh|plan)"
_NUM = r"[\s_.\-]*(\d{1,4})(?!\d)"
_SCENE_SHOT = re.compile(
    rf"(?<![a-z0-9]){_SCENE}{_NUM}.*?(?<![a-z0-9]){_SHOT}{_NUM}", re.IGNORECASE
)
_SHOT_ONLY = re.compile(rf"(?<![a-z0-9]){_SHOT_ALONE}{_NUM}", re.IGNORECASE)
_NORMALISED = re.compile(r"^(SC\d{2,4})_SH\d{3,4}$|^SH\d{3,4}$")
#: A normalised id, with or without a take (``SC06_SH450``, ``SC06_SH450-t14``): the search
#: finds its first ten characters.
_WRITTEN = re.compile(r"SC[0-9]{2}_SH[0-9]{3}(?:-t[0-9]{1,4})?")


def shot_id_in(text: str | None) -> str | None:
    """The normalised shot id found in a clip name, file name or tag, or None.

    ``sc01_sh020_anim.mov`` → ``SC01_SH020``; ``SQ001_S001`` → ``SC01_SH001``;
    ``SC01_SH010-t03`` → ``SC01_SH010``; ``sh20`` → ``SH020``; ``IMG_0715`` → None.
    """
    if not text:
        return None
    if _WRITTEN.fullmatch(text):  # already written as an id (a take's tag): the id itself
        return text[:10]
    return searched_shot_id(text)


def searched_shot_id(text: str) -> str | None:
    """:func:`shot_id_in` by the search itself, for any text."""
    found = _SCENE_SHOT.search(text)
    if found:
        return f"SC{int(found.group(1)):02d}_SH{int(found.group(2)):03d}"
    alone = _SHOT_ONLY.search(text)
    if alone:
        return f"SH{int(alone.group(1)):03d}"
    return None


def sequence_of(shot_id: str) -> str | None:
    """``SC01_SH020`` → ``SC01``; an id that is not normalised has no sequence."""
    found = _NORMALISED.match(shot_id)
    return found.group(1) if found else None


_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_SEPARATOR = re.compile(r"[\\/]")


def basename(url_or_path: str | None) -> str | None:
    """The file name at the end of a URL or path, percent-decoded.

    ``file://localhost/D%3a/media/x.mov`` → ``x.mov``; ``S:\\path\\to\\y.exr`` → ``y.exr``;
    ``https://cdn.example/abc/0_1.png?sig=…`` → ``0_1.png``.
    """
    if not url_or_path:
        return None
    text = url_or_path.strip()
    if "/" not in text and "\\" not in text and "%" not in text:
        return text or None  # already a bare file name (no scheme, separator or escape)
    if _SCHEME.match(text):
        text = urlsplit(text).path
    name = _SEPARATOR.split(unquote(text).rstrip("/\\"))[-1]
    return name or None


def stem(name: str) -> str:
    """A file name without its last extension (``a.b.mov`` → ``a.b``)."""
    head, dot, tail = name.rpartition(".")
    return head if dot and head and 1 <= len(tail) <= 5 else name


_TOKEN = re.compile(r"[A-Za-z0-9]+")
MAX_TOKENS = 48


def id_candidates(name: str) -> set[str]:
    """Every run of whole tokens of a file name, lowercased, to look platform ids up.

    ``SC01_SH010_kling_8f3a9c.mp4`` gives ``sc01``, ``sc01_sh010``, …, ``8f3a9c``, ``8f3a9c.mp4``…:
    a platform id embedded in the name is one of these runs, whatever separators it contains.
    """
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(name)][:MAX_TOKENS]
    lowered = name.lower()
    return {lowered[start:end] for i, (start, _) in enumerate(spans) for (_, end) in spans[i:]}


_FLAG = re.compile(r"(?:^|\s)--?[a-z][\w-]*(?:\s+(?!--)[^\s]+)?", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def normalise_prompt(prompt: str | None) -> str | None:
    """Prompt text without parameters (``--ar 16:9 --seed 3``), case and spacing; None if empty.

    Two rerolls of one prompt differ only in what this removes.
    """
    if not prompt:
        return None
    text = _FLAG.sub(" ", prompt).lower()
    text = _SPACES.sub(" ", text).strip(" .,;:!?")
    return text or None

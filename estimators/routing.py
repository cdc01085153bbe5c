"""Which measured model, EcoLogits model or audio series a model name goes to (data/routes.csv).

A name matches a route when one of the route's names occurs in it as a whole (family and
version): ``wan2.1`` in ``Wan2.1-T2V-1.3B``, but not ``cogvideox`` in ``CogVideoX1.5-5B`` (the
version goes on) nor ``kling-v2`` in ``kling-v2-1-master``; and when its size agrees: a size
token of the name (``1.3B``, ``1600M``) must be the route's size, and a name without one matches
a sized route only when the route says one size exists (``unsized: yes``). A partial match is no
match: the caller falls back to its modality's band and says why (:attr:`RouteMatch.reason`).
Among matching routes the longest name wins, then the first row.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from estimators.errors import CoefficientError
from estimators.units import M_PER_B

ROUTE_COLUMNS = (
    "id", "modality", "target", "names", "size_b", "unsized", "source_id", "locator", "reason",
)  # fmt: skip
#: Kinds of target, by prefix.
TARGET_KINDS = ("image.model.", "video.model.", "audio.model.", "ecologits:")
_SIZE = re.compile(r"(?<![a-z0-9.])(?P<number>\d+(?:\.\d+)?)(?P<unit>[bm])(?![a-z0-9])")
#: A bare version number right after a name (``-1.5``, ``-1-master``): the version goes on.
_VERSION = re.compile(r"\d+(?:[._-]\d+)*(?![a-z0-9])")
_SIZE_HERE = re.compile(r"\d+(?:\.\d+)?[bm](?![a-z0-9])")
_FLAGS = {"yes": True, "no": False}
#: How the reason of a model no route names at all begins (not a partial match).
NO_ROUTE = "no measured route names"


@dataclass(frozen=True)
class Route:
    """One row of routes.csv."""

    id: str
    modalities: tuple[str, ...]
    target: str
    names: tuple[str, ...]
    size_b: float | None
    unsized: bool
    source_id: str
    locator: str
    reason: str


@dataclass(frozen=True)
class RouteMatch:
    """The route a model goes to, or None with the reason it goes to no route."""

    route: Route | None
    reason: str


#: Greek letters model names use, spelled out (``PixArt-Σ`` is ``PixArt-Sigma``).
_GREEK = str.maketrans({"σ": "sigma", "α": "alpha", "δ": "delta"})


def _lower(text: str) -> str:
    return text.lower().translate(_GREEK)


def compact(text: str) -> str:
    """Lower-case ASCII letters and digits only (``FLUX.1-dev`` → ``flux1dev``)."""
    return "".join(ch for ch in _lower(text) if ch.isascii() and ch.isalnum())


def size_tokens_b(model: str) -> tuple[float, ...]:
    """Model sizes named in ``model``, in billions of parameters (``1.3B`` → 1.3, ``1600M`` →
    1.6); a token glued to letters (``A14B``, ``e4m3``) is not a size."""
    return tuple(
        float(m["number"]) / (M_PER_B if m["unit"] == "m" else 1)
        for m in _SIZE.finditer(_lower(model))
    )


def _positions(raw: str) -> tuple[str, list[int]]:
    kept = [(ch, i) for i, ch in enumerate(raw) if ch.isascii() and ch.isalnum()]
    return "".join(ch for ch, _ in kept), [i for _, i in kept]


def names_model(model: str, name: str) -> bool:
    """Whether ``name`` (already compact) occurs in ``model`` as a whole: it starts a word and
    is not followed by a further version number."""
    raw = _lower(model)
    flat, where = _positions(raw)
    start = flat.find(name)
    while start >= 0:
        end = start + len(name)
        first = where[start]
        starts_word = first == 0 or not (raw[first - 1].isascii() and raw[first - 1].isalnum())
        at = where[end] if end < len(flat) else len(raw)
        goes_on = bool(_VERSION.match(raw, at)) and not _SIZE_HERE.match(raw, at)
        if starts_word and not goes_on:
            return True
        start = flat.find(name, start + 1)
    return False


def _size_fits(route: Route, sizes: tuple[float, ...]) -> bool:
    if route.size_b is None:
        return True
    if not sizes:
        return route.unsized
    return any(math.isclose(size, route.size_b) for size in sizes)


class _Hit(NamedTuple):
    length: int
    order: int
    route: Route


def find_route(
    routes: tuple[Route, ...], model: str | None, modality: str, kind: str
) -> RouteMatch:
    """The route of ``kind`` (a target prefix) for ``model`` at ``modality``, or the reason why
    there is none."""
    if not model:
        return RouteMatch(None, f"{NO_ROUTE} this job (no model logged)")
    sizes = size_tokens_b(model)
    named: list[_Hit] = []
    for order, route in enumerate(routes):
        if not route.target.startswith(kind) or modality not in route.modalities:
            continue
        hits = [len(n) for n in route.names if names_model(model, n)]
        if hits:
            named.append(_Hit(max(hits), -order, route))
    fitting = [hit for hit in named if _size_fits(hit.route, sizes)]
    if fitting:
        return RouteMatch(max(fitting).route, "")
    if named:
        given = ", ".join(f"{s:g}B" for s in sizes) or "no size"
        return RouteMatch(
            None,
            f"{model!r} gives {given}; measured sizes {_sizes(named)}: {max(named).route.reason}",
        )
    return RouteMatch(None, f"{NO_ROUTE} {model!r}")


def _sizes(named: list[_Hit]) -> str:
    sizes = sorted({hit.route.size_b for hit in named if hit.route.size_b is not None})
    return ", ".join(f"{s:g}B" for s in sizes) or "unsized"


def _route(line: int, row: dict[str, str], path: Path, sources: set[str]) -> Route:
    def fail(field: str, message: str, choices: tuple[str, ...] | None = None) -> CoefficientError:
        return CoefficientError(
            message, file=path, line=line, field=field, value=row[field], choices=choices
        )

    if not row["target"].startswith(TARGET_KINDS):
        raise fail("target", "unknown kind of target", TARGET_KINDS)
    if row["unsized"] not in _FLAGS:
        raise fail("unsized", "must be yes or no", tuple(_FLAGS))
    if row["source_id"] not in sources:
        raise fail("source_id", "unknown source (not in sources.yaml)")
    names = tuple(compact(n) for n in row["names"].split("|") if compact(n))
    if not names or not row["reason"] or not row["locator"]:
        raise fail("names", "a route needs names, a locator and a reason")
    try:
        size = float(row["size_b"]) if row["size_b"] else None
    except ValueError:
        raise fail("size_b", "not a number") from None
    return Route(
        row["id"],
        tuple(row["modality"].split("|")),
        row["target"],
        names,
        size,
        _FLAGS[row["unsized"]],
        row["source_id"],
        row["locator"],
        row["reason"],
    )


def load_routes(path: Path, sources: set[str]) -> tuple[Route, ...]:
    """routes.csv, checked row by row (targets are checked by the registry loader)."""
    if not path.is_file():
        raise CoefficientError("file is missing", file=path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ROUTE_COLUMNS:
            raise CoefficientError(
                "columns differ", file=path, line=1, field="header", choices=ROUTE_COLUMNS
            )
        routes = [_route(reader.line_num, dict(row), path, sources) for row in reader]
    ids = [r.id for r in routes]
    for route in routes:
        if ids.count(route.id) > 1:
            raise CoefficientError("duplicate id", file=path, field="id", value=route.id)
    return tuple(routes)

"""Types and small helpers shared by the ingest tests (fixtures themselves live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from audit.base.models import Generation
from audit.ingest.base import Item

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: ``read(adapter, *names, root=FIXTURES)`` → every item the adapter yields, in order.
Reader = Callable[..., list[Item]]
#: ``make_png(path, text, ztxt=None, time=None)`` → the PNG written.
PngMaker = Callable[..., Path]
#: ``gens(items)`` → the generations among items, by id.
GenIndex = Callable[[list[Item]], dict[str, Generation]]


def by_id(items: list[Item]) -> dict[str, Generation]:
    """The generations among ``items``, by id."""
    return {item.id: item for item in items if isinstance(item, Generation)}


def one(items: list[Item]) -> Generation:
    """The single item read, which must be a generation."""
    assert len(items) == 1, items
    (item,) = items
    assert isinstance(item, Generation), item
    return item

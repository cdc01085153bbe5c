"""Pausing the cyclic garbage collector around the stages that build many objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while millions of records are built.

    Records hold no reference cycles; reference counting frees them as before. Left on, the
    collector walks every live record again and again as they pile up, which doubled the time of
    ingest and linking at 100,000 records (docs/performance.md). The previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

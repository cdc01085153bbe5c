"""Around the stages that build many objects: the cyclic garbage collector paused, NumPy's large
arrays on ordinary pages, the C heap's free pages given back."""

from __future__ import annotations

import ctypes
import gc
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache


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


@contextmanager
def small_pages() -> Iterator[None]:
    """NumPy's large arrays on ordinary pages while the stages run; the previous choice restored.

    NumPy asks the kernel for huge pages for every array of 4 MB or more. Where the kernel
    compacts memory to find them on demand (``/sys/kernel/mm/transparent_hugepage/defrag``:
    ``madvise``, a common default), the first touch of each new array costs system time — at a
    million records a third of the CPU time of linking, estimation and aggregation, which build
    and drop many such arrays (docs/performance.md). The switch is NumPy's own
    (``NUMPY_MADVISE_HUGEPAGE=0`` does the same for a whole process).
    """
    switch = getattr(
        importlib.import_module("numpy._core.multiarray"), "_set_madvise_hugepage", None
    )
    if switch is None:
        yield
        return
    before = switch(False)
    try:
        yield
    finally:
        switch(before)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` among the process's own symbols, or None where the C library has
    none (macOS, musl, Windows)."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


def trim_heap() -> bool:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim(0)``); False where
    there is no such call.

    Python, pandas and Arrow free the temporaries of the stages (a parsed file's cells, a
    block's texts) into glibc's heap, which keeps most of those pages: at a million records the
    report process held about 230 MiB of freed heap when it forked the writer of
    generations.csv and again when it wrote the PDF, both at its peak resident size
    (docs/performance.md). Trimming there costs milliseconds and moves no live object."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True

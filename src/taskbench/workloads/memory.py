"""Bytes per pending task, counted by :mod:`tracemalloc`.

tracemalloc counts the bytes Python's allocators hand out, so the figure is exact and the
same from run to run, on every operating system, whatever else the machine is doing. An RSS
delta would also count allocator slack and pages the OS hands out in chunks, which makes it
noisy at small counts. The price: tracemalloc does not exist on PyPy.

The figure covers everything the create step allocates per task: the task, its coroutine,
the loop's scheduled callback, the list slot and asyncio's registry of live tasks.
"""

from __future__ import annotations

import asyncio
import gc

from taskbench.workloads import Unavailable
from taskbench.workloads.cycle import nop_task, validate_count
from taskbench.workloads.timing import LoopFactory

try:
    import tracemalloc
except ImportError:  # PyPy
    tracemalloc = None  # type: ignore[assignment]


def memory_is_traceable() -> bool:
    """Whether this interpreter can count allocations (CPython can, PyPy cannot)."""
    return tracemalloc is not None


async def _bytes_per_pending_task(count: int) -> float:
    assert tracemalloc is not None
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tasks = [asyncio.create_task(nop_task()) for _ in range(count)]
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    done, _pending = await asyncio.wait(tasks)
    if len(done) != count:
        raise RuntimeError(f"{len(done)} of {count} tasks finished")
    return (after - before) / count


def bytes_per_pending_task(count: int, *,
                           loop_factory: LoopFactory = asyncio.new_event_loop) -> float:
    """Bytes allocated per task by creating ``count`` tasks, measured before any has run.

    Raises:
        Unavailable: on interpreters without tracemalloc (PyPy).
    """
    validate_count(count)
    if not memory_is_traceable():
        raise Unavailable("tracemalloc is not available on this interpreter")
    loop = loop_factory()
    try:
        return loop.run_until_complete(_bytes_per_pending_task(count))
    finally:
        loop.close()

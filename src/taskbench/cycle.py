"""The create-and-wait cycle: N do-nothing tasks made with ``create_task``, then one ``wait``.

This is the workload of the classic measurement, kept exactly as it was written::

    tasks = [create_task(nop_task()) for _ in range(count)]
    await wait(tasks)

The garbage collector stays enabled during the cycle, as it was in the original script.
asv times ``time_`` benchmarks with :mod:`timeit`, which switches the collector off around the
timed call; :func:`create_and_wait` switches it back on for the duration of the cycle and
restores the caller's setting afterwards, so a benchmark and the classic script pay the same
collection cost. Pass ``gc_enabled=False`` to measure the cycle without it.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from dataclasses import dataclass
from typing import Callable

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def validate_count(count: object) -> int:
    """Return ``count`` as a task count, or raise ValueError saying what is wrong with it.

    ``asyncio.wait`` refuses an empty set, so a cycle needs at least one task.
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError(f"a task count must be a whole number, not {count!r}")
    if count < 1:
        raise ValueError(f"a task count must be at least 1, not {count}")
    return count


async def nop_task() -> None:
    """The coroutine every task runs: it returns at once, so only the task machinery costs."""


async def create_and_wait(count: int, *, gc_enabled: bool = True) -> int:
    """Create ``count`` tasks running :func:`nop_task`, wait for all, return how many finished.

    Args:
        count: how many tasks to create; at least 1.
        gc_enabled: whether the cyclic garbage collector runs during the cycle.
    """
    validate_count(count)
    collector_was_enabled = gc.isenabled()
    if gc_enabled:
        gc.enable()
    else:
        gc.disable()
    try:
        tasks = [asyncio.create_task(nop_task()) for _ in range(count)]
        done, _pending = await asyncio.wait(tasks)
        return len(done)
    finally:
        if collector_was_enabled:
            gc.enable()
        else:
            gc.disable()


def run_on_fresh_loop(count: int, *, loop_factory: LoopFactory = asyncio.new_event_loop,
                      gc_enabled: bool = True) -> int:
    """Run one cycle on a new event loop, closed afterwards, as ``asyncio.run`` would."""
    loop = loop_factory()
    try:
        return loop.run_until_complete(create_and_wait(count, gc_enabled=gc_enabled))
    finally:
        loop.close()


@dataclass(frozen=True)
class CycleTiming:
    """What one cycle cost, measured inside the running loop around create and wait only."""

    count: int
    completed: int
    cpu_seconds: float
    wall_seconds: float


async def _timed_create_and_wait(count: int, gc_enabled: bool) -> CycleTiming:
    wall_start = time.perf_counter()
    cpu_start = time.process_time()
    completed = await create_and_wait(count, gc_enabled=gc_enabled)
    cpu_seconds = time.process_time() - cpu_start
    wall_seconds = time.perf_counter() - wall_start
    return CycleTiming(count, completed, cpu_seconds, wall_seconds)


def time_cycle(count: int, *, loop_factory: LoopFactory = asyncio.new_event_loop,
               gc_enabled: bool = True) -> CycleTiming:
    """Time one cycle on a fresh loop the way the classic script does (``process_time``)."""
    validate_count(count)
    loop = loop_factory()
    try:
        return loop.run_until_complete(_timed_create_and_wait(count, gc_enabled))
    finally:
        loop.close()


@dataclass(frozen=True)
class Throughput:
    """Tasks per second of a count: the median over batches of cycles."""

    count: int
    tasks_per_second: float
    batch_rates: list[float]


def measure_throughput(count: int, *, batches: int = 3, min_batch_seconds: float = 0.05,
                       loop_factory: LoopFactory = asyncio.new_event_loop,
                       gc_enabled: bool = True) -> Throughput:
    """Measure tasks per second as the classic script does, robustly.

    Each batch runs cycles on fresh loops until it has used ``min_batch_seconds`` of CPU time
    (one cycle, for large counts), and rates the batch as tasks created over CPU seconds spent.
    Batching keeps small counts measurable on platforms whose ``process_time`` ticks coarsely.
    The median over ``batches`` is reported, which one slow batch cannot move.
    """
    validate_count(count)
    if batches < 1:
        raise ValueError(f"batches must be at least 1, not {batches}")
    rates = []
    for _ in range(batches):
        tasks = 0
        cpu_seconds = 0.0
        while tasks == 0 or cpu_seconds < min_batch_seconds:
            timing = time_cycle(count, loop_factory=loop_factory, gc_enabled=gc_enabled)
            if timing.completed != count:
                raise RuntimeError(f"{timing.completed} of {count} tasks finished")
            tasks += timing.completed
            cpu_seconds += timing.cpu_seconds
        rates.append(tasks / cpu_seconds)
    return Throughput(count, statistics.median(rates), rates)

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
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Awaitable, Callable, Iterator, Mapping, TypeVar

LoopFactory = Callable[[], asyncio.AbstractEventLoop]
# Counts below this get a discarded warm-up batch (see measure_rate).
WARM_UP_BELOW = 100_000
# A workload takes a count and, run inside an event loop, returns how many units it finished.
Workload = Callable[[int], Awaitable[int]]


Chosen = TypeVar("Chosen")


def choose(kind: str, name: str, choices: Mapping[str, Chosen]) -> Chosen:
    """``choices[name]``, or ValueError naming the unknown ``kind`` and what there is."""
    try:
        return choices[name]
    except KeyError:
        raise ValueError(
            f"unknown {kind} {name!r}; choose one of {', '.join(choices)}") from None


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


@contextmanager
def collector(enabled: bool) -> Iterator[None]:
    """Switch the cyclic garbage collector on or off, restoring the caller's setting after.

    asv's ``time_`` benchmarks run under :mod:`timeit`, which turns the collector off; the
    workloads turn it back on so that they pay what an application pays.
    """
    was_enabled = gc.isenabled()
    if enabled:
        gc.enable()
    else:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


async def create_and_wait(count: int, *, gc_enabled: bool = True) -> int:
    """Create ``count`` tasks running :func:`nop_task`, wait for all, return how many finished.

    Args:
        count: how many tasks to create; at least 1.
        gc_enabled: whether the cyclic garbage collector runs during the cycle.
    """
    validate_count(count)
    with collector(gc_enabled):
        tasks = [asyncio.create_task(nop_task()) for _ in range(count)]
        done, _pending = await asyncio.wait(tasks)
        return len(done)


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


async def _timed(workload: Workload, count: int, gc_enabled: bool) -> CycleTiming:
    with collector(gc_enabled):
        wall_start = time.perf_counter()
        cpu_start = time.process_time()
        completed = await workload(count)
        cpu_seconds = time.process_time() - cpu_start
        wall_seconds = time.perf_counter() - wall_start
    return CycleTiming(count, completed, cpu_seconds, wall_seconds)


def time_workload(workload: Workload, count: int, *,
                  loop_factory: LoopFactory = asyncio.new_event_loop,
                  gc_enabled: bool = True, collect_first: bool = True) -> CycleTiming:
    """Time one run of ``workload(count)`` on a fresh loop: CPU (``process_time``) and wall.

    Unless ``collect_first`` is false, the heap is collected first, untimed, so that the run
    starts from the same state as any other and pays for collecting its own garbage only, not
    for what earlier runs left: measured here, that takes the spread of five batches at 100K
    tasks from about 12% to about 2%.
    """
    validate_count(count)
    if collect_first:
        gc.collect()
    loop = loop_factory()
    try:
        return loop.run_until_complete(_timed(workload, count, gc_enabled))
    finally:
        loop.close()


def time_cycle(count: int, *, loop_factory: LoopFactory = asyncio.new_event_loop,
               gc_enabled: bool = True) -> CycleTiming:
    """Time one cycle on a fresh loop the way the classic script does (``process_time``)."""
    return time_workload(create_and_wait, count, loop_factory=loop_factory,
                         gc_enabled=gc_enabled)


@dataclass(frozen=True)
class Throughput:
    """Units (tasks) per second of a count: the median over batches of runs."""

    count: int
    tasks_per_second: float
    batch_rates: list[float]

    @property
    def spread_percent(self) -> float:
        """The batches' range as a percentage of their median: how far one figure can move."""
        return 100 * (max(self.batch_rates) - min(self.batch_rates)) / self.tasks_per_second


def measure_rate(workload: Workload, count: int, *, batches: int = 3,
                 min_batch_seconds: float = 0.05, warmup_batches: int | None = None,
                 loop_factory: LoopFactory = asyncio.new_event_loop,
                 gc_enabled: bool = True) -> Throughput:
    """Measure units per second of CPU time for ``workload(count)``, robustly.

    Each batch runs the workload on fresh loops until it has used ``min_batch_seconds`` of CPU
    time (one run, for large counts), and rates the batch as units finished over CPU seconds.
    Batching keeps small counts measurable on platforms whose ``process_time`` ticks coarsely.
    The median over ``batches`` is reported, which one slow batch cannot move.

    Below :data:`WARM_UP_BELOW` units, one batch is run first and discarded (unless
    ``warmup_batches`` says otherwise): in a cold process the first small runs pay for caches
    and lazy imports, not for tasks. At the classic table's counts the first run pays for
    growing the heap, as it did in the classic script, and is kept.

    Raises:
        RuntimeError: when a run finishes fewer units than it was given.
    """
    validate_count(count)
    if batches < 1:
        raise ValueError(f"batches must be at least 1, not {batches}")
    if warmup_batches is None:
        warmup_batches = 1 if count < WARM_UP_BELOW else 0
    rates = []
    for batch in range(warmup_batches + batches):
        finished = 0
        cpu_seconds = 0.0
        # Each batch, not each run, starts from a collected heap: at large counts a batch is
        # one run; at small ones, thousands of runs, whose collections would cost minutes.
        gc.collect()
        while finished == 0 or cpu_seconds <= 0 or cpu_seconds < min_batch_seconds:
            timing = time_workload(workload, count, loop_factory=loop_factory,
                                   gc_enabled=gc_enabled, collect_first=False)
            if timing.completed != count:
                raise RuntimeError(f"{timing.completed} of {count} finished")
            finished += timing.completed
            cpu_seconds += timing.cpu_seconds
        if batch >= warmup_batches:
            rates.append(finished / cpu_seconds)
    return Throughput(count, statistics.median(rates), rates)


def measure_throughput(count: int, *, batches: int = 3, min_batch_seconds: float = 0.05,
                       loop_factory: LoopFactory = asyncio.new_event_loop,
                       gc_enabled: bool = True) -> Throughput:
    """Tasks per second of the create-and-wait cycle, as the classic script measures it.

    See :func:`measure_rate` for how batches are run and rated.
    """
    return measure_rate(create_and_wait, count, batches=batches,
                        min_batch_seconds=min_batch_seconds, loop_factory=loop_factory,
                        gc_enabled=gc_enabled)

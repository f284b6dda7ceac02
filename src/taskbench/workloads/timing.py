"""CPU seconds per unit of work: one figure per process, the same kind on every interpreter.

A workload takes a count and, run inside an event loop, returns how many units (tasks,
coroutines, callbacks, widgets) it finished. :func:`time_workload` runs it once on a fresh
loop and reads ``process_time`` around it inside the running loop, as the classic script
does. :func:`seconds_per_unit` turns runs into the one figure a process reports, of one of
two kinds, named by the catalogue for every benchmark and shown with every figure:

* :data:`FIRST`: the first run in the process, as the post's first row was: it also pays for
  growing the heap to hold the tasks.
* :data:`WARM`: after one discarded run, the mean of :data:`WARM_RUNS` runs: the steady cost a
  program pays once its heap and caches are warm. Below :data:`ONE_RUN_FROM` units a run is
  too short for the clock, so each "run" is a batch of runs lasting at least
  ``MIN_BATCH_SECONDS`` of CPU time.

Measured on this project's machine, a first run differs from the later ones by an amount
that depends on the interpreter (slower on some, faster on others), so the two kinds are
never mixed in one figure, and a figure is never the least of several runs (that would pick
a first run on one interpreter and a warm one on another). Each run starts from a collected
heap (untimed). The mean of the warm runs is total CPU time over total units.

asv runs each benchmark in a process of its own; :func:`asv_samples` hands it the process's
figure as one sample, and the figures of separate processes, taken in interleaved blocks
across interpreters (:mod:`taskbench.jobs.blocks`), are what every interval is made from.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, TypeVar

from taskbench.workloads.cycle import collector, validate_count

LoopFactory = Callable[[], asyncio.AbstractEventLoop]
Workload = Callable[[int], Awaitable[int]]
Result = TypeVar("Result")
# Runs an async function to completion on a fresh event loop of its own, closed after, and
# returns its result: asyncio's loop and the others (on_loop), or another framework's
# ``run`` (Trio's, AnyIO's: taskbench.workloads.frameworks).
Runner = Callable[[Callable[[], Awaitable[Any]]], Any]
# What a sampled track_ benchmark returns: see asv_samples.
Samples = Dict[str, Any]

# The two kinds of figure (see the module docstring).
FIRST, WARM = "first", "warm"
# From this many units a run is timed alone; below it, runs are timed in batches.
ONE_RUN_FROM = 100_000
MIN_BATCH_SECONDS = 0.05
# Measured runs (or batches) after the discarded one, in a warm figure.
WARM_RUNS = 3


@dataclass(frozen=True)
class Run:
    """One run of a workload: units it finished and the CPU time it took inside the loop."""

    completed: int
    cpu_seconds: float


async def _timed(workload: Workload, count: int, gc_enabled: bool) -> Run:
    with collector(gc_enabled):
        start = time.process_time()
        completed = await workload(count)
        return Run(completed, time.process_time() - start)


def on_loop(loop_factory: LoopFactory) -> Runner:
    """The runner of loops ``loop_factory`` makes: each run on a new loop, closed after."""
    def run(main: Callable[[], Awaitable[Result]]) -> Result:
        loop = loop_factory()
        try:
            return loop.run_until_complete(main())
        finally:
            loop.close()

    return run


def time_workload(workload: Workload, count: int, *,
                  loop_factory: LoopFactory = asyncio.new_event_loop,
                  gc_enabled: bool = True, runner: Runner | None = None) -> Run:
    """Run ``workload(count)`` once on a fresh loop, closed after; CPU time inside the loop.
    The loop is ``runner``'s where given (another framework's), else one ``loop_factory``
    makes."""
    run: Run = (runner or on_loop(loop_factory))(
        lambda: _timed(workload, count, gc_enabled))
    return run


def _batch(workload: Workload, count: int, runner: Runner, gc_enabled: bool,
           min_seconds: float) -> Run:
    """One run of ``count`` units, or, below :data:`ONE_RUN_FROM`, runs until they last
    ``min_seconds`` of CPU time, from a collected heap."""
    finished, cpu_seconds = 0, 0.0
    gc.collect()
    while finished == 0 or cpu_seconds <= 0 or (
            count < ONE_RUN_FROM and cpu_seconds < min_seconds):
        run = time_workload(workload, count, runner=runner, gc_enabled=gc_enabled)
        if run.completed != count:
            raise RuntimeError(f"{run.completed} of {count} finished")
        finished += run.completed
        cpu_seconds += run.cpu_seconds
    return Run(finished, cpu_seconds)


def seconds_per_unit(workload: Workload, count: int, *, cycle: str = WARM,
                     runs: int = WARM_RUNS, min_batch_seconds: float = MIN_BATCH_SECONDS,
                     loop_factory: LoopFactory = asyncio.new_event_loop,
                     gc_enabled: bool = True, runner: Runner | None = None) -> float:
    """This process's figure for ``workload(count)``: CPU seconds per unit, of the kind
    ``cycle`` names (:data:`FIRST` or :data:`WARM`, see the module docstring), each run on a
    fresh loop of ``runner`` where given, else of ``loop_factory``.

    Raises:
        RuntimeError: when a run finishes fewer units than it was given.
        ValueError: for a bad count, kind or number of runs.
    """
    validate_count(count)
    if cycle not in (FIRST, WARM):
        raise ValueError(f"unknown kind of cycle {cycle!r}; choose {FIRST!r} or {WARM!r}")
    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")

    def batch() -> Run:
        return _batch(workload, count, runner or on_loop(loop_factory), gc_enabled,
                      min_batch_seconds)

    if cycle == FIRST:
        first = batch()
        return first.cpu_seconds / first.completed
    batch()  # discarded: it pays for caches, lazy imports and a heap grown to size
    measured = [batch() for _ in range(runs)]
    return sum(run.cpu_seconds for run in measured) / sum(run.completed for run in measured)


def asv_samples(*figures: float) -> Samples:
    """A ``track_`` result that asv reads as samples, as it reads a ``time_`` benchmark's.

    asv's runner takes any benchmark result holding ``samples`` and ``number`` as a list of
    samples: it pools those of every process (and, with ``--append-samples``, of every run)
    and stores the median, its 99% confidence interval, the quartiles and (with
    ``--record-samples``) the samples themselves.
    """
    return {"samples": [float(figure) for figure in figures], "number": 1}

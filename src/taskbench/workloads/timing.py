"""CPU seconds per unit of work: one figure per process, the same kind on every interpreter.

A workload takes a count and, run inside an event loop, returns how many units (tasks,
coroutines, callbacks, widgets) it finished. :func:`time_workload` runs it once on a fresh
loop and reads the CPU clock (``process_time``, :mod:`taskbench.workloads.clock`) around it
inside the running loop, as the classic script does. :func:`seconds_per_unit` turns runs
into the one figure a process reports, of one of two kinds, named by the catalogue for every
benchmark and shown with every figure:

* :data:`FIRST`: the first run in the process, as the post's first row was: it also pays for
  growing the heap to hold the tasks.
* :data:`WARM`: steady: once the runs have settled by the warm-up rule of
  :mod:`taskbench.workloads.steady` (as many runs as the interpreter needs, up to a cap), the
  mean of the :data:`WARM_RUNS` runs after them: the cost a program pays once its heap,
  caches and JIT are warm.

A run is a batch: below :data:`ONE_RUN_FROM` units one run is too short for the clock, so
runs are repeated until the batch lasts at least ``MIN_BATCH_SECONDS`` of CPU time; and on
any count, a batch lasts at least 100 ticks of the clock as measured
(:attr:`taskbench.workloads.clock.Clock.shortest_batch`), so that a coarse clock (Windows
counts CPU time in ticks of about 15.6 ms) errs by under 1%. Each run of a batch is timed
on a fresh loop, as the classic script does, where the clock is fine enough for that
(Linux, macOS); on a coarse clock each reading would err by up to a tick, so there the
batch's runs share one loop and are timed as one interval. A first figure from
:data:`ONE_RUN_FROM` units is the one first run whatever the clock: on a coarse clock it
carries up to one tick of error, which the clock's recorded tick shows.

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
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, TypeVar

from taskbench.workloads.clock import Clock, Reading, process_clock
from taskbench.workloads.cycle import collector, validate_count
from taskbench.workloads.steady import SETTLE_CYCLES, SETTLE_PERCENT, WarmUp, warm_up

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
# Measured runs (or batches) after the warm-up, in a warm figure.
WARM_RUNS = 3


@dataclass(frozen=True)
class Run:
    """One run of a workload: units it finished and the CPU time it took inside the loop."""

    completed: int
    cpu_seconds: float


async def _timed(workload: Workload, count: int, gc_enabled: bool, read: Reading) -> Run:
    with collector(gc_enabled):
        start = read()
        completed = await workload(count)
        return Run(completed, read() - start)


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
                  gc_enabled: bool = True, clock: Clock | None = None,
                  runner: Runner | None = None) -> Run:
    """Run ``workload(count)`` once on a fresh loop, closed after; CPU time inside the loop,
    read from ``clock`` (``process_time`` unless given). The loop is ``runner``'s where given
    (another framework's), else one ``loop_factory`` makes."""
    read = (clock or process_clock()).read
    run: Run = (runner or on_loop(loop_factory))(
        lambda: _timed(workload, count, gc_enabled, read))
    return run


def _batch(workload: Workload, count: int, runner: Runner, gc_enabled: bool,
           least_seconds: float, clock: Clock) -> Run:
    """Runs of ``count`` units, from a collected heap, until they last ``least_seconds`` of
    CPU time (one run when that is 0): each on a fresh loop and timed alone, or, on a clock
    too coarse to time them one by one, all on one loop and timed as one interval."""
    gc.collect()
    if not clock.times_each_run:
        together: Run = runner(
            lambda: _timed_together(workload, count, gc_enabled, least_seconds, clock.read))
        return together
    finished, cpu_seconds = 0, 0.0
    while finished == 0 or cpu_seconds <= 0 or cpu_seconds < least_seconds:
        run = time_workload(workload, count, runner=runner, gc_enabled=gc_enabled,
                            clock=clock)
        finished += _checked(run.completed, count)
        cpu_seconds += run.cpu_seconds
    return Run(finished, cpu_seconds)


async def _timed_together(workload: Workload, count: int, gc_enabled: bool,
                          least_seconds: float, read: Reading) -> Run:
    finished, elapsed = 0, 0.0
    with collector(gc_enabled):
        start = read()
        while finished == 0 or elapsed < least_seconds:
            finished += _checked(await workload(count), count)
            elapsed = read() - start
    return Run(finished, elapsed)


def _checked(completed: int, count: int) -> int:
    if completed != count:
        raise RuntimeError(f"{completed} of {count} finished")
    return completed


def least_batch_seconds(count: int, cycle: str, min_batch_seconds: float,
                        clock: Clock) -> float:
    """How long a batch lasts at least: ``min_batch_seconds`` below :data:`ONE_RUN_FROM`
    units, and 100 ticks of ``clock`` in any case; 0 (the one run) for a first figure from
    :data:`ONE_RUN_FROM` units."""
    if count >= ONE_RUN_FROM:
        return 0.0 if cycle == FIRST else clock.shortest_batch
    return max(min_batch_seconds, clock.shortest_batch)


@dataclass(frozen=True)
class Measured:
    """One process's figure, CPU seconds per unit, and the warm-up before it (None for a
    first figure)."""

    seconds_per_unit: float
    warm_up: WarmUp | None


def seconds_per_unit(workload: Workload, count: int, *, cycle: str = WARM,
                     runs: int = WARM_RUNS, min_batch_seconds: float = MIN_BATCH_SECONDS,
                     loop_factory: LoopFactory = asyncio.new_event_loop,
                     gc_enabled: bool = True, clock: Clock | None = None,
                     runner: Runner | None = None) -> float:
    """This process's figure for ``workload(count)``: CPU seconds per unit, of the kind
    ``cycle`` names (:data:`FIRST` or :data:`WARM`, see the module docstring), read from
    ``clock`` (``process_time`` with its measured tick unless given), each run on a fresh
    loop of ``runner`` where given, else of ``loop_factory``.

    Raises:
        RuntimeError: when a run finishes fewer units than it was given.
        taskbench.workloads.steady.NotSteady: when a warm-up reaches its cap unsettled.
        ValueError: for a bad count, kind or number of runs.
    """
    return measure(workload, count, cycle=cycle, runs=runs,
                   min_batch_seconds=min_batch_seconds, loop_factory=loop_factory,
                   gc_enabled=gc_enabled, clock=clock, runner=runner).seconds_per_unit


def measure(workload: Workload, count: int, *, cycle: str = WARM, runs: int = WARM_RUNS,
            min_batch_seconds: float = MIN_BATCH_SECONDS,
            loop_factory: LoopFactory = asyncio.new_event_loop, gc_enabled: bool = True,
            clock: Clock | None = None, runner: Runner | None = None) -> Measured:
    """:func:`seconds_per_unit`, with the warm-up it took."""
    validate_count(count)
    if cycle not in (FIRST, WARM):
        raise ValueError(f"unknown kind of cycle {cycle!r}; choose {FIRST!r} or {WARM!r}")
    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")
    clock = clock or process_clock()
    least = least_batch_seconds(count, cycle, min_batch_seconds, clock)

    def batch() -> Run:
        return _batch(workload, count, runner or on_loop(loop_factory), gc_enabled, least,
                      clock)

    if cycle == FIRST:
        first = batch()
        return Measured(first.cpu_seconds / first.completed, None)

    def discarded() -> tuple[int, float]:
        run = batch()
        return run.completed, run.cpu_seconds

    warmed = warm_up(discarded)  # until the runs settle: caches, the heap, the JIT
    measured = [batch() for _ in range(runs)]
    return Measured(sum(run.cpu_seconds for run in measured)
                  / sum(run.completed for run in measured), warmed)


def steady_in_words() -> str:
    """What a warm figure is, in the words every view shows beside it."""
    return (f"steady: the mean of {WARM_RUNS} cycles once the cycles have settled (the last "
            f"{SETTLE_CYCLES}, or on average the last two groups of {SETTLE_CYCLES}, within "
            f"{SETTLE_PERCENT:g}% of each other)")


def asv_samples(*figures: float) -> Samples:
    """A ``track_`` result that asv reads as samples, as it reads a ``time_`` benchmark's.

    asv's runner takes any benchmark result holding ``samples`` and ``number`` as a list of
    samples: it pools those of every process (and, with ``--append-samples``, of every run)
    and stores the median, its 99% confidence interval, the quartiles and (with
    ``--record-samples``) the samples themselves.
    """
    return {"samples": [float(figure) for figure in figures], "number": 1}

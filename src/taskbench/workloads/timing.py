"""Units per second of CPU time, as samples asv keeps and draws its statistics from.

A workload takes a count and, run inside an event loop, returns how many units (tasks,
coroutines, callbacks, widgets) it finished. :func:`time_workload` runs it once on a fresh
loop and reads ``process_time`` around it inside the running loop, as the classic script
does. :func:`rate_samples` turns runs into samples of units per second:

* from :data:`ONE_RUN_FROM` units up, a sample is one run, the first in its process, so it pays
  for growing the heap just as the classic script's first row did; one sample per process.
* below that, a sample is a batch of runs lasting at least ``min_batch_seconds`` of CPU time
  (coarse ``process_time`` clocks still give a rate), after one discarded batch: in a fresh
  process the first small runs pay for caches and lazy imports, not for tasks.

Each batch starts from a collected heap (untimed): measured here, that took the spread of
batches at 100K tasks from about 12% to about 2%.

asv runs a benchmark's ``rounds`` in separate processes, interleaved with the other
benchmarks; :func:`asv_samples` hands it every sample of a process, and asv pools them over
the rounds into its median and 99% confidence interval.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict

from taskbench.workloads.cycle import collector, validate_count

LoopFactory = Callable[[], asyncio.AbstractEventLoop]
Workload = Callable[[int], Awaitable[int]]
# What a sampled track_ benchmark returns: see asv_samples.
Samples = Dict[str, Any]

# From this many units a sample is one run; below it, a batch of runs (see the docstring).
ONE_RUN_FROM = 100_000
# Samples one process takes of a small count: cheap, and they narrow asv's interval.
SMALL_COUNT_SAMPLES = 5
MIN_BATCH_SECONDS = 0.05


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


def time_workload(workload: Workload, count: int, *,
                  loop_factory: LoopFactory = asyncio.new_event_loop,
                  gc_enabled: bool = True) -> Run:
    """Run ``workload(count)`` once on a fresh loop, closed after; CPU time inside the loop."""
    loop = loop_factory()
    try:
        return loop.run_until_complete(_timed(workload, count, gc_enabled))
    finally:
        loop.close()


def samples_per_process(count: int) -> int:
    """How many samples one process takes of ``count`` units (see the module docstring)."""
    return 1 if count >= ONE_RUN_FROM else SMALL_COUNT_SAMPLES


def rate_samples(workload: Workload, count: int, *, samples: int | None = None,
                 min_batch_seconds: float = MIN_BATCH_SECONDS,
                 loop_factory: LoopFactory = asyncio.new_event_loop,
                 gc_enabled: bool = True, warm_up: bool = True) -> list[float]:
    """Samples of units per second of CPU time for ``workload(count)``, in this process.

    ``warm_up=False`` leaves out the discarded first batch of a small count, for a caller
    whose process has already run the same workload.

    Raises:
        RuntimeError: when a run finishes fewer units than it was given.
        ValueError: for a bad count or number of samples.
    """
    validate_count(count)
    wanted = samples_per_process(count) if samples is None else samples
    if wanted < 1:
        raise ValueError(f"samples must be at least 1, not {wanted}")
    discarded = 1 if warm_up and count < ONE_RUN_FROM else 0
    rates = []
    for batch in range(discarded + wanted):
        finished = 0
        cpu_seconds = 0.0
        gc.collect()
        while finished == 0 or cpu_seconds <= 0 or (
                count < ONE_RUN_FROM and cpu_seconds < min_batch_seconds):
            run = time_workload(workload, count, loop_factory=loop_factory,
                                gc_enabled=gc_enabled)
            if run.completed != count:
                raise RuntimeError(f"{run.completed} of {count} finished")
            finished += run.completed
            cpu_seconds += run.cpu_seconds
        if batch >= discarded:
            rates.append(finished / cpu_seconds)
    return rates


def asv_samples(samples: list[float]) -> Samples:
    """A ``track_`` result that asv reads as samples, as it reads a ``time_`` benchmark's.

    asv's runner takes any benchmark result holding ``samples`` and ``number`` as a list of
    samples: it pools them over the rounds and stores the median, its 99% confidence
    interval, the quartiles and (with ``--record-samples``) the samples themselves.
    """
    return {"samples": [float(sample) for sample in samples], "number": 1}


def median(samples: list[float]) -> float:
    """The median of ``samples``: what one figure reports."""
    return float(statistics.median(samples))

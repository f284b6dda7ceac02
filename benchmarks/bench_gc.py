"""The classic cycle with the cyclic garbage collector disabled.

``bench_create_wait`` measures the same cycle with the collector on, at the same counts and
as figures of the same kind (steady at 1,000 tasks, the first cycle from 100,000); the
collector's share of the CPU time is 1 - (seconds per task without it) / (seconds with it),
which shows whether the collector is why a task costs more as N grows.
"""

from __future__ import annotations

from taskbench.catalogue import WITHOUT_GC, benchmark
from taskbench.workloads.cycle import create_and_wait
from taskbench.workloads.timing import Samples, asv_samples, seconds_per_unit


@benchmark(WITHOUT_GC)
class WithoutGC:
    """CPU seconds per task of the create-and-wait cycle with the collector off."""

    def track_seconds_per_task(self, count: int) -> Samples:
        return asv_samples(seconds_per_unit(create_and_wait, count, gc_enabled=False,
                                            cycle=WITHOUT_GC.cycle_at(count)))

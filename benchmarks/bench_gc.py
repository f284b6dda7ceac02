"""The classic cycle with the cyclic garbage collector disabled.

``bench_create_wait.Throughput`` measures the same cycle with the collector on, at the same
counts and in the same run; the collector's share of the CPU time is
1 - (tasks/s with it) / (tasks/s without), which shows whether the collector is why tasks/s
falls as N grows.
"""

from __future__ import annotations

from taskbench.catalogue import WITHOUT_GC, benchmark
from taskbench.workloads.cycle import create_and_wait
from taskbench.workloads.timing import Samples, asv_samples, rate_samples


@benchmark(WITHOUT_GC)
class WithoutGC:
    """Tasks per second of CPU time of the create-and-wait cycle with the collector off."""

    def track_tasks_per_second(self, count: int) -> Samples:
        return asv_samples(rate_samples(create_and_wait, count, gc_enabled=False))

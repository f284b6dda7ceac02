"""The classic cycle with the cyclic garbage collector disabled.

``bench_create_wait.Throughput`` measures the same cycle with the collector enabled, as in
the classic script, at the same counts and in the same run; the collector's share of the CPU
time is 1 - (tasks/s enabled) / (tasks/s disabled), which shows whether the collector is why
tasks/s falls as N grows.
"""

from taskbench.cycle import measure_throughput
from taskbench.sweeps import GC_COUNTS


class WithoutGC:
    """Tasks per second of CPU time of the create-and-wait cycle with the collector off."""

    params = [GC_COUNTS]
    param_names = ["count"]
    timeout = 600
    unit = "tasks/s"
    version = "without-gc-3"

    def setup_cache(self):
        # One process, counts ascending, as Throughput measures the same cycle with it on.
        return {count: measure_throughput(count, gc_enabled=False) for count in GC_COUNTS}

    def track_tasks_per_second(self, table, count):
        return table[count].tasks_per_second

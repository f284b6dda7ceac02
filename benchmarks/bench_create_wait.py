"""The classic create-and-wait cycle: what a task costs, steady and in a fresh process's first
cycle, the replica of the post's table, and bytes per task.

Each cycle creates N tasks running a do-nothing coroutine with ``asyncio.create_task`` and
waits for all of them with ``asyncio.wait``, with the garbage collector on, as in the
original script. Every timed figure is CPU seconds per task, one per process (the views
show tasks per second). The declarations (counts, units, kinds, versions) are in
``taskbench.catalogue``.
"""

from __future__ import annotations

from taskbench.catalogue import FIRST_CYCLE, MEMORY, REPLICA, REPLICA_FAULTS, TASK_COST, benchmark
from taskbench.workloads import Unavailable
from taskbench.workloads.cycle import create_and_wait
from taskbench.workloads.memory import bytes_per_pending_task, memory_is_traceable
from taskbench.workloads.replica import Row, replica_table
from taskbench.workloads.timing import Samples, asv_samples, seconds_per_unit


@benchmark(TASK_COST)
class TaskCost:
    """CPU seconds per task, steady: the mean of cycles once they have settled, in one process."""

    def track_seconds_per_task(self, count: int) -> Samples:
        return asv_samples(seconds_per_unit(create_and_wait, count,
                                            cycle=TASK_COST.cycle_at(count)))


@benchmark(FIRST_CYCLE)
class FirstCycle:
    """CPU seconds per task in the first cycle of a fresh process, as the post's first row."""

    def track_seconds_per_task(self, count: int) -> Samples:
        return asv_samples(seconds_per_unit(create_and_wait, count,
                                            cycle=FIRST_CYCLE.cycle_at(count)))


@benchmark(REPLICA, REPLICA_FAULTS)
class Replica:
    """The original script's table: one process, counts ascending, one cycle per count."""

    def setup_cache(self) -> dict[int, Row]:
        return {row.count: row for row in replica_table(REPLICA.axes[0].values)}

    def track_seconds_per_task(self, table: dict[int, Row], count: int) -> float:
        return 1 / table[count].tasks_per_second

    def track_minor_faults_per_task(self, table: dict[int, Row], count: int) -> float:
        faults = table[count].minor_faults_per_task
        if faults is None:
            raise Unavailable("getrusage (minor page faults) exists on Unix only")
        return faults


@benchmark(MEMORY)
class MemoryPerTask:
    """Bytes Python allocates per task created and not yet run (tracemalloc; not on PyPy)."""

    def setup(self, count: int) -> None:
        if not memory_is_traceable():
            raise Unavailable("tracemalloc is not available on this interpreter")

    def track_bytes_per_task(self, count: int) -> float:
        return bytes_per_pending_task(count)

"""The floor under a task: N coroutines awaited directly, and N ``loop.call_soon`` callbacks.

Against ``SpawnAPI`` ('create_task+wait', 'asyncio') at the same counts, these give the
overhead a task adds above running its coroutine (see ``taskbench.workloads.floor``).
"""

from __future__ import annotations

from taskbench.catalogue import FLOOR, benchmark
from taskbench.workloads.floor import floor_workload
from taskbench.workloads.timing import Samples, asv_samples, seconds_per_unit


@benchmark(FLOOR)
class Floor:
    """CPU seconds per coroutine (or callback), without any task."""

    def setup(self, floor: str, count: int) -> None:
        self.workload = floor_workload(floor)

    def track_seconds_per_call(self, floor: str, count: int) -> Samples:
        return asv_samples(seconds_per_unit(self.workload, count, cycle=FLOOR.cycle_at(count)))

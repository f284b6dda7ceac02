"""The floor under a task: N coroutines awaited directly, and N ``loop.call_soon`` callbacks.

Against ``SpawnAPI`` ('create_task+wait', 'asyncio') at the same counts, these give the
overhead a task adds above running its coroutine (see ``taskbench.workloads.floor``).
"""

from __future__ import annotations

from taskbench.catalogue import FLOOR, benchmark
from taskbench.workloads.floor import floor_workload
from taskbench.workloads.timing import Samples, asv_samples, rate_samples


@benchmark(FLOOR)
class Floor:
    """Coroutines (or callbacks) per second of CPU time, without any task."""

    def setup(self, floor: str, count: int) -> None:
        self.workload = floor_workload(floor)

    def track_calls_per_second(self, floor: str, count: int) -> Samples:
        return asv_samples(rate_samples(self.workload, count))

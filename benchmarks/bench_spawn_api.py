"""CPU seconds per task of each way to start N tasks, on asyncio's loop and on uvloop.

The workloads are in ``taskbench.workloads.spawn``; the loop is a parameter (see
``taskbench.workloads.loops`` for why), and an API or loop this interpreter lacks is skipped,
shown n/a with the reason.
"""

from __future__ import annotations

from taskbench.catalogue import SPAWN_API, benchmark
from taskbench.workloads.loops import loop_factory
from taskbench.workloads.spawn import check_spawn_api, spawn_workload
from taskbench.workloads.timing import Samples, asv_samples, seconds_per_unit


@benchmark(SPAWN_API)
class SpawnAPI:
    """CPU seconds per task to start and finish N do-nothing tasks with each API."""

    def setup(self, api: str, loop: str, count: int) -> None:
        self.loop_factory = loop_factory(loop)
        check_spawn_api(api, self.loop_factory)
        self.workload = spawn_workload(api)

    def track_seconds_per_task(self, api: str, loop: str, count: int) -> Samples:
        return asv_samples(seconds_per_unit(self.workload, count, loop_factory=self.loop_factory,
                                            cycle=SPAWN_API.cycle_at(count)))

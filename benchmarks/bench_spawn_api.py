"""CPU seconds per task of each way to start N tasks, on asyncio's loop, uvloop and rloop.

The workloads are in ``taskbench.workloads.spawn``; the loop is a parameter (see
``taskbench.workloads.loops`` for why), and an API or loop this interpreter lacks is skipped,
shown n/a with the reason. rloop is measured at the anatomy's count only (``OtherLoops``).
"""

from __future__ import annotations

from taskbench.catalogue import OTHER_LOOP_SPAWN, SPAWN_API, Benchmark, benchmark
from taskbench.workloads.loops import loop_factory
from taskbench.workloads.spawn import check_spawn_api, spawn_workload
from taskbench.workloads.timing import Samples, asv_samples, seconds_per_unit


class _OnLoop:
    """Each API on a loop; every subclass has its own ``track_`` method, which carries its
    own declaration (:func:`benchmark` sets the unit and version on the function)."""

    def setup(self, api: str, loop: str, count: int) -> None:
        self.loop_factory = loop_factory(loop)
        check_spawn_api(api, self.loop_factory)
        self.workload = spawn_workload(api)

    def measure(self, declared: Benchmark, count: int) -> Samples:
        return asv_samples(seconds_per_unit(self.workload, count, loop_factory=self.loop_factory,
                                            cycle=declared.cycle_at(count)))


@benchmark(SPAWN_API)
class SpawnAPI(_OnLoop):
    """CPU seconds per task to start and finish N do-nothing tasks with each API."""

    def track_seconds_per_task(self, api: str, loop: str, count: int) -> Samples:
        return self.measure(SPAWN_API, count)


@benchmark(OTHER_LOOP_SPAWN)
class OtherLoops(_OnLoop):
    """The same on the loops measured at the anatomy's count only (rloop)."""

    def track_seconds_per_task(self, api: str, loop: str, count: int) -> Samples:
        return self.measure(OTHER_LOOP_SPAWN, count)

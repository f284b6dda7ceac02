"""CPU seconds per task started in another framework's task group: Trio's nursery, AnyIO's
task group on asyncio and on Trio, each on a fresh loop of its own.

The workloads are in ``taskbench.workloads.frameworks``; a framework that is not installed, too
old, or fails on this interpreter is skipped, shown n/a with the reason.
"""

from __future__ import annotations

from taskbench.catalogue import FRAMEWORKS, benchmark
from taskbench.workloads.frameworks import check_framework
from taskbench.workloads.timing import Samples, asv_samples, seconds_per_unit


@benchmark(FRAMEWORKS)
class Frameworks:
    """CPU seconds per task to start N do-nothing tasks in a framework's task group and leave
    it (its exit waits for them all)."""

    def setup(self, framework: str, count: int) -> None:
        self.workload, self.runner = check_framework(framework)

    def track_seconds_per_task(self, framework: str, count: int) -> Samples:
        return asv_samples(seconds_per_unit(self.workload, count, runner=self.runner,
                                            cycle=FRAMEWORKS.cycle_at(count)))

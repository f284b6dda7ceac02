"""Tasks per second of each way to start N tasks, on asyncio's loop and on uvloop.

The workloads are in ``taskbench.spawn``; the loop is a parameter (see ``taskbench.loops``
for why), and an API or loop this interpreter lacks is skipped, shown n/a.
"""

from taskbench.cycle import measure_rate
from taskbench.loops import LOOPS, loop_factory
from taskbench.spawn import SPAWN_APIS, check_spawn_api, spawn_workload
from taskbench.sweeps import SECONDARY_COUNTS


class SpawnAPI:
    """Tasks per second of CPU time to start and finish N do-nothing tasks with each API."""

    params = [SPAWN_APIS, LOOPS, SECONDARY_COUNTS]
    param_names = ["api", "loop", "count"]
    timeout = 300
    unit = "tasks/s"
    version = "spawn-api-3"

    def setup(self, api, loop, count):
        self.loop_factory = loop_factory(loop)
        check_spawn_api(api, self.loop_factory)
        self.workload = spawn_workload(api)

    def track_tasks_per_second(self, api, loop, count):
        return measure_rate(self.workload, count, loop_factory=self.loop_factory).tasks_per_second

"""The floor under a task: N coroutines awaited directly, and N ``loop.call_soon`` callbacks.

Against ``SpawnAPI`` ('create_task+wait', 'asyncio') at the same counts, these give the
overhead a task adds above running its coroutine (see ``taskbench.floor``).
"""

from taskbench.cycle import measure_rate
from taskbench.floor import FLOORS, floor_workload
from taskbench.sweeps import SECONDARY_COUNTS


class Floor:
    """Coroutines (or callbacks) per second of CPU time, without any task."""

    params = [FLOORS, SECONDARY_COUNTS]
    param_names = ["floor", "count"]
    timeout = 300
    unit = "calls/s"
    version = "floor-3"

    def setup(self, floor, count):
        self.workload = floor_workload(floor)

    def track_calls_per_second(self, floor, count):
        return measure_rate(self.workload, count).tasks_per_second

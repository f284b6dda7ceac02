"""The classic create-and-wait cycle over task counts: wall time, CPU time, tasks/s, bytes.

Each cycle creates N tasks running a do-nothing coroutine with ``asyncio.create_task`` and
waits for all of them with ``asyncio.wait``, with the garbage collector enabled as in the
original script (``taskbench.cycle`` re-enables it under asv's timeit).
"""

import asyncio
import time

from taskbench.cycle import create_and_wait, measure_throughput
from taskbench.memory import bytes_per_pending_task, memory_is_traceable
from taskbench.sweeps import MEMORY_COUNTS, STARTUP_COUNTS, TIMED_SWEEP

# One million tasks take about 15 s per cycle on the slowest CPython here (3.8); a sample
# with its warm-up cycle, or three throughput batches, must fit with room to spare.
TIMEOUT_SECONDS = 900
THROUGHPUT_COUNTS = STARTUP_COUNTS + TIMED_SWEEP


class CreateAndWait:
    """Wall time of one create-and-wait cycle on a fresh event loop."""

    # Large counts are Throughput's: here a time series per commit at start-up scale and at
    # the classic table's first row is enough, and keeps the run within its budget.
    params = [STARTUP_COUNTS + TIMED_SWEEP[:1]]
    param_names = ["count"]
    timeout = TIMEOUT_SECONDS
    # One process taking samples for about 2 s and at least one cycle; no warm-up, since the
    # first cycle in a process pays for heap growth just as the classic script did.
    rounds = 1
    repeat = (1, 5, 2.0)
    min_run_count = 1
    warmup_time = 0
    version = "create-and-wait-1"

    def setup(self, count):
        self.loop = asyncio.new_event_loop()

    def teardown(self, count):
        self.loop.close()

    def time_create_and_wait(self, count):
        self.loop.run_until_complete(create_and_wait(count))


class CreateAndWaitCPU(CreateAndWait):
    """CPU time (``time.process_time``, as in the classic script) of one cycle."""

    timer = time.process_time


class Throughput:
    """Tasks per second of CPU time: the classic table, one row per count, and its spread.

    Like the classic script, one process measures the whole table, counts in ascending order;
    each row is the median of three batches, and its spread is the batches' range over that
    median. Three of the classic table's ten rows (100K, 500K, 1M) show the curve's shape
    (see ``taskbench.sweeps``).
    """

    params = [THROUGHPUT_COUNTS]
    param_names = ["count"]
    timeout = TIMEOUT_SECONDS
    version = "throughput-4"

    def setup_cache(self):
        return {count: measure_throughput(count) for count in THROUGHPUT_COUNTS}

    def track_tasks_per_second(self, table, count):
        return table[count].tasks_per_second

    track_tasks_per_second.unit = "tasks/s"

    def track_spread_percent(self, table, count):
        return table[count].spread_percent

    track_spread_percent.unit = "%"


class MemoryPerTask:
    """Bytes Python allocates per task created and not yet run (tracemalloc; not on PyPy)."""

    params = [MEMORY_COUNTS]
    param_names = ["count"]
    timeout = TIMEOUT_SECONDS
    unit = "bytes"
    version = "memory-per-task-1"

    def setup(self, count):
        if not memory_is_traceable():
            raise NotImplementedError("tracemalloc is not available on this interpreter")

    def track_bytes_per_task(self, count):
        return bytes_per_pending_task(count)

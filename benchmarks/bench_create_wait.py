"""The classic create-and-wait cycle over task counts: wall time, CPU time, tasks/s, bytes.

Each cycle creates N tasks running a do-nothing coroutine with ``asyncio.create_task`` and
waits for all of them with ``asyncio.wait``, with the garbage collector enabled as in the
original script (``taskbench.cycle`` re-enables it under asv's timeit).
"""

import asyncio
import time

from taskbench.cycle import create_and_wait, measure_throughput
from taskbench.memory import bytes_per_pending_task, memory_is_traceable
from taskbench.sweeps import MEMORY_COUNTS, ORIGINAL_SWEEP, STARTUP_COUNTS, TIMED_SWEEP

# One million tasks take about 15 s per cycle on the slowest CPython here (3.8); a sample
# with its warm-up cycle, or three throughput batches, must fit with room to spare.
TIMEOUT_SECONDS = 900


class CreateAndWait:
    """Wall time of one create-and-wait cycle on a fresh event loop."""

    params = [STARTUP_COUNTS + TIMED_SWEEP]
    param_names = ["count"]
    timeout = TIMEOUT_SECONDS
    # Two processes, each taking samples for about 4 s and at least one cycle; no warm-up,
    # since the first cycle in a process pays for heap growth just as the classic script did.
    rounds = 2
    repeat = (1, 5, 4.0)
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
    """Tasks per second of CPU time: the classic table, one row per count."""

    params = [STARTUP_COUNTS + ORIGINAL_SWEEP]
    param_names = ["count"]
    timeout = TIMEOUT_SECONDS
    unit = "tasks/s"
    version = "throughput-1"

    def track_tasks_per_second(self, count):
        return measure_throughput(count).tasks_per_second


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

"""One event loop per thread: T threads at once, each creating and awaiting N do-nothing tasks
with ``create_task`` + ``wait`` or with the eager factory. The elapsed and the CPU seconds per
task of all the threads together; their speed-up over one thread is drawn in the reports.

The free-threaded builds' question (how far tasks scale across threads) and, with the GIL,
what running event loops in threads costs; ``ThreadSetting`` records, for every figure, whether
the GIL was enabled in the benchmarks' processes and how many threads ran. CI's free-threaded
jobs select this module alone (``--bench '^bench_threads\\.'``). A thread that raises fails
its figure with the exception named; no thread outlives a benchmark.
"""

from __future__ import annotations

from typing import Union

from taskbench.catalogue import GIL_ENABLED, THREADS_CPU, THREADS_USED, THREADS_WALL, benchmark
from taskbench.workloads.threads import (
    CPU,
    WALL,
    check_threads,
    gil_enabled,
    seconds_per_task,
    thread_count,
)
from taskbench.workloads.timing import Samples, asv_samples

Threads_ = Union[int, str]  # a number, or "one per CPU"


@benchmark(THREADS_WALL, THREADS_CPU)
class Threads:
    """Elapsed and CPU seconds per task of T threads, each with its own loop and N tasks."""

    def setup(self, api: str, threads: Threads_, count: int) -> None:
        self.threads = check_threads(api, threads)

    def track_wall_seconds_per_task(self, api: str, threads: Threads_, count: int) -> Samples:
        return asv_samples(seconds_per_task(api, self.threads, count, WALL))

    def track_cpu_seconds_per_task(self, api: str, threads: Threads_, count: int) -> Samples:
        return asv_samples(seconds_per_task(api, self.threads, count, CPU))


@benchmark(GIL_ENABLED, THREADS_USED)
class ThreadSetting:
    """How the threads ran: whether the GIL was enabled (``sys._is_gil_enabled()``; always,
    before 3.13), in a process of the same asv run as the figures of ``Threads``, and how
    many threads each of its ``threads`` values names here (one per CPU: this machine's)."""

    def track_gil_enabled(self, threads: Threads_) -> float:
        return 1.0 if gil_enabled() else 0.0

    def track_threads(self, threads: Threads_) -> float:
        return float(thread_count(threads))

"""Tasks across threads: one event loop per thread, T threads at once, each creating and
awaiting N do-nothing tasks with ``create_task`` + ``wait`` or with the eager factory.

Python 3.14 made asyncio's tasks scale across threads on free-threaded builds (a task list per
thread, a lock-free current task); eager tasks still pass through a set shared by all threads
there. With the GIL, one thread runs at a time, so T threads take at least T times one
thread's wall time: the figures then show what running event loops in threads costs.

A run starts the T threads, each makes its loop, and all wait at a barrier; the clocks are
read when the barrier lets them go and again when all of them have finished their N tasks (a
second barrier), so thread start-up and the loops' set-up and closing are outside. Each
figure is, like a warm figure of :mod:`taskbench.workloads.timing`, the mean of
:data:`~taskbench.workloads.timing.WARM_RUNS` runs, each from a collected heap, once the runs'
CPU time per task has settled (:func:`taskbench.workloads.steady.warm_up`):

* wall seconds per task: the run's elapsed time over its T x N tasks, whose ratio at one
  thread and at T is the speed-up (T for perfect scaling, at most 1 with the GIL);
* CPU seconds per task: the process's CPU time (every thread's) over its T x N tasks.

Whatever happens, no thread is left running: a thread that raises breaks both barriers, so
that the others stop at the next one, and all are joined before the figure fails, naming the
exception (:class:`ThreadFailed`).
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Sequence

from taskbench.workloads import Unavailable
from taskbench.workloads.cycle import validate_count
from taskbench.workloads.spawn import check_spawn_api, spawn_workload
from taskbench.workloads.steady import warm_up
from taskbench.workloads.timing import WARM_RUNS

THREAD_APIS: list[str] = ["create_task+wait", "eager_task_factory"]
PER_CPU = "one per CPU"
THREAD_COUNTS: tuple[int | str, ...] = (1, 2, PER_CPU)
WALL, CPU = "wall", "cpu"


class ThreadFailed(RuntimeError):
    """A thread of a run raised: the figure fails with the exception it names."""


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity, where the platform says)."""
    counted = getattr(os, "process_cpu_count", None)  # 3.13+
    if counted is not None:
        return int(counted() or 1)
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return len(affinity(0))
    return os.cpu_count() or 1


def gil_enabled() -> bool:
    """Whether the GIL is enabled in this process: ``sys._is_gil_enabled()`` where it exists
    (3.13+; a free-threaded build enables it again for an extension not marked safe without
    it), else always."""
    return bool(getattr(sys, "_is_gil_enabled", lambda: True)())


def thread_count(threads: int | str) -> int:
    """The number of threads ``threads`` names; :class:`Unavailable` for :data:`PER_CPU` on a
    machine of two CPUs or fewer, where that figure is the two-thread one already."""
    if threads == PER_CPU:
        cpus = cpu_count()
        if cpus <= 2:
            raise Unavailable(f"this process may run on {cpus} CPU{'s' if cpus > 1 else ''}: "
                              f"one thread per CPU is the {max(cpus, 1)}-thread figure")
        return cpus
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a whole number of at least 1 or {PER_CPU!r}, "
                         f"not {threads!r}")
    return threads


@dataclass(frozen=True)
class ThreadedRun:
    """One run: tasks finished by all threads, elapsed seconds, and the process's CPU time."""

    completed: int
    wall_seconds: float
    cpu_seconds: float


class _Run:
    """The shared state of one run: its barriers, each thread's count and error."""

    def __init__(self, api: str, threads: int, count: int) -> None:
        self.workload, self.count = spawn_workload(api), count
        self.start = threading.Barrier(threads + 1)
        self.finish = threading.Barrier(threads + 1)
        self.completed: list[int] = [0] * threads
        self.errors: list[BaseException | None] = [None] * threads

    def work(self, index: int) -> None:
        """One thread: its own loop, N tasks between the two barriers."""
        try:
            loop = asyncio.new_event_loop()
            try:
                self.start.wait()
                self.completed[index] = loop.run_until_complete(self.workload(self.count))
                self.finish.wait()
            finally:
                loop.close()
        except threading.BrokenBarrierError:
            pass  # another thread failed (or the run was stopped): its error is the one named
        except BaseException as error:  # named by the run, whatever it is
            self.errors[index] = error
            self.stop()

    def stop(self) -> None:
        self.start.abort()
        self.finish.abort()

    def failure(self) -> ThreadFailed | None:
        failed = [(index, error) for index, error in enumerate(self.errors) if error]
        if not failed:
            return None
        index, error = failed[0]
        return ThreadFailed(f"{len(failed)} of {len(self.errors)} threads raised; thread "
                            f"{index + 1}: {error!r}")


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def run_in_threads(api: str, threads: int, count: int) -> ThreadedRun:
    """One run of ``threads`` threads, each with its own loop running ``api`` on ``count``
    tasks; every thread is joined before this returns or raises.

    Raises:
        ThreadFailed: when a thread raised, naming its exception.
        ValueError: for an unknown API, a bad count or number of threads.
    """
    validate_count(count)
    thread_count(threads)
    run = _Run(api, threads, count)
    workers = [threading.Thread(target=run.work, args=(index,), name=f"taskbench-{index + 1}")
               for index in range(threads)]
    started: list[threading.Thread] = []
    clocks: list[tuple[float, float]] = []
    try:
        for worker in workers:
            worker.start()
            started.append(worker)
        run.start.wait()
        clocks.append(_clocks())
        run.finish.wait()
        clocks.append(_clocks())
    except threading.BrokenBarrierError:
        pass  # a thread failed: named below
    finally:
        if len(clocks) < 2:  # stopped early (a failure, an interrupt): release every thread
            run.stop()
        for worker in started:
            worker.join()
    failure = run.failure()
    if failure is not None:
        raise failure
    if len(clocks) < 2 or sum(run.completed) != threads * count:
        raise ThreadFailed(f"{sum(run.completed)} of {threads * count} tasks finished")
    (wall_0, cpu_0), (wall_1, cpu_1) = clocks
    return ThreadedRun(threads * count, wall_1 - wall_0, cpu_1 - cpu_0)


def check_threads(api: str, threads: int | str) -> int:
    """The number of threads, or :class:`Unavailable` saying why ``api`` or ``threads`` cannot
    run here."""
    if api not in THREAD_APIS:
        raise ValueError(f"unknown API for threads {api!r}; choose one of "
                         f"{', '.join(THREAD_APIS)}")
    check_spawn_api(api)
    return thread_count(threads)


def seconds_per_task(api: str, threads: int, count: int, clock: str,
                     runs: int = WARM_RUNS) -> float:
    """Wall (:data:`WALL`) or CPU (:data:`CPU`) seconds per task of ``threads`` threads,
    warm: over ``runs`` runs, each from a collected heap, once the runs have settled.

    Raises:
        ThreadFailed: when a thread of a run raised, naming its exception.
        taskbench.workloads.steady.NotSteady: when the warm-up reaches its cap unsettled.
    """
    if clock not in (WALL, CPU):
        raise ValueError(f"unknown clock {clock!r}; choose {WALL!r} or {CPU!r}")

    def one() -> ThreadedRun:
        gc.collect()
        return run_in_threads(api, threads, count)

    def discarded() -> tuple[int, float]:
        run = one()
        return run.completed, run.cpu_seconds

    warm_up(discarded)  # settled on CPU time, steadier than the elapsed time of threads
    kept: Sequence[ThreadedRun] = [one() for _ in range(runs)]
    seconds = sum(run.wall_seconds if clock == WALL else run.cpu_seconds for run in kept)
    return seconds / sum(run.completed for run in kept)

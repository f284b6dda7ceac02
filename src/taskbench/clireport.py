"""What ``python -m taskbench`` says: how long it expects to take, how long is left, and its
tables of CPU time per task beside the post's figures.

**The expected duration** is a model of the work asked for, priced by a calibration taken just
before (:data:`CALIBRATION_COUNT` tasks created and waited for in a fresh process, the
process's start timed apart from its cycle). Each measuring process costs a start and its
cycles, as :mod:`taskbench.workloads.timing` runs them: one cycle from ``ONE_RUN_FROM`` tasks
up; below, the least warm-up (``SETTLE_CYCLES`` batches: more where a JIT takes longer to
settle) and ``WARM_RUNS`` batches, each lasting at least ``MIN_BATCH_SECONDS``. The replica
runs every count once in one process. While the processes run, the time left is the estimate
of the rest scaled by how the finished ones compared with theirs.

**The tables** write every figure in the one convention of :mod:`taskbench.units`: µs of CPU
time per task and thousands of tasks per second, with the post's M1 figures
(:mod:`taskbench.post`) beside the counts the post measured.

Standard library only: the CLI runs on every interpreter the suite measures.
"""

from __future__ import annotations

import json
import math
import statistics
from typing import Sequence

from taskbench.post import POST_LABEL, POST_TASKS_PER_SECOND, POST_URL
from taskbench.units import COST_UNIT, RATE_UNIT, cost_number, duration_text, rate_number
from taskbench.workloads.steady import SETTLE_CYCLES
from taskbench.workloads.timing import MIN_BATCH_SECONDS, ONE_RUN_FROM, WARM_RUNS

# Tasks in the calibration's cycle: long enough for the clock (a tenth of a second or more
# on CPython), short beside any measurement.
CALIBRATION_COUNT = 30_000


def process_seconds(count: int, per_task: float, start: float) -> float:
    """The expected wall time of one measuring process of ``count`` tasks, given the
    calibration's seconds per task and seconds to start a process."""
    cycle = count * per_task
    if count >= ONE_RUN_FROM:
        return start + cycle
    return start + (SETTLE_CYCLES + WARM_RUNS) * max(cycle, MIN_BATCH_SECONDS)


def replica_seconds(counts: Sequence[int], per_task: float) -> float:
    """The expected wall time of the replica: every count once, in this process."""
    return sum(counts) * per_task


def seconds_left(estimates: Sequence[float], done: int, elapsed: float) -> float:
    """The time the steps from ``done`` on should take: their estimates, scaled by how long
    the ``done`` steps took (``elapsed``) against theirs."""
    rest = sum(estimates[done:])
    estimated = sum(estimates[:done])
    return rest * elapsed / estimated if done and estimated > 0 else rest


def expectation(counts: Sequence[int], processes: int | None, per_task: float,
                start: float) -> str:
    """The sentence saying what will be measured and how long it should take: ``counts`` in
    ``processes`` fresh processes each, or (None) the replica, priced by the calibration."""
    if processes is None:
        seconds = replica_seconds(counts, per_task)
        what = f"the replica of {counts_text(counts)}, in this process"
    else:
        seconds = processes * sum(process_seconds(count, per_task, start) for count in counts)
        what = f"{counts_text(counts)}, each in {processes} fresh process" + (
            "es" if processes > 1 else "")
    return (f"Measuring {what}: {duration_text(seconds)} here (priced by a "
            f"{CALIBRATION_COUNT:,}-task cycle timed just now).")


def counts_text(counts: Sequence[int]) -> str:
    """``10 counts from 100,000 to 1,000,000 tasks``, ``2 counts (1 and 100 tasks)``."""
    if len(counts) == 1:
        return f"{counts[0]:,} tasks"
    if len(counts) == 2:
        return f"2 counts ({counts[0]:,} and {counts[1]:,} tasks)"
    return f"{len(counts)} counts from {counts[0]:,} to {counts[-1]:,} tasks"


def _cost(seconds: float) -> str:
    return cost_number(seconds) if math.isfinite(seconds) and seconds > 0 else "n/a"


def _rate(seconds: float) -> str:
    return rate_number(seconds) if math.isfinite(seconds) and seconds > 0 else "n/a"


def _post(count: int) -> str:
    """The post's figure at ``count``, µs and thousands per second; blank where it has none."""
    rate = POST_TASKS_PER_SECOND.get(count)
    if rate is None:
        return ""
    return f"  {cost_number(1 / rate):>12}  {rate_number(1 / rate):>9}"


_BESIDE = f"Beside it, {POST_LABEL}: {POST_URL}"


def _post_heading() -> str:
    return f"  {'the post: µs':>12}  {RATE_UNIT:>9}"


def independent_header(processes: int) -> list[str]:
    """The lines above the table of separate processes."""
    kind = (f"the median of {processes} processes, with the fastest and the slowest"
            if processes > 1 else "one process")
    return [f"CPU time per task: {kind}.", _BESIDE,
            f"{'count':>12}  {COST_UNIT:>11}  {'fastest':>7}  {'slowest':>7}  "
            f"{RATE_UNIT:>9}{_post_heading()}"]


def independent_row(count: int, seconds: Sequence[float]) -> str:
    """One count's row: the median process's CPU time per task, the fastest and slowest
    process's, the median as thousands of tasks per second, and the post's figure."""
    median = statistics.median(seconds)
    return (f"{count:>12,}  {_cost(median):>11}  {_cost(min(seconds)):>7}  "
            f"{_cost(max(seconds)):>7}  {_rate(median):>9}{_post(count)}")


def json_row(count: int, seconds: float | Sequence[float]) -> str:
    """``--json``'s line for one count: CPU seconds per task (the median, where there are
    several processes, and each process's figure)."""
    if isinstance(seconds, (int, float)):
        return json.dumps({"count": count, "seconds_per_task": seconds})
    return json.dumps({"count": count, "seconds_per_task": statistics.median(seconds),
                       "processes": list(seconds)})


def replica_header() -> list[str]:
    """The lines above the replica's table."""
    return ["the replica: one process, counts ascending, one cycle per row.", _BESIDE,
            f"{'count':>12}  {COST_UNIT:>11}  {RATE_UNIT:>9}{_post_heading()}"]


def replica_row(count: int, seconds: float) -> str:
    """One row of the replica: its CPU time per task, as µs and thousands per second."""
    return f"{count:>12,}  {_cost(seconds):>11}  {_rate(seconds):>9}{_post(count)}"

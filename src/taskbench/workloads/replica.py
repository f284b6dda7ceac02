"""The replica: the original experiment, run as the post ran it.

One process, the whole table with counts ascending, one cycle per count, each under an
``asyncio.run`` of its own, ``process_time`` around creating and waiting inside the loop, the
collector on, as the post's script did::

    async def time_tasks(count):
        start = process_time()
        tasks = [create_task(nop_task()) for _ in range(count)]
        await wait(tasks)
        return process_time() - start

    for count in range(100_000, 1_000_000 + 1, 100_000):
        elapsed = run(time_tasks(count))

Each row runs in a process that already ran the rows before it, so a row is not an
independent sample and carries no interval: it is what the original script would print on
this interpreter. Beside each row it records the minor page faults per task the cycle took
(``getrusage``; not on Windows), one of the things that grow with N.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from taskbench.workloads.cycle import nop_task, validate_count

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Row:
    """One row of the replica's table."""

    count: int
    tasks_per_second: float
    minor_faults_per_task: float | None


def _minor_faults() -> int | None:
    if resource is None:
        return None
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_minflt)


async def _time_tasks(count: int) -> Row:
    faults_before = _minor_faults()
    start = time.process_time()
    tasks = [asyncio.create_task(nop_task()) for _ in range(count)]
    done, _pending = await asyncio.wait(tasks)
    elapsed = time.process_time() - start
    faults_after = _minor_faults()
    if len(done) != count:
        raise RuntimeError(f"{len(done)} of {count} tasks finished")
    faults = (None if faults_before is None or faults_after is None
              else (faults_after - faults_before) / count)
    # A clock too coarse to see the cycle gives no rate rather than a division by zero.
    return Row(count, count / elapsed if elapsed > 0 else float("nan"), faults)


def replica_table(counts: Sequence[int],
                  on_row: Callable[[Row], None] | None = None) -> list[Row]:
    """Run the original experiment over ``counts`` in this process; each row as it is done."""
    for count in counts:
        validate_count(count)
    rows = []
    for count in counts:
        row = asyncio.run(_time_tasks(count))
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows

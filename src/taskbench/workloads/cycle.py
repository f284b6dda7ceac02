"""The create-and-wait cycle: N do-nothing tasks made with ``create_task``, then one ``wait``.

This is the workload of the classic measurement, kept exactly as it was written::

    tasks = [create_task(nop_task()) for _ in range(count)]
    await wait(tasks)

The cycle itself leaves the garbage collector as it finds it: whoever times it decides
(:func:`taskbench.workloads.timing.time_workload` switches it on, as in the original script,
or off for ``WithoutGC``, and restores the caller's setting after), so that "off" means off
whatever else the caller's harness does with the collector.

Workloads take their count as given: the entry points that accept a count from outside
(:func:`taskbench.workloads.timing.rate_samples` and the other measuring functions) check it
once, with :func:`validate_count`.
"""

from __future__ import annotations

import asyncio
import gc
from contextlib import contextmanager
from typing import Iterator, Mapping, TypeVar

# A pending task holds about a kilobyte (see taskbench.workloads.memory), so ten million
# tasks need about 10 GB: beyond that a count is a typo that would exhaust memory, not a
# measurement.
MAX_COUNT = 10_000_000

Chosen = TypeVar("Chosen")


def choose(kind: str, name: str, choices: Mapping[str, Chosen]) -> Chosen:
    """``choices[name]``, or ValueError naming the unknown ``kind`` and what there is."""
    try:
        return choices[name]
    except KeyError:
        raise ValueError(
            f"unknown {kind} {name!r}; choose one of {', '.join(choices)}") from None


def validate_count(count: object) -> int:
    """Return ``count`` as a task count, or raise ValueError saying what is wrong with it.

    ``asyncio.wait`` refuses an empty set, so a cycle needs at least one task; more than
    :data:`MAX_COUNT` would exhaust the memory of any machine this runs on.
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError(f"a task count must be a whole number, not {count!r}")
    if count < 1:
        raise ValueError(f"a task count must be at least 1, not {count}")
    if count > MAX_COUNT:
        raise ValueError(f"a task count must be at most {MAX_COUNT:,} (each pending task "
                         f"holds about 1 KB, so more would exhaust memory), not {count:,}")
    return count


async def nop_task() -> None:
    """The coroutine every task runs: it returns at once, so only the task machinery costs."""


@contextmanager
def collector(enabled: bool) -> Iterator[None]:
    """Switch the cyclic garbage collector on or off, restoring the caller's setting after."""
    was_enabled = gc.isenabled()
    if enabled:
        gc.enable()
    else:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


async def create_and_wait(count: int) -> int:
    """Create ``count`` tasks running :func:`nop_task`, wait for all, return how many finished."""
    tasks = [asyncio.create_task(nop_task()) for _ in range(count)]
    done, _pending = await asyncio.wait(tasks)
    return len(done)

"""The floor under a task: what running N do-nothing coroutines costs without tasks.

``await``      the N coroutines awaited one after another in one coroutine: the cost of
               running the body, with no task and no trip through the loop
``call_soon``  N callbacks scheduled with ``loop.call_soon``: the loop's scheduling cost for
               one step, without a task or a coroutine

A task's overhead above the floor is its cost per task less the ``await`` cost per coroutine:
what the task machinery (the Task object, its scheduled steps, its completion) adds.
"""

from __future__ import annotations

import asyncio

from taskbench.workloads.cycle import choose, nop_task
from taskbench.workloads.timing import Workload

FLOORS: list[str] = ["await", "call_soon"]


async def await_directly(count: int) -> int:
    """Await ``count`` do-nothing coroutines in sequence; return how many ran."""
    finished = 0
    for _ in range(count):
        await nop_task()
        finished += 1
    return finished


async def call_soon_callbacks(count: int) -> int:
    """Schedule ``count`` callbacks with ``call_soon``, wait until all ran, return how many."""
    loop = asyncio.get_running_loop()
    all_ran = loop.create_future()
    ran = 0

    def callback() -> None:
        nonlocal ran
        ran += 1
        if ran == count:
            all_ran.set_result(None)

    for _ in range(count):
        loop.call_soon(callback)
    await all_ran
    return ran


WORKLOADS: dict[str, Workload] = {"await": await_directly, "call_soon": call_soon_callbacks}


def floor_workload(name: str) -> Workload:
    """Return the floor workload ``name`` names.

    Raises:
        ValueError: for a name that is not in :data:`FLOORS`.
    """
    return choose("floor", name, WORKLOADS)


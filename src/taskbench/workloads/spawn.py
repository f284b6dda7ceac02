"""The ways asyncio offers to start N coroutines and wait for them, on the same do-nothing body.

========================  ==================================================================
``create_task+wait``      the classic cycle: ``create_task`` for each, one ``asyncio.wait``
``gather``                ``asyncio.gather(*coroutines)``, which wraps each in a task
``TaskGroup``             ``tg.create_task`` inside ``async with asyncio.TaskGroup()`` (3.11+)
``eager_task_factory``    the classic cycle with ``asyncio.eager_task_factory`` set (3.12+)
``eager_start``           ``create_task(coro, eager_start=True)`` (3.14+)
========================  ==================================================================

An eager task runs its coroutine inside ``create_task`` until its first suspension; a
do-nothing coroutine finishes there, so it is never scheduled on the loop at all.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

from taskbench.workloads import Unavailable
from taskbench.workloads.cycle import choose, create_and_wait, nop_task
from taskbench.workloads.timing import LoopFactory, Workload

SPAWN_APIS: list[str] = [
    "create_task+wait", "gather", "TaskGroup", "eager_task_factory", "eager_start"]


async def _gather(count: int) -> int:
    results = await asyncio.gather(*[nop_task() for _ in range(count)])
    return len(results)


async def _task_group(count: int) -> int:
    async with asyncio.TaskGroup() as group:  # type: ignore[attr-defined,unused-ignore]
        tasks = [group.create_task(nop_task()) for _ in range(count)]
    return sum(1 for task in tasks if task.done() and not task.cancelled())


async def _eager_task_factory(count: int) -> int:
    loop = asyncio.get_running_loop()
    previous = loop.get_task_factory()
    loop.set_task_factory(asyncio.eager_task_factory)  # type: ignore[attr-defined,unused-ignore]
    try:
        return await create_and_wait(count)
    finally:
        loop.set_task_factory(previous)


async def _eager_start(count: int) -> int:
    create_task: Callable[..., asyncio.Task[Any]] = asyncio.create_task
    tasks = [create_task(nop_task(), eager_start=True) for _ in range(count)]
    done, _pending = await asyncio.wait(tasks)
    return len(done)


WORKLOADS: dict[str, Workload] = {
    "create_task+wait": create_and_wait,
    "gather": _gather,
    "TaskGroup": _task_group,
    "eager_task_factory": _eager_task_factory,
    "eager_start": _eager_start,
}


def spawn_workload(api: str) -> Workload:
    """Return the workload that starts and finishes N tasks with ``api``.

    Raises:
        ValueError: for a name that is not in :data:`SPAWN_APIS`.
    """
    return choose("spawn API", api, WORKLOADS)


async def _eager_start_error() -> TypeError | None:
    coroutine = nop_task()
    create_task: Callable[..., asyncio.Task[Any]] = asyncio.create_task
    try:
        await create_task(coroutine, eager_start=True)
    except TypeError as error:
        coroutine.close()
        return error
    return None


async def _eager_factory_error() -> TypeError | None:
    loop = asyncio.get_running_loop()
    previous = loop.get_task_factory()
    loop.set_task_factory(asyncio.eager_task_factory)  # type: ignore[attr-defined,unused-ignore]
    coroutine = nop_task()
    try:
        await loop.create_task(coroutine)
    except TypeError as error:
        coroutine.close()  # refused before it ran: close it, or Python warns it was never awaited
        return error
    finally:
        loop.set_task_factory(previous)
    return None


def _probe(loop_factory: LoopFactory,
           probe: Callable[[], Awaitable[TypeError | None]]) -> tuple[str, TypeError | None]:
    """Run ``probe`` on a fresh loop; return the loop's class name and the probe's error."""
    loop = loop_factory()
    try:
        return f"{type(loop).__module__}.{type(loop).__name__}", loop.run_until_complete(probe())
    finally:
        loop.close()


def check_spawn_api(api: str, loop_factory: LoopFactory = asyncio.new_event_loop) -> None:
    """Raise :class:`Unavailable` saying why ``api`` cannot run here, or return if it can.

    Features are probed, not inferred from version numbers: the eager APIs depend on the
    loop's ``create_task`` as much as on the interpreter (uvloop on 3.13 passes
    ``eager_start`` to ``eager_task_factory``, which refuses it).
    """
    spawn_workload(api)
    if api == "TaskGroup" and not hasattr(asyncio, "TaskGroup"):
        raise Unavailable("asyncio.TaskGroup first appeared in Python 3.11")
    if api == "eager_task_factory" and not hasattr(asyncio, "eager_task_factory"):
        raise Unavailable("asyncio.eager_task_factory first appeared in Python 3.12")
    if api == "eager_task_factory":
        loop_name, error = _probe(loop_factory, _eager_factory_error)
        if error is not None:
            raise Unavailable(f"{loop_name} and this interpreter's asyncio.eager_task_factory "
                              f"do not work together ({error})")
    if api == "eager_start":
        loop_name, error = _probe(loop_factory, _eager_start_error)
        if error is not None:
            raise Unavailable(f"create_task(..., eager_start=True) is refused with {loop_name} "
                              f"on this interpreter ({error}); asyncio's loop takes it from "
                              "Python 3.14")

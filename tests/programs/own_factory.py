"""A program that sets its own task factory: the factory must be called for every task, see
itself in get_task_factory, and (where there is one) the eager factory must work chained."""

import asyncio
import sys

calls = []


def factory(loop, coro, **kwargs):
    calls.append(coro)
    task = asyncio.Task(coro, loop=loop, **kwargs)
    return task


async def nothing():
    pass


async def main():
    loop = asyncio.get_running_loop()
    if loop.get_task_factory() is not None:
        sys.exit("a task factory was set before the program set one")
    loop.set_task_factory(factory)
    if loop.get_task_factory() is not factory:
        sys.exit("get_task_factory does not return the program's own factory")
    await asyncio.gather(*(nothing() for _ in range(100)))
    if len(calls) != 100:
        sys.exit(f"the program's factory was called {len(calls)} times, not 100")
    if hasattr(asyncio, "eager_task_factory"):
        loop.set_task_factory(asyncio.eager_task_factory)
        if loop.get_task_factory() is not asyncio.eager_task_factory:
            sys.exit("get_task_factory does not return the eager factory")
        await asyncio.gather(*(nothing() for _ in range(100)))
    loop.set_task_factory(None)


loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.close()
print(f"factory calls: {len(calls)}")

"""A plain asyncio.run script: gather, create_task and a TaskGroup where there is one."""

import asyncio


async def nothing():
    pass


async def main():
    await asyncio.gather(*(nothing() for _ in range(100)))
    await asyncio.wait([asyncio.ensure_future(nothing()) for _ in range(100)])
    if hasattr(asyncio, "TaskGroup"):
        async with asyncio.TaskGroup() as group:
            for _ in range(100):
                group.create_task(nothing())


asyncio.run(main())

"""A loop that runs exactly 1 + 2 × COUNT tasks on every interpreter: the coroutine given to
run_until_complete, COUNT made with create_task and COUNT constructed with asyncio.Task."""

import asyncio
import sys

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100


async def nothing():
    pass


async def main():
    loop = asyncio.get_running_loop() if hasattr(asyncio, "get_running_loop") else None
    made = [asyncio.ensure_future(nothing()) for _ in range(COUNT)]
    made += [asyncio.Task(nothing(), loop=loop) for _ in range(COUNT)]
    await asyncio.wait(made)


loop = asyncio.new_event_loop()
try:
    loop.run_until_complete(main())
finally:
    loop.close()

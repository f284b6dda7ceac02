"""uvloop's own loop: 1 + COUNT tasks (the main coroutine's, then COUNT from create_task)."""

import asyncio

import uvloop

COUNT = 100


async def nothing():
    pass


async def main():
    await asyncio.wait([asyncio.ensure_future(nothing()) for _ in range(COUNT)])


loop = uvloop.new_event_loop()
try:
    loop.run_until_complete(main())
finally:
    loop.close()

"""A message pump: the pattern of a UI framework that gives every widget a task and a queue.

N widget tasks each wait on their own :class:`asyncio.Queue`; each is sent one message and
handles it, and once every message is handled, each is sent a shutdown message and ends. Every
widget therefore suspends twice on its queue, as a widget idle between events does.
"""

from __future__ import annotations

import asyncio

SHUTDOWN = None


async def message_pump(count: int) -> int:
    """Start ``count`` widgets, send each one message, shut all down; return messages handled."""
    handled = 0
    all_handled = asyncio.Event()

    async def widget(queue: asyncio.Queue[str | None]) -> None:
        nonlocal handled
        while True:
            message = await queue.get()
            if message is SHUTDOWN:
                return
            handled += 1
            if handled == count:
                all_handled.set()

    queues: list[asyncio.Queue[str | None]] = [asyncio.Queue() for _ in range(count)]
    tasks = [asyncio.create_task(widget(queue)) for queue in queues]
    await asyncio.sleep(0)  # every widget runs to its first get() and waits there
    for queue in queues:
        queue.put_nowait("refresh")
    await all_handled.wait()
    for queue in queues:
        queue.put_nowait(SHUTDOWN)
    done, _pending = await asyncio.wait(tasks)
    if len(done) != count:
        raise RuntimeError(f"{len(done)} of {count} widgets shut down")
    return handled

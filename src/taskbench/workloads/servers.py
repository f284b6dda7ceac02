"""The servers of the loopback clients, each in a process of its own, counting its tasks.

``python -m taskbench.workloads.servers KIND`` installs the counting hooks of
:mod:`taskbench.workloads.taskcount` before it imports asyncio or the framework, starts the
server on asyncio's loop on 127.0.0.1 (a free port), prints ``port N`` and serves until told
to stop. ``KIND`` is ``aiohttp`` (an aiohttp web application answering ``GET /`` with a
short text) or ``echo`` (an asyncio streams server sending every line back).

It takes commands on stdin, one a line, from a thread of its own: ``mark`` answers, as JSON,
the tasks created so far and the process's CPU time, both read on the loop's thread between
two callbacks (``call_soon_threadsafe``, which makes no task), so that two marks bracket
exactly the work the client did between them; ``quit``, or stdin closing, stops the server.
The client's CPU time is its own process's and is not counted here.

Standard library only, besides the framework measured; runs on every interpreter.
"""

from __future__ import annotations

import concurrent.futures
import json
import sys
import threading
import time
from typing import Any, Awaitable, Callable, Sequence

from taskbench.workloads import taskcount

HOST = "127.0.0.1"
ANSWER = b"hello"


async def _aiohttp_server() -> tuple[int, Callable[[], Awaitable[None]]]:
    from aiohttp import web

    async def hello(request: Any) -> Any:
        return web.Response(body=ANSWER)

    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)
    await site.start()
    port = runner.addresses[0][1]
    return int(port), runner.cleanup


async def _echo_server() -> tuple[int, Callable[[], Awaitable[None]]]:
    import asyncio

    async def echo(reader: Any, writer: Any) -> None:
        while True:
            line = await reader.readline()
            if not line:
                break
            writer.write(line)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, HOST, 0)
    port = server.sockets[0].getsockname()[1]

    async def stop() -> None:
        server.close()
        await server.wait_closed()

    return int(port), stop


SERVERS: dict[str, Callable[[], Awaitable[tuple[int, Callable[[], Awaitable[None]]]]]] = {
    "aiohttp": _aiohttp_server, "echo": _echo_server}


def _answer(answer: concurrent.futures.Future[dict[str, float]]) -> None:
    answer.set_result({"tasks": taskcount.tasks(), "cpu_seconds": time.process_time()})


def _control(loop: Any, stopped: Any) -> None:
    """Answer ``mark`` on stdin until ``quit`` or the end of stdin."""
    for line in sys.stdin:
        if line.strip() != "mark":
            break
        answer: concurrent.futures.Future[dict[str, float]] = concurrent.futures.Future()
        loop.call_soon_threadsafe(_answer, answer)
        print(json.dumps(answer.result()), flush=True)
    loop.call_soon_threadsafe(lambda: stopped.done() or stopped.set_result(None))


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1 or argv[0] not in SERVERS:
        print(f"usage: python -m taskbench.workloads.servers {{{','.join(SERVERS)}}}",
              file=sys.stderr)
        return 2
    taskcount.install()
    import asyncio

    loop = asyncio.new_event_loop()
    try:
        port, stop = loop.run_until_complete(SERVERS[argv[0]]())
        stopped = loop.create_future()
        threading.Thread(target=_control, args=(loop, stopped), daemon=True).start()
        print(f"port {port}", flush=True)
        loop.run_until_complete(stopped)
        loop.run_until_complete(stop())
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

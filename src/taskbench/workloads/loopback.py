"""Two network clients over loopback: an aiohttp server, and an asyncio streams echo server.

The server runs in a process of its own (:mod:`taskbench.workloads.servers`), which counts
its tasks and its CPU time; this process is the client, on asyncio's loop:

* ``aiohttp``: an aiohttp ``ClientSession`` opens :data:`AIOHTTP_CONNECTIONS` keep-alive
  connections (one request each), then sends ``requests`` more, spread over them.
* ``echo``: ``connections`` connections, :data:`ECHO_CONCURRENCY` open at a time, each
  sending ``messages`` lines one after another and reading each back, after one warm-up
  connection.

The server is marked just before the measured work and just after (the client has every
answer by then), so its tasks per unit of work (request; connection) are exact and its CPU
time is what serving that work cost. The task share of the server's CPU time is, as for
Textual, the tasks it created times the cost of one task in the classic cycle, measured in
this process on a cycle as large as the server's task count, over the server's CPU time.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from dataclasses import dataclass
from typing import IO, Awaitable, Callable, Dict, List

from taskbench.workloads import require
from taskbench.workloads.cycle import create_and_wait, validate_count
from taskbench.workloads.servers import ANSWER, HOST
from taskbench.workloads.timing import seconds_per_unit

AIOHTTP_CONNECTIONS = 10
ECHO_CONCURRENCY = 10
MESSAGE = b"a line of text to echo\n"


def check_aiohttp() -> None:
    """Raise :class:`Unavailable` when aiohttp is not installed in this environment."""
    require("aiohttp", "aiohttp", "where a wheel of it fits the interpreter")


@dataclass(frozen=True)
class Served:
    """What one measured stretch of work cost the server."""

    units: int
    tasks: int
    cpu_seconds: float

    @property
    def tasks_per_unit(self) -> float:
        return self.tasks / self.units


class _Server:
    """The server process, and the marks bracketing the measured work."""

    def __init__(self, kind: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "taskbench.workloads.servers", kind],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.port = int(self._line().split()[1])

    def _line(self) -> str:
        stdout: IO[str] = self.process.stdout  # type: ignore[assignment]
        line = stdout.readline()
        if not line:
            self.process.wait()
            stderr: IO[str] = self.process.stderr  # type: ignore[assignment]
            raise RuntimeError(f"the server ended with status {self.process.returncode}: "
                               f"{stderr.read().strip()[-600:]}")
        return line

    def mark(self) -> dict[str, float]:
        stdin: IO[str] = self.process.stdin  # type: ignore[assignment]
        stdin.write("mark\n")
        stdin.flush()
        answer: dict[str, float] = json.loads(self._line())
        return answer

    def close(self) -> None:
        try:
            self.process.communicate("quit\n", timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


Marks = List[Dict[str, float]]


def _serve(kind: str, units: int, client: Callable[[_Server, Marks], Awaitable[None]]
           ) -> Served:
    server = _Server(kind)
    try:
        marks: Marks = []
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(client(server, marks))
        finally:
            loop.close()
    finally:
        server.close()
    before, after = marks
    return Served(units, int(after["tasks"] - before["tasks"]),
                  after["cpu_seconds"] - before["cpu_seconds"])


async def _aiohttp_client(server: _Server, marks: Marks, requests: int) -> None:
    import aiohttp

    url = f"http://{HOST}:{server.port}/"
    connector = aiohttp.TCPConnector(limit=AIOHTTP_CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker(count: int) -> None:
            for _ in range(count):
                async with session.get(url) as response:
                    if await response.read() != ANSWER:
                        raise RuntimeError(f"the server answered {response.status}")

        await asyncio.gather(*(worker(1) for _ in range(AIOHTTP_CONNECTIONS)))
        marks.append(server.mark())
        shares = [requests // AIOHTTP_CONNECTIONS + (index < requests % AIOHTTP_CONNECTIONS)
                  for index in range(AIOHTTP_CONNECTIONS)]
        await asyncio.gather(*(worker(count) for count in shares if count))
        marks.append(server.mark())


async def _echo_client(server: _Server, marks: Marks, connections: int, messages: int
                       ) -> None:
    async def connection() -> None:
        reader, writer = await asyncio.open_connection(HOST, server.port)
        for _ in range(messages):
            writer.write(MESSAGE)
            if await reader.readline() != MESSAGE:
                raise RuntimeError("the echo server sent back something else")
        writer.close()
        if await reader.read() != b"":
            raise RuntimeError("the echo server sent more than it was sent")

    async def worker(count: int) -> None:
        for _ in range(count):
            await connection()

    await connection()
    marks.append(server.mark())
    await asyncio.gather(*(worker(connections // ECHO_CONCURRENCY
                                  + (index < connections % ECHO_CONCURRENCY))
                           for index in range(ECHO_CONCURRENCY)))
    marks.append(server.mark())


def aiohttp_requests(requests: int) -> Served:
    """Serve ``requests`` requests on keep-alive connections; what they cost the server."""
    validate_count(requests)
    check_aiohttp()
    return _serve("aiohttp", requests,
                  lambda server, marks: _aiohttp_client(server, marks, requests))


def echo_connections(connections: int, messages: int) -> Served:
    """Echo ``messages`` lines on each of ``connections`` connections; the server's cost."""
    validate_count(connections)
    validate_count(messages)
    return _serve("echo", connections,
                  lambda server, marks: _echo_client(server, marks, connections, messages))


def server_task_share(served: Served) -> float:
    """The fraction of the server's CPU time that its tasks' own machinery explains."""
    per_task = seconds_per_unit(create_and_wait, max(served.tasks, 1), runs=1)
    return served.tasks * per_task / served.cpu_seconds


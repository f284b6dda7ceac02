"""Real clients of the task machinery: a message pump, Textual mounting N widgets, an aiohttp
server and an asyncio streams echo server over loopback."""

from __future__ import annotations

from typing import Any, Dict, Tuple, Union

from taskbench.catalogue import (
    AIOHTTP_SHARE,
    AIOHTTP_TASKS,
    ECHO_SHARE,
    ECHO_TASKS,
    PUMP,
    TEXTUAL_CPU,
    TEXTUAL_SHARE,
    TEXTUAL_TASKS,
    benchmark,
)
from taskbench.workloads import Unavailable
from taskbench.workloads.loopback import (
    aiohttp_requests,
    check_aiohttp,
    echo_connections,
    server_task_share,
)
from taskbench.workloads.pump import message_pump
from taskbench.workloads.textual_app import check_textual, start_app, task_share
from taskbench.workloads.timing import Samples, asv_samples, seconds_per_unit


@benchmark(PUMP)
class MessagePump:
    """CPU seconds per widget: N tasks, each with a queue, one message, shut down."""

    def track_seconds_per_widget(self, count: int) -> Samples:
        return asv_samples(seconds_per_unit(message_pump, count, cycle=PUMP.cycle_at(count)))


@benchmark(TEXTUAL_SHARE, TEXTUAL_CPU)
class TextualStartup:
    """A headless Textual app mounting N labels: its CPU time, and the tasks' share of it."""

    def setup(self, widgets: int) -> None:
        check_textual()

    def track_task_share_percent(self, widgets: int) -> Samples:
        return asv_samples(100 * task_share(widgets))

    def track_startup_cpu_seconds(self, widgets: int) -> Samples:
        return asv_samples(start_app(widgets).cpu_seconds)


@benchmark(TEXTUAL_TASKS)
class TextualTasks:
    """Tasks a headless Textual app creates per widget while mounting N labels (one count)."""

    def setup_cache(self) -> dict[int, float] | str:
        try:
            check_textual()
        except Unavailable as reason:
            return str(reason)
        return {widgets: start_app(widgets).tasks_per_widget
                for widgets in TEXTUAL_TASKS.axes[0].values}

    def setup(self, tasks: dict[int, float] | str, widgets: int) -> None:
        if isinstance(tasks, str):  # setup_cache's reason Textual is missing
            raise Unavailable(tasks)

    def track_tasks_per_widget(self, tasks: dict[int, float], widgets: int) -> float:
        return tasks[widgets]


# What a setup_cache of exact counts hands on: the counts by parameters, or why there are none.
Counts = Dict[Tuple[Any, ...], float]
Counted = Union[Counts, str]


def _unavailable(counted: Counted) -> None:
    if isinstance(counted, str):
        raise Unavailable(counted)


@benchmark(AIOHTTP_SHARE)
class AiohttpServer:
    """An aiohttp server answering N requests on keep-alive connections: the tasks' share of
    its CPU time."""

    def setup(self, requests: int) -> None:
        check_aiohttp()

    def track_task_share_percent(self, requests: int) -> Samples:
        return asv_samples(100 * server_task_share(aiohttp_requests(requests)))


@benchmark(AIOHTTP_TASKS)
class AiohttpTasks:
    """Tasks an aiohttp server creates per request, over N requests (one count)."""

    def setup_cache(self) -> Counted:
        try:
            check_aiohttp()
        except Unavailable as reason:
            return str(reason)
        return {combo: aiohttp_requests(*combo).tasks_per_unit
                for combo in AIOHTTP_TASKS.combinations()}

    def setup(self, counted: Counted, requests: int) -> None:
        _unavailable(counted)

    def track_tasks_per_request(self, counted: Counts, requests: int) -> float:
        return counted[(requests,)]


@benchmark(ECHO_SHARE)
class EchoServer:
    """An asyncio streams echo server taking N connections of M lines: the tasks' share of its
    CPU time."""

    def track_task_share_percent(self, connections: int, messages: int) -> Samples:
        return asv_samples(100 * server_task_share(echo_connections(connections, messages)))


@benchmark(ECHO_TASKS)
class EchoTasks:
    """Tasks an asyncio streams echo server creates per connection (one count)."""

    def setup_cache(self) -> Counted:
        return {combo: echo_connections(*combo).tasks_per_unit
                for combo in ECHO_TASKS.combinations()}

    def track_tasks_per_connection(self, counted: Counts, connections: int, messages: int
                                   ) -> float:
        return counted[(connections, messages)]

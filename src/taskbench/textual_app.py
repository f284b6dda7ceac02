"""Textual itself as a client: how many tasks it starts per widget, and what they cost it.

A headless Textual app (``App.run_test``) composes N ``Label`` widgets. A task factory set on
the loop counts every task created until the app has mounted and drawn them, and
``process_time`` measures the CPU time of that start-up. The task share of start-up is the
tasks created times the cost of one task in the classic cycle (measured in the same process,
on a cycle as large as the app's task count) over the start-up CPU time: the part of start-up
that task creation, scheduling and completion alone explain. The rest is Textual's own work:
styles, layout, rendering.
"""

from __future__ import annotations

import asyncio
import importlib
import statistics
import time
from dataclasses import dataclass
from typing import Any, Coroutine, cast

from taskbench.cycle import measure_throughput, validate_count
from taskbench.loops import Unavailable

WIDGET_COUNTS: list[int] = [100, 1_000]


def check_textual() -> None:
    """Raise :class:`Unavailable` when Textual is not installed in this environment."""
    try:
        importlib.import_module("textual.app")
    except ImportError as error:
        raise Unavailable(
            f"Textual is not installed here ({error}); taskbench.asvenv installs the pinned "
            "Textual where it supports the interpreter (Python 3.9+)") from None


@dataclass(frozen=True)
class Startup:
    """What mounting ``widgets`` widgets cost a headless Textual app."""

    widgets: int
    mounted: int
    tasks_created: int
    cpu_seconds: float
    seconds_per_task: float

    @property
    def tasks_per_widget(self) -> float:
        return self.tasks_created / self.widgets

    @property
    def task_share(self) -> float:
        """Fraction of start-up CPU time that the tasks' own machinery explains."""
        return self.tasks_created * self.seconds_per_task / self.cpu_seconds


def _widgets_app(widgets: int) -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class WidgetsApp(App[None]):
        def compose(self) -> ComposeResult:
            for index in range(widgets):
                yield Label(f"widget {index}")

    return WidgetsApp()


async def _start_app(widgets: int) -> tuple[int, int, float]:
    from textual.widgets import Label

    loop = asyncio.get_running_loop()
    previous_factory = loop.get_task_factory()
    created = 0

    def counting_factory(loop: asyncio.AbstractEventLoop,
                         coro: Coroutine[Any, Any, Any], **kwargs: Any) -> asyncio.Task[Any]:
        nonlocal created
        created += 1
        return asyncio.Task(coro, loop=loop, **kwargs)

    app = _widgets_app(widgets)
    loop.set_task_factory(cast(Any, counting_factory))
    try:
        cpu_start = time.process_time()
        async with app.run_test(headless=True, size=(80, 24)) as pilot:
            await pilot.pause()  # until the app has processed its mount and first refresh
            cpu_seconds = time.process_time() - cpu_start
            tasks_at_startup = created
            mounted = len(app.query(Label))
    finally:
        loop.set_task_factory(previous_factory)
    return mounted, tasks_at_startup, cpu_seconds


def measure_startup(widgets: int, *, runs: int = 3) -> Startup:
    """Start a headless app with ``widgets`` labels ``runs`` times; report the median run.

    Raises:
        Unavailable: when Textual is not installed.
        RuntimeError: when the app did not mount every widget.
    """
    validate_count(widgets)
    check_textual()
    outcomes = [asyncio.run(_start_app(widgets)) for _ in range(runs)]
    for mounted, _tasks, _cpu in outcomes:
        if mounted != widgets:
            raise RuntimeError(f"the app mounted {mounted} of {widgets} widgets")
    tasks_created = int(statistics.median(tasks for _mounted, tasks, _cpu in outcomes))
    cpu_seconds = statistics.median(cpu for _mounted, _tasks, cpu in outcomes)
    cycle = measure_throughput(max(tasks_created, 1))
    return Startup(widgets, widgets, tasks_created, cpu_seconds, 1 / cycle.tasks_per_second)

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
import time
from dataclasses import dataclass
from typing import Any, Coroutine, cast

from taskbench.workloads import require
from taskbench.workloads.cycle import create_and_wait, validate_count
from taskbench.workloads.timing import seconds_per_unit


def check_textual() -> None:
    """Raise :class:`Unavailable` when Textual is not installed in this environment."""
    require("textual.app", "Textual", "where it supports the interpreter (Python 3.9+)")


@dataclass(frozen=True)
class Startup:
    """What mounting ``widgets`` widgets cost a headless Textual app, once."""

    widgets: int
    mounted: int
    tasks_created: int
    cpu_seconds: float

    @property
    def tasks_per_widget(self) -> float:
        return self.tasks_created / self.widgets


def _widgets_app(widgets: int) -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class WidgetsApp(App[None]):
        def compose(self) -> ComposeResult:
            for index in range(widgets):
                yield Label(f"widget {index}")

    return WidgetsApp()


async def _start_app(widgets: int) -> Startup:
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
    return Startup(widgets, mounted, tasks_at_startup, cpu_seconds)


def start_app(widgets: int) -> Startup:
    """Start a headless app with ``widgets`` labels, after one small discarded start.

    The discarded start pays for what only the first app in a process pays (Textual's lazy
    imports, its parsed default styles), so the measured start-up is the app's own.

    Raises:
        Unavailable: when Textual is not installed.
        RuntimeError: when the app did not mount every widget.
    """
    validate_count(widgets)
    check_textual()
    asyncio.run(_start_app(1))
    startup = asyncio.run(_start_app(widgets))
    if startup.mounted != widgets:
        raise RuntimeError(f"the app mounted {startup.mounted} of {widgets} widgets")
    return startup


def task_share(widgets: int) -> float:
    """The fraction of one start-up's CPU time that its tasks' own machinery explains.

    It is the tasks the start-up created times the CPU time of one task in the classic cycle,
    measured in the same process on a cycle as large as the app's task count, over the
    start-up's CPU time.
    """
    startup = start_app(widgets)
    per_task = seconds_per_unit(create_and_wait, max(startup.tasks_created, 1), runs=1)
    return startup.tasks_created * per_task / startup.cpu_seconds

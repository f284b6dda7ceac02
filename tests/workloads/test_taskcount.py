"""The counting hooks: every task counted once, however it is made, and the program sees its
own task factory and real tasks."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, Iterator

import pytest

from conftest import run_python
from taskbench.workloads import taskcount


@pytest.fixture
def hooks() -> Iterator[None]:
    taskcount.install()
    try:
        yield
    finally:
        taskcount.uninstall()


async def nothing() -> None:
    pass


def counted(main: Any) -> int:
    """Tasks counted while a fresh loop runs ``main()``: its own task, and what it makes."""
    loop = asyncio.new_event_loop()
    try:
        before = taskcount.tasks()
        loop.run_until_complete(main())
        return taskcount.tasks() - before
    finally:
        loop.close()


def test_every_way_of_making_a_task_counts_once(hooks: None) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        made = [asyncio.create_task(nothing()) for _ in range(10)]
        made += [loop.create_task(nothing()) for _ in range(10)]
        made += [asyncio.ensure_future(nothing()) for _ in range(10)]
        # What aiohttp does on 3.12 and 3.13, where no task factory sees it.
        made += [asyncio.Task(nothing(), loop=loop) for _ in range(10)]
        await asyncio.wait(made)
        await asyncio.gather(*(nothing() for _ in range(10)))

    assert counted(main) == 1 + 50


def test_tasks_stay_real_tasks_and_the_name_still_answers_isinstance(hooks: None) -> None:
    async def main() -> None:
        task = asyncio.create_task(nothing())
        direct = asyncio.Task(nothing())
        await asyncio.wait([task, direct])
        for made in (task, direct):
            assert type(made) is taskcount._real_task  # the C fast paths stay in use
            assert isinstance(made, asyncio.Task) and issubclass(type(made), asyncio.Task)

    counted(main)
    assert asyncio.Task.__name__ == "Task"


def test_a_factory_the_program_sets_is_kept_called_and_shown_back(hooks: None) -> None:
    calls: list[Any] = []

    def factory(loop: Any, coro: Any, **kwargs: Any) -> Any:
        calls.append(coro)
        return asyncio.Task(coro, loop=loop, **kwargs)  # counted here and by the factory

    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert loop.get_task_factory() is None
        loop.set_task_factory(factory)
        assert loop.get_task_factory() is factory
        await asyncio.gather(*(nothing() for _ in range(10)))
        loop.set_task_factory(loop.get_task_factory())  # set again: wrapped once only
        await asyncio.gather(*(nothing() for _ in range(10)))
        loop.set_task_factory(None)
        assert loop.get_task_factory() is None

    assert counted(main) == 1 + 20
    assert len(calls) == 20


def test_a_factory_that_makes_tasks_without_the_name_is_counted(hooks: None) -> None:
    real = taskcount._real_task

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_task_factory(lambda loop, coro, **kwargs: real(coro, loop=loop, **kwargs))
        await asyncio.gather(*(nothing() for _ in range(10)))

    assert counted(main) == 1 + 10


def test_a_task_subclass_defined_afterwards_is_counted_and_keeps_its_class(hooks: None
                                                                           ) -> None:
    class Tagged(asyncio.Task):  # type: ignore[type-arg]
        pass

    async def main() -> None:
        task = Tagged(nothing())
        await task
        assert type(task) is Tagged and isinstance(task, asyncio.Task)

    assert counted(main) == 1 + 1


def test_each_loop_that_runs_is_noted_with_its_class(hooks: None) -> None:
    before = taskcount.loops()
    idle = asyncio.new_event_loop()  # made, never run: not noted
    counted(nothing)
    counted(nothing)
    idle.close()
    after = taskcount.loops()
    kind = next(iter(set(after) | set(before)))
    assert after.get(kind, 0) - before.get(kind, 0) == 2
    assert "EventLoop" in kind


def test_loops_run_by_threads_at_once_count_once_each(hooks: None) -> None:
    """Four threads, each running its own loop three times, in turns: four loops (a probe
    of share counted nine, one for each change of thread)."""
    threads, runs = 4, 3
    turns = threading.Barrier(threads)
    before = taskcount.loops()

    def worker() -> None:
        loop = asyncio.new_event_loop()
        try:
            for _ in range(runs):
                turns.wait(timeout=30)
                loop.run_until_complete(nothing())
        finally:
            loop.close()

    started = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=60)
    after = taskcount.loops()
    assert sum(after.values()) - sum(before.values()) == threads


def test_a_loop_run_again_after_another_counts_once(hooks: None) -> None:
    before = sum(taskcount.loops().values())
    first, second = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        for loop in (first, second, first, second):
            loop.run_until_complete(nothing())
    finally:
        first.close()
        second.close()
    assert sum(taskcount.loops().values()) - before == 2


def test_uninstall_restores_asyncio() -> None:
    from asyncio import base_events, events

    originals = (asyncio.Task, base_events.BaseEventLoop.set_task_factory,
                 base_events.BaseEventLoop.get_task_factory, events._set_running_loop)
    taskcount.install()
    try:
        assert asyncio.Task is not originals[0]
    finally:
        taskcount.uninstall()
    assert (asyncio.Task, base_events.BaseEventLoop.set_task_factory,
            base_events.BaseEventLoop.get_task_factory, events._set_running_loop) == originals


WATCH = """
import json, sys
from taskbench.workloads import taskcount
taskcount.install()
seen = {"asyncio before": taskcount.asyncio_imported()}
import asyncio
seen["asyncio after"] = taskcount.asyncio_imported()
seen["hooked"] = asyncio.Task is not asyncio.tasks._CTask
seen["loader"] = type(asyncio.__loader__).__name__
async def main():
    await asyncio.gather(*(asyncio.sleep(0) for _ in range(5)))
asyncio.run(main())
seen["tasks"] = taskcount.tasks()
print(json.dumps(seen))
"""


def test_asyncio_is_hooked_when_the_program_imports_it_not_before() -> None:
    result = run_python("-c", WATCH)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["asyncio before"] is False and seen["asyncio after"] is True
    assert seen["hooked"] is True
    assert seen["loader"] == "SourceFileLoader"  # the module keeps its own loader
    assert seen["tasks"] >= 1 + 5

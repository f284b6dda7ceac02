"""Tasks across threads: each thread runs its own loop and its N tasks, the figures count every
thread's tasks, and a thread that raises fails the run with its exception named, leaving no
thread behind."""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import Any, Callable

import pytest

import taskbench.workloads.cycle
import taskbench.workloads.threads
from taskbench.workloads import Unavailable
from taskbench.workloads.cycle import create_and_wait
from taskbench.workloads.threads import (
    CPU,
    PER_CPU,
    WALL,
    ThreadFailed,
    check_threads,
    gil_enabled,
    run_in_threads,
    seconds_per_task,
    thread_count,
)


def finishes(action: Callable[[], Any], seconds: float = 60) -> Any:
    """Run ``action`` in a thread of its own; fail the test if it hangs instead of
    returning or raising (a run whose threads wait for each other forever)."""
    outcome: dict[str, Any] = {}

    def call() -> None:
        try:
            outcome["value"] = action()
        except BaseException as error:
            outcome["error"] = error

    runner = threading.Thread(target=call)
    runner.start()
    runner.join(seconds)
    assert not runner.is_alive(), "the run hung"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def other_threads() -> Callable[[], list[threading.Thread]]:
    before = set(threading.enumerate())
    return lambda: [thread for thread in threading.enumerate() if thread not in before]


def test_each_thread_runs_its_own_loop_and_its_own_tasks(
        monkeypatch: pytest.MonkeyPatch,
        other_threads: Callable[[], list[threading.Thread]]) -> None:
    seen: list[tuple[int, int]] = []

    async def body() -> None:
        seen.append((threading.get_ident(), id(asyncio.get_running_loop())))

    monkeypatch.setattr(taskbench.workloads.cycle, "nop_task", body)
    run = finishes(lambda: run_in_threads("create_task+wait", 3, 500))
    assert run.completed == len(seen) == 1_500
    per_thread = {ident: sum(1 for seen_ident, _ in seen if seen_ident == ident)
                  for ident, _ in seen}
    assert sorted(per_thread.values()) == [500, 500, 500]
    assert len({loop for _, loop in seen}) == 3
    assert threading.get_ident() not in per_thread
    assert run.wall_seconds > 0 and run.cpu_seconds > 0
    assert other_threads() == []


@pytest.mark.parametrize("where", ["running its tasks", "making its loop"])
def test_a_thread_that_raises_fails_the_run_naming_it_and_none_is_left_running(
        where: str, monkeypatch: pytest.MonkeyPatch,
        other_threads: Callable[[], list[threading.Thread]]) -> None:
    failing = "taskbench-2"

    def check() -> None:
        if threading.current_thread().name == failing:
            raise ValueError(f"thread 2 broke {where}")

    if where == "running its tasks":
        async def workload(count: int) -> int:
            check()
            return await create_and_wait(count)

        monkeypatch.setattr(taskbench.workloads.threads, "spawn_workload", lambda api: workload)
    else:
        original = asyncio.new_event_loop

        def new_loop() -> asyncio.AbstractEventLoop:
            check()
            return original()

        monkeypatch.setattr(taskbench.workloads.threads.asyncio, "new_event_loop", new_loop)
    with pytest.raises(ThreadFailed, match=rf"of 4 threads raised; thread 2: "
                                           rf"ValueError\('thread 2 broke {where}'\)"):
        finishes(lambda: run_in_threads("create_task+wait", 4, 200))
    assert other_threads() == []


def test_figures_are_per_task_of_every_thread_and_warm() -> None:
    wall = finishes(lambda: seconds_per_task("create_task+wait", 2, 300, WALL, runs=2))
    cpu = finishes(lambda: seconds_per_task("create_task+wait", 2, 300, CPU, runs=2))
    assert 0 < wall < 1e-2 and 0 < cpu < 1e-2
    with pytest.raises(ValueError, match="unknown clock 'user'"):
        seconds_per_task("create_task+wait", 1, 10, "user")


def test_one_thread_per_cpu_is_this_machines_count_and_na_where_it_adds_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taskbench.workloads.threads, "cpu_count", lambda: 8)
    assert thread_count(PER_CPU) == 8 and thread_count(2) == 2
    monkeypatch.setattr(taskbench.workloads.threads, "cpu_count", lambda: 2)
    with pytest.raises(Unavailable, match="may run on 2 CPUs: one thread per CPU is the "
                                          "2-thread figure"):
        thread_count(PER_CPU)
    for bad in (0, -1, True, "two"):
        with pytest.raises(ValueError, match="threads must be a whole number"):
            thread_count(bad)


def test_the_eager_factory_needs_its_python_and_other_apis_are_refused() -> None:
    if sys.version_info >= (3, 12):
        assert check_threads("eager_task_factory", 1) == 1
    else:
        with pytest.raises(Unavailable, match="3.12"):
            check_threads("eager_task_factory", 1)
    with pytest.raises(ValueError, match="unknown API for threads 'gather'"):
        check_threads("gather", 1)


def test_the_gil_is_enabled_unless_the_interpreter_says_otherwise(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_is_gil_enabled", raising=False)
    assert gil_enabled() is True
    monkeypatch.setattr(sys, "_is_gil_enabled", lambda: False, raising=False)
    assert gil_enabled() is False

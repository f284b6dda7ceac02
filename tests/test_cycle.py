"""The workload really creates and finishes N tasks, with the collector as asked."""

from __future__ import annotations

import asyncio
import gc
import timeit
from typing import Any, Coroutine

import pytest

from taskbench.cycle import (
    create_and_wait,
    measure_throughput,
    nop_task,
    run_on_fresh_loop,
    time_cycle,
    time_workload,
    validate_count,
)


class CountingLoop:
    """A fresh loop whose task factory counts the cycle's nop tasks: created, finished, GC state.

    ``run_until_complete`` wraps the cycle itself in a task too; only tasks running
    ``nop_task`` are counted.
    """

    def __init__(self) -> None:
        self.created = 0
        self.finished = 0
        self.gc_states: set[bool] = set()
        self.loop = asyncio.new_event_loop()
        self.loop.set_task_factory(self._factory)

    def _factory(self, loop: asyncio.AbstractEventLoop,
                 coro: Coroutine[Any, Any, Any], **kwargs: Any) -> asyncio.Task[Any]:
        task = asyncio.Task(coro, loop=loop, **kwargs)
        if getattr(coro, "__qualname__", None) == nop_task.__qualname__:
            self.created += 1
            self.gc_states.add(gc.isenabled())
            task.add_done_callback(self._on_done)
        return task

    def _on_done(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is None:
            self.finished += 1

    def __call__(self) -> asyncio.AbstractEventLoop:
        return self.loop


@pytest.mark.parametrize("count", [1, 10, 1_000, 20_000])
def test_cycle_creates_and_finishes_every_task(count: int) -> None:
    counting = CountingLoop()
    completed = run_on_fresh_loop(count, loop_factory=counting)
    assert counting.created == count
    assert counting.finished == count
    assert completed == count
    assert counting.loop.is_closed()


def test_cycle_runs_with_the_collector_on_even_under_timeit() -> None:
    counting = CountingLoop()
    loop = counting.loop

    def one_cycle() -> None:
        loop.run_until_complete(create_and_wait(100))

    assert gc.isenabled()
    timeit.Timer(one_cycle).timeit(number=1)  # timeit turns the collector off around this
    loop.close()
    assert counting.gc_states == {True}
    assert gc.isenabled()


def test_cycle_without_the_collector_restores_the_callers_setting() -> None:
    counting = CountingLoop()
    run_on_fresh_loop(100, loop_factory=counting, gc_enabled=False)
    assert counting.gc_states == {False}
    assert gc.isenabled()

    gc.disable()
    try:
        counting = CountingLoop()
        run_on_fresh_loop(100, loop_factory=counting, gc_enabled=True)
        assert counting.gc_states == {True}
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_time_cycle_reports_the_tasks_it_finished() -> None:
    counting = CountingLoop()
    timing = time_cycle(5_000, loop_factory=counting)
    assert timing.count == timing.completed == counting.finished == 5_000
    assert timing.cpu_seconds >= 0
    assert timing.wall_seconds > 0


def test_throughput_is_the_median_of_its_batches() -> None:
    throughput = measure_throughput(2_000, batches=3, min_batch_seconds=0.01)
    assert len(throughput.batch_rates) == 3
    assert sorted(throughput.batch_rates)[1] == throughput.tasks_per_second
    assert throughput.tasks_per_second > 0


@pytest.mark.parametrize("bad", [0, -5, "10", 2.5, True, None])
def test_bad_counts_are_refused_with_the_value_named(bad: object) -> None:
    with pytest.raises(ValueError, match="task count"):
        validate_count(bad)
    with pytest.raises(ValueError, match="task count"):
        measure_throughput(bad)  # type: ignore[arg-type]


def test_throughput_needs_a_batch() -> None:
    with pytest.raises(ValueError, match="batches must be at least 1"):
        measure_throughput(10, batches=0)


def test_spread_is_the_batches_range_over_their_median() -> None:
    from taskbench.cycle import Throughput

    assert Throughput(10, 100.0, [95.0, 100.0, 104.0]).spread_percent == pytest.approx(9.0)


def test_small_counts_get_one_discarded_warm_up_batch() -> None:
    import time

    from taskbench.cycle import WARM_UP_BELOW, measure_rate

    runs: list[int] = []

    async def counted(count: int) -> int:
        # Burns 2 ms of CPU, so that each batch below is exactly one run.
        runs.append(count)
        start = time.process_time()
        while time.process_time() - start < 0.002:
            pass
        return count

    def run_count(count: int, **options: int) -> int:
        runs.clear()
        throughput = measure_rate(counted, count, batches=2, min_batch_seconds=0.001, **options)
        assert len(throughput.batch_rates) == 2
        return len(runs)

    assert run_count(10) == 3
    assert run_count(WARM_UP_BELOW) == 2
    assert run_count(10, warmup_batches=0) == 2


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What happens, in order: "collect" for each gc.collect() call, and what tests add."""
    recorded: list[str] = []
    real_collect = gc.collect

    def collect(*args: int) -> int:
        recorded.append("collect")
        return real_collect(*args)

    monkeypatch.setattr(gc, "collect", collect)
    return recorded


def test_every_timed_run_starts_from_a_collected_heap(events: list[str]) -> None:
    async def workload(count: int) -> int:
        events.append("run")
        return count

    time_workload(workload, 5)
    time_workload(workload, 5)
    assert events == ["collect", "run", "collect", "run"]


def test_each_batch_starts_from_a_collected_heap(events: list[str]) -> None:
    import time

    from taskbench.cycle import measure_rate

    async def workload(count: int) -> int:
        events.append("run")
        start = time.process_time()
        while time.process_time() - start < 0.002:
            pass
        return count

    measure_rate(workload, 10, batches=2, min_batch_seconds=0.005, warmup_batches=0)
    batches = "".join("|" if event == "collect" else "r" for event in events).split("|")[1:]
    assert len(batches) == 2 and all(len(runs) >= 2 for runs in batches), events

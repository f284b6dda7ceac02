"""The classic cycle really creates and finishes N tasks, with the collector as asked, and
its samples are taken the way taskbench.workloads.timing says."""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any, Coroutine

import pytest

from taskbench.workloads import timing
from taskbench.workloads.cycle import MAX_COUNT, create_and_wait, nop_task, validate_count
from taskbench.workloads.timing import (
    ONE_RUN_FROM,
    SMALL_COUNT_SAMPLES,
    asv_samples,
    rate_samples,
    time_workload,
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
        self.loop.set_task_factory(self._factory)  # type: ignore[arg-type]

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
    run = time_workload(create_and_wait, count, loop_factory=counting)
    assert counting.created == counting.finished == run.completed == count
    assert counting.loop.is_closed()
    assert run.cpu_seconds >= 0


def test_the_collector_is_as_the_timing_says_and_the_callers_setting_returns() -> None:
    counting = CountingLoop()
    time_workload(create_and_wait, 100, loop_factory=counting)
    assert counting.gc_states == {True}
    counting = CountingLoop()
    time_workload(create_and_wait, 100, loop_factory=counting, gc_enabled=False)
    assert counting.gc_states == {False}
    assert gc.isenabled()
    gc.disable()
    try:
        counting = CountingLoop()
        time_workload(create_and_wait, 100, loop_factory=counting, gc_enabled=True)
        assert counting.gc_states == {True}
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("bad", [0, -5, "10", 2.5, True, None, MAX_COUNT + 1, 10**12])
def test_bad_counts_are_refused_with_the_value_named(bad: object) -> None:
    with pytest.raises(ValueError, match="task count"):
        validate_count(bad)
    with pytest.raises(ValueError, match="task count"):
        rate_samples(create_and_wait, bad)  # type: ignore[arg-type]


def test_the_upper_bound_says_why() -> None:
    with pytest.raises(ValueError, match="would exhaust memory"):
        validate_count(MAX_COUNT + 1)
    assert validate_count(MAX_COUNT) == MAX_COUNT


def _busy(seconds: float) -> None:
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass


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


def test_a_small_count_gets_a_discarded_warm_up_and_one_sample_per_batch(
        events: list[str]) -> None:
    async def workload(count: int) -> int:
        events.append("run")
        _busy(0.002)
        return count

    rates = rate_samples(workload, 10, samples=3, min_batch_seconds=0.005)
    assert len(rates) == 3 and all(rate > 0 for rate in rates)
    batches = "".join("|" if event == "collect" else "r" for event in events).split("|")[1:]
    # A warm-up batch and three measured ones, each starting from a collected heap and
    # each long enough to reach the batch's CPU time.
    assert len(batches) == 4 and all(len(runs) >= 2 for runs in batches), events


def test_a_caller_already_warm_can_leave_the_warm_up_out(events: list[str]) -> None:
    async def workload(count: int) -> int:
        events.append("run")
        _busy(0.002)
        return count

    rates = rate_samples(workload, 10, samples=2, min_batch_seconds=0.005, warm_up=False)
    batches = "".join("|" if event == "collect" else "r" for event in events).split("|")[1:]
    assert len(rates) == 2 and len(batches) == 2, events


def test_a_large_count_is_one_run_per_sample_with_no_warm_up(
        events: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    async def workload(count: int) -> int:
        events.append("run")
        _busy(0.001)
        return count

    assert timing.samples_per_process(ONE_RUN_FROM) == 1
    assert timing.samples_per_process(ONE_RUN_FROM - 1) == SMALL_COUNT_SAMPLES
    rates = rate_samples(workload, ONE_RUN_FROM)
    assert len(rates) == 1
    assert events == ["collect", "run"]


def test_rates_refuse_a_workload_that_loses_units() -> None:
    async def loses_one(count: int) -> int:
        return count - 1

    with pytest.raises(RuntimeError, match="99 of 100 finished"):
        rate_samples(loses_one, 100, samples=1)


def test_samples_are_handed_to_asv_as_its_own_timing_results_are() -> None:
    samples = rate_samples(create_and_wait, 500, samples=2, min_batch_seconds=0.001)
    result = asv_samples(samples)
    assert result == {"samples": samples, "number": 1}
    assert all(isinstance(value, float) and value > 0 for value in result["samples"])

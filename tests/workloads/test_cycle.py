"""The classic cycle really creates and finishes N tasks, with the collector as asked, and
its samples are taken the way taskbench.workloads.timing says."""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any, Coroutine

import pytest

from taskbench.workloads.clock import Clock, measure_tick
from taskbench.workloads.cycle import MAX_COUNT, create_and_wait, nop_task, validate_count
from taskbench.workloads.steady import MAX_WARMUP_CYCLES, SETTLE_CYCLES, NotSteady
from taskbench.workloads.timing import (
    FIRST,
    ONE_RUN_FROM,
    WARM,
    WARM_RUNS,
    Workload,
    asv_samples,
    seconds_per_unit,
    time_workload,
)
from virtualclock import VirtualClock


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
        seconds_per_unit(create_and_wait, bad)  # type: ignore[arg-type]


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


def _runs(events: list[str]) -> list[str]:
    """The runs of each batch, batches split where the heap was collected."""
    return "".join("|" if event == "collect" else "r" for event in events).split("|")[1:]


def test_a_small_count_is_warm_batches_after_a_warm_up(events: list[str]) -> None:
    async def workload(count: int) -> int:
        events.append("run")
        _busy(0.002)
        return count

    seconds = seconds_per_unit(workload, 10, cycle=WARM, min_batch_seconds=0.005)
    # About 2 ms of CPU per run of 10 units, whatever the batching.
    assert 0.0001 < seconds < 0.001
    batches = _runs(events)
    # The warm-up's batches and the measured ones, each from a collected heap, each long
    # enough to reach the batch's CPU time.
    assert len(batches) >= SETTLE_CYCLES + WARM_RUNS, events
    assert all(len(runs) >= 2 for runs in batches), events


def test_a_first_figure_is_the_first_run_alone(events: list[str]) -> None:
    async def workload(count: int) -> int:
        events.append("run")
        _busy(0.001)
        return count

    assert seconds_per_unit(workload, ONE_RUN_FROM, cycle=FIRST) > 0
    assert events == ["collect", "run"]


def _scripted(clock: VirtualClock, seconds: list[float], events: list[str]) -> Workload:
    """A workload whose runs cost the given CPU seconds on ``clock``, one after another."""
    costs = iter(seconds)

    async def workload(count: int) -> int:
        events.append("run")
        clock.spend(next(costs))
        return count

    return workload


def test_a_warm_figure_is_the_mean_of_the_runs_after_they_settle(events: list[str]) -> None:
    # A JIT's runs: each faster until the seventh, which is within 5% of the sixth.
    warming = [1.6, 0.8, 0.4, 0.2, 0.15, 0.104, 0.1]
    clock = VirtualClock()
    workload = _scripted(clock, warming + [0.1, 0.2, 0.3, 99.0], events)
    seconds = seconds_per_unit(workload, ONE_RUN_FROM, cycle=WARM, runs=3,
                               clock=clock.clock())
    assert events == ["collect", "run"] * (len(warming) + 3)
    assert seconds == pytest.approx(0.6 / (3 * ONE_RUN_FROM), rel=1e-3)


def test_a_process_that_never_settles_gives_no_warm_figure(events: list[str]) -> None:
    clock = VirtualClock()
    workload = _scripted(clock, [0.2 * 0.9 ** run for run in range(100)], events)
    with pytest.raises(NotSteady, match=f"cap of {MAX_WARMUP_CYCLES} cycles"):
        seconds_per_unit(workload, ONE_RUN_FROM, clock=clock.clock())
    assert events.count("run") == MAX_WARMUP_CYCLES


def test_on_a_coarse_clock_a_batch_lasts_a_hundred_ticks_timed_as_one(
        events: list[str]) -> None:
    # Windows' process_time: 15.6 ms ticks. A run of 10 units costs 1 ms, so timed alone each
    # would read 0 or 15.6 ms; a batch lasts 100 ticks and is read once.
    coarse = VirtualClock(tick=0.015625)
    clock = Clock("coarse", coarse.read, measure_tick(coarse.read))
    assert clock.tick == pytest.approx(0.015625)
    loops: list[asyncio.AbstractEventLoop] = []

    def loop_factory() -> asyncio.AbstractEventLoop:
        loops.append(asyncio.new_event_loop())
        return loops[-1]

    workload = _scripted(coarse, [0.001] * 20_000, events)
    seconds = seconds_per_unit(workload, 10, runs=3, clock=clock, loop_factory=loop_factory)
    assert seconds == pytest.approx(0.001 / 10, rel=0.01)
    batches = _runs(events)
    assert len(batches) == len(loops) == SETTLE_CYCLES + 3  # one loop per batch
    assert all(len(runs) >= 99 * 15.625 for runs in batches)  # 100 ticks, read in ticks


def test_on_a_fine_clock_each_run_of_a_batch_has_a_fresh_loop(events: list[str]) -> None:
    fine = VirtualClock(tick=1e-9)
    loops: list[asyncio.AbstractEventLoop] = []

    def loop_factory() -> asyncio.AbstractEventLoop:
        loops.append(asyncio.new_event_loop())
        return loops[-1]

    workload = _scripted(fine, [0.001] * 1_000, events)
    seconds_per_unit(workload, 10, runs=3, clock=fine.clock(), loop_factory=loop_factory)
    assert len(loops) == events.count("run") == (SETTLE_CYCLES + 3) * 50  # 50 ms batches
    assert all(loop.is_closed() for loop in loops)


def test_on_a_coarse_clock_a_first_figure_is_still_the_first_run(events: list[str]) -> None:
    coarse = VirtualClock(tick=0.015625)
    workload = _scripted(coarse, [0.5, 99.0], events)
    seconds = seconds_per_unit(workload, ONE_RUN_FROM, cycle=FIRST, clock=coarse.clock())
    assert events == ["collect", "run"]
    assert seconds == pytest.approx(0.5 / ONE_RUN_FROM, abs=0.015625 / ONE_RUN_FROM)


@pytest.mark.parametrize(("options", "message"), [
    ({"cycle": "coldest"}, "unknown kind of cycle 'coldest'"),
    ({"runs": 0}, "runs must be at least 1"),
])
def test_bad_options_are_refused_by_name(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        seconds_per_unit(create_and_wait, 10, **options)


def test_a_workload_that_loses_units_is_refused() -> None:
    async def loses_one(count: int) -> int:
        return count - 1

    with pytest.raises(RuntimeError, match="99 of 100 finished"):
        seconds_per_unit(loses_one, 100, runs=1)


def test_a_process_figure_is_handed_to_asv_as_one_sample() -> None:
    seconds = seconds_per_unit(create_and_wait, 500, runs=2, min_batch_seconds=0.001)
    assert asv_samples(seconds) == {"samples": [seconds], "number": 1}
    assert 0 < seconds < 0.001

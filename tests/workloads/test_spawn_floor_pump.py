"""The anatomy workloads (spawn APIs, loops, the floor, the message pump) really start and
finish N tasks (or none, for the floor), and say clearly what an interpreter or loop cannot
run."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from typing import Any, Callable

import pytest

import taskbench.workloads.cycle
import taskbench.workloads.floor
import taskbench.workloads.spawn
from conftest import needs
from taskbench.workloads import Unavailable
from taskbench.workloads.floor import FLOORS, floor_workload
from taskbench.workloads.loops import LOOPS, loop_factory
from taskbench.workloads.pump import message_pump
from taskbench.workloads.spawn import SPAWN_APIS, check_spawn_api, spawn_workload
from taskbench.workloads.timing import time_workload

HAS_UVLOOP = importlib.util.find_spec("uvloop") is not None


class BodyRecorder:
    """Stands in for ``nop_task``: records each run of the body and the task it ran in."""

    def __init__(self) -> None:
        self.runs = 0
        self.tasks: set[int] = set()

    async def __call__(self) -> None:
        self.runs += 1
        self.tasks.add(id(asyncio.current_task()))


@pytest.fixture
def bodies(monkeypatch: pytest.MonkeyPatch) -> BodyRecorder:
    recorder = BodyRecorder()
    for module in (taskbench.workloads.cycle, taskbench.workloads.spawn,
                   taskbench.workloads.floor):
        monkeypatch.setattr(module, "nop_task", recorder)
    return recorder


def _runnable(api: str, loop: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        factory = loop_factory(loop)
        check_spawn_api(api, factory)
    except Unavailable:
        return None
    return factory


@pytest.mark.parametrize("loop", LOOPS)
@pytest.mark.parametrize("api", SPAWN_APIS)
def test_every_spawn_api_runs_each_body_in_its_own_task(api: str, loop: str,
                                                        bodies: BodyRecorder) -> None:
    factory = _runnable(api, loop)
    if factory is None:
        pytest.skip(f"{api} on {loop} is not available on this interpreter")
    held: list[int] = []

    async def outer(count: int) -> int:
        # Held so that no finished task's id is reused by a later one.
        held.append(id(asyncio.current_task()))
        return await spawn_workload(api)(count)

    timing = time_workload(outer, 2_000, loop_factory=factory)
    assert timing.completed == 2_000
    assert bodies.runs == 2_000
    assert len(bodies.tasks) == 2_000
    assert id(None) not in bodies.tasks
    assert held[0] not in bodies.tasks


def test_feature_gates_follow_the_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.version_info >= (3, 11):
        check_spawn_api("TaskGroup")
    monkeypatch.delattr(asyncio, "TaskGroup", raising=False)
    with pytest.raises(Unavailable, match="TaskGroup first appeared in Python 3.11"):
        check_spawn_api("TaskGroup")
    monkeypatch.delattr(asyncio, "eager_task_factory", raising=False)
    with pytest.raises(Unavailable, match="3.12"):
        check_spawn_api("eager_task_factory")


def test_eager_start_is_probed_on_the_loop_itself() -> None:
    if sys.version_info >= (3, 14):
        check_spawn_api("eager_start")
    else:
        with pytest.raises(Unavailable, match=r"eager_start=True\) is refused with "
                                              r"asyncio\.\S+ on this interpreter \(.*eager_start"):
            check_spawn_api("eager_start")


@pytest.mark.skipif(not HAS_UVLOOP, reason=needs("clients", "uvloop"))
def test_uvloop_is_a_real_uvloop() -> None:
    loop = loop_factory("uvloop")()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
    if sys.version_info < (3, 14):
        with pytest.raises(Unavailable, match="refused with uvloop.Loop"):
            check_spawn_api("eager_start", loop_factory("uvloop"))


def test_a_missing_uvloop_is_unavailable_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)
    with pytest.raises(Unavailable, match="uvloop is not installed"):
        loop_factory("uvloop")


@pytest.mark.parametrize(("chooser", "name", "choices"), [
    (spawn_workload, "create_task", SPAWN_APIS),
    (loop_factory, "trio", LOOPS),
    (floor_workload, "sleep", FLOORS),
])
def test_unknown_names_are_refused_with_the_choices(chooser: Callable[[str], Any], name: str,
                                                    choices: list[str]) -> None:
    with pytest.raises(ValueError) as error:
        chooser(name)
    assert repr(name) in str(error.value)
    assert all(choice in str(error.value) for choice in choices)


def test_the_await_floor_runs_every_body_without_a_task_of_its_own(
        bodies: BodyRecorder) -> None:
    timing = time_workload(floor_workload("await"), 1_000)
    assert timing.completed == bodies.runs == 1_000
    assert len(bodies.tasks) == 1  # all in the one task run_until_complete made


def test_the_call_soon_floor_runs_every_callback(bodies: BodyRecorder) -> None:
    assert time_workload(floor_workload("call_soon"), 1_000).completed == 1_000
    assert bodies.runs == 0


def test_the_message_pump_delivers_one_message_to_each_widget_and_ends_them_all() -> None:
    created: list[asyncio.Task[Any]] = []

    def counting_loop() -> asyncio.AbstractEventLoop:
        loop = asyncio.new_event_loop()

        def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> Any:
            task = asyncio.Task(coro, loop=loop, **kwargs)
            created.append(task)
            return task

        loop.set_task_factory(factory)
        return loop

    timing = time_workload(message_pump, 500, loop_factory=counting_loop)
    assert timing.completed == 500
    widgets = [task for task in created if task.get_coro().__qualname__.endswith("widget")]
    assert len(widgets) == 500
    assert all(task.done() and task.exception() is None for task in widgets)


def test_a_loop_that_breaks_the_eager_factory_makes_it_unavailable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """uvloop 0.23 on CPython 3.13.0 hands ``eager_start`` to the task factory, which
    refuses it; the probe turns that into n/a instead of a failed benchmark."""

    def eager_factory_without_eager_start(loop: asyncio.AbstractEventLoop, coro: Any, *,
                                          name: str | None = None,
                                          context: Any = None) -> asyncio.Task[Any]:
        return asyncio.Task(coro, loop=loop)

    class LoopPassingEagerStart(asyncio.SelectorEventLoop):
        def create_task(self, coro: Any, **kwargs: Any) -> Any:
            factory = self.get_task_factory()
            if factory is not None:
                return factory(self, coro, eager_start=False)  # type: ignore[call-arg]
            return super().create_task(coro, **kwargs)

    monkeypatch.setattr(asyncio, "eager_task_factory", eager_factory_without_eager_start,
                        raising=False)
    check_spawn_api("eager_task_factory")  # asyncio's own loop works with it
    with pytest.raises(Unavailable, match="LoopPassingEagerStart and this interpreter's "
                                          "asyncio.eager_task_factory do not work together"):
        check_spawn_api("eager_task_factory", LoopPassingEagerStart)

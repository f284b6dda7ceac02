"""Trio's nursery and AnyIO's task groups really start and finish N tasks on their own loops,
and a framework that is missing, too old or broken is n/a with its reason, never an error."""

from __future__ import annotations

import asyncio
import importlib
import sys
from typing import Any

import pytest

import taskbench.workloads.frameworks
from taskbench.workloads import Unavailable
from taskbench.workloads.frameworks import FRAMEWORKS, IN_GROUP, check_framework, framework
from taskbench.workloads.instructions import available, run_phases
from taskbench.workloads.timing import seconds_per_unit, time_workload

trio = pytest.importorskip("trio")
anyio = pytest.importorskip("anyio")


class TaskRecorder:
    """Stands in for ``nop_task``: records each run of the body, the task it ran in, and
    which event loop (if any: Trio has none of asyncio's) ran it."""

    def __init__(self) -> None:
        self.runs = 0
        self.tasks: set[int] = set()
        self.asyncio_loops: dict[int, Any] = {}  # held, so that no id is reused

    async def __call__(self) -> None:
        self.runs += 1
        self.tasks.add(anyio.get_current_task().id)
        try:
            loop = asyncio.get_running_loop()
            self.asyncio_loops[id(loop)] = loop
        except RuntimeError:
            pass


@pytest.fixture
def bodies(monkeypatch: pytest.MonkeyPatch) -> TaskRecorder:
    recorder = TaskRecorder()
    monkeypatch.setattr(taskbench.workloads.frameworks, "nop_task", recorder)
    return recorder


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_every_body_runs_in_a_task_of_its_own_on_the_frameworks_loop(
        name: str, bodies: TaskRecorder) -> None:
    workload, runner = check_framework(name)
    bodies.__init__()  # the check's own few tasks are not counted
    run = time_workload(workload, 2_000, runner=runner)
    assert run.completed == bodies.runs == len(bodies.tasks) == 2_000
    assert run.cpu_seconds > 0
    # AnyIO's asyncio backend runs them on an asyncio loop; Trio, on none of asyncio's.
    assert len(bodies.asyncio_loops) == (1 if name == "anyio-asyncio" else 0)


def test_each_run_gets_a_fresh_loop_and_a_figure_per_task(bodies: TaskRecorder) -> None:
    workload, runner = framework("anyio-asyncio")
    time_workload(workload, 10, runner=runner)
    time_workload(workload, 10, runner=runner)
    assert len(bodies.asyncio_loops) == 2
    assert 0 < seconds_per_unit(workload, 1_000, runner=runner, runs=1) < 1


def test_a_missing_framework_is_unavailable_naming_the_module(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trio", None)
    for name in ("trio", "anyio-trio"):
        with pytest.raises(Unavailable, match=f"trio is not installed here .* so {name} "
                                              "cannot run"):
            framework(name)
    framework("anyio-asyncio")  # AnyIO on asyncio needs no Trio


def test_a_framework_too_old_is_unavailable_saying_what_it_needs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taskbench.workloads.frameworks.importlib.metadata, "version",
                        lambda module: "3.7.1")
    with pytest.raises(Unavailable, match=r"anyio 3\.7\.1 is too old for anyio-asyncio: "
                                          r"this code needs anyio 4\.0 or later"):
        framework("anyio-asyncio")


def test_a_framework_that_fails_here_is_unavailable_naming_the_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no nursery on this interpreter")

    monkeypatch.setattr(importlib.import_module("trio"), "open_nursery", broken)
    with pytest.raises(Unavailable, match=r"trio fails on this interpreter: "
                                          r"RuntimeError\('no nursery on this interpreter'\)"):
        check_framework("trio")
    assert "trio fails on this interpreter" in (available(IN_GROUP, "trio") or "")


def test_an_unknown_framework_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="unknown framework 'curio'; choose one of trio, "
                                         "anyio-asyncio, anyio-trio"):
        framework("curio")


def test_valgrind_phases_run_a_framework_on_its_own_loop() -> None:
    assert available(IN_GROUP, "trio") is None
    reply = run_phases([(IN_GROUP, "anyio-trio", 10, "on")])
    assert len(reply["pids"]) == 2  # type: ignore[arg-type]

"""The frameworks a library author may choose instead of asyncio's own API: N do-nothing tasks
started in a task group, and the group's exit, which waits for every one of them.

=================  ============================================================================
``trio``           ``nursery.start_soon`` N times inside ``trio.open_nursery()``, in ``trio.run``
``anyio-asyncio``  ``start_soon`` N times inside ``anyio.create_task_group()``, in
                   ``anyio.run(..., backend="asyncio")``: AnyIO's cost over asyncio's own tasks
``anyio-trio``     the same on AnyIO's Trio backend: AnyIO's cost over Trio's nursery
=================  ============================================================================

The body is the one every spawn API runs (:func:`taskbench.workloads.cycle.nop_task`), each
run is a fresh event loop of the framework's own (``trio.run``, ``anyio.run``), and the clock
runs inside it, as for asyncio's APIs, so the figures compare with ``create_task`` + ``wait``
on the same interpreter.

The frameworks are pinned clients (``clients/frameworks*.txt``), imported by name: this module
imports on any interpreter without them. One that is missing, older than this code supports,
or fails a run of a few tasks on this interpreter raises :class:`Unavailable` with the reason
(:func:`check_framework`), so that its figures are n/a and every other is kept.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from types import ModuleType
from typing import Awaitable, Callable

from taskbench.workloads import Unavailable
from taskbench.workloads.cycle import choose, nop_task
from taskbench.workloads.timing import Runner, Workload

FRAMEWORKS: list[str] = ["trio", "anyio-asyncio", "anyio-trio"]
# How a framework's tasks are started, where it stands beside a spawn API (the key of its
# figures beside (api, loop), and the "API" of its valgrind phases): in its group, on its loop.
IN_GROUP = "start_soon"
# The modules each framework needs, and the oldest release of each this code is written for:
# Trio's nursery as it is since 0.22 (strict exception groups), AnyIO 4's task groups.
NEEDS: dict[str, tuple[str, ...]] = {
    "trio": ("trio",), "anyio-asyncio": ("anyio",), "anyio-trio": ("anyio", "trio")}
OLDEST: dict[str, tuple[int, int]] = {"trio": (0, 22), "anyio": (4, 0)}
PROBE_TASKS = 10


def _version(module: str) -> tuple[int, ...]:
    """The installed release of ``module`` as numbers (``0.35.0`` -> (0, 35, 0))."""
    text = importlib.metadata.version(module)
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3])


def _import(module: str, framework: str) -> ModuleType:
    try:
        found = importlib.import_module(module)
    except ImportError as error:
        raise Unavailable(
            f"{module} is not installed here ({error}), so {framework} cannot run; "
            "taskbench.workloads.asvenv installs the pinned Trio and AnyIO on every "
            "interpreter their wheels support (Python 3.8 and later)") from None
    oldest = OLDEST[module]
    try:
        installed = _version(module)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return found  # imported but without package metadata: taken as it is
    if installed[:2] < oldest:
        raise Unavailable(f"{module} {'.'.join(map(str, installed))} is too old for "
                          f"{framework}: this code needs {module} "
                          f"{'.'.join(map(str, oldest))} or later")
    return found


def _nursery(trio: ModuleType) -> Workload:
    async def start_in_nursery(count: int) -> int:
        async with trio.open_nursery() as nursery:
            for _ in range(count):
                nursery.start_soon(nop_task)
        return count  # a nursery exits only once every child has finished

    return start_in_nursery


def _task_group(anyio: ModuleType) -> Workload:
    async def start_in_task_group(count: int) -> int:
        async with anyio.create_task_group() as group:
            for _ in range(count):
                group.start_soon(nop_task)
        return count  # a task group exits only once every child has finished

    return start_in_task_group


def _runner(run: Callable[..., object], **options: str) -> Runner:
    def runner(main: Callable[[], Awaitable[object]]) -> object:
        return run(main, **options)

    return runner


def framework(name: str) -> tuple[Workload, Runner]:
    """The workload that starts and finishes N tasks with ``name``, and the runner that runs
    it on a fresh loop of the framework's own.

    Raises:
        ValueError: for a name that is not in :data:`FRAMEWORKS`.
        Unavailable: when a module it needs is missing or too old.
    """
    needs = choose("framework", name, NEEDS)
    modules = {module: _import(module, name) for module in needs}
    if name == "trio":
        return _nursery(modules["trio"]), _runner(modules["trio"].run)
    backend = name.split("-", 1)[1]
    return _task_group(modules["anyio"]), _runner(modules["anyio"].run, backend=backend)


def check_framework(name: str) -> tuple[Workload, Runner]:
    """:func:`framework`, after a run of a few tasks: :class:`Unavailable` naming the error
    where the framework fails on this interpreter."""
    workload, runner = framework(name)
    try:
        completed = runner(lambda: workload(PROBE_TASKS))
    except Exception as error:  # any failure of the framework here: n/a with its reason
        raise Unavailable(f"{name} fails on this interpreter: {error!r}") from None
    if completed != PROBE_TASKS:
        raise Unavailable(f"{name} finished {completed} of {PROBE_TASKS} tasks here")
    return workload, runner

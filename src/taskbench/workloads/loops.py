"""Event-loop choice: asyncio's default loop, uvloop (C) or rloop (Rust) where installed.

The loop is a benchmark parameter rather than an asv matrix axis: one environment per
interpreter then holds every loop, so they appear side by side in the same graph and the
benchmarks that do not depend on the loop are not run twice. Where a loop cannot be installed
(PyPy, Windows, an interpreter without a wheel) its parameter is skipped the asv way.

``SpawnAPI`` measures :data:`LOOPS` at every count it has; the loops of :data:`OTHER_LOOPS`
are measured at the anatomy's count only (``OtherLoops``), which is all their verdicts need.
"""

from __future__ import annotations

import asyncio
import importlib

from taskbench.workloads import Unavailable
from taskbench.workloads.timing import LoopFactory

LOOPS: list[str] = ["asyncio", "uvloop"]
OTHER_LOOPS: tuple[str, ...] = ("rloop",)
# Where each third-party loop has wheels, for the reason a missing one gives.
_WHEELS = {"uvloop": "CPython on Linux and macOS only",
           "rloop": "CPython 3.9 and later on Linux and macOS only"}


def loop_factory(name: str) -> LoopFactory:
    """Return a function that makes a new event loop of the kind ``name`` names.

    Raises:
        ValueError: for a name that is not in :data:`LOOPS` or :data:`OTHER_LOOPS`.
        Unavailable: when the loop's package is not installed in this environment.
    """
    if name == "asyncio":
        return asyncio.new_event_loop
    if name not in _WHEELS:
        raise ValueError(f"unknown event loop {name!r}; choose one of "
                         f"{', '.join([*LOOPS, *OTHER_LOOPS])}")
    try:
        module = importlib.import_module(name)
    except ImportError as error:
        raise Unavailable(
            f"{name} is not installed here ({error}); it has wheels for {_WHEELS[name]}, "
            "and taskbench.workloads.asvenv installs it where one exists") from None
    factory: LoopFactory = module.new_event_loop
    return factory

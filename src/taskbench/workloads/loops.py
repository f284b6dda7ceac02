"""Event-loop choice: asyncio's default loop, or uvloop where it is installed.

The loop is a benchmark parameter rather than an asv matrix axis: one environment per
interpreter then holds both loops, so the two appear side by side in the same graph and the
benchmarks that do not depend on the loop are not run twice. Where uvloop cannot be installed
(PyPy, Windows, an interpreter without a wheel) the uvloop parameter is skipped the asv way.
"""

from __future__ import annotations

import asyncio
import importlib

from taskbench.workloads import Unavailable
from taskbench.workloads.timing import LoopFactory

LOOPS: list[str] = ["asyncio", "uvloop"]


def loop_factory(name: str) -> LoopFactory:
    """Return a function that makes a new event loop of the kind ``name`` names.

    Raises:
        ValueError: for a name that is not in :data:`LOOPS`.
        Unavailable: when the loop's package is not installed in this environment.
    """
    if name == "asyncio":
        return asyncio.new_event_loop
    if name == "uvloop":
        try:
            uvloop = importlib.import_module("uvloop")
        except ImportError as error:
            raise Unavailable(
                f"uvloop is not installed here ({error}); it has wheels for CPython on "
                "Linux and macOS only, and taskbench.workloads.asvenv installs it where one exists"
            ) from None
        factory: LoopFactory = uvloop.new_event_loop
        return factory
    raise ValueError(f"unknown event loop {name!r}; choose one of {', '.join(LOOPS)}")

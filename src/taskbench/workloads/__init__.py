"""The workloads and how they are timed: the code that runs inside every measured interpreter.

asv installs taskbench into one environment per interpreter and the benchmarks in
``benchmarks/`` call these functions there, so everything in this package uses the standard
library only and imports on CPython 3.8 and PyPy (a test parses it as Python 3.8). The tools
that provision interpreters, drive asv and draw the reports live beside it, in
:mod:`taskbench.interpreters`, :mod:`taskbench.jobs` and :mod:`taskbench.reports`, and run in
the tools venv only.

=================  ============================================================================
``cycle``          the classic create-and-wait cycle and its do-nothing task
``timing``         samples of units per second of CPU time, as asv's ``track_`` results
``clock``          the CPU clock every timed figure reads, and how finely it measures
``steady``         when a process's cycles are steady: the warm-up rule of every warm figure
``replica``        the original experiment: one process, the whole table, counts ascending
``spawn``          the other ways to start N tasks (gather, TaskGroup, the eager APIs)
``loops``          asyncio's event loop, uvloop or rloop
``frameworks``     Trio's nursery, AnyIO's task group on asyncio and on Trio
``threads``        one event loop per thread, T threads at once
``floor``          the same bodies without tasks: coroutines awaited directly, callbacks
``memory``         bytes per pending task (tracemalloc)
``pump``           a message pump: a task and a queue per widget
``textual_app``    Textual itself, mounting N widgets
``loopback``       an aiohttp server and an asyncio streams echo server, driven over loopback
``servers``        those servers, each in a process of its own, counting their tasks
``taskcount``      the hooks that count every task a program creates, on every loop
``shareboot``      inside one process of ``share``: the program under the hooks, or the cycle
``instructions``   instructions per task, counted by valgrind's cachegrind
``buildinfo``      how the running interpreter was built (printed as JSON)
``asvenv``         run by asv after installing taskbench: the pinned clients
``asvinstall``     asv's install step: one wheel per source, built once, installed everywhere
``countenv``       what a valgrind count runs in, the same on every host
=================  ============================================================================
"""


import importlib
import sys

# Inside asv's benchmark processes asv_runner is imported before any benchmark: its own way to
# say "skip this figure" is then at hand. It is looked up, not imported: importing asv_runner's
# benchmark package imports pympler, which fails on PyPy (taskbench.workloads.asvenv, which
# removes it, imports this package first).
_Skip = getattr(sys.modules.get("asv_runner.benchmarks.mark"), "SkipNotImplemented",
                NotImplementedError)


class Unavailable(_Skip):  # type: ignore[misc,valid-type]  # chosen at import, as above
    """What this interpreter or environment cannot run, and why: the one way taskbench says
    "skip".

    asv shows a figure whose benchmark raises it as n/a instead of a failure, whether it is
    raised in ``setup`` (asv skips on any :class:`NotImplementedError`) or in the measured
    method (asv skips only on its own ``SkipNotImplemented``, which this then is).
    """


def require(module: str, client: str, where: str) -> None:
    """Raise :class:`Unavailable` when ``module`` of a pinned client is not installed in this
    environment (asvenv installs each ``where`` it can)."""
    try:
        importlib.import_module(module)
    except ImportError as error:
        raise Unavailable(f"{client} is not installed here ({error}); "
                          f"taskbench.workloads.asvenv installs the pinned {client} "
                          f"{where}") from None

"""Tasks across threads, per interpreter: how far T threads, each with its own event loop, beat
one, and what a task costs in CPU time meanwhile (``bench_threads``).

The speed-up of T threads is one thread's elapsed seconds per task over T threads', paired by
block (T for perfect scaling; at most 1 where the GIL lets one thread run at a time), judged
as the anatomy judges its multiples (:mod:`taskbench.reports.inference`: each row's speed-ups
are one family). Each interpreter says whether the GIL was enabled in the benchmarks'
processes (``ThreadSetting``), since that, not the version, decides what the figures mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from taskbench.catalogue import (
    GIL_ENABLED,
    THREAD_TASKS,
    THREADS_CPU,
    THREADS_USED,
    THREADS_WALL,
)
from taskbench.reports import inference
from taskbench.reports.anatomy import Speedup, within_interpreter
from taskbench.reports.anatomy_tables import speedup_cell
from taskbench.reports.classic import kind_of
from taskbench.reports.views import Cell, Index, Table, figure_cell, label, na
from taskbench.workloads.threads import PER_CPU, THREAD_APIS, THREAD_COUNTS

COUNT = THREAD_TASKS[0]
SCALED = [threads for threads in THREAD_COUNTS if threads != 1]  # held against one thread


@dataclass
class Scaling:
    """One interpreter's threads figures on one machine; absent where not measured."""

    gil: float | None = None  # 1: enabled, 0: not
    speedups: dict[tuple[str, object], Speedup] = field(default_factory=dict)


def scaling(index: Index, machine: str) -> dict[str, Scaling]:
    """Every interpreter with a threads figure on ``machine``, with its speed-ups."""
    found: dict[str, Scaling] = {}
    for env in index.environments(machine, [THREADS_WALL, THREADS_CPU, GIL_ENABLED]):
        result = found[env] = Scaling(index.value(machine, env, GIL_ENABLED, 1))
        for api in THREAD_APIS:
            for threads in SCALED:
                verdict = within_interpreter(index, machine, env,
                                             (THREADS_WALL, (api, 1, COUNT)),
                                             (THREADS_WALL, (api, threads, COUNT)),
                                             family=len(SCALED))
                if verdict is not None:
                    result.speedups[(api, threads)] = Speedup(verdict.speedup, verdict)
    return found


def _gil(value: float | None) -> Cell:
    return na() if value is None else Cell("on" if value else "off")


def _per_cpu(index: Index, machine: str, environments: list[str]) -> str:
    """``one per CPU (4 threads)``, as many as this machine's figures ran."""
    used = {index.value(machine, env, THREADS_USED, PER_CPU) for env in environments}
    counts = sorted(f"{value:.0f}" for value in used if value is not None)
    return f"{PER_CPU} ({' or '.join(counts)} threads)" if counts else PER_CPU


def threads_table(index: Index, machine: str) -> Table | None:
    """One row per interpreter and API; None where ``machine`` has no threads figure."""
    found = scaling(index, machine)
    if not found:
        return None
    named = {threads: (_per_cpu(index, machine, list(found)) if threads == PER_CPU
                       else f"{threads} thread{'s' if threads != 1 else ''}")
             for threads in THREAD_COUNTS}
    rows = []
    for env, result in found.items():
        for api in THREAD_APIS:
            rows.append([
                label(env), Cell(api), _gil(result.gil),
                *(speedup_cell(result.speedups.get((api, threads))) for threads in SCALED),
                *(figure_cell(index.get(machine, env, THREADS_CPU, api, threads, COUNT),
                              THREADS_CPU, scale=1e-6, digits=2) for threads in THREAD_COUNTS)])
    return Table(
        "threads", f"Tasks across threads on `{machine}`: one event loop per thread, "
                   f"{COUNT:,} tasks each ({kind_of(THREADS_WALL, COUNT)})",
        ["interpreter", "API", "GIL", *(f"speed-up, {named[t]}" for t in SCALED),
         *(f"CPU µs per task, {named[t]}" for t in THREAD_COUNTS)], rows,
        ["Speed-up: tasks/s of all the threads together over one thread's, from elapsed "
         "time: T when T threads scale perfectly, at most 1 when the GIL lets one run at a "
         "time. Each row's speed-ups are one family: " + inference.rule_text(len(SCALED))
         + ". CPU time is the process's, every thread's. GIL: whether it was "
         "enabled in the benchmarks' processes (`sys._is_gil_enabled()`; always, before "
         "3.13). n/a: the API is missing, or one thread per CPU is already the two-thread "
         "figure (asv's log says why)."], text_columns=3)

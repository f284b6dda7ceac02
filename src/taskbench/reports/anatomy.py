"""Why a task costs what it costs, per interpreter: the anatomy's figures and tables.

For each machine and interpreter, at the newest result of each benchmark:

* each spawn API and loop against the classic cycle (``SpawnAPI``): how many times its
  tasks/s, with the interval of the ratio;
* microseconds per task of the classic cycle, of the floor (a coroutine awaited directly, a
  ``call_soon`` callback), and the task's cost above the ``await`` floor;
* the garbage collector's share of the cycle's CPU time, 1 - (rate with it) / (rate without);
* bytes per pending task (tracemalloc, exact), the message pump's widgets/s, and Textual's
  tasks per widget with their share of its start-up.

Every derived figure carries the interval of the figures it comes from
(:mod:`taskbench.reports.stats`); one whose interval holds 0 (or 1, for a ratio) is shown as
within noise, never as a signed number.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from taskbench.asvadapter.results import Figure
from taskbench.catalogue import (
    ANATOMY_COUNT,
    CLASSIC_SPAWN,
    FLOOR,
    GC_COUNTS,
    MEMORY,
    PUMP,
    SPAWN_API,
    TEXTUAL_SHARE,
    TEXTUAL_TASKS,
    THROUGHPUT,
    WITHOUT_GC,
    Benchmark,
)
from taskbench.reports.stats import Estimate, complement, difference, estimate, ratio, verdict
from taskbench.reports.views import Cell, Index, Table, label, na, ranged

BASELINE = CLASSIC_SPAWN
PUMP_COUNT = PUMP.headline["count"][0]
WIDGETS = TEXTUAL_SHARE.headline["widgets"][0]
MEMORY_COUNT = MEMORY.headline["count"][0]


@dataclass
class Speedup:
    """One spawn API and loop against the baseline, on one interpreter."""

    estimate: Estimate
    verdict: str  # "real", "within noise" or "no interval"


@dataclass
class Anatomy:
    """One interpreter's anatomy on one machine; None where it was not measured."""

    spawn: dict[tuple[str, str], Figure] = field(default_factory=dict)
    speedups: dict[tuple[str, str], Speedup] = field(default_factory=dict)
    task_us: Estimate | None = None
    await_us: Estimate | None = None
    call_soon_us: Estimate | None = None
    gc_share: dict[int, Estimate] = field(default_factory=dict)
    bytes_per_task: Estimate | None = None
    pump: Estimate | None = None
    textual_tasks: Estimate | None = None
    textual_share: Estimate | None = None

    @property
    def overhead_us(self) -> Estimate | None:
        if self.task_us is None or self.await_us is None:
            return None
        return difference(self.task_us, self.await_us)


def _us(est: Estimate | None) -> Estimate | None:
    """A rate as microseconds per unit, with its interval."""
    return est.inverse(1e6) if est is not None and est.value > 0 else None


def gc_share(index: Index, machine: str, environment: str, count: int) -> Estimate | None:
    """The collector's share of the classic cycle's CPU time at ``count`` tasks:
    1 - (tasks/s with it) / (tasks/s without), from two figures of one run."""
    on = index.estimate(machine, environment, THROUGHPUT, count)
    off = index.estimate(machine, environment, WITHOUT_GC, count)
    if on is None or off is None or off.value <= 0:
        return None
    return complement(ratio(on, off))


def anatomy(index: Index, machine: str, environment: str) -> Anatomy:
    """Everything the anatomy says about one interpreter on one machine."""
    def get(entry: Benchmark, *params: object) -> Estimate | None:
        return index.estimate(machine, environment, entry, *params)

    result = Anatomy()
    for api, loop in itertools.product(*SPAWN_API.params[:2]):
        figure = index.get(machine, environment, SPAWN_API, api, loop, ANATOMY_COUNT)
        if figure is not None and figure.value is not None:
            result.spawn[(api, loop)] = figure
    base = result.spawn.get(BASELINE)
    base_estimate = estimate(base)
    for key, figure in result.spawn.items():
        figure_estimate = estimate(figure)
        if base is not None and base_estimate is not None and figure_estimate is not None \
                and key != BASELINE:
            result.speedups[key] = Speedup(ratio(figure_estimate, base_estimate),
                                           verdict(base, figure))
    result.task_us = _us(base_estimate)
    result.await_us = _us(get(FLOOR, "await", ANATOMY_COUNT))
    result.call_soon_us = _us(get(FLOOR, "call_soon", ANATOMY_COUNT))
    for count in GC_COUNTS:
        share = gc_share(index, machine, environment, count)
        if share is not None:
            result.gc_share[count] = share
    result.bytes_per_task = get(MEMORY, MEMORY_COUNT)
    result.pump = get(PUMP, PUMP_COUNT)
    result.textual_tasks = get(TEXTUAL_TASKS, WIDGETS)
    result.textual_share = get(TEXTUAL_SHARE, WIDGETS)
    return result


def anatomies(index: Index, machine: str) -> dict[str, Anatomy]:
    """The anatomy of every interpreter on ``machine`` with any anatomy figure."""
    entries = [SPAWN_API, FLOOR, WITHOUT_GC, PUMP, TEXTUAL_TASKS, MEMORY]
    return {env: anatomy(index, machine, env) for env in index.environments(machine, entries)}


def noise_aware(est: Estimate | None, *, zero: float, scale: float = 1.0, digits: int = 0,
                suffix: str = "") -> Cell:
    """A derived figure; "within noise" (with its interval) when the interval holds ``zero``."""
    if est is None:
        return na()
    text = ranged(est, scale=scale, digits=digits, suffix=suffix)
    if not est.has_interval:
        return Cell(text, "older", "no interval: measured without samples")
    if est.includes(zero):
        return Cell(f"within noise ({text})", "noise")
    return Cell(text)


def _speedup_cell(speedup: Speedup | None) -> Cell:
    if speedup is None:
        return na()
    text = ranged(speedup.estimate, digits=2, suffix="×")
    if speedup.verdict == "real":
        return Cell(text, "real")
    if speedup.verdict == "within noise":
        return Cell(f"within noise ({text})", "noise")
    return Cell(text, "older", "no interval: measured without samples")


def speedup_table(found: dict[str, Anatomy], machine: str) -> Table:
    """Each spawn API and loop as a multiple of the classic cycle's tasks/s."""
    keys = [(api, loop) for loop in SPAWN_API.axes[1].values
            for api in SPAWN_API.axes[0].values if (api, loop) != BASELINE]
    rows = [[label(env)] + [_speedup_cell(found[env].speedups.get(key)) for key in keys]
            for env in found]
    return Table(
        "speedups", f"Spawn APIs and loops on `{machine}` at {ANATOMY_COUNT:,} tasks: tasks/s "
                    "as a multiple of create_task + wait on asyncio's loop",
        ["interpreter", *(f"{api} ({loop})" for api, loop in keys)], rows,
        ["n/a: the interpreter or loop lacks the API (asv's log says why)."])


def cost_table(found: dict[str, Anatomy], machine: str) -> Table:
    """Where a task's cost goes, one row per interpreter."""
    rows = []
    for env, a in found.items():
        rows.append([
            label(env), noise_aware(a.task_us, zero=0, digits=2),
            noise_aware(a.await_us, zero=0, digits=3),
            noise_aware(a.call_soon_us, zero=0, digits=3),
            noise_aware(a.overhead_us, zero=0, digits=2),
            *(noise_aware(a.gc_share.get(count), zero=0, scale=0.01, suffix="%")
              for count in GC_COUNTS),
            Cell(f"{a.bytes_per_task.value:,.0f}") if a.bytes_per_task else na(),
            noise_aware(a.pump, zero=0, scale=1000),
            Cell(f"{a.textual_tasks.value:.1f}") if a.textual_tasks else na(),
            noise_aware(a.textual_share, zero=0, digits=1, suffix="%"),
        ])
    return Table(
        "costs", f"Where a task's cost goes on `{machine}` (µs of CPU time per task at "
                 f"{ANATOMY_COUNT:,} tasks, asyncio's loop)",
        ["interpreter", "µs per task", "await floor, µs", "call_soon, µs",
         "task above the floor, µs",
         *(f"GC share at {count:,}" for count in GC_COUNTS),
         f"bytes per task (exact, {MEMORY_COUNT:,})", f"message pump, K widgets/s "
         f"({PUMP_COUNT:,})", f"Textual tasks per widget ({WIDGETS:,})",
         f"task share of Textual start-up ({WIDGETS:,})"], rows,
        ["The floor is the same coroutine awaited directly (no task) or a bare call_soon "
         "callback; a task's cost above it is the difference. The GC share is 1 - (tasks/s "
         "with the collector) / (tasks/s without), from two figures of one run."])

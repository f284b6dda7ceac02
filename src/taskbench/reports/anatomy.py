"""Why a task costs what it costs, per interpreter: the anatomy's figures and tables.

For each machine and interpreter, at the newest result of each benchmark:

* each spawn API and loop against the classic cycle (``SpawnAPI``, same count and kind): how
  many times its tasks/s, paired by block, with its verdict; and so for each API on rloop
  (``OtherLoops``, at the same count) and each framework's task group (``Frameworks``,
  against the classic cycle at its own count);
* microseconds per task of the classic cycle, of the floor (a coroutine awaited directly, a
  ``call_soon`` callback), and the task's cost above the ``await`` floor;
* the garbage collector's share of the cycle's CPU time, 1 - (time without it) / (time with
  it), against the figure of the same count and kind, paired by block;
* bytes per pending task (tracemalloc, exact), the message pump's cost per widget, and
  Textual's tasks per widget with their share of its start-up.

A figure derived from two that were not measured in the same blocks carries the interval of
every value the two intervals allow (:mod:`taskbench.reports.stats`), marked unpaired; one
whose interval holds 0 is shown as within noise, never as a signed number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from taskbench.asvadapter.results import Figure
from taskbench.catalogue import (
    ANATOMY_COUNT,
    CLASSIC_SPAWN,
    FIRST_CYCLE,
    FLOOR,
    FRAMEWORK_COUNT,
    FRAMEWORKS,
    GC_COUNTS,
    MEMORY,
    OTHER_LOOP_SPAWN,
    PUMP,
    SPAWN_API,
    TASK_COST,
    TEXTUAL_SHARE,
    TEXTUAL_TASKS,
    WITHOUT_GC,
    Benchmark,
    Params,
)
from taskbench.reports import inference
from taskbench.reports.runmodel import RunModel
from taskbench.reports.stats import Estimate, complement, difference, estimate
from taskbench.reports.views import Index
from taskbench.workloads.frameworks import IN_GROUP

BASELINE = CLASSIC_SPAWN
# Every way of starting tasks held against the classic cycle, by its key (spawn API and loop;
# a framework's as (IN_GROUP, framework)): where its figure is, the count last.
SOURCES: dict[tuple[str, str], tuple[Benchmark, Params]] = {
    **{(api, loop): (entry, (api, loop, ANATOMY_COUNT)) for entry in (SPAWN_API, OTHER_LOOP_SPAWN)
       for api, loop, _count in entry.combinations({"count": (ANATOMY_COUNT,)})},
    **{(IN_GROUP, name): (FRAMEWORKS, (name, FRAMEWORK_COUNT))
       for name, _count in FRAMEWORKS.combinations()}}


def baseline_of(key: tuple[str, str]) -> tuple[Benchmark, Params]:
    """The classic cycle's figure ``key``'s is held against: at the same count and kind."""
    return SPAWN_API, (*BASELINE, SOURCES[key][1][-1])
PUMP_COUNT = PUMP.headline["count"][0]
WIDGETS = TEXTUAL_SHARE.headline["widgets"][0]
MEMORY_COUNT = MEMORY.headline["count"][0]


def _with_collector(count: int) -> Benchmark:
    """The collector-on figure ``WithoutGC`` is held against at ``count``: the classic
    cycle's figure of the same count and kind."""
    for entry in (TASK_COST, FIRST_CYCLE):
        if count in entry.axes[0].values and entry.cycle_at(count) == WITHOUT_GC.cycle_at(count):
            return entry
    raise ValueError(f"no figure of the classic cycle matches WithoutGC at {count:,} tasks")


WITH_COLLECTOR = {count: _with_collector(count) for count in GC_COUNTS}


@dataclass
class Speedup:
    """One spawn API and loop against the baseline, on one interpreter: B's speed over A's,
    with its verdict (None where the two cannot be compared)."""

    estimate: Estimate
    verdict: inference.Verdict | None


@dataclass
class Anatomy:
    """One interpreter's anatomy on one machine; None where it was not measured."""

    spawn: dict[tuple[str, str], Figure] = field(default_factory=dict)
    speedups: dict[tuple[str, str], Speedup] = field(default_factory=dict)
    framework_baseline: Figure | None = None  # the classic cycle at the frameworks' count
    task_us: Estimate | None = None
    await_us: Estimate | None = None
    call_soon_us: Estimate | None = None
    gc_share: dict[int, Estimate] = field(default_factory=dict)
    bytes_per_task: Estimate | None = None
    pump_us: Estimate | None = None
    textual_tasks: Estimate | None = None
    textual_share: Estimate | None = None

    @property
    def overhead_us(self) -> Estimate | None:
        if self.task_us is None or self.await_us is None:
            return None
        return difference(self.task_us, self.await_us)


def microseconds(seconds: Estimate | None) -> Estimate | None:
    """Seconds per unit as microseconds per unit, with the interval."""
    if seconds is None:
        return None
    scale = 1e6
    return Estimate(seconds.value * scale, None if seconds.low is None else seconds.low * scale,
                    None if seconds.high is None else seconds.high * scale)


def within_interpreter(index: Index, machine: str, env: str, a: tuple[Benchmark, Params],
            b: tuple[Benchmark, Params], family: int) -> inference.Verdict | None:
    """B against A on one interpreter, one of ``family``: from a model of the two figures
    over the run's blocks where both are in it (:meth:`Index.model_over`), else unpaired from
    their own processes; None where either is missing."""
    members = [("A", env, a[0], a[1]), ("B", env, b[0], b[1])]
    model = index.model_over(machine, members)
    if model is not None and model.series == ("A", "B"):
        return inference.judge(model.contrast("A", "B"), "A", "B", family,
                               blocks=min(model.used.values()), paired=True)
    figures = [index.get(machine, env, entry, *params) for entry, params in (a, b)]
    if any(f is None or not f.current or not f.samples or len(f.samples) < 2
           for f in figures):
        return None
    contrast = inference.unpaired_contrast(figures[0].samples, figures[1].samples)  # type: ignore
    return inference.judge(contrast, "A", "B", family, blocks=2, paired=False)


def gc_share(index: Index, machine: str, environment: str, count: int) -> Estimate | None:
    """The collector's share of the classic cycle's CPU time at ``count`` tasks:
    1 - (time without it) / (time with it), against the figure of the same kind, with its
    95% interval (one estimate, not a verdict)."""
    found = within_interpreter(index, machine, environment, (WITH_COLLECTOR[count], (count,)),
                    (WITHOUT_GC, (count,)), family=1)
    if found is None:
        return None
    return complement(found.speedup.inverse())


def _speedups(index: Index, machine: str, environment: str, result: Anatomy) -> None:
    """Every spawn API and loop against the baseline on one interpreter: one family; each
    framework against it at the frameworks' count: another (a table each)."""
    for key, (entry, params) in SOURCES.items():
        figure = index.get(machine, environment, entry, *params)
        if figure is not None and figure.value is not None:
            result.spawn[key] = figure
    others = [key for key in result.spawn if key != BASELINE]
    for group in ([key for key in others if key[0] != IN_GROUP],
                  [key for key in others if key[0] == IN_GROUP]):
        pooled = _pooled(index, machine, environment, group)
        for number, key in enumerate(group):
            series = f"B{number}"
            verdict: inference.Verdict | None
            if pooled is not None and {"A", series} <= set(pooled.series):
                verdict = inference.judge(pooled.contrast("A", series), "A", "B", len(group),
                                          blocks=min(pooled.used["A"], pooled.used[series]),
                                          paired=True)
            else:
                verdict = within_interpreter(index, machine, environment, baseline_of(key),
                                             SOURCES[key], family=len(group))
            if verdict is not None:
                result.speedups[key] = Speedup(verdict.speedup, verdict)


def _pooled(index: Index, machine: str, environment: str, group: list[tuple[str, str]]
            ) -> RunModel | None:
    """One model of a family's figures and their baseline on one interpreter (A, then B0,
    B1, ... in the group's order): their spread pooled, so each comparison has the degrees
    of freedom of the whole family rather than of its own pair."""
    if not group:
        return None
    baseline, params = baseline_of(group[0])
    members = [("A", environment, baseline, params)] + [
        (f"B{number}", environment, *SOURCES[key]) for number, key in enumerate(group)]
    return index.model_over(machine, members)


def anatomy(index: Index, machine: str, environment: str) -> Anatomy:
    """Everything the anatomy says about one interpreter on one machine."""
    def get(entry: Benchmark, *params: object) -> Estimate | None:
        return index.estimate(machine, environment, entry, *params)

    result = Anatomy()
    _speedups(index, machine, environment, result)
    result.framework_baseline = index.get(machine, environment, SPAWN_API, *BASELINE,
                                          FRAMEWORK_COUNT)
    result.task_us = microseconds(get(FIRST_CYCLE, ANATOMY_COUNT))
    result.await_us = microseconds(get(FLOOR, "await", ANATOMY_COUNT))
    result.call_soon_us = microseconds(get(FLOOR, "call_soon", ANATOMY_COUNT))
    for count in GC_COUNTS:
        share = gc_share(index, machine, environment, count)
        if share is not None:
            result.gc_share[count] = share
    result.bytes_per_task = get(MEMORY, MEMORY_COUNT)
    result.pump_us = microseconds(get(PUMP, PUMP_COUNT))
    result.textual_tasks = get(TEXTUAL_TASKS, WIDGETS)
    # A share is not a time: from its own processes, as the clients' view shows it.
    measured = index.get(machine, environment, TEXTUAL_SHARE, WIDGETS)
    result.textual_share = estimate(measured) if measured is not None and measured.current \
        else None
    return result


def anatomies(index: Index, machine: str) -> dict[str, Anatomy]:
    """The anatomy of every interpreter on ``machine`` with any anatomy figure; each
    interpreter's spawn APIs are one family of verdicts, its frameworks another."""
    entries = [SPAWN_API, OTHER_LOOP_SPAWN, FRAMEWORKS, FLOOR, WITHOUT_GC, PUMP, TEXTUAL_TASKS,
               MEMORY]
    return {env: anatomy(index, machine, env) for env in index.environments(machine, entries)}

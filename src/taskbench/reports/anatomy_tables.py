"""The anatomy's tables: spawn APIs, loops and frameworks against the classic cycle, and where
a task's cost goes."""

from __future__ import annotations

from taskbench.catalogue import (
    ANATOMY_COUNT,
    FIRST_CYCLE,
    FLOOR,
    FRAMEWORK_COUNT,
    FRAMEWORKS,
    GC_COUNTS,
    OTHER_LOOP_SPAWN,
    SPAWN_API,
)
from taskbench.reports import inference
from taskbench.reports.anatomy import (
    BASELINE,
    MEMORY_COUNT,
    PUMP_COUNT,
    SOURCES,
    WIDGETS,
    WITH_COLLECTOR,
    Anatomy,
    Speedup,
)
from taskbench.reports.classic import kind_of, verdict_cell
from taskbench.reports.stats import Estimate
from taskbench.reports.views import MARKS, Cell, Table, figure_cell, label, na, ranged
from taskbench.units import tasks_text
from taskbench.workloads.frameworks import IN_GROUP

UNPAIRED = "unpaired: the interval of every value the two intervals allow"


def noise_aware(est: Estimate | None, *, zero: float, scale: float = 1.0, digits: int = 0,
                suffix: str = "") -> Cell:
    """A derived figure; "within noise" (with its interval) when the interval holds ``zero``."""
    if est is None:
        return na()
    text = ranged(est, scale=scale, digits=digits, suffix=suffix)
    if not est.has_interval:
        return Cell(text, "single", MARKS["single"][1])
    if est.includes(zero):
        return Cell(f"within noise ({text})", "noise")
    return Cell(text)


def speedup_cell(speedup: Speedup | None) -> Cell:
    """A spawn API's verdict against the classic cycle, in the engine's words."""
    if speedup is None or speedup.verdict is None:
        return na()
    return verdict_cell(speedup.verdict)


def speedup_table(found: dict[str, Anatomy], machine: str) -> Table:
    """Each spawn API and loop (rloop's too) as a multiple of the classic cycle's tasks/s."""
    keys = [(api, loop) for loop in SPAWN_API.axes[1].values + OTHER_LOOP_SPAWN.axes[1].values
            for api in SPAWN_API.axes[0].values if (api, loop) != BASELINE]
    rows = [[label(env)] + [speedup_cell(found[env].speedups.get(key)) for key in keys]
            for env in found]
    return Table(
        "speedups", f"Spawn APIs and loops on `{machine}` at {ANATOMY_COUNT:,} tasks "
                    f"({kind_of(SPAWN_API, ANATOMY_COUNT)}): tasks/s as a multiple of "
                    "create_task + wait on asyncio's loop, paired by block",
        ["interpreter", *(f"{api} ({loop})" for api, loop in keys)], rows,
        ["n/a: the interpreter or loop lacks the API (asv's log says why). Each row is one "
         "family: " + inference.rule_text(len(keys)) + f". rloop is measured at this count "
         f"only (`{OTHER_LOOP_SPAWN.class_name}`), in the newest release for each Python (an "
         "older one on 3.9: `src/taskbench/workloads/clients/rloop*.txt`)."])


def frameworks_table(found: dict[str, Anatomy], machine: str) -> Table:
    """Trio's nursery and AnyIO's task groups against the classic cycle at their count: µs per
    task, and tasks/s as a multiple of it with the verdict."""
    keys = [key for key in SOURCES if key[0] == IN_GROUP]
    rows = []
    for env, a in found.items():
        rows.append([
            label(env), figure_cell(a.framework_baseline, SPAWN_API, scale=1e-6, digits=2),
            *(figure_cell(a.spawn.get(key), FRAMEWORKS, scale=1e-6, digits=2) for key in keys),
            *(speedup_cell(a.speedups.get(key)) for key in keys)])
    return Table(
        "frameworks", f"Frameworks on `{machine}` at {FRAMEWORK_COUNT:,} tasks "
                      f"({kind_of(FRAMEWORKS, FRAMEWORK_COUNT)}): µs of CPU time per task, and "
                      "tasks/s as a multiple of create_task + wait on asyncio's loop",
        ["interpreter", "create_task + wait, µs", *(f"{name}, µs" for _, name in keys),
         *(f"{name}, × create_task + wait" for _, name in keys)], rows,
        ["trio: `nursery.start_soon` N times in `trio.open_nursery()`; anyio-asyncio and "
         "anyio-trio: `start_soon` in `anyio.create_task_group()` on each backend; the same "
         "do-nothing body, each run on a fresh loop of the framework's own, timed to the "
         "group's exit. n/a: the framework does not install or fails on the interpreter "
         "(asv's log says why). Each row's multiples are one family: "
         + inference.rule_text(len(keys)) + ". Each Python runs the newest Trio and AnyIO "
         "that support it (`src/taskbench/workloads/clients/frameworks*.txt`): older ones on "
         "3.8 and 3.9, so compare a framework across interpreters from 3.10 on only."])


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
            noise_aware(a.pump_us, zero=0, digits=2),
            Cell(tasks_text(a.textual_tasks.value)) if a.textual_tasks else na(),
            noise_aware(a.textual_share, zero=0, digits=1, suffix="%"),
        ])
    return Table(
        "costs", f"Where a task's cost goes on `{machine}` (µs of CPU time per task at "
                 f"{ANATOMY_COUNT:,} tasks, {kind_of(SPAWN_API, ANATOMY_COUNT)}, asyncio's loop)",
        ["interpreter", f"µs per task (`{FIRST_CYCLE.class_name}`)",
         f"await floor, µs (`{FLOOR.class_name}`)", f"call_soon, µs (`{FLOOR.class_name}`)",
         "task above the floor, µs",
         *(f"GC share at {count:,} ({kind_of(entry, count)})"
           for count, entry in WITH_COLLECTOR.items()),
         f"bytes per task (exact, {MEMORY_COUNT:,})", f"message pump, µs per widget "
         f"({PUMP_COUNT:,})", f"Textual tasks per widget ({WIDGETS:,})",
         f"task share of Textual start-up ({WIDGETS:,})"], rows,
        ["The floor is the same coroutine awaited directly (no task) or a bare call_soon "
         "callback; a task's cost above it is the difference. The GC share is 1 - (time "
         "without the collector) / (time with it), from two figures of the same count and "
         f"kind, paired by block where they can be (otherwise {UNPAIRED})."])


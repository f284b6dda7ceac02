"""Instructions per task, and why tasks/s fall as N grows: view models and findings.

Every interpreter's classic cycle makes fewer tasks per second at 1,000,000 tasks than at
100,000. This view puts beside that fall what grows with N, per task:

* instructions, counted by valgrind up to 10,000 and up to 30,000 tasks, with the collector on
  and off (exact counts: a difference of a fraction of a percent is real);
* the collector's share of the CPU time (``WithoutGC`` against ``Throughput``, with intervals);
* minor page faults, from the replica's process (one process: no interval).

If instructions grow with the collector on and stay flat with it off, the extra work is the
collector's; what the instruction counts do not explain (the share of the fall left once the
extra instructions are counted) is time per instruction: memory, caches and page faults.
"""

from __future__ import annotations

from dataclasses import dataclass

from taskbench.catalogue import (
    FIRST_CYCLE,
    FRAMEWORK_INSTRUCTIONS,
    INSTRUCTION_COUNTS,
    INSTRUCTION_PAIR,
    INSTRUCTIONS,
    INSTRUCTIONS_BY_COUNT,
    OTHER_LOOP_INSTRUCTIONS,
    REPLICA_FAULTS,
    Benchmark,
    Params,
)
from taskbench.reports.anatomy import WITH_COLLECTOR, gc_share, within_interpreter
from taskbench.reports.anatomy_tables import noise_aware
from taskbench.reports.classic import kind_of
from taskbench.reports.stats import Estimate, complement
from taskbench.reports.views import Cell, Index, Table, label, na

SMALL, LARGE = FIRST_CYCLE.axes[0].values[0], FIRST_CYCLE.axes[0].values[-1]
TO_SMALL, TO_LARGE = INSTRUCTION_COUNTS[1], INSTRUCTION_COUNTS[2]


def _exact(index: Index, machine: str, env: str, *params: object) -> float | None:
    return index.value(machine, env, INSTRUCTIONS_BY_COUNT, *params)


def _growth(low: float | None, high: float | None) -> float | None:
    return None if low is None or high is None or low <= 0 else high / low - 1


def _percent(value: float | None) -> Cell:
    return na() if value is None else Cell(f"{100 * value:+.1f}%")


def _count(value: float | None, digits: int = 0) -> Cell:
    return na() if value is None else Cell(f"{value:,.{digits}f}")


# Each column of the instructions table: its heading, and where its figure is.
COUNTED: list[tuple[str, Benchmark, Params]] = [
    *((f"{api} ({loop})", entry, (api, loop))
      for entry in (INSTRUCTIONS, OTHER_LOOP_INSTRUCTIONS)
      for loop in entry.axes[1].values for api in entry.axes[0].values),
    *((name, FRAMEWORK_INSTRUCTIONS, (name,)) for name in FRAMEWORK_INSTRUCTIONS.axes[0].values)]


def instructions_table(index: Index, machine: str) -> Table:
    """Instructions per task of every spawn API on every loop, and of each framework's task
    group (valgrind; exact)."""
    environments = index.environments(
        machine, [INSTRUCTIONS, OTHER_LOOP_INSTRUCTIONS, FRAMEWORK_INSTRUCTIONS])
    rows = [[label(env), *(_count(index.value(machine, env, entry, *params))
                           for _, entry, params in COUNTED)] for env in environments]
    low, high = INSTRUCTION_PAIR
    return Table("instructions", f"Instructions per task on `{machine}` (valgrind, from "
                                 f"{low:,} to {high:,} tasks; exact: "
                                 "they repeat to within a fraction of a percent)",
                 ["interpreter", *(heading for heading, _, _ in COUNTED)], rows,
                 ["n/a: the interpreter or loop lacks the API, the loop or framework does not "
                  "install there, or valgrind cannot count it (asv's log says why). trio, "
                  "anyio-asyncio, anyio-trio: tasks started in the framework's task group, on "
                  "its own loop."])


def _fall(index: Index, machine: str, env: str) -> Estimate | None:
    """The share of tasks/s lost from the smallest to the largest first-cycle count."""
    found = within_interpreter(index, machine, env, (FIRST_CYCLE, (LARGE,)),
                               (FIRST_CYCLE, (SMALL,)), family=1)
    return None if found is None else complement(found.speedup.inverse())


def _faults(index: Index, machine: str, env: str, count: int) -> float | None:
    return index.value(machine, env, REPLICA_FAULTS, count)


def growth_table(index: Index, machine: str) -> Table:
    """Per interpreter: how much tasks/s fall from 100K to 1M, and what grows with N."""
    environments = index.environments(machine, [FIRST_CYCLE, INSTRUCTIONS_BY_COUNT])
    rows = []
    for env in environments:
        on = _growth(_exact(index, machine, env, "on", TO_SMALL),
                     _exact(index, machine, env, "on", TO_LARGE))
        off = _growth(_exact(index, machine, env, "off", TO_SMALL),
                      _exact(index, machine, env, "off", TO_LARGE))
        rows.append([
            label(env), noise_aware(_fall(index, machine, env), zero=0, scale=0.01, suffix="%"),
            _count(_exact(index, machine, env, "on", TO_LARGE)), _percent(on),
            _percent(off),
            *(noise_aware(gc_share(index, machine, env, count), zero=0, scale=0.01,
                          suffix="%") for count in WITH_COLLECTOR),
            _count(_faults(index, machine, env, SMALL), 2),
            _count(_faults(index, machine, env, LARGE), 2)])
    return Table(
        "growth", f"Why tasks/s fall as N grows, on `{machine}`",
        ["interpreter", f"tasks/s lost from {SMALL:,} to {LARGE:,} "
                        f"({kind_of(FIRST_CYCLE, LARGE)})",
         f"instructions per task up to {TO_LARGE:,}",
         f"instructions per task, up to {TO_LARGE:,} over up to {TO_SMALL:,}, collector on",
         "the same, collector off",
         *(f"GC share at {count:,} ({kind_of(entry, count)})"
           for count, entry in WITH_COLLECTOR.items()),
         f"page faults per task at {SMALL:,} (replica)",
         f"page faults per task at {LARGE:,} (replica)"], rows,
        ["Instructions are exact counts; the tasks/s lost and the GC shares carry the "
         "intervals of the figures they come from."])


@dataclass(frozen=True)
class Scale:
    """What grows with N on one interpreter, beside how much its tasks/s fall: the share of
    tasks/s lost from the smallest to the largest first-cycle count, a task's instructions
    up to the larger count over up to the smaller (collector on), the collector's share at
    the largest count it is measured at, and page faults per task at the largest count."""

    fall: Estimate | None
    instructions: float | None
    collector: Estimate | None
    faults: float | None


COLLECTOR_AT = max(WITH_COLLECTOR)


def scale(index: Index, machine: str, env: str) -> Scale:
    """:class:`Scale` of ``env`` on ``machine`` (None where a figure is missing)."""
    return Scale(_fall(index, machine, env),
                 _growth(_exact(index, machine, env, "on", TO_SMALL),
                         _exact(index, machine, env, "on", TO_LARGE)),
                 gc_share(index, machine, env, COLLECTOR_AT), _faults(index, machine, env, LARGE))


def _growths(index: Index, machine: str, collector: str) -> list[float]:
    """Instructions per task up to the larger count over up to the smaller, per interpreter."""
    found = (_growth(_exact(index, machine, env, collector, TO_SMALL),
                     _exact(index, machine, env, collector, TO_LARGE))
             for env in index.environments(machine, [INSTRUCTIONS_BY_COUNT]))
    return [growth for growth in found if growth is not None]


def sentences(index: Index, machine: str) -> list[str]:
    """What the growth table says, in ranges over the interpreters (plain sentences)."""
    on, off = _growths(index, machine, "on"), _growths(index, machine, "off")
    lines = []
    if on and off:
        lines.append(
            f"From {TO_SMALL:,} to {TO_LARGE:,} tasks a task's instructions grow by "
            f"{_span(on)} with the collector on and change by {_span(off)} with it off "
            f"(valgrind, exact, {len(on)} interpreters): what grows with N is the "
            "collector's work.")
    faults = [(f_small, f_large) for env in index.environments(machine, [REPLICA_FAULTS])
              if (f_small := _faults(index, machine, env, SMALL)) is not None
              and (f_large := _faults(index, machine, env, LARGE)) is not None]
    if faults:
        lines.append(
            f"Minor page faults per task in the replica: {_plain([a for a, _ in faults])} at "
            f"{SMALL:,} tasks, {_plain([b for _, b in faults])} at {LARGE:,}.")
    return lines


def _span(values: list[float]) -> str:
    low, high = f"{100 * min(values):+.1f}%", f"{100 * max(values):+.1f}%"
    return low if low == high else f"{low} to {high}"


def _plain(values: list[float]) -> str:
    low, high = f"{min(values):.2f}", f"{max(values):.2f}"
    return low if low == high else f"{low} to {high}"

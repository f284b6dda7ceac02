"""Instructions per task, counted by valgrind's cachegrind: figures that repeat to a fraction of
a percent, so that a change in them is a change in the code, not in the machine.

Each class counts all its figures in one valgrind process per environment, in ``setup_cache``
(see ``taskbench.workloads.instructions``); where valgrind cannot run, or an API or loop is
missing, the figure is n/a with the reason.
"""

from __future__ import annotations

from typing import Any, Dict, Tuple, Union

from taskbench.catalogue import INSTRUCTION_COUNTS, INSTRUCTIONS, INSTRUCTIONS_BY_COUNT, benchmark
from taskbench.workloads.instructions import available, count_phases, per_task, why_not_counted

# Parameters -> instructions per task, or the reason they were not counted.
Counted = Dict[Tuple[Any, ...], Union[float, str]]
LOW, HIGH = INSTRUCTION_COUNTS[:2]


@benchmark(INSTRUCTIONS)
class Instructions:
    """Instructions per task of each spawn API on each loop, from 1,000 to 10,000 tasks."""

    def setup_cache(self) -> Counted | str:
        reason = why_not_counted()
        if reason:
            return reason
        counted: Counted = {}
        runnable = []
        for api in INSTRUCTIONS.axes[0].values:
            for loop in INSTRUCTIONS.axes[1].values:
                missing = available(api, loop)
                if missing:
                    counted[(api, loop)] = missing
                else:
                    runnable.append((api, loop))
        phases = [(api, loop, count, "on") for api, loop in runnable for count in (LOW, HIGH)]
        totals = count_phases(phases)
        for k, key in enumerate(runnable):
            counted[key] = per_task(totals[2 * k], totals[2 * k + 1], LOW, HIGH)
        return counted

    setup_cache.timeout = 900  # type: ignore[attr-defined]

    def setup(self, counted: Counted | str, api: str, loop: str) -> None:
        found = counted if isinstance(counted, str) else counted[(api, loop)]
        if isinstance(found, str):
            raise NotImplementedError(found)

    def track_instructions_per_task(self, counted: Counted, api: str, loop: str) -> float:
        return float(counted[(api, loop)])


@benchmark(INSTRUCTIONS_BY_COUNT)
class InstructionsByCount:
    """Instructions per task of the classic cycle up to 10,000 and to 100,000 tasks, with the
    collector on and off: flat if a task costs the same whatever N, growing if not."""

    def setup_cache(self) -> Counted | str:
        reason = why_not_counted()
        if reason:
            return reason
        phases = [("create_task+wait", "asyncio", count, collector)
                  for collector in ("on", "off") for count in INSTRUCTION_COUNTS]
        totals = dict(zip(phases, count_phases(phases)))
        counted: Counted = {}
        for collector in ("on", "off"):
            for low, high in zip(INSTRUCTION_COUNTS, INSTRUCTION_COUNTS[1:]):
                counted[(collector, high)] = per_task(
                    totals[("create_task+wait", "asyncio", low, collector)],
                    totals[("create_task+wait", "asyncio", high, collector)], low, high)
        return counted

    setup_cache.timeout = 900  # type: ignore[attr-defined]

    def setup(self, counted: Counted | str, collector: str, count: int) -> None:
        if isinstance(counted, str):
            raise NotImplementedError(counted)

    def track_instructions_per_task(self, counted: Counted, collector: str,
                                    count: int) -> float:
        return float(counted[(collector, count)])



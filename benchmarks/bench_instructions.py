"""Instructions per task, counted by valgrind's cachegrind: figures that repeat exactly, so
that a change in them is a change in the code, not in the machine.

Every class shares one ``setup_cache`` (asv keys it by the function, so it runs once per
environment): one valgrind process counts every phase any needs (see
``taskbench.workloads.instructions``). Where valgrind cannot count, or an API, loop or
framework is missing, the figure is n/a with the reason.
"""

from __future__ import annotations

from typing import Any, Dict, Tuple, Union

from taskbench.catalogue import (
    CLASSIC_SPAWN,
    FRAMEWORK_INSTRUCTIONS,
    INSTRUCTION_COUNTS,
    INSTRUCTION_PAIR,
    INSTRUCTIONS,
    INSTRUCTIONS_BY_COUNT,
    OTHER_LOOP_INSTRUCTIONS,
    benchmark,
)
from taskbench.workloads import Unavailable
from taskbench.workloads.frameworks import IN_GROUP
from taskbench.workloads.instructions import (
    Cost,
    available,
    count_phases,
    per_task,
    why_not_counted,
)

# Parameters -> the cost per task, or the reason it was not counted.
Counted = Dict[Tuple[Any, ...], Union[Cost, str]]


def _combinations() -> list[tuple[str, str]]:
    """Every spawn API and loop counted, and each framework as (IN_GROUP, framework)."""
    return ([combo for entry in (INSTRUCTIONS, OTHER_LOOP_INSTRUCTIONS)
             for combo in entry.combinations()]
            + [(IN_GROUP, name) for (name,) in FRAMEWORK_INSTRUCTIONS.combinations()])


def count_everything() -> Counted | str:
    """Every figure of every class, from one valgrind process."""
    reason = why_not_counted()
    if reason:
        return reason
    counted: Counted = {}
    runnable = []
    for api, loop in _combinations():
        missing = available(api, loop)
        if missing:
            counted[(api, loop)] = missing
        else:
            runnable.append((api, loop))
    phases = [(api, loop, count, "on") for api, loop in runnable for count in INSTRUCTION_PAIR]
    phases += [CLASSIC_SPAWN + (count, collector) for collector in ("on", "off")
               for count in INSTRUCTION_COUNTS]
    phases = list(dict.fromkeys(phases))  # the classic cycle at 1,000 may be both kinds
    totals = dict(zip(phases, count_phases(phases)))
    first, second = INSTRUCTION_PAIR
    for api, loop in runnable:
        counted[(api, loop)] = per_task(totals[(api, loop, first, "on")],
                                        totals[(api, loop, second, "on")], first, second)
    for collector in ("on", "off"):
        for low, high in zip(INSTRUCTION_COUNTS, INSTRUCTION_COUNTS[1:]):
            counted[(collector, high)] = per_task(totals[CLASSIC_SPAWN + (low, collector)],
                                                  totals[CLASSIC_SPAWN + (high, collector)],
                                                  low, high)
    return counted


# One setup_cache serves every class: it may take as long as any allows.
TIMEOUT = max(INSTRUCTIONS.timeout, INSTRUCTIONS_BY_COUNT.timeout,
              FRAMEWORK_INSTRUCTIONS.timeout, OTHER_LOOP_INSTRUCTIONS.timeout)
count_everything.timeout = TIMEOUT  # type: ignore[attr-defined]


def _skip_if_not_counted(counted: Counted | str, *params: Any) -> None:
    found = counted if isinstance(counted, str) else counted[params]
    if isinstance(found, str):
        raise Unavailable(found)


def _cost(counted: Counted, *params: Any) -> Cost:
    found = counted[params]
    assert isinstance(found, Cost)  # setup skipped the parameters without one
    return found


@benchmark(INSTRUCTIONS)
class Instructions:
    """Instructions per task of each spawn API on each loop, from 1,000 to 2,000 tasks."""

    setup_cache = staticmethod(count_everything)

    def setup(self, counted: Counted | str, api: str, loop: str) -> None:
        _skip_if_not_counted(counted, api, loop)

    def track_instructions_per_task(self, counted: Counted, api: str, loop: str) -> float:
        return _cost(counted, api, loop).instructions


@benchmark(INSTRUCTIONS_BY_COUNT)
class InstructionsByCount:
    """Instructions per task of the classic cycle up to 10,000 and to 30,000 tasks, with the
    collector on and off: flat if a task costs the same whatever N, growing if not."""

    setup_cache = staticmethod(count_everything)

    def setup(self, counted: Counted | str, collector: str, count: int) -> None:
        _skip_if_not_counted(counted, collector, count)

    def track_instructions_per_task(self, counted: Counted, collector: str,
                                    count: int) -> float:
        return _cost(counted, collector, count).instructions


@benchmark(OTHER_LOOP_INSTRUCTIONS)
class OtherLoopInstructions:
    """Instructions per task of create_task + wait on rloop, from 1,000 to 2,000 tasks."""

    setup_cache = staticmethod(count_everything)

    def setup(self, counted: Counted | str, api: str, loop: str) -> None:
        _skip_if_not_counted(counted, api, loop)

    def track_instructions_per_task(self, counted: Counted, api: str, loop: str) -> float:
        return _cost(counted, api, loop).instructions


@benchmark(FRAMEWORK_INSTRUCTIONS)
class FrameworkInstructions:
    """Instructions per task started in each framework's task group, from 1,000 to 2,000
    tasks, on the framework's own loop."""

    setup_cache = staticmethod(count_everything)

    def setup(self, counted: Counted | str, framework: str) -> None:
        _skip_if_not_counted(counted, IN_GROUP, framework)

    def track_instructions_per_task(self, counted: Counted, framework: str) -> float:
        return _cost(counted, IN_GROUP, framework).instructions

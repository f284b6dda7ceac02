"""Every benchmark of the suite, declared once: name, parameters, unit, direction, rounds.

``benchmarks/`` applies these declarations to its asv classes (:func:`benchmark`), and the
reports, ``compare``, the main job and precision read them from here, so a benchmark's name,
its counts, its unit and which way is better are written in one place only. A test checks
that asv discovers exactly the benchmarks declared here.

This module runs inside every measured interpreter (asv imports ``benchmarks/`` there), so it
uses the standard library only and imports on Python 3.8 and PyPy.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence, Tuple, TypeVar

from taskbench.workloads.floor import FLOORS
from taskbench.workloads.loops import LOOPS
from taskbench.workloads.spawn import SPAWN_APIS

# The classic table: 100,000 to 1,000,000 tasks in steps of 100,000, as the post measured it.
CLASSIC_COUNTS: tuple[int, ...] = tuple(n * 100_000 for n in range(1, 11))
# Start-up scale: an application starting a handful to thousands of tasks.
STARTUP_COUNTS: tuple[int, ...] = (1, 10, 100, 1_000, 10_000)
# The secondary axes (spawn API, loop, floor) at start-up scale and at the table's first row.
SECONDARY_COUNTS: tuple[int, ...] = (1_000, 100_000)
# The count the anatomy compares interpreters at: the classic table's first row.
ANATOMY_COUNT = 100_000
# The collector's share may grow with the live objects, so its axis reaches the table's
# middle row; each count is also a row of Throughput, measured with the collector on.
GC_COUNTS: tuple[int, ...] = (1_000, 100_000, 500_000)
# Bytes per task barely depend on the count; two points show that it is flat.
MEMORY_COUNTS: tuple[int, ...] = (1_000, 100_000)
# A UI with a thousand widgets, and a very large one: each widget costs a task and a queue.
PUMP_COUNTS: tuple[int, ...] = (1_000, 10_000)
# A UI with a thousand widgets, the scale the post was optimising start-up for.
WIDGET_COUNTS: tuple[int, ...] = (1_000,)
# An aiohttp server over loopback answering this many requests on keep-alive connections, and
# an asyncio streams echo server taking this many connections, each echoing this many lines
# (taskbench.workloads.loopback): a server's work in a second or less of CPU time everywhere.
REQUEST_COUNTS: tuple[int, ...] = (1_000,)
ECHO_CONNECTIONS: tuple[int, ...] = (200,)
ECHO_MESSAGES: tuple[int, ...] = (20,)
# Instructions per task are counted between two phases of different counts (see
# taskbench.workloads.instructions): each spawn API and loop from 1,000 to 2,000 tasks, and
# the classic cycle up to 10,000 and up to 100,000, with the collector on and off, to see
# whether a task's instructions grow with N.
INSTRUCTION_PAIR: tuple[int, int] = (1_000, 2_000)
INSTRUCTION_COUNTS: tuple[int, ...] = (1_000, 10_000, 100_000)

# The classic cycle among the spawn APIs and loops: create_task + wait on asyncio's own loop,
# what every other combination is held against.
CLASSIC_SPAWN: tuple[str, str] = (SPAWN_APIS[0], LOOPS[0])

# Separate processes asv measures each sampled figure in (``asv run -a rounds=3``, which the
# driver passes): asv runs round 3 of every benchmark, then round 2, then round 1, so drift
# during a run spreads over all figures instead of moving one of them.
ROUNDS = 3

# What a figure is: samples from ROUNDS processes (median and interval), an exact count
# (instructions, bytes: one value that repeats), or the replica (one process, no interval).
SAMPLED, EXACT, REPLICA_KIND = "sampled", "exact", "replica"

Params = Tuple[Any, ...]


@dataclass(frozen=True)
class Axis:
    """One parameter of a benchmark: its name and its values, as numbers or strings."""

    name: str
    values: tuple[Any, ...]


@dataclass(frozen=True, eq=False)  # each entry is one object, found by identity
class Benchmark:
    """One asv benchmark (a ``track_`` method) and what a reader needs to know of its figures.

    ``better`` is ``"higher"``, ``"lower"``, or None for a figure that is not a cost (a share,
    a count of tasks): ``compare`` judges only costs. ``kind`` is :data:`SAMPLED` (each of
    asv's rounds measures afresh in its own process and returns samples), :data:`EXACT` or
    :data:`REPLICA_KIND` (measured once per environment, in ``setup_cache``). ``headline``
    names the parameter values a reader is pointed to first (the anatomy's one-column figures
    read theirs from it; tables of every measured value show the rest too); ``quick`` the values
    ``make bench ARGS=--quick`` measures (empty: not part of a quick run).
    """

    name: str
    title: str
    axes: tuple[Axis, ...]
    unit: str
    better: str | None
    version: str
    kind: str = SAMPLED
    timeout: int = 600
    headline: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    quick: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.name.split(".")[0]

    @property
    def class_name(self) -> str:
        return self.name.split(".")[1]

    @property
    def method(self) -> str:
        return self.name.split(".")[2]

    @property
    def param_names(self) -> list[str]:
        return [axis.name for axis in self.axes]

    @property
    def params(self) -> list[list[Any]]:
        return [list(axis.values) for axis in self.axes]

    def combinations(self, chosen: dict[str, tuple[Any, ...]] | None = None
                     ) -> Iterator[Params]:
        """Every parameter combination, in asv's order; only ``chosen`` values where given."""
        chosen = chosen or {}
        return itertools.product(*[chosen.get(axis.name, axis.values) for axis in self.axes])

    def call_name(self, combo: Params) -> str:
        """asv's name for one parameter combination: ``module.Class.method(1000)``."""
        return f"{self.name}({', '.join(repr(value) for value in combo)})"

    def quick_pattern(self) -> str | None:
        """An ``asv run --bench`` regex selecting the quick combinations, or None."""
        if not self.quick:
            return None
        calls = [self.call_name(combo) for combo in self.combinations(self.quick)]
        return "^(" + "|".join(re.escape(call) for call in calls) + ")$"


THROUGHPUT = Benchmark(
    "bench_create_wait.Throughput.track_tasks_per_second",
    "create_task + wait: tasks per second of CPU time",
    (Axis("count", STARTUP_COUNTS + CLASSIC_COUNTS),), "tasks/s", "higher", "throughput-5",
    timeout=900, headline={"count": CLASSIC_COUNTS}, quick={"count": (1_000,)})
REPLICA = Benchmark(
    "bench_create_wait.Replica.track_tasks_per_second",
    "the replica: the original script's table, one process, counts ascending",
    (Axis("count", CLASSIC_COUNTS),), "tasks/s", "higher", "replica-1", REPLICA_KIND,
    timeout=1800)
REPLICA_FAULTS = Benchmark(
    "bench_create_wait.Replica.track_minor_faults_per_task",
    "minor page faults per task in the replica's cycle",
    REPLICA.axes, "faults/task", "lower", "replica-1", REPLICA_KIND, timeout=1800)
MEMORY = Benchmark(
    "bench_create_wait.MemoryPerTask.track_bytes_per_task",
    "bytes allocated per pending task (tracemalloc)",
    (Axis("count", MEMORY_COUNTS),), "bytes", "lower", "memory-per-task-2", EXACT,
    headline={"count": (100_000,)}, quick={"count": (1_000,)})
SPAWN_API = Benchmark(
    "bench_spawn_api.SpawnAPI.track_tasks_per_second",
    "tasks per second of CPU time by spawn API and event loop",
    (Axis("api", tuple(SPAWN_APIS)), Axis("loop", tuple(LOOPS)),
     Axis("count", SECONDARY_COUNTS)), "tasks/s", "higher", "spawn-api-4",
    headline={"count": (ANATOMY_COUNT,)}, quick={"count": (1_000,)})
WITHOUT_GC = Benchmark(
    "bench_gc.WithoutGC.track_tasks_per_second",
    "create_task + wait with the collector off: tasks per second of CPU time",
    (Axis("count", GC_COUNTS),), "tasks/s", "higher", "without-gc-4",
    headline={"count": GC_COUNTS}, quick={"count": (1_000,)})
FLOOR = Benchmark(
    "bench_floor.Floor.track_calls_per_second",
    "the floor: coroutines awaited directly, call_soon callbacks, per second of CPU time",
    (Axis("floor", tuple(FLOORS)), Axis("count", SECONDARY_COUNTS)), "calls/s", "higher",
    "floor-4", headline={"count": (ANATOMY_COUNT,)}, quick={"count": (1_000,)})
PUMP = Benchmark(
    "bench_clients.MessagePump.track_widgets_per_second",
    "message pump: widgets per second of CPU time",
    (Axis("count", PUMP_COUNTS),), "widgets/s", "higher", "message-pump-4",
    headline={"count": (10_000,)}, quick={"count": (1_000,)})
TEXTUAL_TASKS = Benchmark(
    "bench_clients.TextualTasks.track_tasks_per_widget",
    "Textual start-up: tasks created per widget",
    (Axis("widgets", WIDGET_COUNTS),), "tasks/widget", None, "textual-tasks-2",
    EXACT, headline={"widgets": (1_000,)}, quick={"widgets": (1_000,)})
TEXTUAL_SHARE = Benchmark(
    "bench_clients.TextualStartup.track_task_share_percent",
    "Textual start-up: share of its CPU time the tasks' machinery explains",
    TEXTUAL_TASKS.axes, "%", None, "textual-startup-5", headline={"widgets": (1_000,)},
    quick={"widgets": (1_000,)})
TEXTUAL_CPU = Benchmark(
    "bench_clients.TextualStartup.track_startup_cpu_seconds",
    "Textual start-up: CPU seconds to mount and draw the widgets",
    TEXTUAL_TASKS.axes, "seconds", "lower", "textual-startup-5",
    headline={"widgets": (1_000,)}, quick={"widgets": (1_000,)})
AIOHTTP_TASKS = Benchmark(
    "bench_clients.AiohttpTasks.track_tasks_per_request",
    "aiohttp server over loopback: tasks it creates per request (keep-alive connections)",
    (Axis("requests", REQUEST_COUNTS),), "tasks/request", None, "aiohttp-tasks-1", EXACT,
    headline={"requests": REQUEST_COUNTS}, quick={"requests": REQUEST_COUNTS})
AIOHTTP_SHARE = Benchmark(
    "bench_clients.AiohttpServer.track_task_share_percent",
    "aiohttp server over loopback: share of its CPU time the tasks' machinery explains",
    AIOHTTP_TASKS.axes, "%", None, "aiohttp-server-1", headline={"requests": REQUEST_COUNTS},
    quick={"requests": REQUEST_COUNTS})
ECHO_TASKS = Benchmark(
    "bench_clients.EchoTasks.track_tasks_per_connection",
    "asyncio streams echo server: tasks it creates per connection",
    (Axis("connections", ECHO_CONNECTIONS), Axis("messages", ECHO_MESSAGES)),
    "tasks/connection", None, "echo-tasks-1", EXACT, headline={"connections": ECHO_CONNECTIONS},
    quick={"connections": ECHO_CONNECTIONS})
ECHO_SHARE = Benchmark(
    "bench_clients.EchoServer.track_task_share_percent",
    "asyncio streams echo server: share of its CPU time the tasks' machinery explains",
    ECHO_TASKS.axes, "%", None, "echo-server-1", headline={"connections": ECHO_CONNECTIONS},
    quick={"connections": ECHO_CONNECTIONS})

INSTRUCTIONS = Benchmark(
    "bench_instructions.Instructions.track_instructions_per_task",
    f"instructions per task from {INSTRUCTION_PAIR[0]:,} to {INSTRUCTION_PAIR[1]:,} tasks, "
    "by spawn API and event loop (valgrind)", SPAWN_API.axes[:2], "instructions/task", "lower",
    "instructions-1", EXACT, timeout=900, headline={"api": CLASSIC_SPAWN[:1]})
INSTRUCTIONS_BY_COUNT = Benchmark(
    "bench_instructions.InstructionsByCount.track_instructions_per_task",
    "instructions per task of the classic cycle up to each count (from the one before it), "
    "collector on and off (valgrind)",
    (Axis("collector", ("on", "off")), Axis("count", INSTRUCTION_COUNTS[1:])),
    "instructions/task", "lower", "instructions-by-count-1", EXACT, timeout=900,
    headline={"count": INSTRUCTION_COUNTS[1:]})

CATALOGUE: tuple[Benchmark, ...] = (
    THROUGHPUT, REPLICA, REPLICA_FAULTS, MEMORY, SPAWN_API, WITHOUT_GC, FLOOR, PUMP,
    TEXTUAL_TASKS, TEXTUAL_SHARE, TEXTUAL_CPU, AIOHTTP_TASKS, AIOHTTP_SHARE, ECHO_TASKS,
    ECHO_SHARE, INSTRUCTIONS, INSTRUCTIONS_BY_COUNT)
BY_NAME: dict[str, Benchmark] = {entry.name: entry for entry in CATALOGUE}

Suite = TypeVar("Suite", bound=type)


def benchmark(*entries: Benchmark) -> Callable[[Suite], Suite]:
    """Class decorator: give an asv class the declared parameters, and each method its unit,
    version and timeout. Every entry must name a method of the class, and all must
    share one set of parameters (asv's ``params`` belong to the class)."""

    def apply(cls: Suite) -> Suite:
        for entry in entries:
            if entry.class_name != cls.__name__ or not hasattr(cls, entry.method):
                raise TypeError(f"{cls.__name__} has no method for {entry.name}")
            if entry.axes != entries[0].axes:
                raise TypeError(f"{entry.name}: every method of {cls.__name__} must share "
                                "one set of parameters")
            method = getattr(cls, entry.method)
            for attribute in ("unit", "version", "timeout"):
                setattr(method, attribute, getattr(entry, attribute))
        cls.params = entries[0].params  # type: ignore[attr-defined]
        cls.param_names = entries[0].param_names  # type: ignore[attr-defined]
        return cls

    return apply


def quick_patterns() -> list[str]:
    """What a quick run measures: every benchmark's quick parameters, as ``--bench`` regexes."""
    return [pattern for entry in CATALOGUE if (pattern := entry.quick_pattern())]


def check_patterns(patterns: Sequence[str]) -> str | None:
    """Why a ``--bench`` pattern cannot be used (not a regex, or it selects nothing), or None."""
    names = [entry.name for entry in CATALOGUE]
    calls = [entry.call_name(combo) for entry in CATALOGUE for combo in entry.combinations()]
    for pattern in patterns:
        if not pattern:
            return ("--bench '' would select every benchmark; leave --bench out for a full "
                    "run, or give a pattern")
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            return f"--bench {pattern!r} is not a regular expression ({error})"
        if not any(compiled.search(name) for name in names + calls):
            return (f"no benchmark matches --bench {pattern!r}; the benchmarks are: "
                    f"{', '.join(names)}")
    return None

"""Every benchmark of the suite, declared once: name, parameters, unit, direction, kind of
figure, and how many interleaved blocks measure it.

``benchmarks/`` applies these declarations to its asv classes (:func:`benchmark`), and the
reports, ``compare``, the main job and precision read them from here, so a benchmark's name,
its counts, its unit and which way is better are written in one place only. A test checks
that asv discovers exactly the benchmarks declared here.

This module runs inside every measured interpreter (asv imports ``benchmarks/`` there), so it
uses the standard library only and imports on Python 3.8 and PyPy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from taskbench.entries import BLOCKS as BLOCKS
from taskbench.entries import CLIENTS as CLIENTS
from taskbench.entries import COUNTS as COUNTS
from taskbench.entries import EXACT as EXACT
from taskbench.entries import REPLICA_KIND as REPLICA_KIND
from taskbench.entries import REPLICA_PHASE as REPLICA_PHASE
from taskbench.entries import SAMPLED as SAMPLED
from taskbench.entries import Axis as Axis
from taskbench.entries import Benchmark as Benchmark
from taskbench.entries import Blocks as Blocks
from taskbench.entries import Params as Params
from taskbench.entries import benchmark as benchmark
from taskbench.workloads.floor import FLOORS
from taskbench.workloads.frameworks import FRAMEWORKS as FRAMEWORK_NAMES
from taskbench.workloads.loops import LOOPS, OTHER_LOOPS
from taskbench.workloads.spawn import SPAWN_APIS
from taskbench.workloads.threads import THREAD_APIS, THREAD_COUNTS
from taskbench.workloads.timing import FIRST, WARM

# The classic table: 100,000 to 1,000,000 tasks in steps of 100,000, as the post measured it.
CLASSIC_COUNTS: tuple[int, ...] = tuple(n * 100_000 for n in range(1, 11))
# Start-up scale: an application starting a handful to thousands of tasks.
STARTUP_COUNTS: tuple[int, ...] = (1, 10, 100, 1_000, 10_000)
# The secondary axes (spawn API, loop, floor) at start-up scale and at the table's first row.
SECONDARY_COUNTS: tuple[int, ...] = (1_000, 100_000)
# The count the headline and the anatomy compare interpreters at: the classic table's first
# row; and its last row, where a task costs most.
ANATOMY_COUNT = 100_000
LARGEST_COUNT = CLASSIC_COUNTS[-1]
# The collector's share at start-up scale and at the table's first row; each count is also
# measured with the collector on, as a figure of the same kind. (How the collector's work
# grows with N further is counted exactly, by InstructionsByCount.)
GC_COUNTS: tuple[int, ...] = (1_000, ANATOMY_COUNT)
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
# Costs per task are counted between two phases of different counts (see
# taskbench.workloads.instructions): each spawn API and loop from 1,000 to 2,000 tasks, and
# the classic cycle up to 10,000 and up to 30,000, with the collector on and off, to see
# whether a task's cost grows with N. 30,000 tasks hold about 30 MB, more than a last-level
# cache, as the headline's 100,000 do, at a third of valgrind's time.
INSTRUCTION_PAIR: tuple[int, int] = (1_000, 2_000)
INSTRUCTION_COUNTS: tuple[int, ...] = (1_000, 10_000, 30_000)
# Tasks each thread creates and awaits in a run of Threads: a process takes about a second.
THREAD_TASKS: tuple[int, ...] = (10_000,)

# The classic cycle among the spawn APIs and loops: create_task + wait on asyncio's own loop,
# what every other combination is held against.
CLASSIC_SPAWN: tuple[str, str] = (SPAWN_APIS[0], LOOPS[0])

# Separate processes asv measures each sampled figure in when one machine measures one
# interpreter alone (a CI runner: ``asv run -a rounds=3``); where several interpreters share
# a machine, the main job measures them in interleaved blocks instead (see Blocks).
ROUNDS = 3

TASK_COST = Benchmark(
    "bench_create_wait.TaskCost.track_seconds_per_task",
    "create_task + wait: CPU seconds per task, steady (warm, once its cycles settle)",
    (Axis("count", STARTUP_COUNTS + (ANATOMY_COUNT,)),), "seconds", "lower", "task-cost-2",
    cycle=WARM, blocks=Blocks(3, 16, 2.0), headline={"count": (ANATOMY_COUNT,)},
    quick={"count": (1_000,)}, seconds=1.2)
FIRST_CYCLE = Benchmark(
    "bench_create_wait.FirstCycle.track_seconds_per_task",
    "create_task + wait: CPU seconds per task in a fresh process's first cycle, as the "
    "post's first row", (Axis("count", (ANATOMY_COUNT, LARGEST_COUNT)),), "seconds", "lower",
    "first-cycle-1", cycle=FIRST, blocks=Blocks(3, 8, 4.0), timeout=900,
    headline={"count": (ANATOMY_COUNT, LARGEST_COUNT)}, seconds=6.0)
REPLICA = Benchmark(
    "bench_create_wait.Replica.track_seconds_per_task",
    "the replica: the post's script, one process, counts ascending: CPU seconds per task",
    (Axis("count", CLASSIC_COUNTS),), "seconds", "lower", "replica-2", REPLICA_KIND,
    timeout=1800, seconds=6.0)  # the whole table, in setup_cache: a minute an interpreter
REPLICA_FAULTS = Benchmark(
    "bench_create_wait.Replica.track_minor_faults_per_task",
    "minor page faults per task in the replica's cycle",
    REPLICA.axes, "faults/task", "lower", "replica-2", REPLICA_KIND, timeout=1800,
    seconds=0.05)  # read from the replica's table
MEMORY = Benchmark(
    "bench_create_wait.MemoryPerTask.track_bytes_per_task",
    "bytes allocated per pending task (tracemalloc)",
    (Axis("count", MEMORY_COUNTS),), "bytes", "lower", "memory-per-task-2", EXACT,
    headline={"count": (100_000,)}, quick={"count": (1_000,)}, seconds=1.0)
SPAWN_API = Benchmark(
    "bench_spawn_api.SpawnAPI.track_seconds_per_task",
    "CPU seconds per task by spawn API and event loop",
    (Axis("api", tuple(SPAWN_APIS)), Axis("loop", tuple(LOOPS)),
     Axis("count", SECONDARY_COUNTS)), "seconds", "lower", "spawn-api-6",
    headline={"count": (ANATOMY_COUNT,)}, quick={"count": (1_000,)}, seconds=0.3)
WITHOUT_GC = Benchmark(
    "bench_gc.WithoutGC.track_seconds_per_task",
    "create_task + wait with the collector off: CPU seconds per task",
    (Axis("count", GC_COUNTS),), "seconds", "lower", "without-gc-6",
    headline={"count": GC_COUNTS}, quick={"count": (1_000,)}, seconds=0.5)
FLOOR = Benchmark(
    "bench_floor.Floor.track_seconds_per_call",
    "the floor: coroutines awaited directly, call_soon callbacks: CPU seconds per call",
    (Axis("floor", tuple(FLOORS)), Axis("count", SECONDARY_COUNTS)), "seconds", "lower",
    "floor-6", headline={"count": (ANATOMY_COUNT,)}, quick={"count": (1_000,)}, seconds=0.3)
PUMP = Benchmark(
    "bench_clients.MessagePump.track_seconds_per_widget",
    "message pump: CPU seconds per widget",
    (Axis("count", PUMP_COUNTS),), "seconds", "lower", "message-pump-6",
    headline={"count": (10_000,)}, quick={"count": (1_000,)}, seconds=0.8)
TEXTUAL_TASKS = Benchmark(
    "bench_clients.TextualTasks.track_tasks_per_widget",
    "Textual start-up: tasks created per widget",
    (Axis("widgets", WIDGET_COUNTS),), "tasks/widget", None, "textual-tasks-2",
    EXACT, headline={"widgets": (1_000,)}, seconds=2.0)
TEXTUAL_SHARE = Benchmark(
    "bench_clients.TextualStartup.track_task_share_percent",
    "Textual start-up: share of its CPU time the tasks' machinery explains",
    TEXTUAL_TASKS.axes, "%", None, "textual-startup-7", headline={"widgets": (1_000,)},
    quick={"widgets": (1_000,)}, seconds=2.0, phase=CLIENTS)
TEXTUAL_CPU = Benchmark(
    "bench_clients.TextualStartup.track_startup_cpu_seconds",
    "Textual start-up: CPU seconds to mount and draw the widgets",
    TEXTUAL_TASKS.axes, "seconds", "lower", "textual-startup-6",
    headline={"widgets": (1_000,)}, quick={"widgets": (1_000,)}, seconds=2.0, phase=CLIENTS)
AIOHTTP_TASKS = Benchmark(
    "bench_clients.AiohttpTasks.track_tasks_per_request",
    "aiohttp server over loopback: tasks it creates per request (keep-alive connections)",
    (Axis("requests", REQUEST_COUNTS),), "tasks/request", None, "aiohttp-tasks-1", EXACT,
    headline={"requests": REQUEST_COUNTS}, seconds=1.0)
AIOHTTP_SHARE = Benchmark(
    "bench_clients.AiohttpServer.track_task_share_percent",
    "aiohttp server over loopback: share of its CPU time the tasks' machinery explains",
    AIOHTTP_TASKS.axes, "%", None, "aiohttp-server-2", headline={"requests": REQUEST_COUNTS},
    quick={"requests": REQUEST_COUNTS}, seconds=1.0, phase=CLIENTS)
ECHO_TASKS = Benchmark(
    "bench_clients.EchoTasks.track_tasks_per_connection",
    "asyncio streams echo server: tasks it creates per connection",
    (Axis("connections", ECHO_CONNECTIONS), Axis("messages", ECHO_MESSAGES)),
    "tasks/connection", None, "echo-tasks-1", EXACT, headline={"connections": ECHO_CONNECTIONS})
ECHO_SHARE = Benchmark(
    "bench_clients.EchoServer.track_task_share_percent",
    "asyncio streams echo server: share of its CPU time the tasks' machinery explains",
    ECHO_TASKS.axes, "%", None, "echo-server-2", headline={"connections": ECHO_CONNECTIONS},
    quick={"connections": ECHO_CONNECTIONS}, phase=CLIENTS)

INSTRUCTIONS = Benchmark(
    "bench_instructions.Instructions.track_instructions_per_task",
    f"instructions per task from {INSTRUCTION_PAIR[0]:,} to {INSTRUCTION_PAIR[1]:,} tasks, "
    "by spawn API and event loop (valgrind)", SPAWN_API.axes[:2], "instructions/task", "lower",
    "instructions-2", EXACT, timeout=1200, headline={"api": CLASSIC_SPAWN[:1]},
    seconds=3.0)  # valgrind's one count of both classes' figures: half a minute an interpreter
INSTRUCTIONS_BY_COUNT = Benchmark(
    "bench_instructions.InstructionsByCount.track_instructions_per_task",
    "instructions per task of the classic cycle up to each count (from the one before it), "
    "collector on and off (valgrind)",
    (Axis("collector", ("on", "off")), Axis("count", INSTRUCTION_COUNTS[1:])),
    "instructions/task", "lower", "instructions-by-count-3", EXACT, timeout=1200,
    headline={"count": INSTRUCTION_COUNTS[1:]}, seconds=0.1)

# Frameworks at 1,000 tasks (steady), as applications start them: at 100,000 AnyIO took 4 s.
FRAMEWORK_COUNT = SECONDARY_COUNTS[0]
FRAMEWORKS = Benchmark(
    "bench_frameworks.Frameworks.track_seconds_per_task",
    "CPU seconds per task started in Trio's nursery or AnyIO's task group (on asyncio, on "
    "Trio)", (Axis("framework", tuple(FRAMEWORK_NAMES)), Axis("count", (FRAMEWORK_COUNT,))),
    "seconds", "lower", "frameworks-1", headline={"count": (FRAMEWORK_COUNT,)},
    quick={"count": (FRAMEWORK_COUNT,)}, seconds=0.8)
OTHER_LOOP_SPAWN = Benchmark(
    "bench_spawn_api.OtherLoops.track_seconds_per_task", "CPU seconds per task by spawn API "
    "on rloop, a Rust event loop", (Axis("api", tuple(SPAWN_APIS)), Axis("loop", OTHER_LOOPS),
     Axis("count", (ANATOMY_COUNT,))), "seconds", "lower", "other-loops-1",
    headline={"count": (ANATOMY_COUNT,)}, quick={"api": CLASSIC_SPAWN[:1]}, seconds=0.6)
FRAMEWORK_INSTRUCTIONS = Benchmark(
    "bench_instructions.FrameworkInstructions.track_instructions_per_task",
    f"instructions per task from {INSTRUCTION_PAIR[0]:,} to {INSTRUCTION_PAIR[1]:,} tasks "
    "in Trio's nursery and AnyIO's task group (valgrind)", FRAMEWORKS.axes[:1],
    "instructions/task", "lower", "framework-instructions-1", EXACT, timeout=1200,
    seconds=12.0)  # each framework's share of count_everything: AnyIO's 140K a task, imports
OTHER_LOOP_INSTRUCTIONS = Benchmark(
    "bench_instructions.OtherLoopInstructions.track_instructions_per_task",
    f"instructions per task from {INSTRUCTION_PAIR[0]:,} to {INSTRUCTION_PAIR[1]:,} tasks "
    "of create_task + wait on rloop (valgrind)", (Axis("api", CLASSIC_SPAWN[:1]),
    OTHER_LOOP_SPAWN.axes[1]), "instructions/task", "lower", "other-loop-instructions-1",
    EXACT, timeout=1200, seconds=1.0)  # the classic cycle only: all five took 10 s more
# One event loop per thread: all that CI's free-threaded jobs select is bench_threads.
THREADS_WALL = Benchmark(
    "bench_threads.Threads.track_wall_seconds_per_task",
    "one event loop per thread: elapsed seconds per task of all the threads together, steady",
    (Axis("api", tuple(THREAD_APIS)), Axis("threads", THREAD_COUNTS),
     Axis("count", THREAD_TASKS)), "seconds", "lower", "threads-1", cycle=WARM,
    headline={"count": THREAD_TASKS}, quick={"threads": THREAD_COUNTS[:2]}, seconds=0.5)
THREADS_CPU = Benchmark(
    "bench_threads.Threads.track_cpu_seconds_per_task", "one event loop per thread: CPU "
    "seconds (every thread's) per task, steady", THREADS_WALL.axes, "seconds", "lower",
    "threads-1", cycle=WARM, headline={"count": THREAD_TASKS}, seconds=0.5)
GIL_ENABLED = Benchmark(
    "bench_threads.ThreadSetting.track_gil_enabled",
    "whether the GIL is enabled (1) or not (0) in a benchmark's process",
    THREADS_WALL.axes[1:2], "1: on, 0: off", None, "thread-setting-1", EXACT, seconds=0.05)
THREADS_USED = Benchmark(
    "bench_threads.ThreadSetting.track_threads", "the threads each figure of Threads runs",
    GIL_ENABLED.axes, "threads", None, "thread-setting-1", EXACT, seconds=0.05)

CATALOGUE: tuple[Benchmark, ...] = (
    TASK_COST, FIRST_CYCLE, REPLICA, REPLICA_FAULTS, MEMORY, SPAWN_API, WITHOUT_GC, FLOOR, PUMP,
    TEXTUAL_TASKS, TEXTUAL_SHARE, TEXTUAL_CPU, AIOHTTP_TASKS, AIOHTTP_SHARE, ECHO_TASKS,
    ECHO_SHARE, INSTRUCTIONS, INSTRUCTIONS_BY_COUNT, FRAMEWORKS, OTHER_LOOP_SPAWN,
    FRAMEWORK_INSTRUCTIONS, OTHER_LOOP_INSTRUCTIONS, THREADS_WALL, THREADS_CPU, GIL_ENABLED,
    THREADS_USED)
BY_NAME: dict[str, Benchmark] = {entry.name: entry for entry in CATALOGUE}

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


@dataclass(frozen=True)
class Target:
    """One figure to measure: a benchmark at one parameter combination."""

    entry: Benchmark
    combo: Params

    @property
    def call(self) -> str:
        return self.entry.call_name(self.combo)


def select(patterns: Sequence[str] = (), quick: bool = False) -> list[Target]:
    """The figures a run measures: every one, those whose names ``patterns`` match, or each
    benchmark's quick ones."""
    found = []
    for entry in CATALOGUE:
        if quick and not entry.quick:
            continue
        for combo in entry.combinations(entry.quick if quick else None):
            target = Target(entry, combo)
            if not patterns or any(re.search(pattern, name) for pattern in patterns
                                   for name in (entry.name, target.call)):
                found.append(target)
    return found

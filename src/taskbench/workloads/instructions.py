"""Instructions per task, counted by valgrind: a figure that moves only when the code does.

Timings drift with the machine; these counts repeat. :func:`count_phases` runs this
interpreter once under ``valgrind --tool=cachegrind`` without its cache simulation (only
instructions are counted: nothing reads cache misses any more, and the simulation took
about twice the CPU time), and, inside it, every requested phase: a
phase is one workload at one count on a fresh event loop (``new_event_loop``,
``run_until_complete``, ``close``). Phases are kept apart by forking: for each phase the
process forks a reference child that exits at once, then a child that runs the phase and exits;
cachegrind writes each child's counts at its exit, holding everything before the fork too, so
the phase costs the difference of the two, and every phase starts from the same state.
Interpreter start-up is paid once, not once per phase. A figure per task is the difference
between two phases of different counts divided by the difference of the counts, so that the
loop's own set-up cancels as well.

Cache misses on simulated caches, and a weighted sum of them with the instructions
(instructions + 10 × first-level + 100 × last-level misses, shown as "estimated cycles"),
were counted too until they were found to predict the version steps' timings no better than
instructions alone (docs/method.md).

What makes the counts repeat: a fixed environment (its size moves the heap, and sets of tasks
hash by address), a fixed hash seed, an empty working directory (it is first on ``sys.path``),
a collected heap and a warm-up of 1,000 tasks of each workload before any phase (lazy imports,
specialisation, free lists, the JIT's traces), and byte code compiled beforehand by a native
run of the same phases into a cache of its own (an unpacked interpreter without ``.pyc``
files would otherwise compile the standard library inside the count). Two counts of the same
code are then identical. What makes them the same on every host (glibc's functions pinned,
the interpreter run through a root of fixed length) is :mod:`taskbench.workloads.countenv`'s.
A different layout of the same code (another commit) still moves per-task figures by up to
about 0.8%, which is why ``compare`` judges them by a factor of 1.01. PyPy is not counted:
its JIT makes the figure depend on history.

Usage inside an environment (what :func:`count_phases` runs under valgrind)::

    python -m taskbench.workloads.instructions create_task+wait/asyncio/1000/on ...

A phase names a spawn API and a loop, or :data:`IN_GROUP` and a framework of
:mod:`taskbench.workloads.frameworks` (``start_soon/trio/1000/on``), run by its own ``run``.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

from taskbench.workloads import Unavailable
from taskbench.workloads.countenv import count_root, environment
from taskbench.workloads.cycle import collector
from taskbench.workloads.frameworks import IN_GROUP, check_framework, framework
from taskbench.workloads.loops import loop_factory
from taskbench.workloads.spawn import check_spawn_api, spawn_workload
from taskbench.workloads.timing import Runner, Workload, on_loop

Phase = Tuple[str, str, int, str]  # api, loop, count, collector ("on" or "off")
WARM_UP = 1_000


def spec(phase: Phase) -> str:
    return "/".join(str(part) for part in phase)


def _parse(text: str) -> Phase:
    api, loop, count, collector = text.split("/")
    return api, loop, int(count), collector


def _workload(api: str, loop: str) -> tuple[Workload, Runner]:
    if api == IN_GROUP:
        return framework(loop)
    return spawn_workload(api), on_loop(loop_factory(loop))


def _run(phase: Phase) -> None:
    api, loop, count, gc_setting = phase
    workload, runner = _workload(api, loop)
    gc.collect()
    with collector(gc_setting == "on"):
        completed = runner(lambda: workload(count))
    if completed != count:
        raise RuntimeError(f"{completed} of {count} finished")


def _fork(phase: Phase | None) -> int:
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            if phase is not None:
                _run(phase)
        except BaseException as error:  # the parent names the failed phase
            print(f"{spec(phase) if phase else 'reference'}: {error!r}", file=sys.stderr)
            status = 1
        os._exit(status)  # no interpreter shutdown: cachegrind writes the counts at exit
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError(f"the phase {spec(phase) if phase else 'reference'} failed")
    return pid


def run_phases(phases: Sequence[Phase]) -> dict[str, object]:
    """Warm every workload up, then run each phase in forked children; return their pids."""
    for api, loop, _count, gc_setting in phases:
        _run((api, loop, WARM_UP, gc_setting))
    pids: list[int] = []
    for phase in phases:
        pids += [_fork(None), _fork(phase)]
    return {"pids": pids}


def available(api: str, loop: str) -> str | None:
    """Why ``api`` on ``loop`` (a framework, for :data:`IN_GROUP`) cannot run here, or None
    when it can."""
    try:
        if api == IN_GROUP:
            check_framework(loop)
        else:
            check_spawn_api(api, loop_factory(loop))
    except Unavailable as reason:
        return str(reason)
    return None


def why_not_counted() -> str | None:
    """Why valgrind cannot count this interpreter here, or None when it can."""
    if platform.python_implementation() == "PyPy":
        # Measured: from 16K to 44K instructions per task on one interpreter, depending on
        # the count and on which phases warmed its JIT up before. Not a figure.
        return ("PyPy's JIT makes a task's instructions depend on what ran before it; the "
                "count is not a stable figure there")
    if not sys.platform.startswith("linux"):
        return f"valgrind counts instructions on Linux only, not on {sys.platform}"
    if shutil.which("valgrind") is None:
        return "valgrind is not installed: install valgrind (Debian: apt-get install valgrind)"
    return None


# Cachegrind counts instructions (its event "Ir") with or without simulating caches, and the
# simulation is what takes most of its time.
VALGRIND = ("valgrind", "--tool=cachegrind", "--cache-sim=no")
Events = Dict[str, int]


@dataclass(frozen=True)
class Cost:
    """Per task: the instructions executed."""

    instructions: float


def _read_events(path: str) -> Events:
    names: list[str] = []
    with open(path, encoding="utf-8") as profile:
        for line in profile:
            if line.startswith("events:"):
                names = line.split()[1:]
            elif line.startswith("summary:"):
                return dict(zip(names, map(int, line.split()[1:])))
    raise RuntimeError(f"{path} holds no summary line")


def count_phases(phases: Sequence[Phase], python: str = sys.executable,
                 tunables: str | None = None) -> list[Events]:
    """The events (cachegrind's ``Ir``: instructions) each phase caused, counted in one
    valgrind process, in the environment :mod:`~taskbench.workloads.countenv` makes the
    same on every host (``tunables``: another ``GLIBC_TUNABLES`` than the pinned one).

    Raises:
        RuntimeError: when valgrind or a phase fails, with what it said.
    """
    with count_root(python) as (interpreter, empty, pycache):
        command = [interpreter, "-m", "taskbench.workloads.instructions", *map(spec, phases)]
        env = environment(pycache, tunables)
        native = subprocess.run(command, env=env, capture_output=True, text=True, cwd=empty)
        if native.returncode != 0:
            raise RuntimeError(f"the phases failed natively: {native.stderr.strip()[-800:]}")
        out = os.path.join(os.path.dirname(empty), "cachegrind.out")
        counted = subprocess.run(
            [*VALGRIND, f"--cachegrind-out-file={out}.%p", *command],
            env=env, capture_output=True, text=True, cwd=empty)
        if counted.returncode != 0:
            raise RuntimeError(f"valgrind failed: {counted.stderr.strip()[-800:]}")
        pids = json.loads(counted.stdout.strip().splitlines()[-1])["pids"]
        totals = [_read_events(f"{out}.{pid}") for pid in pids]
    return [{name: totals[2 * k + 1][name] - totals[2 * k][name] for name in totals[2 * k]}
            for k in range(len(phases))]


def per_task(low: Events, high: Events, low_count: int, high_count: int) -> Cost:
    """The cost per task between two phases of one workload at different counts."""
    return Cost((high["Ir"] - low["Ir"]) / (high_count - low_count))


def main(argv: Sequence[str]) -> int:
    print(json.dumps(run_phases([_parse(text) for text in argv])), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

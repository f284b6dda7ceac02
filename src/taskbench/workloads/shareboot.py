"""Inside one process of ``python -m taskbench share``: run the program, or the calibration.

``run REPORT -- KIND TARGET ARGS...`` runs the program as ``python TARGET ARGS`` would (KIND
``script``), as ``python -m TARGET ARGS`` (``module``) or ``python -c TARGET ARGS``
(``code``), with the counting hooks of :mod:`taskbench.workloads.taskcount` installed before
it imports anything. Its CPU time is ``process_time`` from just before it starts to when it
returns, exits or is interrupted (its imports included, the interpreter's start-up and
finalisation not). Then the counts go to ``REPORT`` as JSON, written to a temporary file and
renamed, and the process ends as the program would have: its exit status, its traceback.

``calibrate TASKS`` prints the classic create_task + wait cycle at the program's count of
tasks (at most :data:`MAX_CALIBRATION`) on this interpreter, as samples of tasks per second
of CPU time, without the hooks and with them: what one task costs, and what counting adds.

Standard library only: this runs inside the measured program, on every interpreter.
"""

from __future__ import annotations

import json
import os
import runpy
import signal
import sys
import time
from typing import Any, Sequence

from taskbench.workloads import taskcount

KINDS = ("script", "module", "code")
# The classic cycle is measured at the program's task count up to this many tasks: a program
# that creates more over its run never holds them all pending at once, as the cycle would.
# Pairs of calibration runs, with and without the hooks, below a count timed alone.
CALIBRATION_PAIRS = 5
MAX_CALIBRATION = 100_000
# Where the measured program cannot be started, as ``python`` itself says it (status 2).
CANNOT_START = 2


def _write_report(path: str, report: dict[str, Any]) -> None:
    hold = hasattr(signal, "pthread_sigmask")
    if hold:  # a second Ctrl-C must not cut the report in half
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(report, stream)
        os.replace(temporary, path)
    finally:
        if hold:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _program_frames(tb: Any) -> Any:
    """The traceback from the program's first frame on, as ``python`` itself would show it:
    without this module's frames and runpy's."""
    ours = {_program_frames.__code__.co_filename, runpy.run_path.__code__.co_filename}
    while tb is not None and tb.tb_next is not None and tb.tb_frame.f_code.co_filename in ours:
        tb = tb.tb_next
    return tb


def _start(kind: str, target: str, arguments: list[str]) -> Any:
    """Set up ``sys`` as ``python`` would for the program; return what runs it."""
    if kind == "script":
        if not os.path.exists(target):
            raise LookupError(f"can't open file {target!r}: no such file or directory")
        sys.argv = [target, *arguments]
        sys.path[0] = os.path.dirname(os.path.abspath(target))
        return lambda: runpy.run_path(target, run_name="__main__")
    if kind == "module":
        import importlib.util

        sys.argv = [target, *arguments]
        sys.path[0] = os.getcwd()
        try:
            found = importlib.util.find_spec(target)
        except (ImportError, ValueError) as error:
            raise LookupError(f"no module named {target!r} ({error})") from None
        if found is None:
            raise LookupError(f"no module named {target!r}")
        return lambda: runpy.run_module(target, run_name="__main__", alter_sys=True)
    sys.argv = ["-c", *arguments]
    code = compile(target, "<string>", "exec")
    return lambda: exec(code, {"__name__": "__main__", "__builtins__": __builtins__})


def run(report_path: str, kind: str, target: str, arguments: list[str]) -> None:
    """Run the program under the hooks, write the report, end as the program ended."""
    start = time.process_time()
    taskcount.install()
    report: dict[str, Any] = {"ended": "returned", "status": 0}
    outcome: BaseException | None = None
    try:
        program = _start(kind, target, arguments)
    except (LookupError, SyntaxError) as error:
        _write_report(report_path, {"ended": "not started", "status": CANNOT_START,
                                    "error": str(error)})
        sys.exit(CANNOT_START)
    try:
        program()
    except SystemExit as error:
        outcome, report["ended"] = error, "exit"
        code = error.code
        report["status"] = code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt as error:
        outcome, report["ended"], report["status"] = error, "interrupted", 130
    except BaseException as error:  # the program's own failure, reported as python would
        outcome, report["ended"], report["status"] = error, "exception", 1
    report.update(cpu_seconds=time.process_time() - start, tasks=taskcount.tasks(),
                  loops=taskcount.loops(), asyncio=taskcount.asyncio_imported(),
                  notes=taskcount.notes())
    _write_report(report_path, report)
    if isinstance(outcome, SystemExit):
        raise outcome
    if outcome is not None:
        trimmed = _program_frames(outcome.__traceback__)
        sys.excepthook(type(outcome), outcome.with_traceback(trimmed), trimmed)
        sys.exit(report["status"])


def calibrate(tasks: int) -> dict[str, Any]:
    """Samples of the classic cycle's tasks/s at the program's count of ``tasks`` (at most
    :data:`MAX_CALIBRATION`), without the hooks and with them, alternately, so that a drift
    of the machine touches both alike."""
    from taskbench.workloads.cycle import create_and_wait
    from taskbench.workloads.timing import FIRST, ONE_RUN_FROM, WARM, seconds_per_unit

    count = max(1, min(tasks, MAX_CALIBRATION))
    plain: list[float] = []
    hooked: list[float] = []
    # After the first pair (warm: runs until they settle first) the process is warm: each later
    # run is the first of its call only.
    for pair in range(1 if count >= ONE_RUN_FROM else CALIBRATION_PAIRS):
        cycle = WARM if pair == 0 else FIRST
        plain.append(1 / seconds_per_unit(create_and_wait, count, cycle=cycle, runs=1))
        taskcount.install()
        try:
            hooked.append(1 / seconds_per_unit(create_and_wait, count, cycle=cycle, runs=1))
        finally:
            taskcount.uninstall()
    return {"count": count, "plain": plain, "hooked": hooked}


def _quiet_interrupt(signum: int, frame: Any) -> None:
    os._exit(130)  # the parent says what was kept; pending tasks need no cancelling


def main(argv: Sequence[str], own_path: str | None = None) -> None:
    """Entry point; ``own_path`` is the folder taskbench was imported from, taken off
    ``sys.path`` before the program runs so that the program sees its own path only."""
    mode, *rest = argv
    if mode == "calibrate":
        signal.signal(signal.SIGINT, _quiet_interrupt)
        print(json.dumps(calibrate(int(rest[0]))))
        return
    report_path, separator, kind, target, *arguments = rest
    if mode != "run" or separator != "--" or kind not in KINDS:
        raise SystemExit(f"taskbench.workloads.shareboot: bad arguments {list(argv)!r}")
    if own_path is not None and own_path in sys.path:
        sys.path.remove(own_path)
    run(report_path, kind, target, arguments)

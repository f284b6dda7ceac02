"""``python -m taskbench``: the classic table on this interpreter, CPU time per task beside
the post's.

It says first how long it expects to take (from a calibration of a second or less, see
:mod:`taskbench.clireport`). By default every count is then measured in ``--processes``
fresh interpreters (three), round after round, each progress line saying the time left, and
each row shows the median with the fastest and slowest of those processes: the suite's own
way of measuring (see :mod:`taskbench.workloads.timing`). ``--replica`` runs the original
experiment instead: one process, counts ascending, one cycle per row. Every figure is written
as µs per task and thousands of tasks per second (:mod:`taskbench.units`); ``--json`` writes
one JSON object per count instead, for other programs.

Subcommands work on results rather than measure: ``python -m taskbench compare A B`` compares
two interpreters' results (:mod:`taskbench.reports.compare`). A subcommand's arguments are
parsed by its own module, imported only when it is chosen, because those modules need the
tools venv.

Like the workloads, this module uses the standard library only: it runs on every interpreter
the suite measures.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
from typing import Callable, NoReturn, Sequence

from taskbench import clireport
from taskbench.arguments import bounded
from taskbench.catalogue import CLASSIC_COUNTS, ROUNDS
from taskbench.clireport import CALIBRATION_COUNT
from taskbench.units import duration_text
from taskbench.workloads.cycle import create_and_wait, validate_count
from taskbench.workloads.replica import Row, replica_table
from taskbench.workloads.timing import FIRST, ONE_RUN_FROM, WARM, seconds_per_unit, time_workload

MAX_PROCESSES = 100
# Subcommands: the module that parses and runs each, and what it does.
COMMANDS = {
    "compare": ("taskbench.reports.compare",
                "compare two interpreters' results, benchmark by benchmark (tools venv)"),
    "share": ("taskbench.share",
              "what share of an asyncio program's CPU time its tasks explain (tools venv)"),
}


def parse_counts(text: str) -> list[int]:
    """Parse ``"100000,200_000"`` into counts, or raise ValueError naming the bad entry."""
    counts = []
    for entry in text.split(","):
        entry = entry.strip()
        try:
            count = int(entry.replace("_", ""))
        except ValueError:
            raise ValueError(f"{entry!r} is not a whole number of tasks") from None
        counts.append(validate_count(count))
    return counts


def _counts(text: str) -> list[int]:
    try:
        return parse_counts(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench",
        description=(
            "Create N do-nothing asyncio tasks with create_task, wait for them with "
            "asyncio.wait, and print the CPU time (time.process_time) per task, in µs and as "
            "thousands of tasks per second, for each N, with the garbage collector on, "
            "beside the post's figures. It says first how long it expects to take."),
        epilog="`python -m taskbench compare A B` compares two interpreters' results instead; "
               "`python -m taskbench compare --help` says how. Exit status: 0, 1 when a "
               "measuring process failed or the output could not be written, 2 for bad "
               "arguments or a closed stdout, 130 when interrupted, 141 when the reader of "
               "the output went away; SIGTERM ends the measuring process too.")
    parser.add_argument(
        "--counts", type=_counts, default=list(CLASSIC_COUNTS), metavar="N,N,...",
        help=f"task counts to measure (default: the classic table, {CLASSIC_COUNTS[0]:,} to "
             f"{CLASSIC_COUNTS[-1]:,} in steps of {CLASSIC_COUNTS[1] - CLASSIC_COUNTS[0]:,})")
    parser.add_argument(
        "--processes", type=bounded(int, 1, MAX_PROCESSES), default=ROUNDS, metavar="P",
        help=f"fresh interpreters each count is measured in (default: {ROUNDS})")
    parser.add_argument(
        "--replica", action="store_true",
        help="run the original experiment instead: one process, counts ascending")
    parser.add_argument(
        "--json", action="store_true",
        help="instead of the table, one JSON object per count on stdout, for other programs: "
             "count and seconds_per_task (CPU seconds, the median), and with separate "
             "processes each one's figure (processes); everything else goes to stderr")
    # What a measuring process and the calibration's process are asked to do.
    parser.add_argument("--sample", type=_counts, help=argparse.SUPPRESS)
    parser.add_argument("--calibrate", type=_counts, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, summary) in COMMANDS.items():
        # No option of its own ("\0" is never typed): every argument after the name goes,
        # unparsed, to the command's own parser, --help included, and "--" too (REMAINDER
        # keeps it, where "*" would drop it): share's program follows it.
        command = commands.add_parser(name, help=summary, add_help=False, prefix_chars="\0")
        command.add_argument("arguments", nargs=argparse.REMAINDER)
    return parser


def run_command(name: str, arguments: Sequence[str]) -> int:
    """Import the subcommand's module and hand it its arguments."""
    try:
        status: int = importlib.import_module(COMMANDS[name][0]).main(list(arguments))
    except ImportError as error:  # asv, Jinja2 ...: what the tools venv has
        print(f"error: {name} needs the tools venv, which {sys.executable} is not ({error}); "
              f"run it with the tools venv's Python (.venv/bin/python -m taskbench {name}, "
              "after make venv)", file=sys.stderr)
        return 2
    return status


def _quiet_exit(message: str) -> NoReturn:
    for child in _children:
        child.kill()
    # os._exit skips the finalizers of tasks an interruption left pending, each of which
    # would print "Task was destroyed but it is pending!", and asyncio.run's cancelling of
    # every pending task, which takes a minute for millions of them.
    if message:
        print(message, file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def _hold_interrupts(hold: bool) -> None:
    if hasattr(signal, "pthread_sigmask"):  # not on Windows, where there is no such race
        signal.pthread_sigmask(signal.SIG_BLOCK if hold else signal.SIG_UNBLOCK,
                               {signal.SIGINT, signal.SIGTERM})


def _die_of_sigterm() -> NoReturn:
    for child in _children:
        child.kill()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
    raise SystemExit(143)  # not reached: the signal ends the process


# A signal that came while a measuring process was being started, before it was on the list
# the handlers end: handled as soon as it is (blocking the signals for that moment is not
# enough: starting a process may let them through).
_deferred: list[Callable[[], NoReturn]] = []
_starting = False


def _act(action: Callable[[], NoReturn]) -> None:
    if _starting:
        _deferred.append(action)
    else:
        action()


def _on_interrupt(message: str) -> None:
    """Exit at Ctrl-C with ``message`` (a SIGINT handler of our own also keeps asyncio.run
    from installing its own, which would cancel every pending task first); at SIGTERM, end
    the measuring process too (it runs in a session of its own, where the signal does not
    reach it), then die of the signal, as its sender expects."""
    signal.signal(signal.SIGINT, lambda signum, frame: _act(lambda: _quiet_exit(message)))
    signal.signal(signal.SIGTERM, lambda signum, frame: _act(_die_of_sigterm))
    _hold_interrupts(False)  # a child inherits its parent's mask, perhaps taken mid-hold


_children: list[subprocess.Popen[str]] = []


def _child(arguments: Sequence[str], what: str) -> str:
    """Run ``python -m taskbench ARGUMENTS`` in a fresh process; what it printed."""
    # In a session of its own, so that Ctrl-C reaches only this process, which then ends
    # the child itself (a child interrupted while starting would print a traceback).
    # Ctrl-C is held back until the child is on the list the handler kills: one arriving in
    # between would leave the child running on, to print into a closed pipe.
    global _starting
    _hold_interrupts(True)
    _starting = True
    try:
        child = subprocess.Popen([sys.executable, "-m", "taskbench", *arguments],
                                 stdout=subprocess.PIPE, text=True, start_new_session=True)
        _children.append(child)
    finally:
        _starting = False
        _hold_interrupts(False)
    for action in _deferred:
        action()
    try:
        out, _ = child.communicate()
    finally:
        _children.remove(child)
    if child.returncode != 0:
        raise RuntimeError(f"the process {what} exited with status {child.returncode}")
    return out


def _one_process(count: int) -> float:
    """CPU seconds per task in a fresh process (which prints its rate, tasks per second)."""
    rate: float = json.loads(_child(["--sample", str(count)], f"measuring {count:,} tasks"))
    return 1 / rate


def _calibrate() -> tuple[float, float]:
    """Wall seconds per task of a cycle in a fresh process, and seconds to start one."""
    began = time.perf_counter()
    cycle = float(json.loads(_child(["--calibrate", str(CALIBRATION_COUNT)],
                                    "timing a short cycle")))
    return cycle / CALIBRATION_COUNT, max(time.perf_counter() - began - cycle, 0.0)


def _independent(args: argparse.Namespace, per_task: float, start: float) -> None:
    # One list per row asked for, not per count: a count given twice is two rows, each of
    # its own processes (keyed by count, both rows would show all of them as "the median
    # of P processes").
    samples: list[list[float]] = [[] for _ in args.counts]
    steps = [(round_number, row, count) for round_number in range(1, args.processes + 1)
             for row, count in enumerate(args.counts)]
    estimates = [clireport.process_seconds(count, per_task, start) for _, _, count in steps]
    began = time.perf_counter()
    for done, (round_number, row, count) in enumerate(steps):
        left = clireport.seconds_left(estimates, done, time.perf_counter() - began)
        print(f"process {round_number} of {args.processes}: {count:,} tasks "
              f"({duration_text(left)} left)", file=sys.stderr, flush=True)
        samples[row].append(_one_process(count))
    if not args.json:
        print("\n".join(clireport.independent_header(args.processes)))
    for count, found in zip(args.counts, samples):
        print(clireport.json_row(count, found) if args.json else
              clireport.independent_row(count, found), flush=True)


def _replica(args: argparse.Namespace) -> None:
    def on_row(row: Row) -> None:
        seconds = 1 / row.tasks_per_second  # nan where the clock was too coarse
        print(clireport.json_row(row.count, seconds) if args.json else
              clireport.replica_row(row.count, seconds), flush=True)

    if not args.json:
        print("\n".join(clireport.replica_header()), flush=True)
    replica_table(args.counts, on_row=on_row)


def _as_child(args: argparse.Namespace) -> None:
    """What a measuring process does (``--sample``: print its rate, tasks per second), or
    the calibration's (``--calibrate``: print the wall seconds of one cycle, a process's
    first, on a fresh heap)."""
    if args.sample:
        (count,) = args.sample
        cycle = FIRST if count >= ONE_RUN_FROM else WARM
        print(json.dumps(1 / seconds_per_unit(create_and_wait, count, cycle=cycle)))
        return
    (count,) = args.calibrate
    began = time.perf_counter()
    time_workload(create_and_wait, count)
    print(json.dumps(time.perf_counter() - began))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is not None:
        return run_command(args.command, args.arguments)
    child = bool(args.sample or args.calibrate)
    _on_interrupt("" if child else "\ninterrupted: nothing was kept (this command writes no "
                  "files)")
    try:
        if child:
            _as_child(args)
            return 0
        say = sys.stderr if args.json else sys.stdout  # --json: stdout holds JSON only
        print(f"{platform.python_implementation()} {platform.python_version()} "
              f"({sys.executable})", file=say, flush=True)
        per_task, start = _calibrate()
        print(clireport.expectation(args.counts, None if args.replica else args.processes,
                                    per_task, start), file=say, flush=True)
        if args.replica:
            _replica(args)
        else:
            _independent(args, per_task, start)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0

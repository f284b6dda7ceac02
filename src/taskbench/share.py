"""``python -m taskbench share -- COMMAND...``: is the task machinery my program's cost?

It runs an asyncio program (``script.py ARGS``, ``-m module ARGS`` such as ``-m pytest``, or
``-c CODE``) unchanged, ``--processes`` times (three at least) under the interpreter that
runs taskbench, under the one the command begins with as typed (``python app.py``,
``.venv/bin/python app.py``), or under each ``--python NAME`` from ``.pythons/bin`` (names as in
``asv.conf.json``; ``"3.14-debian PYTHON_JIT=1"`` sets the variable) or ``--python PATH``
(an interpreter whose environment has the program's dependencies), round after round so
that a drift of the machine touches every interpreter alike. In each process the hooks of
:mod:`taskbench.workloads.taskcount` count every task created on every event loop, and
``process_time`` measures the program's CPU time (:mod:`taskbench.workloads.shareboot`).
After each, a fresh process of the same interpreter measures the classic create_task + wait
cycle at the program's task count (at most 100,000 tasks), with the hooks and without. The
share of the program's CPU time that the task machinery explains is then, per process,
tasks × the cost of one task in that cycle / the program's CPU time; the figures are
the geometric mean of the processes with its 95% interval (a t interval on logarithms, as
every figure of the suite has). The hooks' own cost, tasks ×
(the cycle's cost per task with them - without them) / CPU time, is shown beside it.

Bad input ends in words: a program that exits non-zero, never imports asyncio, never runs an
event loop or runs no task is named as such and its exit status passed on; Ctrl-C stops it
and prints what was measured so far (exit status 130).

This module needs scipy for the intervals (the tools venv has it; otherwise it says so),
and the standard library besides; what runs inside the program, under any interpreter, is in
:mod:`taskbench.workloads` and uses the standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from taskbench.arguments import bounded
from taskbench.catalogue import ROUNDS
from taskbench.sharereport import Measured, NothingToMeasure, render

MAX_PROCESSES = 100
CHECKOUT = Path(__file__).resolve().parents[2]
# Started with ``python -c``: taskbench's copy goes on sys.path for the bootstrap only.
BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
        "from taskbench.workloads.shareboot import main; main(sys.argv[2:], sys.argv[1])")
INTERRUPTED = 130
# The first word of a command that names an interpreter rather than the program: python,
# python3, python3.13, python3.13t, pypy3, python3-dbg, python.exe (a script is ``*.py``).
INTERPRETER_WORD = re.compile(r"(?:python|pypy)[0-9.]*[a-z]?(?:-[a-z]+)?(?:\.exe)?")


@dataclass
class Interpreter:
    label: str
    executable: str
    environment: dict[str, str] = field(default_factory=dict)


class ShareError(Exception):
    """Why nothing (more) can be measured; ``status`` is the exit status to end with."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


_interrupts = {"count": 0}


def _on_interrupt(signum: int, frame: object) -> None:
    # The program (in the same process group) gets Ctrl-C too and ends as it chooses.
    _interrupts["count"] += 1


def program_spec(command: Sequence[str]) -> tuple[str, str, list[str]]:
    """(kind, target, arguments) of a command, or ValueError saying what is expected."""
    if not command or not command[0]:
        raise ValueError("give the program after --: script.py ARGS, -m module ARGS or "
                         "-c CODE")
    first, rest = command[0], list(command[1:])
    if first in ("-m", "-c"):
        if not rest or not rest[0]:
            raise ValueError(f"{first} needs a {'module' if first == '-m' else 'program'}")
        return ("module" if first == "-m" else "code"), rest[0], rest[1:]
    if first.startswith("-"):
        raise ValueError(f"{first!r}: give script.py ARGS, -m module ARGS or -c CODE")
    if not Path(first).is_file():
        raise ValueError(f"can't open file {first!r}: no such file")
    return "script", first, rest


def typed_interpreter(command: Sequence[str]) -> tuple[Interpreter | None, list[str]]:
    """The interpreter a command begins with, as typed (``python app.py``, ``python3 -m
    pytest``, ``.venv/bin/python app.py``: a name found on ``PATH`` as a shell finds it, or a
    path, never resolved, so that a virtualenv's python stays one), and the rest; (None, the
    command) when it begins with the program. ValueError when the interpreter cannot be run
    or is followed by options of its own, which share does not pass on."""
    if not command or not INTERPRETER_WORD.fullmatch(Path(command[0]).name):
        return None, list(command)
    word, rest = command[0], list(command[1:])
    if os.sep in word or (os.altsep and os.altsep in word):
        if not (os.path.isfile(word) and os.access(word, os.X_OK)):
            raise ValueError(f"{word!r} is not an interpreter that can be run")
        executable = word
    else:
        found = shutil.which(word)
        if found is None:
            raise ValueError(f"no {word!r} on PATH (give its path, or --python NAME)")
        executable = found
    if rest and rest[0].startswith("-") and rest[0] not in ("-m", "-c"):
        raise ValueError(f"{rest[0]!r} after {word}: share passes no interpreter options "
                         "on; give script.py ARGS, -m module ARGS or -c CODE after it")
    return Interpreter(word, executable), rest


def find_interpreter(name: str) -> Interpreter:
    """``NAME [VAR=VALUE ...]`` from ``.pythons/bin`` (here, or in taskbench's checkout), or
    the path of an interpreter: a virtualenv's, say, that has the program's dependencies."""
    from taskbench.interpreters.names import executable_name, parse_name

    if os.sep in name or (os.altsep and os.altsep in name):
        if not (os.path.isfile(name) and os.access(name, os.X_OK)):
            raise ValueError(f"{name!r} is not an interpreter that can be run")
        return Interpreter(name, name)
    base, *assignments = name.split()
    environment = {}
    for assignment in assignments:
        key, equals, value = assignment.partition("=")
        if not equals or not key:
            raise ValueError(f"{name!r}: after the name come VAR=VALUE settings only")
        environment[key] = value
    parse_name(base)
    folders = [Path.cwd() / ".pythons" / "bin", CHECKOUT / ".pythons" / "bin"]
    for folder in folders:
        path = folder / executable_name(base)
        if os.access(path, os.X_OK):
            return Interpreter(name, str(path), environment)
    raise ValueError(f"no interpreter {executable_name(base)!r} in "
                     f"{' or '.join(str(f) for f in dict.fromkeys(folders))}: `make pythons` "
                     "gathers the interpreters of asv.conf.json there")


def _this_interpreter() -> Interpreter:
    label = f"{platform.python_implementation()} {platform.python_version()}"
    return Interpreter(label, sys.executable)


def _copy_taskbench(folder: Path) -> Path:
    """The stdlib-only part of taskbench, apart, so that no interpreter sees the rest."""
    package = Path(__file__).resolve().parent
    target = folder / "path" / "taskbench"
    ignore = shutil.ignore_patterns("__pycache__", "clients")
    shutil.copytree(package / "workloads", target / "workloads", ignore=ignore)
    shutil.copy2(package / "__init__.py", target / "__init__.py")
    return folder / "path"


class Session:
    """One ``share`` run: its temporary folder, the interpreters, what they measured."""

    def __init__(self, folder: Path, interpreters: list[Interpreter], spec: tuple[str, str,
                 list[str]], processes: int):
        self.folder, self.interpreters, self.processes = folder, interpreters, processes
        self.spec, self.path = spec, _copy_taskbench(folder)
        self.measured: dict[str, list[Measured]] = {i.label: [] for i in interpreters}
        self.failed: dict[str, str] = {}
        self.status = 0

    def _boot(self, interpreter: Interpreter, *arguments: str) -> list[str]:
        return [interpreter.executable, "-c", BOOT, str(self.path), *arguments]

    def run_program(self, interpreter: Interpreter, number: int) -> Measured:
        # A file per run: a run that writes none must not find another's.
        report = self.folder / f"report-{self.interpreters.index(interpreter)}-{number}.json"
        kind, target, arguments = self.spec
        child = subprocess.Popen(
            self._boot(interpreter, "run", str(report), "--", kind, target, *arguments),
            env={**os.environ, **interpreter.environment})
        status = child.wait()
        try:
            data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ShareError(f"the program ended (status {status}) without handing over its "
                             "counts: it called os._exit, or was killed", status or 1) from None
        if data.get("ended") == "not started":
            raise ShareError(str(data.get("error")), 2)
        return Measured.from_report(data, interrupted=bool(_interrupts["count"]))

    def calibrate(self, interpreter: Interpreter, measured: Measured) -> bool:
        """Measure the classic cycle after ``measured``; False when interrupted."""
        print(f"share: {interpreter.label}: the classic cycle, with and without the hooks",
              file=sys.stderr, flush=True)
        result = subprocess.run(self._boot(interpreter, "calibrate", str(measured.tasks)),
                                capture_output=True, text=True, check=False,
                                env={**os.environ, **interpreter.environment})
        if result.returncode == INTERRUPTED or _interrupts["count"] > 1:
            return False
        if result.returncode != 0:
            raise ShareError(f"{interpreter.label}: measuring the classic cycle failed: "
                             f"{result.stderr.strip()[-600:]}", 1)
        rates = json.loads(result.stdout)
        plain = 1 / statistics.median(rates["plain"])
        hooked = 1 / statistics.median(rates["hooked"])
        measured.task_seconds, measured.hook_seconds = plain, hooked - plain
        measured.calibration_count = int(rates["count"])
        return True

    def one_process(self, interpreter: Interpreter, number: int) -> None:
        print(f"share: {interpreter.label}: process {number} of {self.processes}",
              file=sys.stderr, flush=True)
        measured = self.run_program(interpreter, number)
        measured.check()
        if measured.tasks and not self.calibrate(interpreter, measured):
            print(f"share: {interpreter.label}: the classic cycle was interrupted: no share "
                  "for this process", file=sys.stderr, flush=True)
        self.measured[interpreter.label].append(measured)

    def measure(self) -> None:
        for number in range(1, self.processes + 1):
            for interpreter in self.interpreters:
                if interpreter.label in self.failed or _interrupts["count"]:
                    continue
                try:
                    self.one_process(interpreter, number)
                except (ShareError, NothingToMeasure) as error:
                    self.failed[interpreter.label] = str(error)
                    self.status = self.status or error.status
                    print(f"share: {interpreter.label}: {error}", file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench share",
        usage="python -m taskbench share [--processes P] [--python NAME ...] -- "
              "[INTERPRETER] (script.py | -m module | -c code) [ARGS ...]",
        description="Run an asyncio program unchanged, count every task it creates on "
                    "every event loop, and say what share of its CPU time the task "
                    "machinery explains.",
        epilog="Exit status: 0; the program's own when it fails or has nothing to measure; "
               "2 for bad arguments; 130 when interrupted.")
    parser.add_argument("--processes", type=bounded(int, ROUNDS, MAX_PROCESSES),
                        default=ROUNDS, metavar="P",
                        help=f"separate runs of the program per interpreter, for the "
                             f"interval (default and least: {ROUNDS})")
    parser.add_argument("--python", action="append", default=[], metavar="NAME",
                        help="an interpreter from .pythons/bin, as named in asv.conf.json, "
                             "or the path of one (a virtualenv's python with the program's "
                             "dependencies); repeat for several, side by side; default: "
                             "this one")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    split = arguments.index("--") if "--" in arguments else len(arguments)
    parser = build_parser()
    args, stray = parser.parse_known_args(arguments[:split])
    if stray:
        parser.error(f"unrecognized arguments: {' '.join(stray)} (the program and its "
                     "arguments go after --)")
    try:
        typed, command = typed_interpreter(arguments[split + 1:])
        if typed is not None and args.python:
            raise ValueError(f"the interpreter is given twice, {typed.label} before the "
                             f"program and --python {args.python[0]}: give one")
        spec = program_spec(command)
        interpreters = [typed] if typed is not None else \
            [find_interpreter(name) for name in dict.fromkeys(args.python)]
        import scipy.stats  # noqa: F401  (checked up front: the intervals need it)
    except ValueError as error:
        parser.error(str(error))
    except ImportError as error:
        print(f"error: share computes its intervals with scipy, which is not installed for "
              f"{sys.executable} ({error}); run it with the tools venv's Python "
              "(.venv/bin/python -m taskbench share --python NAME -- ...)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGINT, _on_interrupt)
    with tempfile.TemporaryDirectory(prefix="taskbench-share-") as folder:
        session = Session(Path(folder), interpreters or [_this_interpreter()], spec,
                          args.processes)
        session.measure()
    if any(session.measured.values()):
        print(render(session.measured, session.failed, " ".join(arguments[split + 1:])))
    if _interrupts["count"]:
        print("interrupted: the table holds the processes measured so far" if any(
            session.measured.values()) else "interrupted: nothing was measured",
              file=sys.stderr)
        return INTERRUPTED
    return session.status

"""``share`` on every interpreter of this machine, on programs of every kind, unchanged: a
plain asyncio.run script, a program that sets its own task factory, uvloop, an aiohttp server,
a Textual app.

The bare interpreters of ``.pythons/bin`` have no clients, so each gets a virtualenv (cached
under ``~/.cache/taskbench/client-envs``, rebuilt when the pins change) with the pinned
clients, installed as asv installs them (``taskbench.workloads.asvenv``, wheels only, hashes
checked), and asv_runner, which share computes its intervals with. share runs there as a user
would run it, ``python -m taskbench share -- PROGRAM``, from this checkout's ``src/``. A
program runs where its client installs; where it does not is checked too (Textual: not on
3.8; aiohttp: not on PyPy 3.9; uvloop: not on PyPy). ``--python`` is run once over three
interpreters side by side with a stdlib-only program whose task count is known exactly. The
loopback servers' tasks per unit of work are checked whole and repeating on every one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, needs
from taskbench.jobs.existing import ASV_RUNNER

pytestmark = pytest.mark.slow

BIN = ROOT / ".pythons" / "bin"
NAMES = sorted(path.name.replace("python", "") for path in BIN.glob("p*")) \
    if BIN.is_dir() else []
PROGRAMS = ROOT / "tests" / "programs"
CLIENTS = ROOT / "src" / "taskbench" / "workloads" / "clients"
PINS = hashlib.sha256(b"".join(path.read_bytes() for path in sorted(CLIENTS.glob("*.txt")))
                      + ASV_RUNNER.encode()).hexdigest()[:12]
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "taskbench" \
    / "client-envs"
SOURCE = {"PYTHONPATH": str(ROOT / "src")}
# Each program and the client it needs (None: the standard library only).
NEEDS = {"asyncio_run.py": None, "own_factory.py": None, "uvloop_program.py": "uvloop",
         "aiohttp_program.py": "aiohttp", "textual_program.py": "textual"}
PROBE = """
import asyncio, importlib.util, json
print(json.dumps({
    "modules": {name: importlib.util.find_spec(name) is not None
                for name in ("uvloop", "aiohttp", "textual")},
    "taskgroup": hasattr(asyncio, "TaskGroup"),
    "eager": hasattr(asyncio, "eager_task_factory"),
    "executor": hasattr(asyncio.AbstractEventLoop, "shutdown_default_executor"),
    "pypy": __import__("platform").python_implementation() == "PyPy",
    "minor": __import__("sys").version_info[1]}))
"""


def _run(command: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False,
                          cwd=ROOT, env={**os.environ, **extra})


def client_env(name: str) -> Path:
    """A virtualenv of ``name`` with the pinned clients and asv_runner; its python."""
    env = CACHE / f"{name}-{PINS}"
    python = env / "bin" / "python"
    if (env / "ready").exists():
        return python
    shutil.rmtree(env, ignore_errors=True)
    executable = BIN / (name if name.startswith("pypy") else f"python{name}")
    for command, extra in (
            ([sys.executable, "-m", "virtualenv", "-q", "-p", str(executable), str(env)], {}),
            ([str(python), "-m", "pip", "install", "-q", ASV_RUNNER], {}),
            ([str(python), "-m", "taskbench.workloads.asvenv"], SOURCE)):
        result = _run(command, **extra)
        assert result.returncode == 0, result.stdout + result.stderr
    (env / "ready").write_text("")
    return python


def row(output: str, label: str) -> list[str]:
    match = re.search(rf"^{re.escape(label)}\s+(.*)$", output, re.MULTILINE)
    assert match, output
    return re.split(r"\s{2,}", match.group(1).strip())


def expected_tasks(program: str, probe: dict[str, Any]) -> int | None:
    """The exact count where asyncio's documented behaviour fixes it, else None."""
    if program == "asyncio_run.py":  # the main task, shutdown_asyncgens, the executor's
        return 200 + 100 * probe["taskgroup"] + 2 + probe["executor"]
    if program == "own_factory.py":  # the main task, then 100 (and 100 eager) by factory
        return 101 + 100 * probe["eager"]
    if program == "uvloop_program.py":
        return 101
    return None


@pytest.mark.skipif(not NAMES, reason=needs("interpreters", "none in .pythons/bin"))
@pytest.mark.parametrize("name", NAMES)
def test_share_measures_every_kind_of_program_where_it_runs(name: str) -> None:
    python = client_env(name)
    probe = json.loads(_run([str(python), "-c", PROBE]).stdout)
    assert probe["modules"] == {"uvloop": not probe["pypy"],
                                "aiohttp": not (probe["pypy"] and probe["minor"] == 9),
                                "textual": probe["minor"] >= 9}, probe
    programs = [p for p, needs in NEEDS.items() if needs is None or probe["modules"][needs]]
    # share runs in the tools venv (its intervals need scipy); the program runs in the
    # interpreter's virtualenv, where its clients are installed, given by path.
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda program: _run(
            [sys.executable, "-m", "taskbench", "share", f"--python={python}", "--",
             str(PROGRAMS / program)]), programs))
    for program, result in zip(programs, results):
        assert result.returncode == 0, (program, result.stderr[-3000:])
        assert row(result.stdout, "processes") == ["3"], program
        (tasks,) = row(result.stdout, "tasks created")
        count = int(tasks.split()[0].replace(",", ""))
        assert tasks.endswith("(every process)"), (program, tasks)
        expected = expected_tasks(program, probe)
        assert count == expected if expected is not None else count >= 50, (program, tasks)
        (share,) = row(result.stdout, "task share of CPU time")
        assert re.fullmatch(r"[\d.]+% \([-\d.]+%–[\d.]+%\)", share), (program, share)
        loops = row(result.stdout, "event loops (last process)")[0]
        assert ("uvloop.Loop" in loops) == (program == "uvloop_program.py"), (program, loops)


# The oldest, a JIT's variable, and PyPy: what --python must tell apart.
SIDE_BY_SIDE = [name for name in ("3.8", "3.14-debian PYTHON_JIT=1", "pypy3.11")
                if name.split()[0] in NAMES]


@pytest.mark.skipif(not SIDE_BY_SIDE, reason=needs("interpreters", "none in .pythons/bin"))
def test_python_runs_interpreters_side_by_side() -> None:
    names = SIDE_BY_SIDE
    result = _run([sys.executable, "-m", "taskbench", "share",
                   *(f"--python={name}" for name in names), "--",
                   str(PROGRAMS / "counted_loop.py"), "25"])
    assert result.returncode == 0, result.stderr[-3000:]
    header = re.split(r"\s{2,}", result.stdout.splitlines()[1].strip())
    assert header == names
    # run_until_complete's task, 25 from ensure_future, 25 constructed with asyncio.Task.
    assert row(result.stdout, "tasks created") == ["51 (every process)"] * len(names)
    assert all("%–" in cell for cell in row(result.stdout, "task share of CPU time"))


EXACT = """
import json
from taskbench.workloads.loopback import aiohttp_requests, echo_connections
counts = {"echo": [echo_connections(50, 5).tasks_per_unit for _ in range(2)]}
try:
    counts["aiohttp"] = [aiohttp_requests(100).tasks_per_unit for _ in range(2)]
except NotImplementedError as reason:
    counts["aiohttp"] = str(reason)
print(json.dumps(counts))
"""


@pytest.mark.skipif(not NAMES, reason=needs("interpreters", "none in .pythons/bin"))
@pytest.mark.parametrize("name", NAMES)
def test_the_servers_tasks_per_unit_are_whole_and_repeat(name: str) -> None:
    python = client_env(name)
    result = _run([str(python), "-c", EXACT], **SOURCE)
    assert result.returncode == 0, result.stderr[-3000:]
    counts = json.loads(result.stdout)
    # The handler's task, and the one asyncio's selector loop makes to accept a connection.
    assert counts["echo"] == [2.0, 2.0]
    if name == "pypy3.9":  # no aiohttp wheel fits it
        assert "aiohttp is not installed" in counts["aiohttp"]
    else:  # one task per request, however aiohttp builds it on this version
        assert counts["aiohttp"] == [1.0, 1.0]

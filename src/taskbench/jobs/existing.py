"""The CI job's interpreters as asv's ``existing`` environments, as on Windows.

There asv builds no virtualenv from a named executable (a ``#!/bin/sh`` wrapper cannot run),
so each interpreter itself is the environment, which needs what asv otherwise does for it:
asv_runner, taskbench (its wheel built by this Python, as asv's install step does) and the
pinned clients installed into it (:func:`prepare`). asv names such an environment after the
executable's path (``existing-py_C__hostedtoolcache_..._python.exe``) and records the bare
version (``3.13`` for a 3.13t, ``3.10`` for PyPy 3.10), which would put a free-threaded build
or PyPy on CPython's graph line and start a new line at every patch release; so the results
files of every phase and block are given the interpreter's own name before they are combined
(:func:`name_results`), and the blocks' orders say it too. The measurements are untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from taskbench import files
from taskbench.asvadapter.driver import existing_name
from taskbench.jobs.runrecord import BlockRun
from taskbench.workloads import asvinstall

# What asv would install into an environment it builds, for the existing ones.
ASV_RUNNER = "asv_runner==0.3.2"


def prepare_one(python: Path) -> str | None:
    """Install asv_runner, taskbench and the pinned clients into ``python`` itself; None, or
    what failed."""
    for command in ([str(python), "-m", "pip", "install", "--quiet", ASV_RUNNER],
                    [str(python), str(asvinstall.SCRIPT), str(Path.cwd())],
                    [str(python), "-m", "taskbench.workloads.asvenv"]):
        result = subprocess.run(command, check=False,
                                env={**os.environ, asvinstall.BUILDER: sys.executable})
        if result.returncode != 0:
            return (f"`{' '.join(command)}` failed with status {result.returncode} (its log is "
                    "above)")
    return None


def prepare(interpreters: dict[str, Path]) -> dict[str, str]:
    """:func:`prepare_one` for every interpreter; the reasons of those that failed."""
    failed = {}
    for name, python in interpreters.items():
        print(f"Installing asv_runner, taskbench and the clients into {name} ({python}) ...",
              flush=True)
        problem = prepare_one(python)
        if problem is not None:
            failed[name] = problem
    return failed


def env_name(name: str) -> str:
    """As asv names the environments it builds: existing-py3.13t, existing-pypy3.10."""
    return f"existing-{name}" if name.startswith("pypy") else f"existing-py{name}"


def asv_names(interpreters: dict[str, Path]) -> dict[str, str]:
    """asv's own name of each interpreter's existing environment, to its name here."""
    return {existing_name(str(python)): name for name, python in interpreters.items()}


def rename(path: Path, name: str) -> Path:
    """One results file given the interpreter's own name; its new path."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["env_name"] = env_name(name)
    data["python"] = name
    data.setdefault("params", {})["python"] = name
    target = path.with_name(f"{data['commit_hash'][:8]}-{env_name(name)}.json")
    files.write_text(target, json.dumps(data, separators=(",", ":")))
    if target != path:
        path.unlink()
    return target


def name_results(run: BlockRun, machine: str, interpreters: dict[str, Path],
                 names: dict[str, str] | None = None) -> list[Path]:
    """Every phase's and block's results files, and the blocks' orders, named after the
    interpreters (``names``: asv's name of each environment to the interpreter's)."""
    names = asv_names(interpreters) if names is None else names
    run.orders = [[env_name(names[env]) if env in names else env for env in order]
                  for order in run.orders]
    renamed = []
    for folder in [path for _, path in run.phases] + run.folders:
        for path in sorted((folder / machine).glob("*-existing-*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("env_name") in names:
                renamed.append(rename(path, names[data["env_name"]]))
    return renamed

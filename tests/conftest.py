"""Shared fixtures: a repository root, a way to run this Python, and fake results; and the
rule that no test skips for want of what the Makefile provides.

Fake results are written by asv's own ``Results`` class, so every test reads files that asv
itself would write; no test reads the committed numbers as expected values.

No test skips for want of what ``make test`` installs or gathers first: such a skip is a
failure, and the skips that remain are named in the run's last lines (``tests/skips.py``,
whose hooks are this file's).
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Tuple

import pytest

from skips import NEEDS, PROVIDED, needs, pytest_runtest_makereport, pytest_terminal_summary
from taskbench.asvadapter.history import configured_repo, drawn_history
from taskbench.catalogue import Benchmark

__all__ = ["NEEDS", "PROVIDED", "needs", "pytest_runtest_makereport", "pytest_terminal_summary"]
ROOT = Path(__file__).resolve().parent.parent
Values = Mapping[Tuple[Any, ...], Any]  # params -> samples (list), a value, or None
def run_python(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with ``args`` and capture its output as text."""
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, check=False)


def write_results(results_dir: Path, figures: Mapping[Benchmark, Values], *,
                  machine: str = "box", python: str = "3.13",
                  env_vars: Mapping[str, str] | None = None, commit: str = "a" * 40,
                  date: int = 1, started: int | None = None,
                  durations: Mapping[str, float] | None = None, cpu: str | None = None) -> Path:
    """One environment's results file, written by asv's ``Results.save``.

    For each benchmark, ``figures`` maps parameter combinations to a list of samples (a
    sampled figure: asv computes its median and interval), a number (a single value), or
    None (n/a). Combinations not given are n/a. ``durations`` gives asv's durations in
    seconds, by benchmark name, ``<build>`` or ``<setup_cache KEY>``; ``cpu``, the host asv's
    ``cpu`` field names (none: a run from before hosts were recorded). Returns the file's path.
    """
    from asv.results import Results
    from asv.runner import BenchmarkResult

    env_vars = dict(env_vars or {})
    env_name = f"virtualenv-py{python}" + "".join(f"-{k}{v}" for k, v in env_vars.items())
    params = {"machine": machine, "os": "TestOS 1", "ram": "1GB", "python": python,
              **({"cpu": cpu} if cpu is not None else {})}
    results = Results(params, {}, commit, date, python, env_name, env_vars)
    when = (datetime.datetime.fromtimestamp(started / 1000, datetime.timezone.utc)
            if started is not None else None)
    for entry, values in figures.items():
        result, samples, number = [], [], []
        for combo in entry.combinations():
            value = values.get(tuple(combo))
            if isinstance(value, (list, tuple)):
                result.append(True)
                samples.append([float(v) for v in value])
                number.append(1)
            else:
                result.append(float("nan") if value is None else float(value))
                samples.append(None)
                number.append(None)
        benchmark = {"name": entry.name, "version": entry.version,
                     "params": [[repr(v) for v in axis.values] for axis in entry.axes]}
        results.add_result(benchmark, BenchmarkResult(result, samples, number, 0, "", None),
                           started_at=when, record_samples=True,
                           duration=(durations or {}).get(entry.name))
    for key, seconds in (durations or {}).items():
        if key == "<build>":
            results.set_build_duration(seconds)
        elif key.startswith("<setup_cache "):
            results.set_setup_cache_duration(key[len("<setup_cache "):-1], seconds)
    results.save(str(results_dir))
    machine_json = results_dir / machine / "machine.json"
    if not machine_json.exists():
        machine_json.write_text(json.dumps({"machine": machine, "os": "TestOS 1",
                                            "ram": "1GB", "version": 1}))
    return results_dir / machine / f"{commit[:8]}-{env_name}.json"


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def results_writer(tmp_path: Path) -> Callable[..., Path]:
    """``write(figures, **identity)`` into ``tmp_path/results``; returns that folder."""
    folder = tmp_path / "results"

    def write(figures: Mapping[Benchmark, Values], **identity: Any) -> Path:
        write_results(folder, figures, **identity)
        return folder

    return write


def samples_around(value: float, spread: float = 0.01, n: int = 5) -> list[float]:
    """``n`` samples evenly spread ``±spread`` (a fraction) around ``value``."""
    if n == 1:
        return [value]
    return [value * (1 - spread + 2 * spread * i / (n - 1)) for i in range(n)]



def set_sample(path: Path, benchmark: str, combo: int, block: int, value: float) -> None:
    """Overwrite one stored sample of a results file (a value no measurement should give)."""
    data = json.loads(path.read_text())
    column = data["result_columns"].index("samples")
    data["results"][benchmark][column][combo][block] = value
    path.write_text(json.dumps(data))


def write_benchmarks_json(results_dir: Path) -> Path:
    """asv's benchmarks.json for the catalogue: every benchmark's name, version and params."""
    from taskbench.catalogue import CATALOGUE

    path = results_dir / "benchmarks.json"
    path.write_text(json.dumps({"version": 2, **{
        entry.name: {"name": entry.name, "version": entry.version, "unit": entry.unit,
                     "params": [[repr(v) for v in axis.values] for axis in entry.axes]}
        for entry in CATALOGUE}}))
    return path


def write_block_log(results_dir: Path, machine: str = "box") -> Path:
    """A block log saying each figure's samples came from blocks 0, 1, 2 ... in order, for
    every results file of ``machine`` (as a run in blocks that lost nothing writes it)."""
    from taskbench import blocklog
    from taskbench.asvadapter.results import load_file, run_stamp

    records = []
    for path in sorted((results_dir / machine).glob("*.json")):
        if path.name == "machine.json":
            continue
        results = load_file(path, machine)
        figures = {}
        for key in results.get_all_result_keys():
            grid = results.get_result_params(key) or []
            samples = results.get_result_samples(key, grid)
            for combo, sample in zip(itertools.product(*grid), samples):
                if sample:
                    figures[f"{key}({', '.join(combo)})"] = list(range(len(sample)))
        records.append({"commit": results.commit_hash, "env_name": results.env_name,
                        "run": run_stamp(results)[1], "figures": figures})
    for commit in sorted({record["commit"] for record in records}):
        mine = [record for record in records if record["commit"] == commit]
        blocks = max((len(b) for record in mine for b in record["figures"].values()), default=0)
        order = sorted(str(record["env_name"]) for record in mine)
        records.append({"commit": commit, "env_name": "",
                        "run": max(int(record["run"]) for record in mine),
                        "blocks": [{"order": order[block % len(order):] +
                                    order[:block % len(order)], "minutes": 1.0}
                                   for block in range(blocks)]})
    log = results_dir / machine / blocklog.BLOCKS_FILE
    blocklog.write(log, records)
    return log


def per_block(seconds: float, spread: float = 0.01, n: int = 8) -> list[float]:
    """``n`` per-process values around ``seconds``, alternating ``±spread`` (a fraction),
    in a pattern that depends on ``seconds`` (so that two figures do not move alike in
    every block: each has noise of its own)."""
    shift = int(round(seconds * 1e12)) % 5
    return [seconds * (1 + spread * (-1) ** (block + shift) * ((block + shift) % 3) / 2)
            for block in range(n)]


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """Results of three interpreters on one machine, made up so that every view has
    something to show: a real speed-up, a difference too small to decide, an n/a, a replica,
    paired blocks, and one interpreter measured only by an older version of the headline
    benchmark."""
    from taskbench.catalogue import (
        FIRST_CYCLE,
        FLOOR,
        INSTRUCTIONS,
        INSTRUCTIONS_BY_COUNT,
        MEMORY,
        PUMP,
        REPLICA,
        REPLICA_FAULTS,
        SPAWN_API,
        TASK_COST,
        TEXTUAL_SHARE,
        TEXTUAL_TASKS,
        WITHOUT_GC,
    )

    folder = tmp_path / "results"
    for python, speed in (("3.12", 1.0), ("3.13", 1.3)):
        task = 1e-5 / speed  # seconds per task
        write_results(folder, {
            TASK_COST: {(count,): per_block(task) for count in TASK_COST.axes[0].values},
            FIRST_CYCLE: {(100_000,): per_block(task * 1.1, n=5),
                          (1_000_000,): per_block(task * 1.25, n=5)},
            REPLICA: {(100_000,): task * 0.9},
            REPLICA_FAULTS: {(100_000,): 0.5, (1_000_000,): 0.75},
            INSTRUCTIONS: {("create_task+wait", "asyncio"): 40_000 / speed,
                           ("gather", "uvloop"): 25_000 / speed},
            INSTRUCTIONS_BY_COUNT: {("on", 10_000): 40_000 / speed,
                                    ("on", 30_000): 48_000 / speed,
                                    ("off", 10_000): 37_000 / speed,
                                    ("off", 30_000): 37_000 / speed},
            SPAWN_API: {("create_task+wait", "asyncio", 100_000): per_block(task, n=3),
                        ("create_task+wait", "uvloop", 100_000): per_block(task / 1.25, n=3),
                        ("gather", "asyncio", 100_000): per_block(task / 1.01, 0.05, n=3)},
            WITHOUT_GC: {(count,): per_block(task / 2, n=3) for count in WITHOUT_GC.axes[0].values},
            FLOOR: {("await", 100_000): per_block(1e-7, n=3),
                    ("call_soon", 100_000): per_block(1e-6, n=3)},
            MEMORY: {(100_000,): 700.0},
            PUMP: {(10_000,): per_block(2e-5, n=3)},
            TEXTUAL_TASKS: {(1_000,): 3.0},
            TEXTUAL_SHARE: {(1_000,): per_block(2.0, 0.1, n=3)},
        }, python=python)
    write_results(folder, {TASK_COST: {(100_000,): 1.1e-5}, FIRST_CYCLE: {(1_000_000,): 1.3e-5}},
                  python="3.8")
    old = folder / "box" / f"{'a' * 8}-virtualenv-py3.8.json"
    data = json.loads(old.read_text())
    data["results"][TASK_COST.name][2] = "task-cost-0"  # an older version of the benchmark
    old.write_text(json.dumps(data))
    write_block_log(folder)
    return folder


@contextmanager
def on_checked_out_history(driver: Any) -> Iterator[Any]:
    """asv run in the ``existing`` environment resolves every configured branch by name: it
    is shown the checked-out history as ``main`` (as the CI job's Windows mode shows it), so
    that a checkout without a local ``main`` (a pull request's, a clone of another branch)
    runs these tests too."""
    settings = driver.settings
    with drawn_history(configured_repo(ROOT / "asv.conf.json", settings),
                       settings.get("branches", [])) as history:
        driver.repo = history
        yield driver

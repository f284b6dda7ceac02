"""Shared fixtures: a repository root, a way to run this Python, and fake results.

Fake results are written by asv's own ``Results`` class, so every test reads files that asv
itself would write; no test reads the committed numbers as expected values.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Mapping, Tuple

import pytest

from taskbench.catalogue import Benchmark

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
                  date: int = 1, started: int | None = None) -> Path:
    """One environment's results file, written by asv's ``Results.save``.

    For each benchmark, ``figures`` maps parameter combinations to a list of samples (a
    sampled figure: asv computes its median and interval), a number (a single value), or
    None (n/a). Combinations not given are n/a. Returns the file's path.
    """
    from asv.results import Results
    from asv.runner import BenchmarkResult

    env_vars = dict(env_vars or {})
    env_name = f"virtualenv-py{python}" + "".join(f"-{k}{v}" for k, v in env_vars.items())
    params = {"machine": machine, "os": "TestOS 1", "ram": "1GB", "python": python}
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
                           started_at=when, record_samples=True)
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



@pytest.fixture
def world(tmp_path: Path) -> Path:
    """Results of three interpreters on one machine, made up so that every view has
    something to show: a real speed-up, a difference within noise, an n/a, a replica, and
    one interpreter measured only by an older version of the classic benchmark."""
    from taskbench.catalogue import (
        FLOOR,
        INSTRUCTIONS,
        INSTRUCTIONS_BY_COUNT,
        MEMORY,
        PUMP,
        REPLICA,
        REPLICA_FAULTS,
        SPAWN_API,
        TEXTUAL_SHARE,
        TEXTUAL_TASKS,
        THROUGHPUT,
        WITHOUT_GC,
    )

    folder = tmp_path / "results"
    for python, scale in (("3.12", 1.0), ("3.13", 1.3)):
        write_results(folder, {
            THROUGHPUT: {(count,): samples_around(1e5 * scale * (0.8 if count == 1_000_000
                                                                  else 1), 0.01, 15)
                         for count in THROUGHPUT.axes[0].values},
            REPLICA: {(100_000,): 1.1e5 * scale},
            REPLICA_FAULTS: {(100_000,): 0.5, (1_000_000,): 0.75},
            INSTRUCTIONS: {("create_task+wait", "asyncio"): 40_000 / scale,
                           ("gather", "uvloop"): 25_000 / scale},
            INSTRUCTIONS_BY_COUNT: {("on", 10_000): 40_000 / scale,
                                    ("on", 100_000): 48_000 / scale,
                                    ("off", 10_000): 37_000 / scale,
                                    ("off", 100_000): 37_000 / scale},
            SPAWN_API: {("create_task+wait", "asyncio", 100_000): samples_around(1e5 * scale),
                        ("create_task+wait", "uvloop", 100_000):
                            samples_around(1.25e5 * scale, 0.01, 15),
                        ("gather", "asyncio", 100_000): samples_around(1.01e5 * scale, 0.05, 3)},
            WITHOUT_GC: {(count,): samples_around(2e5 * scale, 0.01, 15)
                         for count in WITHOUT_GC.axes[0].values},
            FLOOR: {("await", 100_000): samples_around(1e7), ("call_soon", 100_000):
                    samples_around(1e6)},
            MEMORY: {(100_000,): 700.0},
            PUMP: {(10_000,): samples_around(5e4)},
            TEXTUAL_TASKS: {(1_000,): 3.0},
            TEXTUAL_SHARE: {(1_000,): samples_around(2.0, 0.1)},
        }, python=python)
    write_results(folder, {THROUGHPUT: {(100_000,): 9e4, (1_000_000,): 8e4}}, python="3.8")
    data = json.loads((folder / "box" / f"{'a' * 8}-virtualenv-py3.8.json").read_text())
    data["results"][THROUGHPUT.name][2] = "throughput-0"  # an older version of the benchmark
    (folder / "box" / f"{'a' * 8}-virtualenv-py3.8.json").write_text(json.dumps(data))
    return folder

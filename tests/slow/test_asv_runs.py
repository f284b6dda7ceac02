"""asv itself, for real: the suite passes ``asv check``, a quick run measures every benchmark
with samples, rounds give samples from separate processes, and a run killed midway never
touches results/.

Each asv call goes through the project's driver with its folders in a temporary directory
and a HOME of its own (for ``~/.asv-machine.json``), so nothing committed is touched.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import ROOT, on_checked_out_history
from taskbench.asvadapter.driver import AsvDriver
from taskbench.asvadapter.results import Figure, load
from taskbench.catalogue import (
    CATALOGUE,
    FIRST_CYCLE,
    SAMPLED,
    TASK_COST,
    Benchmark,
    quick_patterns,
)
from taskbench.jobs.merge import merge

pytestmark = pytest.mark.slow
MACHINE = "taskbench-test"
HERE = f"existing:{sys.executable}"


def _head() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def _driver(tmp: Path, results: Path | None = None) -> AsvDriver:
    return AsvDriver(ROOT / "asv.conf.json", results_dir=results or tmp / "results",
                     html_dir=tmp / "html", env_dir=tmp / "env", home=tmp / "home")


def _unavailable(entry: Benchmark, combo: tuple[Any, ...]) -> bool:
    """Whether this interpreter lacks what the benchmark needs, judged without taskbench."""
    if entry.name.startswith("bench_spawn_api."):
        api, loop, _count = combo
        if loop != "asyncio" and importlib.util.find_spec(loop) is None:
            return True
        return {"TaskGroup": not hasattr(asyncio, "TaskGroup"),
                "eager_task_factory": not hasattr(asyncio, "eager_task_factory"),
                # rloop's create_task takes no eager_start on any Python.
                "eager_start": sys.version_info < (3, 14) or loop == "rloop"}.get(api, False)
    if entry.name.startswith("bench_threads.Threads."):
        return combo[0] == "eager_task_factory" and not hasattr(asyncio, "eager_task_factory")
    if entry.name.startswith("bench_frameworks."):
        return any(importlib.util.find_spec(module) is None
                   for module in combo[0].replace("-asyncio", "").split("-"))
    if entry.name.startswith("bench_clients.Textual"):
        return importlib.util.find_spec("textual") is None
    if entry.name.startswith("bench_clients.Aiohttp"):
        return importlib.util.find_spec("aiohttp") is None
    return False


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("asv")
    with _driver(tmp) as driver:
        machine = driver.machine({"machine": MACHINE}, capture=True)
        assert machine.returncode == 0, machine.stderr
        with on_checked_out_history(driver):
            run = driver.run(machine=MACHINE, range_spec=None, set_commit_hash=_head(),
                             environments=[HERE], bench=quick_patterns(), quick=True,
                             capture=True, timeout=900)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    yield tmp / "results"


def test_asv_check_passes(tmp_path: Path) -> None:
    with _driver(tmp_path) as driver:
        result = driver.check(capture=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found" in result.stdout


def test_a_quick_run_measures_every_benchmark_with_its_samples(quick_run: Path) -> None:
    loaded = load(quick_run)
    assert not loaded.problems
    by_key = {(f.benchmark, f.params): f for f in loaded.figures}
    for entry in CATALOGUE:
        for combo in entry.combinations(entry.quick) if entry.quick else []:
            figure: Figure | None = by_key.get((entry.name, tuple(combo)))
            assert figure is not None, (entry.name, combo)
            # n/a exactly where the interpreter lacks the API or client, a value elsewhere.
            assert (figure.value is None) == _unavailable(entry, tuple(combo)), (entry.name, combo)
            if figure.value is not None:
                assert figure.value > 0
                if entry.kind == SAMPLED:
                    assert figure.samples, (entry.name, combo)
                    # A quick run is one process per figure: one sample each.
                    assert len(figure.samples) == 1, (entry.name, combo)


def test_rounds_are_separate_processes_whose_samples_asv_pools(tmp_path: Path) -> None:
    with _driver(tmp_path) as driver:
        driver.machine({"machine": MACHINE}, capture=True)
        with on_checked_out_history(driver):
            run = driver.run(machine=MACHINE, range_spec=None, set_commit_hash=_head(),
                             environments=[HERE], rounds=3,
                             bench=[rf"^{TASK_COST.name}\(1000\)$"], capture=True,
                             timeout=600)
    assert run.returncode == 0, run.stdout[-2000:]
    (figure,) = [f for f in load(tmp_path / "results").figures if f.value is not None]
    # One figure per process, three processes.
    assert figure.samples is not None and len(figure.samples) == 3
    assert figure.interval is not None and figure.interval[0] <= figure.value <= figure.interval[1]


def _start(tmp: Path, staging: Path) -> subprocess.Popen[str]:
    driver = _driver(tmp, staging)
    driver.machine({"machine": MACHINE}, capture=True)
    return subprocess.Popen(
        driver.command(*driver.run_arguments(machine=MACHINE, range_spec=None,
                                             set_commit_hash=_head(), environments=[HERE],
                                             bench=[rf"^{FIRST_CYCLE.name}\(1000000\)$"])),
        cwd=ROOT, env=driver.environ(), text=True, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True)


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGKILL"])
def test_a_run_killed_midway_leaves_results_as_they_were(tmp_path: Path,
                                                         signal_name: str) -> None:
    results = tmp_path / "committed"
    shutil.copytree(ROOT / "results", results)
    before = {p: p.read_bytes() for p in results.rglob("*") if p.is_file()}
    staging = tmp_path / "staging"
    process = _start(tmp_path, staging)
    assert process.stdout is not None
    for line in process.stdout:  # until asv is measuring the million-task cycle
        if FIRST_CYCLE.name in line:
            break
    os.killpg(process.pid, getattr(signal, signal_name))
    process.communicate(timeout=120)
    assert process.returncode != 0
    # What a main job would do next: merge only what is complete and valid.
    merge([staging], results)
    after = {p: p.read_bytes() for p in results.rglob("*") if p.is_file()}
    changed = [p for p in before if after.get(p) != before[p]]
    assert not changed, f"{signal_name}: committed files changed: {changed}"
    assert not load(results).problems

"""asv itself: the suite passes ``asv check``, a quick real run measures every parameter, and
``asv publish`` over the committed results lists every environment.

Each asv call gets a copy of asv.conf.json whose output directories lie in a temporary
directory, and a HOME of its own for ``~/.asv-machine.json``, so nothing committed is touched.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taskbench.interpreters import load_asv_config

ROOT = Path(__file__).resolve().parent.parent
MACHINE = "taskbench-test"


def _asv(tmp_path: Path, *args: str, results_dir: Path | None = None,
         timeout: float = 900) -> subprocess.CompletedProcess[str]:
    config = load_asv_config(ROOT / "asv.conf.json")
    config.update({
        "repo": str(ROOT),
        "benchmark_dir": str(ROOT / "benchmarks"),
        "env_dir": str(tmp_path / "env"),
        "results_dir": str(results_dir or tmp_path / "results"),
        "html_dir": str(tmp_path / "html"),
    })
    config_path = tmp_path / "asv.conf.json"
    config_path.write_text(json.dumps(config))
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "asv", *args, "--config", str(config_path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)


def _head() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def _result_files(results_dir: Path) -> list[Path]:
    return sorted(path for path in results_dir.glob("*/*.json")
                  if path.name != "machine.json")


def _values(result_file: Path) -> dict[str, list[Any]]:
    data = json.loads(result_file.read_text())
    column = data["result_columns"].index("result")
    return {name: row[column] for name, row in data["results"].items()}


def _expected_unavailable(benchmark: str, combo: tuple[Any, ...]) -> bool:
    """Whether this interpreter lacks what the benchmark needs, judged without taskbench."""
    if benchmark.startswith("bench_spawn_api.SpawnAPI."):
        api, loop, _count = (str(value).strip("'") for value in combo)
        if loop == "uvloop" and importlib.util.find_spec("uvloop") is None:
            return True
        return {"TaskGroup": not hasattr(asyncio, "TaskGroup"),
                "eager_task_factory": not hasattr(asyncio, "eager_task_factory"),
                "eager_start": sys.version_info < (3, 14),
                }.get(api, False)
    if benchmark.startswith("bench_clients.TextualStartup."):
        return importlib.util.find_spec("textual") is None
    return False


def test_asv_check_passes(tmp_path: Path) -> None:
    result = _asv(tmp_path, "check", "--python=same")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found" in result.stdout


@pytest.mark.slow
def test_quick_real_run_measures_every_parameter(tmp_path: Path) -> None:
    machine = _asv(tmp_path, "machine", "--yes", f"--machine={MACHINE}")
    assert machine.returncode == 0, machine.stderr
    run = _asv(tmp_path, "run", "--python=same", "--quick", "--show-stderr",
               f"--machine={MACHINE}", f"--set-commit-hash={_head()}")
    assert run.returncode == 0, run.stdout + run.stderr

    results_dir = tmp_path / "results"
    benchmarks = json.loads((results_dir / "benchmarks.json").read_text())
    del benchmarks["version"]
    (result_file,) = _result_files(results_dir)
    values = _values(result_file)
    assert set(values) == set(benchmarks)
    for name, benchmark in benchmarks.items():
        expected = math.prod(len(axis) for axis in benchmark["params"])
        measured = values[name]
        assert len(measured) == expected, name
        combos = list(itertools.product(*benchmark["params"]))
        missing = [combo for combo, value in zip(combos, measured)
                   if value is None or (isinstance(value, float) and math.isnan(value))]
        # n/a exactly where the interpreter lacks the API or client, a value everywhere else.
        assert missing == [combo for combo in combos if _expected_unavailable(name, combo)], name
        assert all(value > 0 for combo, value in zip(combos, measured)
                   if combo not in missing), name


def test_publish_lists_every_committed_environment(tmp_path: Path) -> None:
    results_dir = ROOT / "results"
    committed = _result_files(results_dir)
    assert committed, "results/ holds no committed run"
    pythons = {json.loads(path.read_text())["params"]["python"] for path in committed}
    before = {path: path.read_bytes() for path in results_dir.rglob("*.json")}

    publish = _asv(tmp_path, "publish", results_dir=results_dir)
    assert publish.returncode == 0, publish.stdout + publish.stderr

    index = json.loads((tmp_path / "html" / "index.json").read_text())
    assert set(index["params"]["python"]) == pythons
    # One graph, and so one line, per interpreter for the classic table.
    graphs = (tmp_path / "html" / "graphs" / "branch-main").rglob(
        "bench_create_wait.Throughput.track_tasks_per_second.json")
    graphed = {part[len("python-"):] for path in graphs for part in path.parts
               if part.startswith("python-")}
    assert graphed == pythons
    assert {path: path.read_bytes() for path in results_dir.rglob("*.json")} == before


def _start_asv(tmp_path: Path, results_dir: Path) -> subprocess.Popen[str]:
    """A real ``asv run`` of the long Throughput table, in a process group of its own."""
    machine = _asv(tmp_path, "machine", "--yes", f"--machine={MACHINE}")
    assert machine.returncode == 0, machine.stderr
    config_path = tmp_path / "asv.conf.json"  # written by _asv, results_dir as given
    config = json.loads(config_path.read_text())
    config["results_dir"] = str(results_dir)
    config_path.write_text(json.dumps(config))
    return subprocess.Popen(
        [sys.executable, "-m", "asv", "run", "--python=same", f"--machine={MACHINE}",
         f"--set-commit-hash={_head()}", "--bench", "bench_create_wait.Throughput",
         "--config", str(config_path)],
        cwd=ROOT, env={**os.environ, "HOME": str(tmp_path / "home")}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGKILL"])
def test_a_run_killed_midway_loses_and_rewrites_no_committed_result(
        tmp_path: Path, signal_name: str) -> None:
    import shutil
    import signal
    import time

    from taskbench.results import load_results

    results_dir = tmp_path / "results"
    shutil.copytree(ROOT / "results", results_dir)
    before = {path: path.read_bytes() for path in results_dir.rglob("*") if path.is_file()}
    process = _start_asv(tmp_path, results_dir)
    time.sleep(12)  # asv has discovered the suite and is inside the benchmark's setup_cache
    assert process.poll() is None, process.communicate()[0]
    os.killpg(process.pid, getattr(signal, signal_name))
    output, _ = process.communicate(timeout=120)
    assert process.returncode != 0, output

    after = {path: path.read_bytes() for path in results_dir.rglob("*") if path.is_file()}
    changed = [path for path in before if after.get(path) != before[path]
               and path.name not in ("machine.json", "benchmarks.json")]
    assert not changed, f"{signal_name} rewrote committed results: {changed}"
    results = load_results(results_dir)
    for problem in results.problems:  # a file cut short is named, with the fix
        assert "Restore it from git or rerun asv" in problem
    committed_envs = {m.env_name for m in load_results(ROOT / "results").measurements}
    assert committed_envs <= {m.env_name for m in results.measurements}

"""``python -m taskbench compare``: ratios, marks and exit status, on the committed results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import run_python

ROOT = Path(__file__).resolve().parent.parent


def _compare(*args: str, results: Path | None = None) -> tuple[int, str, str]:
    extra = ["--results", str(results)] if results else []
    result = run_python("-m", "taskbench", "compare", *args, *extra)
    return result.returncode, result.stdout, result.stderr


def test_identical_inputs_exit_zero() -> None:
    status, out, _ = _compare("3.13", "3.13")
    assert status == 0
    assert "0 worse and 0 better" in out
    assert "bench_create_wait.Throughput.track_tasks_per_second(1000000)" in out


def _compared(a: str, b: str) -> int:
    """How many costs both environments have at their newest runs, counted independently."""
    from taskbench.results import latest, load_results

    units = {name: info.get("unit") for name, info in
             json.loads((ROOT / "results" / "benchmarks.json").read_text()).items()
             if isinstance(info, dict)}
    values: dict[str, set[tuple[str, tuple[str, ...]]]] = {a: set(), b: set()}
    for m in latest(load_results(ROOT / "results").measurements):
        if m.environment in values and m.value is not None and units[m.benchmark] != "%":
            values[m.environment].add((m.benchmark, m.params))
    return len(values[a] & values[b])


def test_a_real_slowdown_in_results_exits_one() -> None:
    # pyenv's 3.8 against Debian's 3.14, both committed: about half the tasks per second.
    status, out, _ = _compare("3.14-debian", "3.8")
    assert status == 1
    worse = [line for line in out.splitlines() if line.startswith("+")]
    assert any("Throughput.track_tasks_per_second(100000)" in line for line in worse)
    assert all(float(line.split()[1]) > 1.10 for line in worse)


def test_rates_are_inverted_so_above_one_means_worse() -> None:
    _, out, _ = _compare("3.14-debian", "3.8")
    line = next(line for line in out.splitlines()
                if line.endswith("Throughput.track_tasks_per_second(100000)"))
    *_, ratio, a, b, _ = line.split()
    assert float(a) > float(b)  # 3.14-debian makes more tasks per second
    assert abs(float(ratio) - float(a) / float(b)) < 1e-3


def test_matrix_variables_pick_the_environment() -> None:
    status, out, _ = _compare("3.14-debian", "3.14-debian PYTHON_JIT=1", "--factor", "2")
    assert status == 0
    assert f"{_compared('3.14-debian', '3.14-debian PYTHON_JIT=1')} compared" in out


def test_an_unknown_interpreter_is_named_with_the_known_ones() -> None:
    status, _, err = _compare("3.13", "3.99")
    assert status == 2
    assert "no results for '3.99'" in err and "known: " in err and "3.14-debian" in err
    assert "Traceback" not in err


def test_a_factor_of_one_or_less_is_refused() -> None:
    status, _, err = _compare("3.13", "3.12", "--factor", "0.9")
    assert status == 2
    assert "--factor must be above 1" in err


def test_a_corrupt_results_file_is_named_and_the_rest_compared(tmp_path: Path) -> None:
    results = tmp_path / "results"
    shutil.copytree(ROOT / "results", results)
    victim = sorted(results.glob("*/*-virtualenv-py3.9.json"))[0]
    committed = ROOT / "results" / victim.relative_to(results)
    before = committed.read_bytes()
    victim.write_text(victim.read_text()[:200])
    status, out, err = _compare("3.13", "3.13", results=results)
    assert status == 0 and f"{_compared('3.13', '3.13')} compared" in out
    assert f"{victim}: cannot be read" in err
    assert committed.read_bytes() == before


def test_shares_and_spreads_are_not_compared_as_costs() -> None:
    _, out, _ = _compare("3.13", "3.14-debian")
    assert "Throughput.track_tasks_per_second(100000)" in out
    assert "track_spread_percent" not in out and "track_task_share_percent" not in out


def test_help_documents_the_exit_status() -> None:
    result = run_python("-m", "taskbench", "compare", "--help")
    assert result.returncode == 0
    assert "Exit status: 1 when B is worse" in " ".join(result.stdout.split())

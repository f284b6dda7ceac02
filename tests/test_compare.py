"""``python -m taskbench compare``: ratios, marks and exit status, on the committed results."""

from __future__ import annotations

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


def test_a_real_slowdown_in_results_exits_one() -> None:
    # pyenv's 3.11 (-O3, no PGO) against Debian's 3.11 (PGO, LTO), both committed.
    status, out, _ = _compare("3.11-debian", "3.11")
    assert status == 1
    worse = [line for line in out.splitlines() if line.startswith("+")]
    assert any("Throughput.track_tasks_per_second(100000)" in line for line in worse)
    assert all(float(line.split()[1]) > 1.10 for line in worse)


def test_rates_are_inverted_so_above_one_means_worse() -> None:
    _, out, _ = _compare("3.11-debian", "3.11")
    line = next(line for line in out.splitlines()
                if line.endswith("Throughput.track_tasks_per_second(100000)"))
    _, ratio, a, b, _ = line.split()
    assert float(a) > float(b)  # Debian's build makes more tasks per second
    assert abs(float(ratio) - float(a) / float(b)) < 1e-3


def test_matrix_variables_pick_the_environment() -> None:
    status, out, _ = _compare("3.14-debian", "3.14-debian PYTHON_JIT=1", "--factor", "2")
    assert status == 0
    assert "35 compared" in out


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
    (victim,) = results.glob("*/*-virtualenv-py3.9.json")
    committed = ROOT / "results" / victim.relative_to(results)
    before = committed.read_bytes()
    victim.write_text(victim.read_text()[:200])
    status, out, err = _compare("3.13", "3.13", results=results)
    assert status == 0 and "35 compared" in out
    assert f"{victim}: cannot be read" in err
    assert committed.read_bytes() == before


def test_help_documents_the_exit_status() -> None:
    result = run_python("-m", "taskbench", "compare", "--help")
    assert result.returncode == 0
    assert "Exit status: 1 when B is worse" in " ".join(result.stdout.split())

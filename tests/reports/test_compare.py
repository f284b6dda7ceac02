"""``python -m taskbench compare``: direction from the catalogue, sampled figures judged by
the verdict engine (paired in one run's model, else unpaired), exact counts by a tight factor,
exit status 1 only when something is worse, and words for every bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from conftest import run_python, samples_around, write_results
from taskbench.catalogue import MEMORY, REPLICA, TASK_COST, TEXTUAL_SHARE
from taskbench.reports.compare import main


def _compare(capsys: pytest.CaptureFixture[str], folder: Path, *args: str
             ) -> tuple[int, str, str]:
    status = main([*args, "--results", str(folder)])
    out, err = capsys.readouterr()
    return status, out, err


def _line(out: str, benchmark: str) -> list[str]:
    return next(line for line in out.splitlines()
                if line.endswith(benchmark) or f"{benchmark}:" in line).split()


def test_a_real_slowdown_is_marked_and_exits_one(world: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _compare(capsys, world, "3.13", "3.12")
    assert status == 1
    line = next(line for line in out.splitlines() if f"{TASK_COST.name}(100000):" in line)
    mark, ratio, a, b = line.split()[:4]
    assert mark == "+" and float(ratio) == pytest.approx(1.3, rel=1e-2)
    assert float(a) < float(b)  # 3.13 takes less time per task: the ratio is B over A
    assert line.endswith("1.30× slower (1.2" + line.split("1.30× slower (1.2")[1])
    assert "Bonferroni" in out and "+ slower, - faster" in out
    assert ", unpaired" not in line  # both in one run: paired in its model


def test_a_faster_candidate_exits_zero(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _compare(capsys, world, "3.12", "3.13")
    assert status == 0
    assert _line(out, f"{TASK_COST.name}(100000)")[0] == "-"


def test_a_large_ratio_is_undecided_when_the_processes_spread_as_widely(
        results_writer: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    results_writer({TASK_COST: {(100_000,): samples_around(1e-5, 0.3, 3)}}, python="3.12")
    folder = results_writer({TASK_COST: {(100_000,): samples_around(1.18e-5, 0.3, 3)}},
                            python="3.13")
    status, out, _ = _compare(capsys, folder, "3.12", "3.13")
    line = _line(out, f"{TASK_COST.name}(100000)")
    assert line[0] == "?" and float(line[1]) > 1.10
    assert out.count(", unpaired") == 1  # no block log: each one's own processes
    assert status == 0


def test_figures_without_samples_are_not_judged_and_say_so(
        results_writer: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    results_writer({TASK_COST: {(100_000,): 1e-5}}, python="3.12")
    folder = results_writer({TASK_COST: {(100_000,): 1.25e-5}}, python="3.13")
    status, out, _ = _compare(capsys, folder, "3.12", "3.13")
    assert status == 0
    assert _line(out, f"{TASK_COST.name}(100000)")[0] == "~"
    assert "not judged" in out


def test_exact_counts_are_judged_by_a_tight_factor(results_writer: Callable[..., Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    results_writer({MEMORY: {(100_000,): 700.0}}, python="3.12")
    folder = results_writer({MEMORY: {(100_000,): 714.0}}, python="3.13")  # 2% more
    status, out, _ = _compare(capsys, folder, "3.12", "3.13", "--only", "exact")
    assert status == 1 and _line(out, f"{MEMORY.name}(100000)")[0] == "+"
    status, _, _ = _compare(capsys, folder, "3.12", "3.13", "--exact-factor", "1.03")
    assert status == 0


def test_the_replica_is_no_sampled_figure_and_says_why_it_has_no_samples(
        results_writer: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    results_writer({TASK_COST: {(100_000,): samples_around(1e-5, 0.01, 3)},
                    REPLICA: {(100_000,): 1e-5}}, python="3.12")
    folder = results_writer({TASK_COST: {(100_000,): samples_around(1.43e-5, 0.01, 3)},
                             REPLICA: {(100_000,): 1.43e-5}}, python="3.13")
    _, out, _ = _compare(capsys, folder, "3.12", "3.13", "--only", "sampled")
    assert REPLICA.name not in out and f"{TASK_COST.name}(100000)" in out
    _, out, _ = _compare(capsys, folder, "3.12", "3.13")
    assert _line(out, f"{REPLICA.name}(100000)")[0] == "~"
    assert "the replica measures its table in one process" in out


def test_direction_comes_from_the_catalogue_not_from_benchmarks_json(
        world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (world / "benchmarks.json").write_text(json.dumps({"version": 2}))  # no units at all
    status, out, _ = _compare(capsys, world, "3.13", "3.12")
    assert status == 1 and _line(out, f"{TASK_COST.name}(100000)")[0] == "+"
    (world / "benchmarks.json").write_text("[1, 2]")
    assert _compare(capsys, world, "3.13", "3.12")[0] == 1


def test_shares_are_not_compared_as_costs(world: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _compare(capsys, world, "3.12", "3.13")
    assert TEXTUAL_SHARE.name not in "\n".join(out.splitlines()[:-1]).split("not compared")[0]
    assert f"not compared (not a cost, or not in the catalogue): {TEXTUAL_SHARE.name}" in out


def test_a_commit_picks_that_run(results_writer: Callable[..., Path],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    results_writer({TASK_COST: {(1,): 10.0}}, commit="1" * 40, date=1)
    folder = results_writer({TASK_COST: {(1,): 5.0}}, commit="2" * 40, date=2)
    status, out, _ = _compare(capsys, folder, "3.13@1111", "3.13@2222")
    assert status == 0 and _line(out, f"{TASK_COST.name}(1)")[0] == "~"


@pytest.mark.parametrize(("sides", "message"), [
    (["3.13@0", "3.13@1"], "'3.13@0': matches 3 commits; give more of one of 0aaaaaaaaaaa, "
                           "0bbbbbbbbbbb, 0ccccccccccc"),
    (["3.13@", "3.13@1"], "'3.13@': names no commit; give a prefix of one of 0aaaaaaaaaaa, "
                          "0bbbbbbbbbbb, 0ccccccccccc, 1ddddddddddd"),
    (["3.13@1", "3.13@9"], "'3.13@9': matches none of its commits; give a prefix of one of "
                           "0aaaaaaaaaaa, 0bbbbbbbbbbb, 0ccccccccccc, 1ddddddddddd"),
], ids=["ambiguous", "empty", "none"])
def test_a_commit_prefix_must_name_exactly_one_commit(
        results_writer: Callable[..., Path], capsys: pytest.CaptureFixture[str],
        sides: list[str], message: str) -> None:
    for date, commit in enumerate(["0" + "a" * 39, "0" + "b" * 39, "0" + "c" * 39,
                                   "1" + "d" * 39], 1):
        folder = results_writer({TASK_COST: {(1,): float(date)}}, commit=commit, date=date)
    status, out, err = _compare(capsys, folder, *sides)
    assert status == 2 and out == ""
    assert err == f"error: {message}\n"


@pytest.mark.parametrize(("args", "message"), [
    (["3.12", "3.99"], "no results for '3.99'"),
    (["3.12", "3.13", "--exact-factor", "0.9"], "must be a finite number above 1"),
    (["3.12", "3.13", "--exact-factor", "nan"], "must be a finite number above 1"),
    (["3.12", "3.13", "--exact-factor", "inf"], "must be a finite number above 1"),
    (["3.12", "3.13", "--exact-factor", "x"], "'x' is not a number"),
    (["3.12", "3.13", "--factor", "1.1"], "unrecognized arguments: --factor"),
    (["3.12", "3.13", "--only", "bogus"], "invalid choice"),
    (["3.12"], "the following arguments are required"),
])
def test_bad_input_exits_two_with_words(world: Path, args: list[str], message: str) -> None:
    result = run_python("-m", "taskbench", "compare", *args, "--results", str(world))
    assert result.returncode == 2, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_corrupt_file_is_named_and_the_rest_compared(
        world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = write_results(world, {TASK_COST: {(1,): 1.0}}, python="3.9")
    broken.write_text("{")
    status, out, err = _compare(capsys, world, "3.12", "3.13")
    assert status == 0 and "compared" in out
    assert broken.name in err and "cannot be read" in err


def test_help_documents_the_exit_status() -> None:
    result = run_python("-m", "taskbench", "compare", "--help")
    assert result.returncode == 0
    assert "1 when it is worse somewhere" in " ".join(result.stdout.split())


def test_a_value_that_is_not_a_time_exits_two_naming_it(world: Path) -> None:
    from conftest import set_sample

    set_sample(world / "box" / f"{'a' * 8}-virtualenv-py3.13.json", TASK_COST.name,
               TASK_COST.axes[0].values.index(100_000), 2, 0.0)
    result = run_python("-m", "taskbench", "compare", "3.12", "3.13", "--results", str(world))
    assert result.returncode == 2, result.stdout
    assert "3.13 in block 2: 0.0 is not a time" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_figure_of_one_run_stays_paired_when_a_later_run_holds_other_figures(
        world: Path, results_writer: Callable[..., Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    # Each side's newest figures then span two commits; the figures of the blocked run are
    # still both in its model and are judged there, not from their own processes.
    for python in ("3.12", "3.13"):
        results_writer({MEMORY: {(1_000,): 700.0}}, python=python, commit="b" * 40, date=2)
    _, out, _ = _compare(capsys, world, "3.13", "3.12")
    assert _line(out, f"{MEMORY.name}(1000)")  # the later run's figure is compared too
    line = next(line for line in out.splitlines() if f"{TASK_COST.name}(100000):" in line)
    assert ", unpaired" not in line

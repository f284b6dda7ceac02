"""results/ read through asv's own reader: figures with intervals, problems named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from conftest import samples_around, write_results
from taskbench.asvadapter.results import latest, load, parameter
from taskbench.catalogue import SPAWN_API, TASK_COST


def test_samples_become_a_median_with_asvs_interval(results_writer: Callable[..., Path]
                                                    ) -> None:
    folder = results_writer({TASK_COST: {(100_000,): samples_around(2e5, 0.02),
                                          (1_000,): 3e5}})
    figures = {f.params: f for f in load(folder).figures if f.value is not None}
    sampled, single = figures[(100_000,)], figures[(1_000,)]
    assert sampled.value == 2e5 and sampled.samples is not None and len(sampled.samples) == 5
    assert sampled.interval is not None
    low, high = sampled.interval
    assert low <= 2e5 <= high and high - low < 0.1 * 2e5
    assert single.value == 3e5 and single.interval is None and single.samples is None
    assert sampled.current and sampled.environment == "3.13"


def test_parameters_are_the_values_asv_stored_the_repr_of(
        results_writer: Callable[..., Path]) -> None:
    folder = results_writer({SPAWN_API: {("gather", "uvloop", 1000): [1.0, 2.0, 3.0]}})
    (figure,) = [f for f in load(folder).figures if f.value is not None]
    assert figure.params == ("gather", "uvloop", 1000)
    assert parameter("'gather'") == "gather" and parameter("1000") == 1000
    assert parameter("not a literal(") == "not a literal("


def test_matrix_variables_name_the_environment(results_writer: Callable[..., Path]) -> None:
    folder = results_writer({TASK_COST: {(1,): 5.0}}, python="3.14-debian",
                            env_vars={"PYTHON_JIT": "1"})
    (figure,) = [f for f in load(folder).figures if f.value is not None]
    assert figure.environment == "3.14-debian PYTHON_JIT=1"


def test_unreadable_files_are_named_and_the_rest_still_read(
        results_writer: Callable[..., Path]) -> None:
    folder = results_writer({TASK_COST: {(1,): 5.0}}, python="3.8")
    broken = write_results(folder, {TASK_COST: {(1,): 6.0}}, python="3.9")
    broken.write_text(broken.read_text()[:100])
    wrong_machine = write_results(folder, {TASK_COST: {(1,): 7.0}}, python="3.10")
    data = json.loads(wrong_machine.read_text())
    data["params"]["machine"] = "elsewhere"
    wrong_machine.write_text(json.dumps(data))
    loaded = load(folder)
    assert {f.python for f in loaded.figures} == {"3.8"}
    assert len(loaded.problems) == 2
    assert all("Restore it from git or rerun asv" in problem for problem in loaded.problems)
    assert any(broken.name in problem for problem in loaded.problems)
    assert any("machine name is not 'box'" in problem for problem in loaded.problems)


def test_a_machine_folder_whose_machine_json_disagrees_is_skipped_and_named(
        results_writer: Callable[..., Path]) -> None:
    folder = results_writer({TASK_COST: {(1,): 5.0}})
    (folder / "box" / "machine.json").write_text('{"machine": "other", "version": 1}')
    loaded = load(folder)
    assert not loaded.figures
    assert "names machine 'other'" in loaded.problems[0]


def test_a_results_file_replaced_by_a_folder_is_named_not_skipped(
        results_writer: Callable[..., Path]) -> None:
    """asv walks past a folder named like a results file; the views fell back to an older
    run without a word."""
    folder = results_writer({TASK_COST: {(1,): 5.0}}, python="3.8", date=1)
    newer = write_results(folder, {TASK_COST: {(1,): 6.0}}, python="3.8", commit="b" * 40,
                          date=2)
    newer.unlink()
    newer.mkdir()
    loaded = load(folder)
    (problem,) = loaded.problems
    assert f"{newer} is a folder where a results file belongs" in problem


def test_an_integer_too_large_for_a_float_is_no_figure(
        results_writer: Callable[..., Path]) -> None:
    folder = results_writer({TASK_COST: {(1,): 5.0, (10,): 6.0}}, python="3.8")
    path = folder / "box" / f"{'a' * 8}-virtualenv-py3.8.json"
    data = json.loads(path.read_text())
    data["results"][TASK_COST.name][0][0] = 10 ** 400
    path.write_text(json.dumps(data))
    values = {f.params: f.value for f in load(folder).figures}
    assert values[(1,)] is None and values[(10,)] == 6.0


def test_a_missing_folder_is_a_problem_not_an_empty_success(tmp_path: Path) -> None:
    loaded = load(tmp_path / "nowhere")
    assert not loaded.figures and "does not exist" in loaded.problems[0]


def test_the_newest_run_is_taken_whole(results_writer: Callable[..., Path]) -> None:
    results_writer({TASK_COST: {(1,): 5.0, (10,): 6.0}}, commit="a" * 40, date=1)
    folder = results_writer({TASK_COST: {(1,): 7.0}}, commit="b" * 40, date=2)
    newest = [f for f in latest(load(folder).figures) if f.value is not None]
    assert [(f.params, f.value) for f in newest] == [((1,), 7.0)]


def test_a_rerun_of_the_same_commit_is_newer_by_when_it_ran(
        results_writer: Callable[..., Path]) -> None:
    results_writer({TASK_COST: {(1,): 5.0}}, python="3.8", started=1_000)
    folder = results_writer({TASK_COST: {(1,): 9.0}}, python="3.8", commit="c" * 40,
                            started=2_000)
    newest = [f.value for f in latest(load(folder).figures) if f.value is not None]
    assert newest == [9.0]

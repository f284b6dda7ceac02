"""The answer tables: one row per interpreter with its cost in both settings and its step from
the interpreter it is compared with, named once per row; every interpreter against fixed
bases, named once per column; and the post's one figure beside the figure measured as it."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from conftest import per_block, write_block_log, write_results
from taskbench.catalogue import FIRST_CYCLE, TASK_COST, TEXTUAL_SHARE
from taskbench.reports import markdown
from taskbench.reports.answer import (
    AGAINST,
    FIRST_OF_FAMILY,
    POST,
    POST_STEP,
    WARM,
    WARM_STEP,
    answer_table,
    bases_table,
    post_sentence,
)
from taskbench.reports.classic import kind_of
from taskbench.reports.views import Index, read_index


@pytest.fixture
def index(world: Path) -> Index:
    found, problems = read_index(world)
    assert not problems
    return found


def _row(index: Index, env: str) -> list[str]:
    table = answer_table(index, "box")
    return next([cell.text for cell in row] for row in table.rows if row[0].text == env)


def test_one_row_per_interpreter_in_version_order_with_both_settings(index: Index) -> None:
    table = answer_table(index, "box")
    assert [row[0].text for row in table.rows] == ["3.8", "3.12", "3.13"]
    assert table.header[WARM] == f"{kind_of(TASK_COST, 100_000)}, 100,000 tasks: µs per task"
    assert table.header[POST] == ("first cycle, 1,000,000 tasks (the post's setting): µs per "
                                  "task")
    assert table.header[WARM_STEP] == table.header[POST_STEP] == "its step"


def test_cost_in_microseconds_with_its_interval_in_each_setting(index: Index) -> None:
    row = _row(index, "3.12")
    # 3.12 takes 10 µs per task warm and 12.5 µs in a first cycle at 1,000,000, in every
    # block give or take 1%: each figure is near their geometric mean, with an interval.
    for column, seconds in ((WARM, 1e-5), (POST, 1.25e-5)):
        mean = statistics.geometric_mean(per_block(seconds, n=5 if column == POST else 8)) * 1e6
        value = float(row[column].split(" (")[0])
        low, high = (float(x) for x in row[column].split("(")[1].rstrip(")").split("–"))
        assert low <= value <= high and abs(value - mean) < 0.02 * mean, row[column]


def test_the_step_names_what_it_is_compared_with_once_and_says_by_how_much(
        index: Index) -> None:
    row = _row(index, "3.13")
    assert row[AGAINST] == "3.12"
    assert row[WARM_STEP].startswith("1.30× faster (1.2") and "than" not in row[WARM_STEP]
    assert row[POST_STEP].startswith("1.30× faster (1.")
    table = answer_table(index, "box")
    cell = next(row[WARM_STEP] for row in table.rows if row[0].text == "3.13")
    assert cell.kind == "real"


def test_a_figure_of_another_benchmark_version_is_named_not_dropped(index: Index) -> None:
    table = answer_table(index, "box")
    row = next(row for row in table.rows if row[0].text == "3.8")
    assert row[WARM].text == "n/a" and "task-cost-0" in row[WARM].title and \
        TASK_COST.version in row[WARM].title
    assert row[AGAINST].text == FIRST_OF_FAMILY


def test_an_interpreter_without_either_figure_is_named_below_the_table(
        index: Index, world: Path) -> None:
    write_results(world, {TEXTUAL_SHARE: {(1_000,): [2.0, 2.1, 2.2]}}, python="3.11")
    found, problems = read_index(world)
    assert not problems
    table = answer_table(found, "box")
    assert "3.11" not in [row[0].text for row in table.rows]
    text = markdown.table(table)
    assert "Not in this table, with no `TaskCost` or `FirstCycle` figure on this machine " \
           "(see the other tables): 3.11." in text
    assert "n/a where `TaskCost` at 100,000 tasks was measured by another version of the " \
           f"benchmark than the catalogue's {TASK_COST.version}, never compared with it: " \
           "3.8." in text
    assert not [note for note in answer_table(index, "box").notes if "Not in this table" in note]


def test_the_notes_state_the_baseline_the_rule_and_the_direction_once(index: Index) -> None:
    text = markdown.table(answer_table(index, "box"))
    assert "`TaskCost`" in text and "`FirstCycle`" in text and "95% interval" in text
    assert "within one run" in text and "Bonferroni" in text and "simultaneous" in text
    assert text.count("× reads one way") == 1 and "Compared with (A)" in text
    assert "at commit `aaaaaaaa`" in text


def test_the_first_of_a_family_is_judged_against_the_same_version_built_otherwise(
        tmp_path: Path) -> None:
    results = tmp_path / "results"
    for python, env_vars, seconds in (("3.14-debian", None, 5e-6),
                                      ("3.14-debian", {"PYTHON_JIT": "1"}, 4e-6)):
        write_results(results, {TASK_COST: {(100_000,): per_block(seconds)}}, python=python,
                      env_vars=env_vars)
    found, problems = read_index(results)
    assert not problems
    rows = {row[0].text: row for row in answer_table(found, "box").rows}
    assert rows["3.14-debian"][AGAINST].text == FIRST_OF_FAMILY
    assert rows["3.14-debian PYTHON_JIT=1"][AGAINST].text == "3.14-debian (JIT)"
    # No block log here, so the two are compared by their own processes, and say so.
    step = rows["3.14-debian PYTHON_JIT=1"][WARM_STEP].text
    assert step.startswith("1.25× faster (") and step.endswith(", unpaired")
    assert rows["3.14-debian PYTHON_JIT=1"][POST].text == "n/a"  # not measured: said


def _reversing(tmp_path: Path) -> Index:
    """3.13 is 1.2× faster than 3.12 warm and 1.2× slower in a first cycle at 1,000,000."""
    results = tmp_path / "results"
    for python, warm, post in (("3.12", 1.2e-5, 1.0e-5), ("3.13", 1.0e-5, 1.2e-5)):
        write_results(results, {TASK_COST: {(100_000,): per_block(warm, n=5)},
                                FIRST_CYCLE: {(100_000,): per_block(warm, n=5),
                                              (1_000_000,): per_block(post, n=5)}},
                      python=python)
    write_block_log(results)
    found, problems = read_index(results)
    assert not problems
    return found


def test_a_step_that_reverses_shows_both_ways_in_one_row(tmp_path: Path) -> None:
    rows = {row[0].text: row for row in answer_table(_reversing(tmp_path), "box").rows}
    assert rows["3.13"][WARM_STEP].text.startswith("1.20× faster (")
    assert rows["3.13"][POST_STEP].text.startswith("1.20× slower (")


def test_every_interpreter_against_each_fixed_base_measured(tmp_path: Path) -> None:
    results = tmp_path / "results"
    for python, seconds in (("3.8", 1.5e-5), ("3.11", 1e-5), ("3.13", 0.8e-5)):
        write_results(results, {TASK_COST: {(100_000,): per_block(seconds)}}, python=python)
    write_block_log(results)
    found, _ = read_index(results)
    table = bases_table(found, "box")
    assert table is not None
    steady = kind_of(TASK_COST, 100_000)
    assert table.header == ["interpreter", f"against 3.8, {steady}, 100,000 tasks",
                            "against 3.8, first cycle, 1,000,000 tasks (the post's setting)",
                            f"against 3.11, {steady}, 100,000 tasks",
                            "against 3.11, first cycle, 1,000,000 tasks (the post's setting)"]
    rows = {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}
    assert rows["3.8"][0] == "the base" and rows["3.11"][2] == "the base"
    assert rows["3.11"][0].startswith("1.50× faster (") and "than" not in rows["3.11"][0]
    assert rows["3.8"][2].startswith("1.50× slower (")
    assert rows["3.13"][1] == "n/a"  # no first cycle measured: said, not guessed
    # Each column is one family of the other two: the rule says so.
    assert "for the 2 comparisons of the column" in table.notes[0]


def test_no_fixed_base_table_without_a_base(index: Index) -> None:
    assert bases_table(index, "another machine") is None


def test_the_posts_figure_stands_beside_the_figure_measured_as_it(index: Index) -> None:
    said = post_sentence(index, "box")
    # The post's first row: a fresh process's first cycle at 100,000 tasks, 280K tasks/s.
    assert "3.57 µs (280K tasks/s)" in said and "`FirstCycle` at 100,000" in said
    # 3.12: 11 µs per task in every block, give or take 1%; 3.13: 1.3 times faster.
    assert re.search(r"takes 8\.4\d µs \(3\.13\) to 1[01]\.\d\d µs \(3\.12\) on `box`", said)


def test_no_post_sentence_without_that_figure(tmp_path: Path) -> None:
    results = tmp_path / "results"
    write_results(results, {TASK_COST: {(100_000,): per_block(1e-5)}}, python="3.12")
    found, _ = read_index(results)
    assert post_sentence(found, "box") == ""

"""The answer table: one row per interpreter, its build, its cost with an interval, its exact
instructions and its verdict against the previous version of its family."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from conftest import per_block, write_results
from taskbench.catalogue import TASK_COST, TEXTUAL_SHARE
from taskbench.reports import markdown
from taskbench.reports.answer import (
    BUILD,
    COST,
    INSTRUCTIONS_COLUMN,
    RATE,
    VERDICT,
    answer_sentence,
    answer_table,
    build_text,
)
from taskbench.reports.views import Index, read_index

PYENV_312 = {"python": "3.12", "version": "3.12.7", "implementation": "CPython",
             "source": "pyenv", "optimisation": "-O3", "pgo": "no", "lto": "no"}


@pytest.fixture
def index(world: Path) -> Index:
    found, problems = read_index(world)
    assert not problems
    return found


def _row(index: Index, env: str) -> list[str]:
    table = answer_table(index, "box", {"3.12": PYENV_312})
    return next([cell.text for cell in row] for row in table.rows if row[0].text == env)


def test_one_row_per_interpreter_in_version_order(index: Index) -> None:
    table = answer_table(index, "box")
    assert [row[0].text for row in table.rows] == ["3.8", "3.12", "3.13"]
    assert table.header[COST] == "µs per task (95% interval)" and table.header[RATE] == "K tasks/s"


def test_cost_in_microseconds_with_its_interval_and_as_tasks_per_second(index: Index) -> None:
    row = _row(index, "3.12")
    # 3.12 takes 10 µs per task in every block, give or take 1%: the figure is their
    # geometric mean, with an interval around it.
    mean = statistics.geometric_mean(per_block(1e-5)) * 1e6
    low, high = (float(x) for x in row[COST].split("(")[1].rstrip(")").split("–"))
    assert row[COST].startswith(f"{mean:.2f} (") and low < mean < high < 10.1
    assert row[RATE] == "100"
    assert row[INSTRUCTIONS_COLUMN] == "40,000"  # instructions per task, exact


def test_the_verdict_names_the_previous_version_and_says_by_how_much(index: Index) -> None:
    row = _row(index, "3.13")
    assert row[VERDICT].startswith("1.30× faster than 3.12 (1.2")
    table = answer_table(index, "box")
    cell = next(row[VERDICT] for row in table.rows if row[0].text == "3.13")
    assert cell.kind == "real"


def test_a_figure_of_another_benchmark_version_is_named_not_dropped(index: Index) -> None:
    table = answer_table(index, "box")
    row = next(row for row in table.rows if row[0].text == "3.8")
    assert row[COST].text == "n/a" and "task-cost-0" in row[COST].title and \
        TASK_COST.version in row[COST].title
    assert row[INSTRUCTIONS_COLUMN].text == "n/a" and "valgrind" in row[INSTRUCTIONS_COLUMN].title
    assert row[VERDICT].text == "first of its family here"


def test_an_interpreter_without_the_headline_is_named_below_the_table(
        index: Index, world: Path) -> None:
    """An interpreter measured only by other benchmarks dropped out of the answer without a
    word; one measured by another version of the headline showed n/a without saying why in
    Markdown (only on hover, on the site)."""
    write_results(world, {TEXTUAL_SHARE: {(1_000,): [2.0, 2.1, 2.2]}}, python="3.11")
    found, problems = read_index(world)
    assert not problems
    table = answer_table(found, "box")
    assert "3.11" not in [row[0].text for row in table.rows]
    text = markdown.table(table)
    assert "Not in this table, with no `TaskCost` figure on this machine (see the other " \
           "tables): 3.11." in text
    assert "n/a where `TaskCost` at 100,000 tasks was measured by another version of the " \
           "benchmark, never compared with this one: 3.8 (version task-cost-0, not the " \
           f"catalogue's {TASK_COST.version})." in text
    assert not [note for note in answer_table(index, "box").notes if "Not in this table" in note]


def test_the_build_comes_from_the_build_facts(index: Index) -> None:
    assert _row(index, "3.12")[BUILD] == "CPython 3.12.7, pyenv, -O3"
    table = answer_table(index, "box", {"3.12": PYENV_312})
    no_facts = next(row[BUILD] for row in table.rows if row[0].text == "3.13")
    assert no_facts.text == "n/a" and "build facts" in no_facts.title
    debian = {"implementation": "CPython", "version": "3.14.0", "source": "debian sid",
              "optimisation": "-O2", "pgo": "yes (Debian's packaging)",
              "lto": "yes (Debian's packaging)"}
    assert build_text(debian, "PYTHON_JIT=1") == "CPython 3.14.0, debian sid, -O2, PGO, LTO, " \
                                                 "PYTHON_JIT=1"
    pypy = {"implementation": "PyPy", "version": "3.11.17", "source": "sid",
            "optimisation": "-O2", "pgo": "unknown", "lto": "unknown"}
    assert build_text(pypy, "") == "PyPy 3.11.17, sid, -O2"


def test_the_sentence_says_where_and_gives_the_posts_figure_beside(index: Index) -> None:
    sentence = answer_sentence(index, "box")
    assert "`box`" in sentence and "`aaaaaaaa`" in sentence
    assert "3.57 µs (280K tasks/s)" in sentence


def test_the_markdown_says_what_the_figures_are_and_that_verdicts_hold_in_this_run(
        index: Index) -> None:
    text = markdown.table(answer_table(index, "box"))
    assert "`TaskCost` at 100,000 tasks" in text and "95% interval" in text
    assert "within one run" in text and "Bonferroni" in text and "simultaneous" in text


def test_the_first_of_a_family_is_judged_against_the_same_version_built_otherwise(
        tmp_path: Path) -> None:
    results = tmp_path / "results"
    for python, env_vars, seconds in (("3.14-debian", None, 5e-6),
                                      ("3.14-debian", {"PYTHON_JIT": "1"}, 4e-6)):
        write_results(results, {TASK_COST: {(100_000,): per_block(seconds)}}, python=python,
                      env_vars=env_vars)
    found, problems = read_index(results)
    assert not problems
    table = answer_table(found, "box")
    verdicts = {row[0].text: row[VERDICT].text for row in table.rows}
    assert verdicts["3.14-debian"] == "first of its family here"
    # No block log here, so the two are compared by their own processes, and say so.
    assert verdicts["3.14-debian PYTHON_JIT=1"].startswith("1.25× faster than 3.14-debian (")
    assert verdicts["3.14-debian PYTHON_JIT=1"].endswith(", unpaired")

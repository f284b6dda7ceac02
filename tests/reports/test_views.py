"""The view models and their Markdown: every interpreter shown, intervals, verdicts and marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import write_results
from taskbench import blocklog
from taskbench.catalogue import TASK_COST
from taskbench.reports import markdown
from taskbench.reports.anatomy import anatomies
from taskbench.reports.anatomy_tables import cost_table, speedup_table
from taskbench.reports.answer import WARM, answer_table
from taskbench.reports.classic import (
    classic_table,
    replica_table,
    steps,
    steps_table,
    what_differs,
)
from taskbench.reports.findings import sentences
from taskbench.reports.views import Index, read_index


@pytest.fixture
def index(world: Path) -> Index:
    found, problems = read_index(world)
    assert not problems
    return found


def test_the_classic_table_has_every_interpreter_and_kind_of_figure(index: Index) -> None:
    table = classic_table(index, "box")
    assert table.header == ["count", "3.8", "3.12", "3.13"]
    warm = next(row for row in table.rows if row[0].text == "100,000 (steady)")
    assert warm[1].text == "91" and warm[1].kind == "older"  # an older benchmark version
    assert warm[2].text.startswith("100 (") and warm[2].kind == ""  # mean (interval)
    first = next(row for row in table.rows if row[0].text == "1,000,000 (first cycle)")
    assert first[1].text == "77" and first[1].kind == "single"  # one process, no interval
    text = markdown.table(table)
    assert "| 100,000 (steady) | 91† | 100 (" in text
    assert "†: measured by an earlier version of the benchmark" in text
    assert "‡: one process, no interval" in text


def test_column_headings_carry_the_full_version_where_it_is_known(index: Index) -> None:
    versions = {"3.12": "3.12.7", "3.13": "3.13.0"}
    assert classic_table(index, "box", versions).header == [
        "count", "3.8", "3.12 (3.12.7)", "3.13 (3.13.0)"]
    assert replica_table(index, "box", versions).header[2:] == ["3.12 (3.12.7)",
                                                               "3.13 (3.13.0)"]


def test_a_build_step_that_also_changes_the_patch_version_says_so() -> None:
    assert what_differs("build", "3.11", "3.11-debian",
                        {"3.11": "3.11.7", "3.11-debian": "3.11.2"}) == \
        "build, and patch version 3.11.7 → 3.11.2"
    assert what_differs("build", "3.13", "3.13-debian",
                        {"3.13": "3.13.5", "3.13-debian": "3.13.5"}) == "build"
    assert what_differs("JIT", "3.14-debian", "3.14-debian PYTHON_JIT=1", {}) == "JIT"
    # Consecutive versions differ in version by definition: nothing to add.
    assert what_differs("version", "3.12", "3.13", {"3.12": "3.12.7", "3.13": "3.13.0"}) == \
        "version"


def test_steps_name_what_differs(index: Index) -> None:
    assert ("3.12", "3.13", "version") in steps(index.environments("box"))
    assert ("3.11", "3.11-debian", "build") in steps(["3.11", "3.11-debian"])
    assert ("3.14-debian", "3.14-debian PYTHON_JIT=1", "JIT") in steps(
        ["3.14-debian", "3.14-debian PYTHON_JIT=1"])


def test_steps_are_judged_pair_by_pair_and_unpaired_ones_say_so(index: Index) -> None:
    table = steps_table(index, "box")
    row = next(row for row in table.rows if row[0].text == "3.12 → 3.13")
    # 3.13 takes 1/1.3 of 3.12's time in every block: 30% faster, decided.
    assert row[2].kind == "real" and row[2].text.startswith("1.30× faster (1.2")
    older = next(row for row in table.rows if row[0].text == "3.8 → 3.12")
    assert older[2].text == "n/a"  # an older benchmark version is never compared
    # 3.8 has one process at 1,000,000 tasks (no block log, no spread): nothing to judge by.
    assert older[3].text == "n/a" and "3.8" not in table.notes[0]
    text = markdown.table(table)
    assert "Bonferroni" in text and "simultaneous 95% interval" in text


def test_the_replica_stands_beside_the_posts_figures(index: Index) -> None:
    table = replica_table(index, "box")
    assert table.header[1].startswith("the post")
    first = table.rows[0]
    assert first[1].text == "280"  # the post's own 100,000-task row, in thousands
    assert first[2].kind == "single"  # one process, no interval


def test_the_anatomy_keeps_decided_effects_and_the_rest_apart(index: Index) -> None:
    found = anatomies(index, "box")
    assert list(found) == ["3.12", "3.13"]
    speedups = speedup_table(found, "box")
    uvloop = speedups.header.index("create_task+wait (uvloop)")
    gather = speedups.header.index("gather (asyncio)")
    row = speedups.rows[0]
    assert row[uvloop].kind == "real" and row[uvloop].text.startswith("1.25×")
    assert row[gather].kind == "noise" and row[gather].text.startswith("undecided")
    costs = markdown.table(cost_table(found, "box"))
    # µs per task at 100,000 tasks: FirstCycle's, 1.1 times the warm cost, and it says so.
    assert "| 3.12 | 11.0" in costs and "µs per task (`FirstCycle`)" in costs
    lines = "\n".join(sentences(found))
    assert "uvloop runs the classic cycle at 1.25 times" in lines
    assert "real on 2 of 2 interpreters" in lines
    assert "`gather` makes tasks at 1.00 times" in lines and "undecided on 3.12, 3.13" in lines
    # The collector's share: without it, half the warm cost, against a first cycle 1.1 times
    # the warm cost: 55%, the same in every block.
    assert "share of the cycle's CPU time at 100,000 tasks: 3.12 55% (55–55)" in lines


def test_markers_are_required_once_and_in_order() -> None:
    text = "a <!-- x:begin -->old<!-- x:end --> b"
    assert markdown.replace_block(text, "x", "new\n") == "a <!-- x:begin -->\nnew\n<!-- x:end --> b"
    for broken in ("no markers", "<!-- x:end --><!-- x:begin -->",
                   "<!-- x:begin --><!-- x:begin --><!-- x:end -->"):
        with pytest.raises(markdown.MarkerError):
            markdown.replace_block(broken, "x", "new")


def test_the_build_facts_read_as_words_left_aligned() -> None:
    from taskbench.reports.sections import facts_table

    record = {"python": "3.12", "version": "3.12.1", "c_asyncio": True, "optimisation": "-O3"}
    table = facts_table([record], "box")
    said = dict(zip(table.header, (cell.text for cell in table.rows[0])))
    assert "True" not in said.values() and "yes" in said.values()
    assert all(table.is_text(column) for column in range(len(table.header)))


def test_a_value_hit_by_interference_is_named_under_the_steps_and_the_answer(
        tmp_path: Path) -> None:
    import math
    import random

    from conftest import write_block_log, write_results
    from taskbench.catalogue import TASK_COST
    from taskbench.reports.answer import answer_table

    draw = random.Random(5)
    folder = tmp_path / "results"
    for python, level in (("3.10", 1.3e-5), ("3.11", 8.6e-6), ("3.12", 8.7e-6), ("3.13", 7.5e-6)):
        values = [level * math.exp(draw.gauss(0, 0.01)) for _ in range(5)]
        if python == "3.12":
            values[3] *= 1.4  # a burst of the host in the fourth block
        write_results(folder, {TASK_COST: {(100_000,): values}}, python=python)
    write_block_log(folder)
    index, problems = read_index(folder)
    assert not problems
    note = next(n for n in steps_table(index, "box").notes if n.startswith("Set aside"))
    assert re.search(r"3\.12 in block 4 at 100,000 tasks \(steady, \+(3[5-9]|4[0-5])%\)", note)
    assert "19 values averaged in" in note
    assert any("3.12 in block 4" in n for n in answer_table(index, "box").notes)
    model = index.model("box", TASK_COST, 100_000)
    assert model is not None and model.used["3.12"] == 4


# --- a figure from an earlier run is marked -------------------------------------------------

def _two_runs(tmp_path: Path, *, same_commit: bool) -> Index:
    """3.12 and 3.13 in an earlier run; only 3.13 in the newest (at a newer commit, or at the
    same commit, where a run in blocks says which environments it measured)."""
    results = tmp_path / "results"
    newer = "a" * 40 if same_commit else "b" * 40
    write_results(results, {TASK_COST: {(100_000,): [1e-5, 1.01e-5]}}, python="3.12",
                  date=1, started=1000)
    write_results(results, {TASK_COST: {(100_000,): [8e-6, 8.1e-6]}}, python="3.13",
                  commit=newer, date=1 if same_commit else 2, started=5000)
    blocklog.write(results / "box" / blocklog.BLOCKS_FILE, [
        {"commit": newer, "env_name": "", "run": 5000,
         "blocks": [{"order": ["virtualenv-py3.13"], "minutes": 1.0}]}])
    found, problems = read_index(results)
    assert not problems
    return found


@pytest.mark.parametrize("same_commit", [False, True], ids=["older-commit", "same-commit"])
def test_a_figure_from_an_earlier_run_is_marked_wherever_it_is_shown(
        tmp_path: Path, same_commit: bool) -> None:
    index = _two_runs(tmp_path, same_commit=same_commit)
    classic = classic_table(index, "box")
    warm = next(row for row in classic.rows if row[0].text.startswith("100,000 ("))
    assert [cell.kind for cell in warm[1:]] == ["earlier", ""]
    assert "aaaaaaaa" in warm[1].title
    answer = answer_table(index, "box")
    assert [row[WARM].kind for row in answer.rows] == ["earlier", ""]
    text = markdown.table(answer)
    assert "| 3.12 | none: first of its family here | 10.05 (" in text and ")◊ |" in text
    assert "◊: measured in an earlier run than the newest on this machine" in text


def test_an_interpreter_missing_from_the_newest_run_is_never_paired_with_it(
        tmp_path: Path) -> None:
    import math
    import random

    from conftest import write_block_log, write_results
    from taskbench.catalogue import TASK_COST

    draw = random.Random(8)
    folder = tmp_path / "results"
    for commit, date, pythons in (("a", 1, ("3.11", "3.12", "3.13")), ("b", 2, ("3.11", "3.12"))):
        for python in pythons:
            values = [1e-5 * math.exp(draw.gauss(0, 0.01)) for _ in range(5)]
            write_results(folder, {TASK_COST: {(100_000,): values}}, python=python,
                          commit=commit * 40, date=date, started=date * 1000)
    write_block_log(folder)
    index, _ = read_index(folder)
    model = index.model("box", TASK_COST, 100_000)
    assert model is not None and set(model.series) == {"3.11", "3.12"}  # the newest run only
    row = next(row for row in steps_table(index, "box").rows if row[0].text == "3.12 → 3.13")
    assert row[2].kind == "unpaired" and row[2].text.endswith(", unpaired")


def test_an_interpreter_left_by_an_earlier_run_at_the_same_commit_is_never_paired(
        tmp_path: Path) -> None:
    # An earlier run at this commit measured 3.11 (its block 3 slow); the newest run measured
    # 3.12 and 3.13 only. 3.11's blocks are another run's: its figure is marked ◊ and must not
    # enter the newest run's model, be set aside against its blocks, or be called paired.
    folder = tmp_path / "results"
    slow_third = [1.1e-5 * f for f in (1, 1.01, 1.2, 0.99, 1)]
    write_results(folder, {TASK_COST: {(100_000,): slow_third}}, python="3.11", started=1000)
    for python, seconds in (("3.12", 1e-5), ("3.13", 9e-6)):
        write_results(folder, {TASK_COST: {(100_000,): [seconds * f for f in
                                                        (1, 1.01, 0.99, 1.02, 1)]}},
                      python=python, started=2000)
    call = TASK_COST.call_name((100_000,))
    blocklog.write(folder / "box" / blocklog.BLOCKS_FILE, [
        *({"commit": "a" * 40, "env_name": f"virtualenv-py{python}", "run": run,
           "figures": {call: [0, 1, 2, 3, 4]}}
          for python, run in (("3.11", 1000), ("3.12", 2000), ("3.13", 2000))),
        {"commit": "a" * 40, "env_name": "", "run": 2000,
         "blocks": [{"order": ["virtualenv-py3.12", "virtualenv-py3.13"], "minutes": 1.0}] * 5}])
    index, problems = read_index(folder)
    assert not problems
    model = index.model("box", TASK_COST, 100_000)
    assert model is not None and model.series == ("3.12", "3.13") and not model.set_aside
    row = next(row for row in steps_table(index, "box").rows if row[0].text == "3.11 → 3.12")
    assert row[2].kind == "unpaired" and row[2].text.endswith(", unpaired")

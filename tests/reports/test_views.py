"""The view models and their Markdown: every interpreter shown, intervals and marks kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from taskbench.asvadapter.results import latest, load
from taskbench.reports import markdown
from taskbench.reports.anatomy import anatomies, cost_table, speedup_table
from taskbench.reports.classic import (
    classic_table,
    cost_sentence,
    replica_table,
    steps,
    steps_table,
)
from taskbench.reports.findings import sentences
from taskbench.reports.views import Index


@pytest.fixture
def index(world: Path) -> Index:
    loaded = load(world)
    assert not loaded.problems
    return Index(latest(loaded.figures))


def test_the_classic_table_has_every_interpreter_in_version_order(index: Index) -> None:
    table = classic_table(index, "box")
    assert table.header == ["count", "3.8", "3.12", "3.13"]
    row = next(row for row in table.rows if row[0].text == "100,000")
    assert row[1].text == "90" and row[1].kind == "older"  # no samples, older benchmark
    assert row[2].text.startswith("100 (") and row[2].kind == ""  # median (interval)
    text = markdown.table(table)
    assert "| 100,000 | 90† | 100 (" in text
    assert "†: measured by an earlier version of the benchmark" in text


def test_steps_name_what_differs_and_judge_with_asvs_test(index: Index) -> None:
    assert ("3.12", "3.13", "version") in steps(index.environments("box"))
    assert ("3.11", "3.11-debian", "build") in steps(["3.11", "3.11-debian"])
    assert ("3.14-debian", "3.14-debian PYTHON_JIT=1", "JIT") in steps(
        ["3.14-debian", "3.14-debian PYTHON_JIT=1"])
    table = steps_table(index, "box")
    row = next(row for row in table.rows if row[0].text == "3.12 → 3.13")
    assert row[2].kind == "real" and row[2].text.endswith("faster")
    older = next(row for row in table.rows if row[0].text == "3.8 → 3.12")
    assert "no interval" in older[2].text


def test_the_replica_stands_beside_the_posts_figures(index: Index) -> None:
    table = replica_table(index, "box")
    assert table.header[1].startswith("the post")
    first = table.rows[0]
    assert first[1].text == "280"  # the post's own 100,000-task row, in thousands
    assert first[2].kind == "single"  # one process, no interval


def test_the_answer_gives_the_cheapest_and_dearest_task(index: Index) -> None:
    sentence = cost_sentence(index, "box")
    assert "(3.13)" in sentence and "(3.8)" in sentence and "µs" in sentence


def test_the_anatomy_keeps_real_effects_and_noise_apart(index: Index) -> None:
    found = anatomies(index, "box")
    assert list(found) == ["3.12", "3.13"]
    speedups = speedup_table(found, "box")
    uvloop = speedups.header.index("create_task+wait (uvloop)")
    gather = speedups.header.index("gather (asyncio)")
    row = speedups.rows[0]
    assert row[uvloop].kind == "real" and row[uvloop].text.startswith("1.25×")
    assert row[gather].kind == "noise" and row[gather].text.startswith("within noise")
    costs = markdown.table(cost_table(found, "box"))
    assert "| 3.12 | 10.00 (" in costs  # µs per task at 100,000 tasks/s
    lines = "\n".join(sentences(found))
    assert "uvloop runs the classic cycle at 1.25 times" in lines
    assert "real on 2 of 2 interpreters" in lines
    assert "`gather` makes tasks at 1.01 times" in lines and "within noise on 3.12, 3.13" in lines
    # The collector's share: half the CPU time, real on both.
    assert "share of the cycle's CPU time at 500,000 tasks: 3.12 50%" in lines


def test_markers_are_required_once_and_in_order() -> None:
    text = "a <!-- x:begin -->old<!-- x:end --> b"
    assert markdown.replace_block(text, "x", "new\n") == "a <!-- x:begin -->\nnew\n<!-- x:end --> b"
    for broken in ("no markers", "<!-- x:end --><!-- x:begin -->",
                   "<!-- x:begin --><!-- x:begin --><!-- x:end -->"):
        with pytest.raises(markdown.MarkerError):
            markdown.replace_block(broken, "x", "new")

"""How well a count predicts the timings: ranks by Kendall's tau, and each step's predicted
ratio against its paired interval, on made-up counts, timings and intervals; the comparison
of instructions with the retired weighted sum, read from results asv wrote."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from scipy import stats

from conftest import write_block_log, write_results
from taskbench.catalogue import CLASSIC_SPAWN, INSTRUCTIONS, TASK_COST
from taskbench.reports.predictors import WEIGHTED, compare, predict, read_run
from taskbench.reports.stats import Estimate
from taskbench.reports.views import read_index

SECONDS = {"a": 10.0, "b": 8.0, "c": 6.0, "d": 5.0}


def test_the_ranks_are_kendalls_tau_over_the_interpreters_with_both() -> None:
    counts = {"a": 100.0, "b": 70.0, "c": 75.0, "d": 50.0, "e": 1.0}  # e has no timing
    found = predict(counts, SECONDS, [])
    expected = stats.kendalltau([100, 70, 75, 50], [10, 8, 6, 5]).statistic
    assert found.tau == pytest.approx(expected) and found.interpreters == 4
    assert found.tau < 1  # b and c swapped
    assert predict({"a": 1.0, "b": 2.0}, SECONDS, []).tau is None  # too few to rank


def test_a_step_is_predicted_when_the_ratio_of_counts_lies_in_its_interval() -> None:
    counts = {"a": 120.0, "b": 100.0, "c": 50.0}
    judged = [("a", "b", Estimate(1.18, 1.15, 1.21)),  # predicted 1.2: inside
              ("b", "c", Estimate(1.5, 1.45, 1.55)),  # predicted 2.0: outside
              ("c", "d", Estimate(1.0, 0.9, 1.1))]  # d has no count: not a step it covers
    found = predict(counts, SECONDS, judged)
    assert (found.inside, found.steps) == (1, 2)
    misses = [math.log(1.2 / 1.18), math.log(2.0 / 1.5)]
    rms = 100 * (math.exp(math.sqrt(sum(m * m for m in misses) / 2)) - 1)
    assert found.rms_miss_percent == pytest.approx(rms)


def test_a_ratio_on_the_edge_of_the_interval_is_inside() -> None:
    found = predict({"a": 3.0, "b": 2.0}, SECONDS, [("a", "b", Estimate(1.4, 1.3, 1.5))])
    assert found.inside == 1 and found.rms_miss_percent == pytest.approx(100 * (1.5 / 1.4 - 1))


def test_the_comparison_reads_a_run_of_an_older_version_with_the_retired_sums(
        tmp_path: Path) -> None:
    results = tmp_path / "results"
    older = replace(TASK_COST, version="task-cost-0")  # as the committed runs were measured
    timings = {"3.12": [8.0, 8.1, 7.9, 8.0], "3.13": [4.0, 4.1, 4.0, 3.9],
               "3.14": [3.0, 3.1, 2.9, 3.0]}
    counts = {"3.12": (200.0, 300.0), "3.13": (100.0, 260.0), "3.14": (75.0, 150.0)}
    for python, seconds in timings.items():
        instructions, weighted = counts[python]
        write_results(results, {older: {(100_000,): seconds},
                                INSTRUCTIONS: {CLASSIC_SPAWN: instructions},
                                WEIGHTED: {CLASSIC_SPAWN: weighted}}, python=python)
    write_block_log(results)
    shown, _ = read_index(results)
    # The views leave the older timings out: nothing to rank, no step.
    assert all((found.interpreters, found.steps) == (0, 0)
               for found in compare(shown, "box").values())
    index, problems = read_run(results, "aaaa")
    assert problems == []
    found = compare(index, "box")
    assert set(found) == {"instructions, 1,000 to 2,000 tasks",
                          "weighted sum, 1,000 to 2,000 tasks"}  # no counts by count here
    instructions, weighted = (found["instructions, 1,000 to 2,000 tasks"],
                              found["weighted sum, 1,000 to 2,000 tasks"])
    # 3.12 → 3.13 measured 2.0× faster, 3.13 → 3.14 1.33×: instructions predict both, the
    # weighted sums (1.15×, 1.73×) neither.
    assert (instructions.inside, instructions.steps, instructions.tau) == (2, 2, 1.0)
    assert (weighted.inside, weighted.steps) == (0, 2)

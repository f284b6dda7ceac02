"""What ``python -m taskbench`` says: the expected duration priced from a calibration, the time
left scaled by the pace so far, rows in µs and thousands of tasks per second with the post's
figures beside the counts it measured, and durations written one way."""

from __future__ import annotations

import json
import math

import pytest

from taskbench import clireport
from taskbench.post import POST_TASKS_PER_SECOND
from taskbench.units import duration_text
from taskbench.workloads.steady import SETTLE_CYCLES
from taskbench.workloads.timing import MIN_BATCH_SECONDS, ONE_RUN_FROM, WARM_RUNS


def test_a_process_costs_its_start_and_its_cycles_as_the_timing_runs_them() -> None:
    # From ONE_RUN_FROM tasks one cycle; below, the least warm-up (SETTLE_CYCLES batches) and
    # WARM_RUNS more, each lasting at least MIN_BATCH_SECONDS.
    assert clireport.process_seconds(ONE_RUN_FROM, 1e-5, 0.1) == pytest.approx(
        0.1 + ONE_RUN_FROM * 1e-5)
    assert clireport.process_seconds(10, 1e-5, 0.1) == pytest.approx(
        0.1 + (SETTLE_CYCLES + WARM_RUNS) * MIN_BATCH_SECONDS)
    long_batch = MIN_BATCH_SECONDS * 2 / 1e-5  # tasks whose one cycle outlasts the minimum
    below = int(min(long_batch, ONE_RUN_FROM - 1))
    assert clireport.process_seconds(below, 1e-5, 0.1) == pytest.approx(
        0.1 + (SETTLE_CYCLES + WARM_RUNS) * max(below * 1e-5, MIN_BATCH_SECONDS))


def test_the_expectation_names_the_work_and_prices_it() -> None:
    counts = [100_000, 200_000]
    said = clireport.expectation(counts, 2, 1e-5, 0.5)
    # 2 processes x (0.5 + 1 s + 0.5 + 2 s) = 8 seconds
    assert said.startswith("Measuring 2 counts (100,000 and 200,000 tasks), each in 2 fresh "
                           "processes: about 8 seconds here")
    replica = clireport.expectation(counts, None, 1e-4, 0.5)  # 300,000 tasks, no start
    assert replica.startswith("Measuring the replica of 2 counts (100,000 and 200,000 "
                              "tasks), in this process: about 30 seconds here")
    assert "each in 1 fresh process:" in clireport.expectation([5], 1, 1e-5, 0.1)


def test_the_time_left_follows_the_pace_of_the_finished_steps() -> None:
    estimates = [10.0, 20.0, 30.0]
    assert clireport.seconds_left(estimates, 0, 0.0) == 60
    assert clireport.seconds_left(estimates, 1, 20.0) == 100  # twice as slow as expected
    assert clireport.seconds_left(estimates, 2, 15.0) == 15  # twice as fast
    assert clireport.seconds_left(estimates, 3, 99.0) == 0


@pytest.mark.parametrize(("seconds", "text"), [
    (0.2, "about a second"), (1.4, "about a second"), (1.6, "about 2 seconds"),
    (9.4, "about 9 seconds"), (12, "about 10 seconds"), (13, "about 15 seconds"),
    (89, "about 90 seconds"), (91, "about 2 minutes"), (299, "about 5 minutes"),
    (86.6 * 60, "about 87 minutes"),
])
def test_a_duration_is_written_to_an_estimates_precision(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text


def test_a_row_gives_both_units_and_the_posts_figure_where_it_has_one() -> None:
    row = clireport.independent_row(100_000, [4e-6, 5e-6, 6e-6]).split()
    post = POST_TASKS_PER_SECOND[100_000]
    assert row == ["100,000", "5.00", "4.00", "6.00", "200",
                   f"{1e6 / post:.2f}", f"{post / 1000:.0f}"]
    assert clireport.independent_row(1_000, [2e-6, 4e-6]).split() == [
        "1,000", "3.00", "2.00", "4.00", "333"]
    assert clireport.replica_row(300, math.nan).split() == ["300", "n/a", "n/a"]
    headings = clireport.replica_header()[-1]
    assert headings.split()[:6] == ["count", "µs", "per", "task", "K", "tasks/s"]


def test_json_rows_carry_seconds_per_task() -> None:
    assert json.loads(clireport.json_row(10, [1e-6, 3e-6, 2e-6])) == {
        "count": 10, "seconds_per_task": 2e-6, "processes": [1e-6, 3e-6, 2e-6]}
    assert json.loads(clireport.json_row(10, 4e-6)) == {"count": 10, "seconds_per_task": 4e-6}

"""A figure's interval from its per-process values, intervals carried through derived
figures, and asv's test for figures that cannot be paired."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

import pytest

from conftest import samples_around
from taskbench.asvadapter.results import load
from taskbench.catalogue import TASK_COST
from taskbench.reports.stats import (
    Estimate,
    asv_says_different,
    complement,
    difference,
    estimate,
    half_width_percent,
    log_interval,
    ratio,
)


def test_a_ratio_spans_every_quotient_of_values_inside_the_intervals() -> None:
    quotient = ratio(Estimate(10, 9, 11), Estimate(5, 4, 6))
    assert quotient.value == 2
    assert (quotient.low, quotient.high) == (pytest.approx(9 / 6), pytest.approx(11 / 4))
    assert not ratio(Estimate(10), Estimate(5, 4, 6)).has_interval


def test_a_difference_and_a_complement_carry_their_intervals() -> None:
    gap = difference(Estimate(10, 9, 11), Estimate(4, 3, 5))
    assert (gap.value, gap.low, gap.high) == (6, 4, 8)
    share = complement(Estimate(0.8, 0.7, 0.9))
    assert (share.value, share.low, share.high) == pytest.approx((0.2, 0.1, 0.3))
    assert share.includes(0.25) and not share.includes(0.05)


def test_an_inverse_turns_a_rate_into_a_time_per_unit() -> None:
    per_task = Estimate(200_000, 100_000, 400_000).inverse(1e6)
    assert (per_task.value, per_task.low, per_task.high) == pytest.approx((5, 2.5, 10))


def test_a_figures_interval_is_a_t_interval_on_logarithms_around_the_geometric_mean() -> None:
    found = log_interval([1.0, 4.0])
    assert found is not None and found.value == pytest.approx(2.0)
    # t(0.975, 1) = 12.706; sem of (0, log 4) = log(4)/2.
    half = 12.706 * math.log(4) / 2
    assert found.low == pytest.approx(2 * math.exp(-half), rel=1e-3)
    assert found.high == pytest.approx(2 * math.exp(half), rel=1e-3)
    assert log_interval([3.0]) is None
    assert half_width_percent([1.0, 1.0, 1.0]) == pytest.approx(0.0)
    width = half_width_percent([0.98, 1.0, 1.02, 0.99, 1.01])
    assert width is not None and 1.0 < width < 2.5


def test_a_figure_with_one_sample_has_its_value_and_no_interval(
        results_writer: Callable[..., Path]) -> None:
    folder = results_writer({TASK_COST: {(100_000,): [2e-5], (1_000,): [1e-5, 1.1e-5]}})
    found = {f.params: estimate(f) for f in load(folder).figures if f.value is not None}
    alone, two = found[(100_000,)], found[(1_000,)]
    assert alone is not None and not alone.has_interval and alone.value == 2e-5
    assert two is not None and two.has_interval
    assert two.value == pytest.approx(math.sqrt(1e-5 * 1.1e-5))


def test_asvs_own_test_still_judges_unpaired_figures(
        results_writer: Callable[..., Path]) -> None:
    results_writer({TASK_COST: {(100_000,): samples_around(1e-5, 0.01, 15)}}, python="3.12")
    folder = results_writer({TASK_COST: {(100_000,): samples_around(1.3e-5, 0.01, 15)}},
                            python="3.13")
    a, b = sorted((f for f in load(folder).figures if f.params == (100_000,)),
                  key=lambda f: f.python)
    assert asv_says_different(a, b) is True

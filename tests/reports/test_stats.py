"""Intervals carried through derived figures, and asv's test deciding what is real."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from conftest import samples_around
from taskbench.asvadapter.results import Figure, load
from taskbench.catalogue import THROUGHPUT
from taskbench.reports.stats import Estimate, complement, difference, ratio, verdict


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


def _pair(results_writer: Callable[..., Path], first: list[float], second: list[float]
          ) -> tuple[Figure, Figure]:
    results_writer({THROUGHPUT: {(100_000,): first}}, python="3.12")
    folder = results_writer({THROUGHPUT: {(100_000,): second}}, python="3.13")
    found = {f.python: f for f in load(folder).figures if f.value is not None}
    return found["3.12"], found["3.13"]


def test_clearly_separated_samples_are_a_real_difference(
        results_writer: Callable[..., Path]) -> None:
    a, b = _pair(results_writer, samples_around(1e5, 0.01, 15), samples_around(1.3e5, 0.01, 15))
    assert verdict(a, b) == "real"


def test_overlapping_samples_are_within_noise_whatever_the_sign(
        results_writer: Callable[..., Path]) -> None:
    a, b = _pair(results_writer, samples_around(1e5, 0.05, 3), samples_around(1.02e5, 0.05, 3))
    assert verdict(a, b) == "within noise"
    assert verdict(b, a) == "within noise"


def test_figures_without_samples_have_no_verdict(results_writer: Callable[..., Path]) -> None:
    results_writer({THROUGHPUT: {(100_000,): 1e5}}, python="3.12")
    folder = results_writer({THROUGHPUT: {(100_000,): 2e5}}, python="3.13")
    a, b = sorted((f for f in load(folder).figures if f.value is not None),
                  key=lambda f: f.python)
    assert verdict(a, b) == "no interval"

"""Paired verdicts between interpreters: per-block log differences, Holm over the pairs
shown, and three outcomes, each with its size."""

from __future__ import annotations

import math
import random

import pytest

from taskbench.reports.inference import (
    EQUIVALENT,
    FASTER,
    SLOWER,
    UNDECIDED,
    holm,
    paired,
    verdicts,
)


def _blocks(seconds: float, noise: float, n: int, seed: int) -> dict[int, float]:
    draw = random.Random(seed)
    return {block: seconds * math.exp(draw.gauss(0, noise)) for block in range(n)}


def _drifting(base: dict[int, float], factor: float, noise: float, seed: int
              ) -> dict[int, float]:
    """``base`` sped up by ``factor`` in every block, with noise of its own: what pairing
    by block sees when both share each block's drift."""
    draw = random.Random(seed)
    return {block: value / factor * math.exp(draw.gauss(0, noise))
            for block, value in base.items()}


def test_pairing_sees_a_difference_that_drift_between_blocks_hides() -> None:
    # Each block's drift moves both figures alike by up to ±15%; within a block they differ
    # by 5% with 1% of noise of their own.
    a = _blocks(1e-5, 0.15, 10, seed=1)
    b = _drifting(a, 1.05, 0.01, seed=2)
    pair = paired(a, b)
    assert pair is not None and pair.blocks == 10
    assert pair.speedup.value == pytest.approx(1.05, rel=0.01)
    assert pair.speedup.low > 1.0 and pair.p_different < 0.001
    [verdict] = verdicts([pair])
    assert verdict.outcome == FASTER


def test_a_difference_within_the_margin_is_equivalent_and_the_other_way_slower() -> None:
    a = _blocks(1e-5, 0.1, 12, seed=3)
    same = _drifting(a, 1.002, 0.005, seed=4)
    slower = _drifting(a, 0.9, 0.005, seed=5)
    outcomes = [v.outcome for v in verdicts([paired(a, same), paired(a, slower)])]
    assert outcomes == [EQUIVALENT, SLOWER]


def test_noise_too_large_to_decide_says_how_many_blocks_would() -> None:
    a = {block: 1e-5 for block in range(4)}
    # B gains 2% on average, but by -2% to +5% from block to block.
    b = {block: 1e-5 / math.exp(gain) for block, gain in enumerate([0.05, -0.02, 0.04, 0.01])}
    [verdict] = verdicts([paired(a, b)])
    assert verdict.outcome == UNDECIDED
    assert verdict.blocks_to_decide is not None and verdict.blocks_to_decide > 4


def test_only_common_blocks_are_paired() -> None:
    a = {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0}
    b = {1: 0.5, 3: 0.5}  # missed blocks 0 and 2
    pair = paired(a, b)
    assert pair is not None and pair.blocks == 2 and pair.speedup.value == pytest.approx(2.0)
    assert paired(a, {0: 1.0}) is None


def test_holm_steps_down_and_stays_monotone() -> None:
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.001]) == pytest.approx([0.5, 0.002])
    assert holm([]) == []


def test_the_correction_keeps_a_marginal_pair_from_being_called() -> None:
    # One pair alone would be called at p < 0.05; among twenty it is not.
    a = _blocks(1e-5, 0.1, 8, seed=8)
    marginal = paired(a, _drifting(a, 1.012, 0.01, seed=9))
    assert marginal is not None and 0.001 < marginal.p_different < 0.05
    assert verdicts([marginal])[0].outcome == FASTER
    crowd = [paired(a, _drifting(a, 1.0, 0.02, seed=10 + k)) for k in range(19)]
    assert verdicts([marginal, *crowd])[0].outcome != FASTER

"""The verdict engine: the rule read from the printed interval, Bonferroni families, the
blocks that would decide (against a simulation), Welch's unpaired comparison (against scipy),
and the words every view prints."""

from __future__ import annotations

import math
import random

import pytest
from scipy import stats

from taskbench.reports import inference
from taskbench.reports.inference import (
    FASTER,
    SAME,
    SLOWER,
    UNDECIDED,
    Verdict,
    blocks_to_decide,
    family_confidence,
    judge,
    judge_in_model,
    outcome,
    unpaired_contrast,
    words,
)
from taskbench.reports.runmodel import Contrast, ModelError, Value, fit
from taskbench.reports.stats import Estimate

EDGE = 1.03  # the margin of "the same", as a ratio


@pytest.mark.parametrize(("low", "high", "expected"), [
    (1.001, 1.2, FASTER), (0.8, 0.999, SLOWER), (1.01, 1.02, FASTER),
    (1 / EDGE + 1e-6, EDGE - 1e-6, SAME), (0.99, EDGE + 1e-6, UNDECIDED),
    (1 / EDGE - 1e-6, 1.01, UNDECIDED), (0.9, 1.1, UNDECIDED)])
def test_the_rule_reads_the_interval_at_and_near_the_margin(low: float, high: float,
                                                            expected: str) -> None:
    assert outcome(Estimate(math.sqrt(low * high), low, high)) == expected


def test_no_interval_decides_nothing() -> None:
    assert outcome(Estimate(1.5)) == UNDECIDED


def test_a_family_widens_each_interval_as_bonferroni_says() -> None:
    contrast = Contrast(0.02, 0.008, 40)
    alone = judge(contrast, "a", "b", 1, blocks=5, paired=True)
    among = judge(contrast, "a", "b", 14, blocks=5, paired=True)
    t1, t14 = stats.t.ppf(0.975, 40), stats.t.ppf(1 - 0.025 / 14, 40)
    assert math.log(alone.speedup.low) == pytest.approx(0.02 - t1 * 0.008, rel=1e-9)
    assert math.log(among.speedup.high) == pytest.approx(0.02 + t14 * 0.008, rel=1e-9)
    # Alone the interval excludes 1; one of 14, it does not: the verdict follows the interval.
    assert alone.outcome == FASTER and among.outcome == UNDECIDED
    assert family_confidence(14) == pytest.approx(1 - 0.05 / 14)


def test_every_verdict_agrees_with_its_printed_interval() -> None:
    draw = random.Random(1)
    for _ in range(300):
        contrast = Contrast(draw.gauss(0, 0.04), abs(draw.gauss(0.01, 0.006)) + 1e-4, 30)
        verdict = judge(contrast, "a", "b", draw.choice([1, 5, 14]), blocks=5, paired=True)
        low, high = verdict.speedup.low, verdict.speedup.high
        assert low is not None and high is not None
        excludes_one = low > 1 or high < 1
        inside = low > 1 / EDGE and high < EDGE
        assert verdict.decided == (excludes_one or inside)
        assert (verdict.outcome in (FASTER, SLOWER)) == excludes_one


def _decides(effect: float, spread: float, blocks: int, family: int, draw: random.Random
             ) -> bool:
    a = [draw.gauss(0, 0.2) for _ in range(blocks)]  # the blocks' drift, shared
    values = [Value("a", b, math.exp(a[b] + draw.gauss(0, spread / math.sqrt(2))))
              for b in range(blocks)]
    values += [Value("b", b, math.exp(a[b] - effect + draw.gauss(0, spread / math.sqrt(2))))
               for b in range(blocks)]
    [verdict] = judge_in_model(fit(values), [("a", "b")] * 1) if family == 1 else [
        judge(fit(values).contrast("a", "b"), "a", "b", family, blocks=blocks, paired=True)]
    return verdict.decided


@pytest.mark.parametrize(("effect", "family"), [(0.03, 14), (0.0, 14), (0.015, 14), (0.04, 1)])
def test_the_blocks_that_would_decide_do_so_about_80_percent_of_the_time(effect: float,
                                                                       family: int) -> None:
    spread = 0.03  # of one block's difference
    seen = Contrast(effect, spread / math.sqrt(5), 4)
    needed = blocks_to_decide(seen, 5, family)
    assert needed is not None and needed > 5
    draw = random.Random(2)
    trials = 200
    rate = sum(_decides(effect, spread, needed, family, draw) for _ in range(trials)) / trials
    fewer = sum(_decides(effect, spread, max(needed // 2, 3), family, draw)
                for _ in range(trials)) / trials
    assert 0.72 <= rate <= 0.95
    assert fewer < rate - 0.1


def _decides_among(effect: float, spread: float, blocks: int, series: int,
                   draw: random.Random) -> bool:
    """As _decides, with the pair among ``series`` interpreters in one model: the others'
    values give the model's spread its degrees of freedom."""
    drift = [draw.gauss(0, 0.2) for _ in range(blocks)]
    levels = [0.0, -effect] + [draw.gauss(0, 0.3) for _ in range(series - 2)]
    values = [Value(f"s{index}", b, math.exp(drift[b] + level
                                              + draw.gauss(0, spread / math.sqrt(2))))
              for index, level in enumerate(levels) for b in range(blocks)]
    model = fit(values)
    return judge(model.contrast("s0", "s1"), "s0", "s1", 14, blocks=blocks,
                 paired=True).decided


def test_a_model_of_many_interpreters_needs_fewer_blocks_and_still_decides_80_percent() -> None:
    spread, effect, series = 0.03, 0.03, 10
    alone = blocks_to_decide(Contrast(effect, spread / math.sqrt(3), 2), 3, 14)
    among = blocks_to_decide(Contrast(effect, spread / math.sqrt(3), (series - 1) * 2), 3, 14)
    assert alone is not None and among is not None and among < alone
    draw = random.Random(3)
    trials = 200
    rate = sum(_decides_among(effect, spread, among, series, draw)
               for _ in range(trials)) / trials
    assert 0.72 <= rate <= 0.95


def test_a_comparison_out_of_reach_says_so() -> None:
    # 2.9% faster with a huge spread: neither decision within MOST_BLOCKS.
    assert blocks_to_decide(Contrast(math.log(1.029), 0.5, 4), 5, 14) is None
    assert blocks_to_decide(Contrast(0.01, 0.0, 4), 5, 14) is None


def test_unpaired_is_scipys_welch_interval() -> None:
    a = [1.00e-5, 1.04e-5, 0.98e-5, 1.02e-5]
    b = [0.90e-5, 0.95e-5, 0.88e-5]
    contrast = unpaired_contrast(a, b)
    reference = stats.ttest_ind([math.log(v) for v in a], [math.log(v) for v in b],
                                equal_var=False)
    interval = contrast.interval(0.95)
    ci = reference.confidence_interval(0.95)
    assert math.log(interval.low) == pytest.approx(ci.low, rel=1e-9)
    assert math.log(interval.high) == pytest.approx(ci.high, rel=1e-9)
    with pytest.raises(ModelError):
        unpaired_contrast([1.0], b)
    with pytest.raises(ModelError):
        unpaired_contrast([1.0, -1.0], b)


def _verdict(outcome_: str, value: float, low: float, high: float, more: int | None = None
             ) -> Verdict:
    return Verdict("3.10", "3.11", outcome_, Estimate(value, low, high), 14, True, more)


def test_the_words() -> None:
    assert words(_verdict(FASTER, 1.2234, 1.17, 1.27)) == "1.22× faster (1.17–1.27×)"
    assert words(_verdict(SLOWER, 1 / 1.08, 1 / 1.11, 1 / 1.05)) == \
        "1.08× slower (1.05–1.11×)"
    assert words(_verdict(SAME, 1.0, 1 / 1.012, 1.02)) == \
        "same within ±3% (1.01× slower to 1.02× faster)"
    assert words(_verdict(UNDECIDED, 1.01, 1 / 1.02, 1.04, 12)) == \
        "undecided (1.02× slower to 1.04× faster; about 12 blocks in all would decide)"
    assert words(_verdict(UNDECIDED, 1.01, 0.9, 1.1)).endswith("out of reach of more blocks)")
    assert words(_verdict(FASTER, 1.2, 1.1, 1.3), against="3.10") == \
        "1.20× faster than 3.10 (1.10–1.30×)"
    assert words(_verdict(SAME, 1.0, 0.99, 1.01), against="3.10").startswith(
        "same as 3.10 within ±3%")


def test_a_bound_near_one_gets_a_third_decimal_so_it_never_reads_as_one() -> None:
    assert words(_verdict(FASTER, 1.02, 1.004, 1.03)) == "1.020× faster (1.004–1.030×)"


def test_margin_is_three_percent() -> None:
    assert inference.MARGIN_PERCENT == 3.0
    assert math.exp(inference.margin()) == pytest.approx(EDGE)


def test_a_bound_at_the_margin_gets_a_third_decimal_so_same_and_undecided_never_read_alike(
        ) -> None:
    # Both intervals print as 1.03× slower to 1.03× faster with two decimals.
    inside = _verdict(SAME, 1.0, 1 / 1.0296, 1.0296)
    across = _verdict(UNDECIDED, 1.0, 1 / 1.0296, 1.0304, 20)
    assert words(inside) == "same within ±3% (1.0296× slower to 1.0296× faster)"
    assert words(across).startswith("undecided (1.0296× slower to 1.0304× faster;")
    assert words(_verdict(UNDECIDED, 1.0, 1 / 1.0351, 1.02, 20)).startswith(
        "undecided (1.04× slower to 1.02× faster;")


def test_faster_or_slower_always_says_which() -> None:
    found = words(_verdict(FASTER, 1.0004, 1.0002, 1.0006))
    assert found == "1.0004× faster (1.0002–1.0006×)"
    assert words(_verdict(SLOWER, 1 / 1.0004, 1 / 1.0006, 1 / 1.0002)).startswith(
        "1.0004× slower")

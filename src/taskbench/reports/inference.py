"""What the samples say: each figure's 95% interval, and paired verdicts between interpreters.

asv keeps its own statistics (median, 99% interval) for its graphs. The views judge with
these, computed by scipy from the figures of separate processes (one value per process):

* **A figure's interval** is :func:`taskbench.reports.stats.log_interval`: a t interval on
  the logarithms of its per-process values.
* **A verdict between two interpreters** uses only the blocks both were measured in
  (:mod:`taskbench.jobs.blocks` measures every interpreter once per block, interleaved), so
  drift of the machine from one block to the next cancels: the per-block differences of the
  logarithms give a paired t interval of B's speed over A's. Each pair is tested twice:
  for a difference (two-sided t test) and for equivalence within ±3% (two one-sided tests);
  both sets of p-values are corrected for the number of pairs shown with Holm's method.
  Three outcomes follow: faster or slower by the interval shown, equivalent within ±3%, or
  undecided, with the number of blocks that would decide it at the precision seen.

scipy has no Holm correction; statsmodels has one but would bring pandas into the tools for
ten lines, so :func:`holm` is written here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

from taskbench.reports.stats import CONFIDENCE, Estimate

ALPHA = 1 - CONFIDENCE
# A difference smaller than this either way counts as no difference (equivalence margin).
EQUIVALENCE_PERCENT = 3.0
FASTER, SLOWER, EQUIVALENT, UNDECIDED = "faster", "slower", "equivalent", "undecided"


@dataclass(frozen=True)
class Paired:
    """B against A over the blocks both were measured in. ``speedup`` is B's speed over A's
    (above 1: B is faster) with its paired 95% interval; the p-values are uncorrected."""

    blocks: int
    speedup: Estimate
    p_different: float
    p_equivalent: float

    @property
    def log_half_width(self) -> float:
        return math.log(self.speedup.high / self.speedup.value) if self.speedup.high else 0.0


def paired(seconds_a: Mapping[int, float], seconds_b: Mapping[int, float]
           ) -> Paired | None:
    """Paired statistics of two figures' per-block values (seconds per unit, by block);
    None with fewer than two common blocks."""
    from scipy import stats

    common = sorted(set(seconds_a) & set(seconds_b))
    if len(common) < 2:
        return None
    # log(a/b) > 0: B took less time per unit, so B is faster.
    gains = [math.log(seconds_a[block] / seconds_b[block]) for block in common]
    mean = sum(gains) / len(gains)
    freedom = len(gains) - 1
    error = math.sqrt(sum((gain - mean) ** 2 for gain in gains) / freedom / len(gains))
    if error <= 1e-12 * max(1.0, abs(mean)):  # the same in every block: no spread to test
        same = Estimate(math.exp(mean), math.exp(mean), math.exp(mean))
        return Paired(len(common), same, 0.0 if mean else 1.0,
                      0.0 if abs(mean) < _margin() else 1.0)
    spread = error * stats.t.ppf(1 - ALPHA / 2, freedom)
    different = 2 * stats.t.sf(abs(mean) / error, freedom)
    # Two one-sided tests: above -margin, and below +margin.
    equivalent = max(stats.t.sf((mean + _margin()) / error, freedom),
                     stats.t.cdf((mean - _margin()) / error, freedom))
    return Paired(len(common),
                  Estimate(math.exp(mean), math.exp(mean - spread), math.exp(mean + spread)),
                  float(different), float(equivalent))


def _margin() -> float:
    return math.log(1 + EQUIVALENCE_PERCENT / 100)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of ``p_values``, in their order."""
    order = sorted(range(len(p_values)), key=lambda index: p_values[index])
    adjusted = [0.0] * len(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


@dataclass(frozen=True)
class Verdict:
    """One of three outcomes for a pair, after the correction for every pair shown."""

    outcome: str  # FASTER, SLOWER, EQUIVALENT or UNDECIDED
    paired: Paired
    blocks_to_decide: int | None = None  # for UNDECIDED: blocks that would decide it


def _blocks_to_decide(pair: Paired) -> int | None:
    """Blocks that would shrink the interval enough to decide, if the spread stays as seen:
    narrower than the difference (to call it), or than the margin left (to call it
    equivalent), whichever needs fewer."""
    half = pair.log_half_width
    effect = abs(math.log(pair.speedup.value))
    room = [gap for gap in (effect, _margin() - effect) if gap > 0]
    if half <= 0 or not room:
        return None
    return math.ceil(pair.blocks * (half / max(room)) ** 2)


def verdicts(pairs: Sequence[Paired]) -> list[Verdict]:
    """The outcome of every pair, Holm-corrected over all of them, in their order."""
    different = holm([pair.p_different for pair in pairs])
    equivalent = holm([pair.p_equivalent for pair in pairs])
    found = []
    for pair, p_different, p_equivalent in zip(pairs, different, equivalent):
        if p_different < ALPHA:
            found.append(Verdict(FASTER if pair.speedup.value > 1 else SLOWER, pair))
        elif p_equivalent < ALPHA:
            found.append(Verdict(EQUIVALENT, pair))
        else:
            found.append(Verdict(UNDECIDED, pair, _blocks_to_decide(pair)))
    return found

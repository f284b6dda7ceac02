"""Figures with their intervals, and what follows from them when they cannot be paired.

A figure's value and 95% interval come from its per-process values (:func:`log_interval`):
a t interval on their logarithms, turned back into a ratio, centred on their geometric mean.
CPU time per task is a positive quantity whose noise here is one-sided and multiplicative (a
slowdown of the machine stretches a whole run), which logarithms make symmetric. Two figures
measured in the same blocks are compared pair by pair
(:func:`taskbench.reports.inference.paired`). Where they cannot be (an older run, or a CI
runner that measured one interpreter alone), a figure derived from two measured ones (a
ratio, a difference, a share) carries an interval made from the two: the bounds of the
result over every pair of values inside the two intervals. That is conservative (it assumes
nothing about how the two relate), and such figures are marked as unpaired.

``compare`` keeps asv's own test (:func:`asv_says_different`, what ``asv compare`` uses),
which needs no pairing, for any two results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from taskbench.asvadapter.results import Figure
from taskbench.asvadapter.stats import samples_differ

# The confidence of every interval the views show.
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Estimate:
    """A value with its interval (``low``, ``high``), or with none where none is known."""

    value: float
    low: float | None = None
    high: float | None = None

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None

    def includes(self, point: float) -> bool:
        """Whether ``point`` lies inside the interval (True when there is none: unknown)."""
        return not self.has_interval or (self.low <= point <= self.high)  # type: ignore[operator]

    def inverse(self, numerator: float = 1.0) -> Estimate:
        """``numerator / self``: a rate turned into a time per unit, or back."""
        bounds = self._bounds()
        if bounds is None or bounds[0] <= 0:
            return Estimate(numerator / self.value)
        return Estimate(numerator / self.value, numerator / bounds[1], numerator / bounds[0])

    def _bounds(self) -> tuple[float, float] | None:
        return (self.low, self.high) if self.low is not None and self.high is not None else None


def log_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> Estimate | None:
    """The geometric mean of positive ``values`` with its t interval on logarithms; None
    with fewer than two values (no spread, no interval)."""
    from scipy import stats

    logs = [math.log(value) for value in values if value > 0]
    if len(logs) < 2:
        return None
    mean = sum(logs) / len(logs)
    spread = stats.sem(logs) * stats.t.ppf((1 + confidence) / 2, len(logs) - 1)
    return Estimate(math.exp(mean), math.exp(mean - spread), math.exp(mean + spread))


def half_width_percent(values: Sequence[float]) -> float | None:
    """How far a figure's 95% interval reaches from its centre, in percent (the larger
    side); None with fewer than two values."""
    interval = log_interval(values)
    if interval is None or interval.high is None:
        return None
    return 100 * (interval.high / interval.value - 1)


def estimate(figure: Figure | None) -> Estimate | None:
    """A figure's value and 95% interval from its per-process values (the geometric mean);
    its value alone where it has fewer than two; None when there is no figure or value."""
    if figure is None or figure.value is None:
        return None
    found = log_interval(figure.samples) if figure.samples else None
    return found if found is not None else Estimate(figure.value)


def ratio(a: Estimate, b: Estimate) -> Estimate:
    """``a / b`` with the interval of every quotient of values inside the two intervals."""
    if not (a.has_interval and b.has_interval) or b.low <= 0:  # type: ignore[operator]
        return Estimate(a.value / b.value)
    return Estimate(a.value / b.value, a.low / b.high, a.high / b.low)  # type: ignore[operator]


def difference(a: Estimate, b: Estimate) -> Estimate:
    """``a - b`` with the interval of every difference of values inside the two intervals."""
    if not (a.has_interval and b.has_interval):
        return Estimate(a.value - b.value)
    return Estimate(a.value - b.value, a.low - b.high, a.high - b.low)  # type: ignore[operator]


def complement(share: Estimate) -> Estimate:
    """``1 - share``."""
    if not share.has_interval:
        return Estimate(1 - share.value)
    return Estimate(1 - share.value, 1 - share.high, 1 - share.low)  # type: ignore[operator]


def asv_says_different(a: Figure, b: Figure) -> bool | None:
    """asv's own test on two figures' samples and intervals; None when either has none."""
    if a.interval is None or b.interval is None:
        return None
    return samples_differ(a.samples, b.samples, a.interval, b.interval)

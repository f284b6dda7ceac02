"""Figures with their intervals, what follows from them, and when a difference is real.

Every figure a reader sees comes with asv's 99% confidence interval of its median, computed
by asv from the samples of separate processes (see :mod:`taskbench.workloads.timing`). A
figure derived from two measured ones (a ratio, a difference, a share) carries an interval
made from the two: the bounds of the result over every pair of values inside the two
intervals. That is conservative (it assumes nothing about how the two relate), and it is
the only propagation rule used, so that every derived figure can be read the same way.

A difference is called real only when asv's own test finds the two sets of samples
different (:func:`taskbench.asvadapter.stats.samples_differ`, what ``asv compare`` uses) and
the interval of the ratio shown excludes 1. Otherwise it is "within noise", whatever its sign.
"""

from __future__ import annotations

from dataclasses import dataclass

from taskbench.asvadapter.results import Figure
from taskbench.asvadapter.stats import samples_differ


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


def estimate(figure: Figure | None) -> Estimate | None:
    """A figure's value and asv's interval; None when there is no figure or it has no value."""
    if figure is None or figure.value is None:
        return None
    if figure.interval is None:
        return Estimate(figure.value)
    return Estimate(figure.value, *figure.interval)


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


def verdict(a: Figure, b: Figure) -> str:
    """``"real"``, ``"within noise"`` or ``"no interval"`` for B against A (see the docstring)."""
    different = asv_says_different(a, b)
    if different is None:
        return "no interval"
    a_estimate, b_estimate = estimate(a), estimate(b)
    if not different or a_estimate is None or b_estimate is None:
        return "within noise"
    return "within noise" if ratio(b_estimate, a_estimate).includes(1.0) else "real"

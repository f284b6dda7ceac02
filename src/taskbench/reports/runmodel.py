"""One model of a run in blocks: every figure's interval and every comparison come from it.

A run measures every interpreter once per block, interleaved (:mod:`taskbench.jobs.blocks`).
For one figure (a benchmark at one parameter combination), the logarithm of each process's
CPU time per unit is modelled as

    log time = series + block (+ position in the block, where it shows) + noise

where a *series* is what is compared (an interpreter, or one benchmark on one interpreter),
the block term takes up whatever moved the whole machine during that block, and the noise's
spread is shared: pooled over every series of one *group* (CPython's builds share one, PyPy's
JIT another), so that every interval has the degrees of freedom of the whole run instead of
the four of one pair. Logarithms because the noise here is multiplicative and one-sided (a
slowdown of the host stretches a whole process).

Before the fit, values far out of line are **set aside**: a robust fit of the same model
(statsmodels' RLM, Huber's weights) gives every value its residual; a value slower than the
fit by more than :data:`OUT_OF_LINE` robust spreads of its group (the normal-consistent median
absolute deviation of the group's residuals, corrected for the parameters fitted) is taken
as interference of the host, not averaged in, and named in every report. The rule is one-sided
because interference only ever slows a process. The threshold: a normal value passes 4
spreads one time in 30,000, while the bursts seen on this kind of machine were 7 to 60 (19–56%
on a spread of 2–3% at 100,000 tasks; in the two committed runs of the earlier design, 46 and
43 of 1,562 timed values lay beyond 4 spreads, nearly all at 1,000 tasks and below, where a
burst of a few tens of milliseconds is a large share of a process).

The final fit is weighted least squares (statsmodels' WLS) with each group's own variance,
estimated from an ordinary fit first; with one group it is ordinary least squares. The
position in the block is kept only where its effect is told apart from zero (p < 0.05).

statsmodels fits and tests; what is written here is the design of the model and the rule
for values out of line, which no library states for this design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from taskbench.reports.stats import CONFIDENCE, Estimate

# A value slower than the robust fit by more than this many robust spreads is set aside.
OUT_OF_LINE = 4.0
# The position term is kept where its p-value is below this.
POSITION_KEPT_BELOW = 0.05
# A spread below this (in log units) is no spread: values that repeat exactly.
NO_SPREAD = 1e-12
DEFAULT_GROUP = "all"


class ModelError(ValueError):
    """Values the model cannot take (not a time, or too few to fit); the message names them."""


class TooFewValues(ModelError):
    """Fewer values than a spread needs (a run of one block): nothing to fit, not an error
    in the values."""


@dataclass(frozen=True)
class Value:
    """One process's figure: CPU seconds per unit of ``series`` in ``block``, measured at
    ``position`` in the block's order (None where the order is not known)."""

    series: str
    block: int
    seconds: float
    position: int | None = None


@dataclass(frozen=True)
class SetAside:
    """A value the model did not average in: ``excess`` is how much slower than the robust
    fit it was (0.39: 39% slower), ``spreads`` how many robust spreads of its group that is."""

    series: str
    block: int
    seconds: float
    excess: float
    spreads: float


@dataclass(frozen=True)
class Contrast:
    """log(time of A) - log(time of B) with its standard error and the fit's degrees of
    freedom: above 0, B is faster."""

    log_gain: float
    error: float
    freedom: float

    def interval(self, confidence: float) -> Estimate:
        """B's speed over A's (A's time over B's), with its ``confidence`` interval."""
        from scipy import stats

        if self.error <= NO_SPREAD:
            point = math.exp(self.log_gain)
            return Estimate(point, point, point)
        reach = self.error * float(stats.t.ppf((1 + confidence) / 2, self.freedom))
        return Estimate(math.exp(self.log_gain), math.exp(self.log_gain - reach),
                        math.exp(self.log_gain + reach))


@dataclass
class RunModel:
    """A fitted model of one figure over one run (:func:`fit`)."""

    series: tuple[str, ...]
    blocks: tuple[int, ...]
    groups: dict[str, str]
    used: dict[str, int]  # values averaged in, by series
    set_aside: tuple[SetAside, ...]
    spreads: dict[str, float]  # each group's spread of one process, in log units
    freedom: float
    position: Contrast | None  # the position term, per place later in a block, where kept
    _coefficients: Any = field(repr=False, default=None)
    _covariance: Any = field(repr=False, default=None)

    def _vector(self, weights: Mapping[str, float]) -> Any:
        import numpy as np

        vector = np.zeros(len(self._coefficients))
        for name, weight in weights.items():
            vector[self.series.index(name)] = weight
        return vector

    def _contrast(self, weights: Mapping[str, float]) -> Contrast:
        vector = self._vector(weights)
        value = float(vector @ self._coefficients)
        variance = float(vector @ self._covariance @ vector)
        return Contrast(value, math.sqrt(max(variance, 0.0)), self.freedom)

    def log_level(self, series: str) -> Contrast:
        """The log of the series' CPU seconds per unit at the run's average block, with its
        standard error."""
        return self._contrast({series: 1.0})

    def level(self, series: str, confidence: float = CONFIDENCE) -> Estimate:
        """The series' CPU seconds per unit at the run's average block, with its interval:
        what this run measured (between runs and hosts, see the calibration)."""
        return self.log_level(series).interval(confidence)

    def contrast(self, a: str, b: str) -> Contrast:
        """A against B: the log of A's time over B's, with its standard error."""
        if a == b:
            raise ModelError(f"{a} is compared with itself")
        return self._contrast({a: 1.0, b: -1.0})

    def speedup(self, a: str, b: str, confidence: float = CONFIDENCE) -> Estimate:
        """B's speed over A's (above 1: B is faster), with its ``confidence`` interval."""
        return self.contrast(a, b).interval(confidence)

    def spread_of(self, series: str) -> float:
        """The spread of one process's log time in the series' group."""
        return self.spreads[self.groups[series]]

    def half_width_percent(self, series: str, confidence: float = CONFIDENCE) -> float:
        """How far the series' interval reaches from its value, in percent (larger side)."""
        found = self.level(series, confidence)
        return 100 * ((found.high or found.value) / found.value - 1)


def _checked(values: Sequence[Value]) -> list[Value]:
    for value in values:
        if not (isinstance(value.seconds, (int, float)) and not isinstance(value.seconds, bool)
                and math.isfinite(value.seconds) and value.seconds > 0):
            raise ModelError(f"{value.series} in block {value.block}: {value.seconds!r} is not "
                             "a time (it must be a finite number of seconds above zero)")
    if len({(value.series, value.block) for value in values}) != len(values):
        raise ModelError("two values for one series in one block")
    series = {value.series for value in values}
    if len(values) <= len(series):
        raise TooFewValues(f"{len(values)} values of {len(series)} series: too few to fit a "
                         "spread (every series needs values in at least two blocks)")
    return list(values)


def _design(values: Sequence[Value], series: Sequence[str], blocks: Sequence[int],
            with_position: bool) -> Any:
    """Columns: one per series (its level at the average block), the blocks coded as
    deviations from their average (so that a series' coefficient is its level there), and
    the position in the block, centred."""
    import numpy as np

    rows = np.zeros((len(values), len(series) + len(blocks) - 1 + int(with_position)))
    mean_position = (sum(v.position or 0 for v in values) / len(values)) if with_position else 0
    for row, value in enumerate(values):
        rows[row, series.index(value.series)] = 1.0
        place = blocks.index(value.block)
        if place < len(blocks) - 1:
            rows[row, len(series) + place] = 1.0
        else:
            rows[row, len(series):len(series) + len(blocks) - 1] = -1.0
        if with_position:
            rows[row, -1] = (value.position or 0) - mean_position
    return rows


def _robust_spreads(residuals: Any, labels: Sequence[str], parameters: int) -> dict[str, float]:
    """Each group's robust spread: the median absolute deviation of its residuals, scaled to
    a normal's standard deviation, and widened for the parameters the fit spent."""
    import numpy as np
    from scipy import stats

    found = {}
    share = len(labels) / max(len(labels) - parameters, 1)
    for group in sorted(set(labels)):
        mine = np.array([r for r, g in zip(residuals, labels) if g == group])
        found[group] = float(stats.median_abs_deviation(mine, scale="normal")) * math.sqrt(share)
    return found


def _screen(values: Sequence[Value], design: Any, groups: Mapping[str, str]
            ) -> list[SetAside]:
    """Values slower than a robust fit by more than :data:`OUT_OF_LINE` robust spreads."""
    import numpy as np
    import statsmodels.api as sm

    logs = np.log([value.seconds for value in values])
    if float(np.max(np.abs(sm.OLS(logs, design).fit().resid))) <= NO_SPREAD:
        return []  # values that repeat exactly: nothing can be out of line
    robust = sm.RLM(logs, design, M=sm.robust.norms.HuberT()).fit()
    residuals = logs - design @ robust.params
    labels = [groups[value.series] for value in values]
    spreads = _robust_spreads(residuals, labels, design.shape[1])
    found = []
    for value, residual, group in zip(values, residuals, labels):
        spread = spreads[group]
        if spread > NO_SPREAD and residual > OUT_OF_LINE * spread:
            found.append(SetAside(value.series, value.block, value.seconds,
                                  math.expm1(float(residual)), float(residual / spread)))
    return found


def _weighted_fit(logs: Any, design: Any, labels: Sequence[str]) -> tuple[Any, dict[str, float]]:
    """Least squares with each group's own variance: an ordinary fit, the groups' residual
    variances from it, then the weighted fit (ordinary where there is one group)."""
    import numpy as np
    import statsmodels.api as sm

    ordinary = sm.OLS(logs, design).fit()
    unique = sorted(set(labels))
    if len(unique) == 1:
        return ordinary, {unique[0]: math.sqrt(max(float(ordinary.scale), 0.0))}
    share = len(labels) / max(float(ordinary.df_resid), 1.0)
    variances = {}
    for group in unique:
        mine = np.array([r for r, g in zip(ordinary.resid, labels) if g == group])
        variances[group] = max(float(np.mean(mine ** 2)) * share, NO_SPREAD ** 2)
    weights = np.array([1 / variances[g] for g in labels])
    weighted = sm.WLS(logs, design, weights=weights).fit()
    return weighted, {g: math.sqrt(v * float(weighted.scale)) for g, v in variances.items()}


def fit(values: Sequence[Value], groups: Mapping[str, str] | None = None) -> RunModel:
    """The model of one figure over one run (see the module docstring). ``groups`` names
    each series' noise group (default: one group for all).

    Raises:
        ModelError: a value that is not a time, or too few values to fit a spread.
    """
    import numpy as np

    kept = _checked(values)
    series = sorted({value.series for value in kept})
    group_of = {name: (groups or {}).get(name, DEFAULT_GROUP) for name in series}
    blocks = sorted({value.block for value in kept})
    with_position = all(value.position is not None for value in kept) and len(blocks) > 1
    set_aside = _screen(kept, _design(kept, series, blocks, with_position), group_of) \
        if len(kept) > len(series) + len(blocks) else []
    aside = {(s.series, s.block) for s in set_aside}
    kept = [value for value in kept if (value.series, value.block) not in aside]
    blocks = sorted({value.block for value in kept})
    logs = np.log([value.seconds for value in kept])
    labels = [group_of[value.series] for value in kept]
    result, spreads = _weighted_fit(logs, _design(kept, series, blocks, with_position), labels)
    position = None
    if with_position:
        tested = Contrast(float(result.params[-1]), float(result.bse[-1]), float(result.df_resid))
        if not (math.isfinite(result.pvalues[-1]) and result.pvalues[-1] < POSITION_KEPT_BELOW):
            with_position = False
            result, spreads = _weighted_fit(logs, _design(kept, series, blocks, False), labels)
        else:
            position = tested
    if result.df_resid < 1:
        raise TooFewValues(f"{len(kept)} values of {len(series)} series in {len(blocks)} "
                           "blocks leave no degrees of freedom for a spread")
    used = {name: sum(1 for value in kept if value.series == name) for name in series}
    return RunModel(tuple(series), tuple(blocks), group_of, used, tuple(set_aside), spreads,
                    float(result.df_resid), position, np.asarray(result.params),
                    np.asarray(result.cov_params()))

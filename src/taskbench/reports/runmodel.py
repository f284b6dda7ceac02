"""One model of a run in blocks: every figure's interval and every comparison come from it.

A run measures every interpreter once per block, interleaved (:mod:`taskbench.jobs.blocks`).
For one figure (a benchmark at one parameter combination), the logarithm of each process's
CPU time per unit is modelled as

    log time = series + block (+ place in the block, where it shows) + noise

where a *series* is what is compared (an interpreter, or one benchmark on one interpreter),
the block term takes up whatever moved the whole machine during that block, and the noise's
spread is shared: pooled over every series of one *group* (CPython's builds share one, PyPy's
JIT another). Logarithms because the noise here is multiplicative and one-sided (a slowdown
of the host stretches a whole process).

Values far out of line are set aside first (:mod:`taskbench.reports.outliers`). The fit is
then weighted least squares (statsmodels' WLS) with each group's own variance, estimated from
an ordinary fit with the group's own degrees of freedom (the sum of one less its values'
leverages); with one group it is ordinary least squares. A comparison or a level draws on
each group's variance in its own measure, so its degrees of freedom are Satterthwaite's: the
whole run's where it rests on CPython's pooled spread, fewer where it rests on a group of few
values (two PyPys over three blocks give about four, not the run's fifty). The place in the
block (a fraction of the block's length, so that short extra blocks and whole ones agree) is
kept only where its effect is told apart from zero (p < 0.05).

statsmodels fits; the design, the groups' variances and the Satterthwaite degrees of freedom
are written here, because no library states them for weights estimated per group.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from taskbench.reports.outliers import SetAside, screen
from taskbench.reports.stats import CONFIDENCE, Estimate

# How many times the groups' variances are found again from the weighted fit.
REWEIGHTINGS = 2
# The position term is kept where its p-value is below this.
POSITION_KEPT_BELOW = 0.05
# A spread below this (in log units) is no spread: values that repeat exactly.
NO_SPREAD = 1e-12
DEFAULT_GROUP = "all"
# What a figure from the model is, for a table's title.
LEVEL_WORDS = ("each interpreter's level in the run's model (its processes in blocks, the "
               "blocks' drift taken out, values set aside left out) with its 95% interval")


class ModelError(ValueError):
    """Values the model cannot take (not a time, or too few to fit); the message names them."""


class TooFewValues(ModelError):
    """Fewer values than a spread needs (a run of one block): nothing to fit, not an error
    in the values."""


@dataclass(frozen=True)
class Value:
    """One process's figure: CPU seconds per unit of ``series`` in ``block``, measured at
    ``position`` in the block's order, from 0 (first) to 1 (last); None where the order is
    not known."""

    series: str
    block: int
    seconds: float
    position: float | None = None


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

        if self.error <= NO_SPREAD:  # values that repeat exactly: a point, 1 if no gain
            point = 1.0 if abs(self.log_gain) <= NO_SPREAD else math.exp(self.log_gain)
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
    freedom: float  # the whole fit's residual degrees of freedom
    position: Contrast | None  # the place term, from first in a block (0) to last (1)
    _fitted: Fitted | None = field(repr=False, default=None)

    def _contrast(self, weights: Mapping[str, float]) -> Contrast:
        import numpy as np

        assert self._fitted is not None
        vector = np.zeros(len(self._fitted.coefficients))
        for name, weight in weights.items():
            vector[self.series.index(name)] = weight
        return self._fitted.contrast(vector)

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


@dataclass
class Fitted:
    """The weighted fit's pieces a contrast needs: its coefficients, ``mapping`` (the design
    times the inverse of its weighted cross-product: row i gives how value i moves each
    coefficient, before its weight), and each value's group with that group's variance and
    degrees of freedom."""

    coefficients: Any
    mapping: Any
    labels: list[str]
    variances: dict[str, float]
    freedom: dict[str, float]

    def contrast(self, vector: Any) -> Contrast:
        """``vector`` · coefficients, its standard error, and Satterthwaite's degrees of
        freedom over the groups' variances it draws on."""
        import numpy as np

        influence = (self.mapping @ vector) ** 2
        parts = {group: float(np.sum(influence[[i for i, label in enumerate(self.labels)
                                                 if label == group]])) / variance
                 for group, variance in self.variances.items()}
        total = sum(parts.values())
        spread = sum(part ** 2 / max(self.freedom[g], 1e-9) for g, part in parts.items())
        freedom = total ** 2 / spread if spread > 0 else min(self.freedom.values())
        return Contrast(float(vector @ self.coefficients), math.sqrt(max(total, 0.0)),
                        max(freedom, 1.0))


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


def _weighted_fit(logs: Any, design: Any, labels: Sequence[str]) -> tuple[Any, Fitted]:
    """Weighted least squares with each group's own variance (statsmodels' WLS), the
    variances found in turn: from an ordinary fit, then :data:`REWEIGHTINGS` times from the
    weighted one, each over its group's own degrees of freedom (the sum of one less its
    values' leverages), so that a noisy group's values do not leak into a quiet group's
    spread through the block terms they share. With the pieces its contrasts need."""
    import numpy as np
    import statsmodels.api as sm

    weights = np.ones(len(labels))
    for _ in range(REWEIGHTINGS + 1):
        root = np.sqrt(weights)
        whitened = sm.OLS(logs * root, design * root[:, None]).fit()
        with warnings.catch_warnings():  # a rank-deficient design is pinv's to handle
            warnings.simplefilter("ignore")
            leverage = whitened.get_influence().hat_matrix_diag
        residuals = logs - design @ whitened.params
        variances, freedom = {}, {}
        for group in sorted(set(labels)):
            mine = [i for i, label in enumerate(labels) if label == group]
            freedom[group] = float(sum(1 - leverage[i] for i in mine))
            variances[group] = max(float(np.sum(residuals[mine] ** 2))
                                   / max(freedom[group], 1e-9), NO_SPREAD ** 2)
        weights = np.array([1 / variances[g] for g in labels])
    weighted = sm.WLS(logs, design, weights=weights).fit()
    inverse = np.linalg.pinv(design.T @ (design * weights[:, None]))
    return weighted, Fitted(np.asarray(weighted.params), design @ inverse, list(labels),
                            variances, freedom)


def _final(kept: Sequence[Value], series: Sequence[str], group_of: Mapping[str, str],
           with_position: bool) -> tuple[Any, Fitted, Contrast | None]:
    """The fit of the kept values, with the place term where it shows."""
    import numpy as np

    blocks = sorted({value.block for value in kept})
    logs = np.log([value.seconds for value in kept])
    labels = [group_of[value.series] for value in kept]
    result, fitted = _weighted_fit(logs, _design(kept, series, blocks, with_position), labels)
    if not with_position:
        return result, fitted, None
    kept_place = math.isfinite(result.pvalues[-1]) and result.pvalues[-1] < POSITION_KEPT_BELOW
    if not kept_place:
        result, fitted = _weighted_fit(logs, _design(kept, series, blocks, False), labels)
        return result, fitted, None
    vector = np.zeros(len(fitted.coefficients))
    vector[-1] = 1.0
    return result, fitted, fitted.contrast(vector)


def fit(values: Sequence[Value], groups: Mapping[str, str] | None = None) -> RunModel:
    """The model of one figure over one run (see the module docstring). ``groups`` names
    each series' noise group (default: one group for all).

    Raises:
        ModelError: a value that is not a time; TooFewValues: too few values for a spread.
    """
    kept = _checked(values)
    series = sorted({value.series for value in kept})
    group_of = {name: (groups or {}).get(name, DEFAULT_GROUP) for name in series}
    with_position = all(value.position is not None for value in kept) and \
        len({value.block for value in kept}) > 1

    def design_of(chosen: Sequence[Value]) -> Any:
        return _design(chosen, series, sorted({v.block for v in chosen}), with_position)

    set_aside = screen(kept, design_of, group_of)
    aside = {(s.series, s.block) for s in set_aside}
    kept = [value for value in kept if (value.series, value.block) not in aside]
    result, fitted, position = _final(kept, series, group_of, with_position)
    if result.df_resid < 1:
        raise TooFewValues(f"{len(kept)} values of {len(series)} series leave no degrees of "
                           "freedom for a spread")
    used = {name: sum(1 for value in kept if value.series == name) for name in series}
    spreads = {group: math.sqrt(variance) for group, variance in fitted.variances.items()}
    return RunModel(tuple(series), tuple(sorted({v.block for v in kept})), group_of, used,
                    tuple(set_aside), spreads, float(result.df_resid), position, fitted)

"""Values out of line: the interference of a host told apart from a figure's ordinary noise.

A burst of other work on the host makes the processes it hits slower, by 19–56% in the noise
study here, against a spread of 2–3% between processes at 100,000 tasks. Such a value is not
averaged into the run's model (:mod:`taskbench.reports.runmodel`); it is set aside, named in
every report, and measured again in an extra block.

**The rule**, applied to one figure at a time: fit the model to the values kept so far,
weighting each value by its noise group's robust spread (so that the burst being looked for
cannot widen the yardstick it is measured by); take every value's residual over its own
group's spread in a fit made without it (externally studentized within its group, a t
statistic with the group's degrees of freedom less one: a group of a few values, whose
robust spread is often too small, is its own yardstick rather than the large group's); the
slowest value is set aside when its one-sided p-value, Bonferroni-corrected over the
figure's values, is below :data:`ALPHA`; then again, one value at a time, up to a quarter
of the values. One-sided, because interference only ever slows a process.

So a figure with no interference at all loses a value about one time in a hundred (12
CPythons with one or two PyPys, 3 or 6 blocks, in the tests; the earlier rule, a fixed 4
robust spreads, lost one in 50 to 460 values of a 14 × 3 design on pure normal noise: its
yardstick came from too few values), while a burst of 19% on a 2.5% spread is 7 spreads
out and is set aside with room to spare.

statsmodels fits and gives the leverages; the rule (the weights, the side, the studentizing
within a group, the correction and the order) is written here because no library states one
for this design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

# The chance, per figure with no interference, that one of its values is set aside anyway.
ALPHA = 0.01
# Never more than this share of a figure's values: past it, the figure is noisy, not hit.
MOST_SHARE = 0.25
NO_SPREAD = 1e-12


@dataclass(frozen=True)
class SetAside:
    """A value not averaged in: ``excess`` is how much slower than the fit without it the
    value was (0.39: 39% slower), ``studentized`` its externally studentized residual and
    ``p`` the Bonferroni-corrected one-sided p-value that set it aside."""

    series: str
    block: int
    seconds: float
    excess: float
    studentized: float
    p: float


def robust_spreads(residuals: Any, labels: Sequence[str], parameters: int) -> dict[str, float]:
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


def _weights(logs: Any, design: Any, labels: Sequence[str]) -> Any:
    """Each value's weight: one over its group's robust variance from a robust fit (Huber)."""
    import numpy as np
    import statsmodels.api as sm

    robust = sm.RLM(logs, design, M=sm.robust.norms.HuberT()).fit()
    spreads = robust_spreads(logs - design @ robust.params, labels, design.shape[1])
    floor = max([s for s in spreads.values() if s > NO_SPREAD], default=1.0)
    return np.array([1 / max(spreads[g], floor * 1e-3) ** 2 for g in labels])


def _studentized(residual: Any, leverage: Any, labels: Sequence[str]) -> tuple[Any, Any]:
    """Each value's residual over its own group's spread in a fit without it (externally
    studentized within its group), and that spread's degrees of freedom: the group's share
    of the fit's (the sum of 1 - leverage over its values) less one for the value left out
    (with one group, statsmodels' externally studentized residuals exactly). Each group
    is its own yardstick, so a group whose weight came out too large from few residuals is
    not held to the other groups' scale; NaN where a value alone decides a term, or its
    group has under one degree of freedom left."""
    import numpy as np

    studentized = np.full(len(residual), np.nan)
    freedom = np.full(len(residual), np.nan)
    kept = 1 - leverage
    for group in set(labels):
        mine = np.array([label == group for label in labels])
        spent = float(np.sum(kept[mine]))
        squares = float(np.sum(residual[mine] ** 2))
        for index in np.nonzero(mine)[0]:
            if kept[index] < 1e-9 or spent - 1 < 1:
                continue
            left = spent - 1  # the value left out costs the group one degree of freedom
            scale = (squares - residual[index] ** 2 / kept[index]) / left
            if scale > 0:
                studentized[index] = residual[index] / math.sqrt(scale * kept[index])
                freedom[index] = left
    return studentized, freedom


def _slowest(logs: Any, design: Any, labels: Sequence[str]
             ) -> tuple[int, float, float, float] | None:
    """The value most out of line on the slow side: (its index, its log distance from the
    fit made without it, its studentized residual, its corrected p-value); None when none
    is, or there is no spread."""
    import numpy as np
    import statsmodels.api as sm
    from scipy import stats

    ordinary = sm.OLS(logs, design).fit()
    if float(np.max(np.abs(ordinary.resid))) <= NO_SPREAD or ordinary.df_resid < 2:
        return None
    root = np.sqrt(_weights(logs, design, labels))
    whitened = sm.OLS(logs * root, design * root[:, None]).fit()
    leverage = whitened.get_influence().hat_matrix_diag
    residual = np.asarray(whitened.resid)
    studentized, freedom = _studentized(residual, leverage, labels)
    if np.all(np.isnan(studentized)):
        return None
    index = int(np.nanargmax(studentized))
    value = float(studentized[index])
    if not math.isfinite(value) or value <= 0:
        return None
    p = min(1.0, float(stats.t.sf(value, freedom[index])) * len(logs))
    # Its distance from the fit made without it (its PRESS residual), in log time.
    distance = float(residual[index] / (1 - leverage[index]) / root[index])
    return (index, distance, value, p) if p < ALPHA else None


def screen(values: Sequence[Any], design_of: Callable[[Sequence[Any]], Any],
           groups: Mapping[str, str]) -> list[SetAside]:
    """The values of one figure to set aside (see the module docstring). ``values`` have
    ``series``, ``block`` and ``seconds``; ``design_of`` makes the model's design for any
    subset of them."""
    import numpy as np

    kept = list(values)
    found: list[SetAside] = []
    while len(found) < int(MOST_SHARE * len(values)):
        logs = np.log([value.seconds for value in kept])
        design = design_of(kept)
        if len(kept) <= np.linalg.matrix_rank(design) + 1:
            break
        slowest = _slowest(logs, design, [groups[value.series] for value in kept])
        if slowest is None:
            break
        index, distance, studentized, p = slowest
        value = kept.pop(index)
        found.append(SetAside(value.series, value.block, value.seconds, math.expm1(distance),
                              studentized, p))
    return found

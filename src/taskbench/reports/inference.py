"""The verdict engine: one rule and one set of words for every comparison the project shows.

The README, docs/, the site's cross-version page, ``compare``, the CI summary and the
pull-request job all judge with this module. A comparison is B against A at one figure;
its value is B's speed over A's (A's time over B's). It comes from the run's model
(:mod:`taskbench.reports.runmodel`, paired by block) where both were measured in one run, or
from the two figures' own processes (Welch's t on logarithms, marked unpaired) where they were
not.

**One family, one interval, one rule.** The comparisons shown together (one column of version
steps, one interpreter's spawn APIs) are one family of m. Each gets a simultaneous 95%
interval (Bonferroni: each at 1 - 0.05/m, so that all m hold together with 95% confidence),
and that interval is the one printed. The rule reads it:

* **faster** or **slower** when it excludes 1;
* **the same within ±3%** when it lies inside ±3% (:data:`MARGIN_PERCENT`);
* **undecided** otherwise, with the blocks that would decide it: the fewest that give an 80%
  chance (:data:`POWER`) of a decision either way at the effect and spread seen, under the
  same correction (:func:`decision_power`).

So no cell can show an interval that excludes 1 beside the word undecided. Bonferroni rather
than Holm because Holm's step-down has no intervals that match its decisions.

asv keeps its own statistics for its own graphs and ``asv compare`` (its 99% interval of a
median); this module does not use them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from taskbench.reports.runmodel import Contrast, ModelError, RunModel
from taskbench.reports.stats import CONFIDENCE, Estimate

if TYPE_CHECKING:
    from taskbench.catalogue import Benchmark
    from taskbench.reports.views import Index

ALPHA = 1 - CONFIDENCE
# A difference inside this either way is the same (the equivalence margin), in percent.
MARGIN_PERCENT = 3.0
# The chance an undecided comparison's "blocks that would decide" gives of deciding.
POWER = 0.8
FASTER, SLOWER, SAME, UNDECIDED = "faster", "slower", "same", "undecided"
DECIDED = (FASTER, SLOWER, SAME)
# Past this many blocks, a comparison is out of reach of any run this project makes.
MOST_BLOCKS = 200


def margin() -> float:
    """The equivalence margin as a log ratio."""
    return math.log(1 + MARGIN_PERCENT / 100)


@dataclass(frozen=True)
class Verdict:
    """B against A: the outcome, B's speed over A's with the simultaneous interval the
    outcome was read from, the family's size, and for an undecided one the blocks that
    would decide it (None: out of reach)."""

    a: str
    b: str
    outcome: str
    speedup: Estimate
    family: int
    paired: bool
    blocks_to_decide: int | None = None

    @property
    def decided(self) -> bool:
        return self.outcome in DECIDED


def outcome(interval: Estimate) -> str:
    """The rule (see the module docstring), read from a speed ratio's interval."""
    low, high = interval.low, interval.high
    if low is None or high is None:
        return UNDECIDED
    if low > 1:
        return FASTER
    if high < 1:
        return SLOWER
    if low > math.exp(-margin()) and high < math.exp(margin()):
        return SAME
    return UNDECIDED


def family_confidence(family: int, confidence: float = CONFIDENCE) -> float:
    """Each interval's confidence for ``family`` intervals to hold together (Bonferroni)."""
    return 1 - (1 - confidence) / max(family, 1)


def decision_power(effect: float, spread: float, blocks: Any, family: int,
                   confidence: float = CONFIDENCE, freedom: Any = None) -> Any:
    """The chance that ``blocks`` blocks decide a comparison whose true log gain is
    ``effect``, with ``spread`` the spread of one block's difference. It stays undecided
    while its estimate d lies where the interval d ± t·se holds 1 yet reaches past the
    margin m: m - t·se ≤ |d| ≤ t·se. That chance is taken with d normal around ``effect``
    and t the critical value at the family's level with ``freedom`` degrees of freedom at
    each number of blocks (scipy; n - 1, a pair alone, unless given). A simulation of the
    model (the tests) decides 76–85% of the time at the blocks this gives for 80%.
    ``blocks`` (and ``freedom``) may be arrays."""
    import numpy as np
    from scipy import stats

    blocks = np.asarray(blocks, dtype=float)
    error = spread / np.sqrt(blocks)
    freedom = blocks - 1 if freedom is None else np.asarray(freedom, dtype=float)
    critical = stats.t.ppf(1 - (1 - family_confidence(family, confidence)) / 2, freedom)
    high = critical * error
    low = np.minimum(np.maximum(margin() - high, 0.0), high)
    between = (stats.norm.cdf((high - effect) / error) - stats.norm.cdf((low - effect) / error)
               + stats.norm.cdf((-low - effect) / error)
               - stats.norm.cdf((-high - effect) / error))
    return 1 - between


def blocks_to_decide(contrast: Contrast, blocks: int, family: int,
                     confidence: float = CONFIDENCE, power: float = POWER) -> int | None:
    """The fewest blocks that would decide a comparison with probability ``power``, at the
    effect and spread seen (``blocks`` of them so far); None when none up to
    :data:`MOST_BLOCKS` would, or there is no spread to go on. Its degrees of freedom are the
    contrast's now; an extra block holds only the blocks' pair, and adds about one."""
    import numpy as np

    spread = contrast.error * math.sqrt(max(blocks, 1))  # of one block's difference
    if spread <= 0 or not math.isfinite(spread):
        return None
    candidates = np.arange(2, MOST_BLOCKS + 1)
    per_block = contrast.freedom / (blocks - 1) if blocks > 1 else 1.0
    freedom = np.where(candidates <= blocks, np.maximum(per_block, 1.0) * (candidates - 1),
                       contrast.freedom + (candidates - blocks))
    enough = np.nonzero(decision_power(abs(contrast.log_gain), spread, candidates, family,
                                       confidence, np.maximum(freedom, 1.0)) >= power)[0]
    return int(candidates[enough[0]]) if len(enough) else None


def judge(contrast: Contrast, a: str, b: str, family: int, *, blocks: int, paired: bool,
          confidence: float = CONFIDENCE) -> Verdict:
    """One comparison of a family of ``family``, from its contrast."""
    interval = contrast.interval(family_confidence(family, confidence))
    found = outcome(interval)
    more = None if found in DECIDED else blocks_to_decide(contrast, blocks, family, confidence)
    return Verdict(a, b, found, interval, family, paired, more)


def judge_in_model(model: RunModel, pairs: Sequence[tuple[str, str]],
                   confidence: float = CONFIDENCE) -> list[Verdict]:
    """Every pair of ``pairs`` (A, B), one family, from one run's model."""
    return [judge(model.contrast(a, b), a, b, len(pairs),
                  blocks=min(model.used[a], model.used[b]), paired=True, confidence=confidence)
            for a, b in pairs]


def unpaired_contrast(seconds_a: Sequence[float], seconds_b: Sequence[float]) -> Contrast:
    """A against B from their own processes, not paired: Welch's t on logarithms (scipy).

    Raises:
        ModelError: fewer than two values on a side, or a value that is not a time.
    """
    from scipy import stats

    for side in (seconds_a, seconds_b):
        if len(side) < 2:
            raise ModelError("an unpaired comparison needs at least two processes on each side")
        if not all(math.isfinite(value) and value > 0 for value in side):
            raise ModelError(f"{list(side)!r} holds a value that is not a time")
    logs_a, logs_b = ([math.log(v) for v in side] for side in (seconds_a, seconds_b))
    test = stats.ttest_ind(logs_a, logs_b, equal_var=False)
    gain = sum(logs_a) / len(logs_a) - sum(logs_b) / len(logs_b)
    error = math.sqrt(stats.tvar(logs_a) / len(logs_a) + stats.tvar(logs_b) / len(logs_b))
    freedom = float(getattr(test, "df", len(logs_a) + len(logs_b) - 2))
    return Contrast(gain, error, freedom if math.isfinite(freedom) else 1.0)


# The words, written once: every view shows a verdict through these.
def factor(speedup: float, digits: int = 2) -> str:
    """A speed ratio in the words people read: ``1.22× faster``, ``1.08× slower``, ``1.00×``."""
    size = speedup if speedup >= 1 else 1 / speedup
    text = f"{size:.{digits}f}×"
    if text == f"{1:.{digits}f}×":
        return text
    return f"{text} {'faster' if speedup >= 1 else 'slower'}"


def _bounds(verdict: Verdict) -> tuple[float, float]:
    low, high = verdict.speedup.low, verdict.speedup.high
    return (low if low is not None else verdict.speedup.value,
            high if high is not None else verdict.speedup.value)


def _digits(*values: float, margin_side: bool = False) -> int:
    """Two decimals, or three where two would print a bound as 1.00 (more for faster or
    slower, whose bounds are never 1); with ``margin_side`` (the same, or undecided), more
    where a bound would print as the margin's edge (1.03) without being it, so that the
    two never show the same printed interval."""
    sizes = [v if v >= 1 else 1 / v for v in values]
    edge = 1 + MARGIN_PERCENT / 100
    digits = 3 if any(round(size, 2) == 1.0 for size in sizes) else 2
    while digits < 6 and any(size != edge and round(size, digits) == round(edge, digits)
                             if margin_side else size != 1 and round(size, digits) == 1.0
                             for size in sizes):
        digits += 1
    return digits


def words(verdict: Verdict, *, against: str = "", with_blocks: bool = True) -> str:
    """A verdict as every view prints it: ``1.22× faster (1.17–1.27×)``, ``1.08× slower
    (1.05–1.11×)``, ``same within ±3% (1.01× slower to 1.02× faster)``, ``undecided (1.02×
    slower to 1.04× faster; about 12 blocks in all would decide)``; with ``against`` naming A:
    ``1.22× faster than 3.10 (…)``, ``same as 3.10 within ±3% (…)``, ``undecided against 3.10
    (…)``. The range is the simultaneous interval the verdict was read from."""
    low, high = _bounds(verdict)
    digits = _digits(low, high, margin_side=verdict.outcome in (SAME, UNDECIDED))
    if verdict.outcome in (FASTER, SLOWER):
        than = f" than {against}" if against else ""
        shown = (low, high) if verdict.outcome == FASTER else (1 / high, 1 / low)
        return (f"{factor(verdict.speedup.value, digits)}{than} "
                f"({shown[0]:.{digits}f}–{shown[1]:.{digits}f}×)")
    span = f"{factor(low, digits)} to {factor(high, digits)}"
    if verdict.outcome == SAME:
        return (f"same{f' as {against}' if against else ''} within ±{MARGIN_PERCENT:g}% "
                f"({span})")
    more = ""
    if with_blocks:
        more = (f"; about {verdict.blocks_to_decide} blocks in all would decide"
                if verdict.blocks_to_decide else "; out of reach of more blocks")
    return f"undecided{f' against {against}' if against else ''} ({span}{more})"


def brief(verdict: Verdict) -> str:
    """A verdict without its range, for a sentence that points to the table holding it:
    ``1.22× faster``, ``1.08× slower``, ``same within ±3%``, ``undecided``."""
    if verdict.outcome in (FASTER, SLOWER):
        return factor(verdict.speedup.value, _digits(*_bounds(verdict)))
    return f"same within ±{MARGIN_PERCENT:g}%" if verdict.outcome == SAME else UNDECIDED


def rule_text(family: int) -> str:
    """The rule in one sentence, for the note under a table of verdicts."""
    return (f"B against A, paired block by block within one run; the range is a simultaneous "
            f"95% interval for the {family} comparisons of the column (Bonferroni), and the "
            f"verdict is read from it: faster or slower when it excludes 1×, the same when it "
            f"lies within ±{MARGIN_PERCENT:g}%, undecided otherwise, with the blocks (a "
            f"block: each interpreter measured once, in a process of its own) that would "
            f"decide it {POWER:.0%} of the time")


def direction_text() -> str:
    """Which way × reads, in one sentence, for the note under a table of verdicts."""
    return ("× reads one way: \"1.22× faster\" is B making 1.22 times A's tasks per second, "
            "\"1.08× slower\" is B taking 1.08 times A's CPU time per task")


def judge_pairs(index: Index, machine: str, pairs: Sequence[tuple[str, str]],
                entry: Benchmark, *params: Any, confidence: float = CONFIDENCE
                ) -> list[Verdict | None]:
    """Every pair (A, B) of interpreters at one figure on ``machine``, one family: from the
    newest run's model where both are in it, else unpaired from their own processes; None
    where either lacks the values for either."""
    model = index.model(machine, entry, *params)
    found: list[Verdict | None] = []
    for a, b in pairs:
        if model is not None and a in model.series and b in model.series:
            found.append(judge(model.contrast(a, b), a, b, len(pairs),
                               blocks=min(model.used[a], model.used[b]), paired=True,
                               confidence=confidence))
            continue
        figures = [index.get(machine, env, entry, *params) for env in (a, b)]
        if any(f is None or not f.current or not f.samples or len(f.samples) < 2
               for f in figures):
            found.append(None)
            continue
        contrast = unpaired_contrast(figures[0].samples, figures[1].samples)  # type: ignore
        found.append(judge(contrast, a, b, len(pairs), blocks=min(
            len(figures[0].samples), len(figures[1].samples)), paired=False,  # type: ignore
            confidence=confidence))
    return found

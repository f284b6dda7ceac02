"""A precision record of runs judged by the run's model (``kind: model``), read and summed up.

A record (written by :mod:`taskbench.jobs.precision`) holds two or more full runs on one
machine, each labelled with how it was made (``quiet``; ``burst``: with interference made on
purpose). What it is held to, each computed here from the record alone:

* **decisions**: in each run, how many of the version steps are decided at the headline
  figure (and at the post's 1,000,000 tasks, first cycle);
* **agreement between runs**: for every two runs, the steps decided opposite ways (faster in
  one, slower in the other, or the same in one and beyond the margin in the other: a
  contradiction) and the steps decided in one only;
* **precision**: the widest CPython interval at the headline, against ±2%;
* **calibration** of the absolute figures between the first two quiet runs: each figure's
  difference between the runs against its combined standard error; how many agree within
  their 95% intervals, against the 95% expected if the intervals were right and nothing moved
  between the runs (a binomial test, scipy), and the **run effect**: the mean difference over
  the CPythons at the headline, with its t interval (scipy), and the agreement expected given
  it. A test that can fail: a run effect moves every figure alike, which no interval of one
  run can see.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Dict

from taskbench.catalogue import FIRST_CYCLE, LARGEST_COUNT, TASK_COST
from taskbench.interpreters.names import held_to_precision
from taskbench.reports import inference, markdown
from taskbench.reports.cells import Cell, Table, label
from taskbench.reports.classic import HEADLINE

Record = Dict[str, Any]
HEADLINE_FIGURE = HEADLINE[0].call_name((HEADLINE[1],))
POST_FIGURE = FIRST_CYCLE.call_name((LARGEST_COUNT,))
TARGET_PERCENT = 2.0
DIRECTIONS = {inference.FASTER: 1, inference.SLOWER: -1}


def _positive(value: Any) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{value!r} is not a positive number")
    return number


def checked(record: Record) -> Record:
    """A ``model`` record with its numbers converted, or ValueError/KeyError/TypeError."""
    runs = record["runs"]
    if not isinstance(runs, list) or len(runs) < 2:
        raise ValueError("runs is not a list of two or more runs")
    for run in runs:
        if not isinstance(run["commit"], str) or not isinstance(run["label"], str):
            raise ValueError("a run needs a commit and a label")
        for figure in run["figures"]:
            for key in ("value", "low", "high"):
                figure[key] = _positive(figure[key])
            if not figure["low"] <= figure["value"] <= figure["high"]:
                raise ValueError(f"{figure['figure']}: its value lies outside its interval")
            if figure.get("log_error") is not None:
                figure["log_error"] = float(figure["log_error"])
                figure["freedom"] = _positive(figure["freedom"])
        for step in run["steps"]:
            if not isinstance(step["pair"], str) or not isinstance(step["outcome"], str):
                raise ValueError("a step needs a pair and an outcome")
    return record


def decided(run: Record, figure: str = HEADLINE_FIGURE) -> tuple[int, int]:
    """Steps decided at ``figure`` in one run, and how many there are."""
    steps = [step for step in run["steps"] if step["figure"] == figure]
    return sum(step["outcome"] in inference.DECIDED for step in steps), len(steps)


def widest_cpython(run: Record, figure: str = HEADLINE_FIGURE) -> float | None:
    """The widest CPython 95% interval at ``figure``, in percent (the larger side)."""
    widths = [100 * max(f["high"] / f["value"] - 1, 1 - f["low"] / f["value"])
              for f in run["figures"]
              if f["figure"] == figure and held_to_precision(f["interpreter"])]
    return max(widths) if widths else None


def _contradict(first: Record, second: Record) -> bool:
    outcomes = {first["outcome"], second["outcome"]}
    if outcomes == {inference.FASTER, inference.SLOWER}:
        return True
    if inference.SAME not in outcomes or not outcomes & set(DIRECTIONS):
        return False
    moved = first if first["outcome"] in DIRECTIONS else second
    low, high = moved["speedup"][1], moved["speedup"][2]
    edge = math.exp(inference.margin())
    return bool(low > edge or high < 1 / edge)  # beyond the margin: not "the same" at all


def agreement(first: Record, second: Record, figure: str = HEADLINE_FIGURE
              ) -> tuple[list[str], list[str]]:
    """Between two runs at ``figure``: the steps decided opposite ways, and those decided in
    one run only."""
    theirs = {step["pair"]: step for step in second["steps"] if step["figure"] == figure}
    opposite, one_only = [], []
    for step in first["steps"]:
        other = theirs.get(step["pair"])
        if step["figure"] != figure or other is None:
            continue
        decided_here = step["outcome"] in inference.DECIDED
        decided_there = other["outcome"] in inference.DECIDED
        if decided_here and decided_there and _contradict(step, other):
            opposite.append(step["pair"])
        elif decided_here != decided_there:
            one_only.append(step["pair"])
    return opposite, one_only


def _within(gap: float, error: float, freedom: float) -> bool:
    from scipy import stats

    return abs(gap) <= float(stats.t.ppf(0.975, freedom)) * error


def calibration(first: Record, second: Record) -> dict[str, Any]:
    """The calibration of the absolute figures between two runs (see the module docstring)."""
    from scipy import stats

    theirs = {(f["figure"], f["interpreter"]): f for f in second["figures"]}
    agree, total, headline = 0, 0, []
    for mine in first["figures"]:
        other = theirs.get((mine["figure"], mine["interpreter"]))
        if other is None or mine.get("log_error") is None or other.get("log_error") is None:
            continue
        gap = math.log(other["value"] / mine["value"])
        error = math.hypot(mine["log_error"], other["log_error"])
        freedom = min(mine["freedom"], other["freedom"])
        total += 1
        agree += _within(gap, error, freedom)
        if mine["figure"] == HEADLINE_FIGURE and held_to_precision(mine["interpreter"]):
            headline.append((gap, error, freedom))
    found: dict[str, Any] = {"agree": agree, "total": total}
    if total:
        found["p_agreement"] = float(stats.binomtest(agree, total, 0.95).pvalue)
    if len(headline) >= 3:
        gaps = [gap for gap, _, _ in headline]
        test = stats.ttest_1samp(gaps, 0.0)
        interval = test.confidence_interval(0.95)
        shift = sum(gaps) / len(gaps)
        found.update(run_effect=math.expm1(shift), run_effect_low=math.expm1(interval.low),
                     run_effect_high=math.expm1(interval.high), p_run_effect=float(test.pvalue))
        # Observed and expected over the same figures, each with its own t.
        found["headline_agree"] = sum(_within(*figure) for figure in headline)
        found["headline_total"] = len(headline)
        found["expected_with_effect"] = sum(
            stats.norm.cdf(stats.t.ppf(0.975, freedom) - shift / error)
            - stats.norm.cdf(-stats.t.ppf(0.975, freedom) - shift / error)
            for _, error, freedom in headline) / len(headline)
    return found


def runs_table(record: Record) -> Table:
    """One row per run: how it was made, what it decided, how wide, how long."""
    rows = []
    for number, run in enumerate(record["runs"], 1):
        done, steps = decided(run)
        done_post, steps_post = decided(run, POST_FIGURE)
        widest = widest_cpython(run)
        aside = sum(len(f.get("set_aside") or []) for f in run["figures"])
        rows.append([label(f"{number}: {run['label']}"), label(f"`{run['commit'][:8]}`"),
                     Cell(f"{done} of {steps}"), Cell(f"{done_post} of {steps_post}"),
                     Cell("-" if widest is None else f"±{widest:.1f}%"), Cell(str(aside)),
                     Cell(f"{run.get('blocks', '?')} ({run.get('extra_blocks', 0)} extra)"),
                     Cell(f"{run.get('phase_minutes', 0) + run.get('block_minutes', 0):.1f}")])
    return Table("runs", f"Runs on `{record['machine']}`",
                 ["run", "commit", f"steps decided, {TASK_COST.class_name} 100,000",
                  f"steps decided, {FIRST_CYCLE.class_name} 1,000,000",
                  "widest CPython interval at 100,000", "values set aside",
                  "blocks", "minutes measuring"], rows, text_columns=2)


def _agreement_lines(record: Record) -> list[str]:
    lines = []
    for (i, first), (j, second) in itertools.combinations(enumerate(record["runs"], 1), 2):
        opposite, one_only = agreement(first, second)
        lines.append(f"Runs {i} and {j} at {TASK_COST.class_name} 100,000: "
                     f"{len(opposite)} steps decided opposite ways"
                     + (f" ({', '.join(opposite)})" if opposite else "")
                     + f", {len(one_only)} decided in one run only"
                     + (f" ({', '.join(one_only)})" if one_only else "") + ".")
    return lines


def _calibration_line(record: Record) -> str:
    quiet = [run for run in record["runs"] if run["label"] == "quiet"][:2]
    if len(quiet) < 2:
        return "Calibration needs two quiet runs; this record has fewer."
    found = calibration(*quiet)
    if not found["total"]:
        return "Calibration: the runs share no figure from the run's model."
    text = (f"Calibration of the first two quiet runs: {found['agree']} of {found['total']} "
            f"figures ({100 * found['agree'] / found['total']:.0f}%) agree within their "
            f"combined 95% intervals, against 95% expected if nothing moved between the runs "
            f"(binomial test p = {found['p_agreement']:.2g}, a rough guide: the figures of "
            "one run share its blocks, so they are not independent).")
    if "run_effect" in found:
        text += (f" The run effect at {TASK_COST.class_name} 100,000 over the CPythons: "
                 f"{100 * found['run_effect']:+.1f}% ({100 * found['run_effect_low']:+.1f}% to "
                 f"{100 * found['run_effect_high']:+.1f}%, p = {found['p_run_effect']:.2g}); "
                 f"{found['headline_agree']} of those {found['headline_total']} figures agree, "
                 f"{100 * found['expected_with_effect']:.0f}% expected with that effect. "
                 "Verdicts compare interpreters within one run, where it cancels.")
    return text


def section(record: Record) -> list[str]:
    """The Markdown of one record."""
    return [markdown.table(runs_table(record)), " ".join(_agreement_lines(record)),
            _calibration_line(record)]

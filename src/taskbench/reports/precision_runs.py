"""A precision record of two full runs in blocks, summarised against the targets.

A record (``kind: blocks``, written by :mod:`taskbench.jobs.precision`) holds, for each of two
runs, every figure of the classic cycle with its 95% interval, the version steps' verdicts,
the instructions per task beside the headline timing, and the run's length. What it is held to:

* every CPython's interval within ±2% at 100,000 tasks and at 1 to 10,000, ±4% at 1,000,000;
* calibration: of the figures both runs have, how many differ by less than their combined
  intervals (the two half-widths added in quadrature, on logarithms);
* how many version, build and JIT steps are decided (faster, slower or equivalent) at the
  headline figure;
* how well the instructions per task predict the headline timing over the CPythons: their
  ranks (Kendall's tau, from scipy) and how many steps' paired intervals hold the ratio of
  their counts (:mod:`taskbench.reports.predictors`). Records made before 2026-12 hold the
  retired weighted sum of instructions and cache misses instead, and say so.
"""

from __future__ import annotations

import math
import statistics
from typing import Any, Dict

from taskbench.catalogue import FIRST_CYCLE, TASK_COST
from taskbench.interpreters.names import held_to_precision, interpreter_order
from taskbench.reports import markdown
from taskbench.reports.cells import Cell, Table, label
from taskbench.reports.classic import HEADLINE
from taskbench.reports.inference import DECIDED
from taskbench.reports.predictors import Prediction, predict
from taskbench.reports.stats import Estimate

Record = Dict[str, Any]
TARGETS = {**{TASK_COST.call_name((count,)): 2.0 for count in TASK_COST.axes[0].values},
           FIRST_CYCLE.call_name((1_000_000,)): 4.0}
HEADLINE_FIGURE = HEADLINE[0].call_name((HEADLINE[1],))


def _half_width(figure: Record) -> float:
    value = figure["value"]
    return 100 * float(max(figure["high"] / value - 1, 1 - figure["low"] / value))


def within_targets(run: Record) -> tuple[int, int]:
    """CPython figures with a target that meet it, and how many have one."""
    judged = [_half_width(f) <= TARGETS[f["figure"]] for f in run["figures"]
              if f["figure"] in TARGETS and held_to_precision(f["interpreter"])]
    return sum(judged), len(judged)


def calibration(first: Record, second: Record) -> tuple[int, int]:
    """Figures of both runs that differ by less than their combined intervals, and how many
    both runs have."""
    def log_half(figure: Record) -> float:
        return math.log(1 + _half_width(figure) / 100)

    others = {(f["figure"], f["interpreter"]): f for f in second["figures"]}
    agreeing, total = 0, 0
    for figure in first["figures"]:
        other = others.get((figure["figure"], figure["interpreter"]))
        if other is None:
            continue
        total += 1
        gap = abs(math.log(figure["value"] / other["value"]))
        agreeing += gap < math.hypot(log_half(figure), log_half(other))
    return agreeing, total


def decided(run: Record) -> tuple[int, int]:
    """Steps decided at the headline figure, and how many there are."""
    at_headline = [step for step in run["steps"] if step["figure"] == HEADLINE_FIGURE]
    return sum(step["outcome"] in DECIDED for step in at_headline), len(at_headline)


# What a run's record holds beside the timing (its "cost_model"), in words.
COUNTED = {"instructions": "instructions per task",
           "estimated_cycles": "the weighted sum of instructions and cache misses (retired)"}


def count_prediction(run: Record) -> tuple[str, Prediction] | None:
    """What the record holds beside the headline timing, and how well it predicts the
    timing and the steps at the headline figure, over the CPythons."""
    found = {env: values for env, values in run.get("cost_model", {}).items()
             if held_to_precision(env)}
    key = next((key for key in COUNTED if any(key in values for values in found.values())),
               None)
    if key is None:
        return None
    judged = [(*step["pair"].split(" → "), Estimate(*step["speedup"]))
              for step in run["steps"]
              if step["figure"] == HEADLINE_FIGURE and step.get("speedup")]
    return COUNTED[key], predict({env: values[key] for env, values in found.items()},
                                 {env: values["seconds"] for env, values in found.items()},
                                 judged)


def _predicts(found: tuple[str, Prediction] | None) -> str:
    if found is None or found[1].tau is None:
        return "no count beside the timing"
    counted, prediction = found
    return (f"{counted} against the timing over the {prediction.interpreters} CPythons: "
            f"Kendall's tau {prediction.tau:.2f}, and the ratio of the counts inside "
            f"{prediction.inside} of {prediction.steps} steps' paired intervals")


def _spreads(run: Record, figure: str) -> dict[str, float]:
    return {f["interpreter"]: f["spread_percent"] for f in run["figures"]
            if f["figure"] == figure and f.get("spread_percent") is not None}


def spread_table(record: Record) -> Table:
    """Per interpreter: the spread of per-process values, warm and first cycle, at 100,000."""
    warm, first = TASK_COST.call_name((100_000,)), FIRST_CYCLE.call_name((100_000,))
    rows = []
    names = sorted({f["interpreter"] for run in record["runs"] for f in run["figures"]},
                   key=interpreter_order)
    for name in names:
        cells = [label(name)]
        for run in record["runs"]:
            for figure in (warm, first):
                spread = _spreads(run, figure).get(name)
                cells.append(Cell("-" if spread is None else f"{spread:.1f}%"))
        rows.append(cells)
    return Table("spreads", "Spread of one process's figure at 100,000 tasks (standard "
                 "deviation on logarithms), warm and first cycle, in each run",
                 ["interpreter", "run 1 warm", "run 1 first cycle", "run 2 warm",
                  "run 2 first cycle"], rows)


def _percent(part: int, whole: int) -> str:
    return f"{part} of {whole} ({100 * part / whole:.0f}%)" if whole else "none"


def summary(record: Record) -> str:
    first, second = record["runs"]
    commits = " and ".join(f"`{run['commit'][:8]}`" for run in record["runs"])
    text = [f"On `{record['machine']}`, two full runs in blocks (commits {commits}"
            + "".join(f"; run {n}: {run.get('blocks', '?')} blocks, "
                      f"{run.get('block_minutes', '?')} minutes of blocks"
                      for n, run in enumerate(record["runs"], 1)) + "):"]
    for n, run in enumerate(record["runs"], 1):
        met, total = within_targets(run)
        done, pairs = decided(run)
        text.append(f"run {n}: {_percent(met, total)} CPython figures within their target "
                    f"(±2% from 1 to 100,000 tasks, ±4% at 1,000,000); "
                    f"{_percent(done, pairs)} steps decided at {HEADLINE_FIGURE}; "
                    f"{_predicts(count_prediction(run))}.")
    agree, total = calibration(first, second)
    text.append(f"Calibration: {_percent(agree, total)} figures of the two runs differ by less "
                "than their combined 95% intervals.")
    return " ".join(text)


def section(record: Record) -> list[str]:
    """The Markdown of one record: its summary and the spreads behind the kind of figure."""
    spreads = spread_table(record)
    medians = []
    for column in (1, 2):
        values = [float(row[column].text.rstrip("%")) for row in spreads.rows
                  if row[column].text != "-"]
        medians.append(statistics.median(values) if values else None)
    note = ("" if None in medians else
            f"Median spread in run 1: warm {medians[0]:.1f}%, first cycle {medians[1]:.1f}%.")
    return [summary(record), markdown.table(spreads), note]

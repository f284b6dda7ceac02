"""Does an exact count predict the timings? Ranks and version steps, against the runs.

An exact count per task (instructions, from valgrind) is worth showing beside the timings
as far as it predicts them. :func:`predict` says how well, two ways:

* **ranks**: Kendall's tau (scipy) between the count and the headline timing over the
  interpreters that have both;
* **steps**: for each version, build or JIT step the count covers, the ratio of the two
  counts (A's over B's: B's predicted speed-up) against the interval of B's speed over A's
  the step's verdict is read from (:func:`taskbench.reports.classic.judge_steps`); how many
  fall inside it, and the root mean square of the logarithmic misses (as a percent).

This settled one question for good (docs/method.md, "Instructions, and the cost model that
was retired"): a weighted sum, instructions + 10 × first-level + 100 × last-level cache
misses, labelled "estimated cycles", predicted the steps no better than instructions alone.
``python -m taskbench.reports.predictors --commit C`` repeats that comparison on a run in
``results/``, reading the weighted sums under their old benchmark names, and every figure of
the run as if measured by the benchmarks as declared now (:func:`read_run`): the views leave
out figures of older benchmark versions, and this comparison is about exactly those.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from taskbench import arguments, blocklog
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.asvadapter.results import latest, load
from taskbench.catalogue import (
    BY_NAME,
    CLASSIC_SPAWN,
    EXACT,
    INSTRUCTION_COUNTS,
    INSTRUCTIONS,
    INSTRUCTIONS_BY_COUNT,
    Benchmark,
)
from taskbench.reports.classic import HEADLINE, judge_steps, steps
from taskbench.reports.stats import Estimate
from taskbench.reports.views import Index

# A step: interpreter A, interpreter B, and B's speed over A's with its verdict's interval.
Step = tuple[str, str, Estimate]


@dataclass(frozen=True)
class Prediction:
    """How well one count per interpreter predicts the timings."""

    tau: float | None  # Kendall's tau against the timing; None with fewer than 3 interpreters
    interpreters: int
    inside: int  # steps whose predicted speed-up lies inside the step's interval
    steps: int  # steps both of whose interpreters have a count
    rms_miss_percent: float | None  # of log(predicted / measured speed-up), as a percent


def predict(counts: Mapping[str, float], seconds: Mapping[str, float],
            judged: Sequence[Step]) -> Prediction:
    """How well ``counts`` (per task, by interpreter) predict ``seconds`` (per task) and
    the ``judged`` steps."""
    from scipy import stats

    both = [env for env in counts if env in seconds]
    tau = (float(stats.kendalltau([counts[env] for env in both],
                                  [seconds[env] for env in both]).statistic)
           if len(both) >= 3 else None)
    inside, misses = 0, []
    for a, b, speedup in judged:
        if a not in counts or b not in counts:
            continue
        predicted = counts[a] / counts[b]
        inside += speedup.includes(predicted)
        misses.append(math.log(predicted / speedup.value))
    rms = (100 * (math.exp(math.sqrt(sum(m * m for m in misses) / len(misses))) - 1)
           if misses else None)
    return Prediction(tau, len(both), inside, len(misses), rms)


def _retired(method: str, axes_of: Benchmark) -> Benchmark:
    """A benchmark no longer in the catalogue, by its old name, to read old results."""
    return Benchmark(f"{axes_of.module}.{axes_of.class_name}.{method}", "retired",
                     axes_of.axes, "cycles/task", "lower", "cost-model-1", EXACT)


# The weighted sums, as the committed runs up to 2026-11-30 hold them.
WEIGHTED = _retired("track_estimated_cycles_per_task", INSTRUCTIONS)
WEIGHTED_BY_COUNT = _retired("track_estimated_cycles_per_task", INSTRUCTIONS_BY_COUNT)
# Each count, and the parameters it is read at: the classic cycle between 1,000 and 2,000
# tasks, and between 10,000 and 30,000 with the collector on (the nearest to 100,000).
LARGEST = ("on", INSTRUCTION_COUNTS[-1])
COUNTS: dict[str, tuple[Benchmark, tuple[object, ...]]] = {
    "instructions, 1,000 to 2,000 tasks": (INSTRUCTIONS, CLASSIC_SPAWN),
    "weighted sum, 1,000 to 2,000 tasks": (WEIGHTED, CLASSIC_SPAWN),
    "instructions, 10,000 to 30,000 tasks": (INSTRUCTIONS_BY_COUNT, LARGEST),
    "weighted sum, 10,000 to 30,000 tasks": (WEIGHTED_BY_COUNT, LARGEST),
}


def read_run(results: Path, commit: str) -> tuple[Index, list[str]]:
    """The run at ``commit`` with its block logs, every figure taken as measured by its
    benchmark as declared now, and what could not be read. Only for comparing counts with
    timings of one run: the views never mix benchmark versions."""
    loaded = load(results)
    figures = [replace(figure, version=BY_NAME[figure.benchmark].version)
               if figure.benchmark in BY_NAME else figure
               for figure in loaded.figures if figure.commit.startswith(commit)]
    logs, problems = {}, list(loaded.problems)
    for machine in sorted({figure.machine for figure in figures}):
        try:
            logs[machine] = blocklog.read(results / machine / blocklog.BLOCKS_FILE)
        except blocklog.BlockLogError as error:
            problems.append(f"{error}: its steps cannot be paired")
    return Index(latest(figures), logs), problems


def headline_steps(index: Index, machine: str) -> list[Step]:
    """Every step judged at the headline figure and paired by block, with the interval its
    verdict is read from."""
    entry, count = HEADLINE
    pairs = steps(index.environments(machine, [entry]))
    judged = judge_steps(index, machine, [(a, b) for a, b, _ in pairs], entry, count)
    return [(a, b, verdict.speedup) for (a, b, _), verdict in zip(pairs, judged)
            if verdict is not None and verdict.paired]


def compare(index: Index, machine: str) -> dict[str, Prediction]:
    """Each of :data:`COUNTS` that the run holds, against its headline timings and steps."""
    entry, count = HEADLINE
    seconds = {env: est.value for env in index.environments(machine, [entry])
               if (est := index.estimate(machine, env, entry, count)) is not None}
    judged = headline_steps(index, machine)
    found = {}
    for name, (counted, params) in COUNTS.items():
        values = {env: value for env in index.environments(machine, [counted])
                  if (value := index.value(machine, env, counted, *params)) is not None}
        if values:
            found[name] = predict(values, seconds, judged)
    return found


def describe(name: str, prediction: Prediction) -> str:
    tau = "n/a" if prediction.tau is None else f"{prediction.tau:.2f}"
    rms = ("n/a" if prediction.rms_miss_percent is None
           else f"{prediction.rms_miss_percent:.1f}%")
    return (f"{name}: Kendall's tau {tau} over {prediction.interpreters} interpreters; "
            f"inside the step's interval in {prediction.inside} of {prediction.steps} steps; "
            f"typical miss {rms}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.reports.predictors",
        description="How well instructions, and the retired weighted sum, predict a run's "
                    "headline timings and version steps.")
    parser.add_argument("--commit", required=True, help="the run's commit (a prefix will do)")
    parser.add_argument("--machine", required=True)
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    args = parser.parse_args(argv)
    try:
        index, problems = read_run(args.results or results_dir(), args.commit)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    found = compare(index, args.machine)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if not found:
        print(f"error: no instruction counts at {args.commit!r} on {args.machine}",
              file=sys.stderr)
        return 2
    for name, prediction in found.items():
        print(describe(name, prediction))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

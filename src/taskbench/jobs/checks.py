"""What an incoming results file must hold before the merge lets it into ``results/``.

asv's reader checks a file's columns, not the numbers in them, and asv's pages trust every
number: a negative rate becomes "costs from -200,000.00 µs" in the README, an infinite or
NaN interval makes the graph's JSON unparsable in the browser (losing the interpreter's whole
graph), and a commit dated in the year 3000 hides every newer run. So every number a run
writes is checked here, with the reason a value is impossible:

* each figure is a finite float (:func:`taskbench.validity.number`: not ``true``, not an
  integer too large for a float); asv's ``NaN`` in the result column is its own "n/a";
* a figure and its samples are above 0, except where the catalogue's unit is a share or a
  count of page faults, which may be 0 (every other declared figure is a rate, a count of
  bytes, instructions or tasks, or a time). asv's 99% interval may legitimately extend
  below 0 for a spread-out rate (its posterior, not the samples), so intervals need only be
  finite, but for asv's own (-inf, inf), its "no interval" for a figure of one sample;
* the commit date and every ``started_at`` lie after the epoch and no later than a day from
  now (commit dates come from the committer's clock, which may run a little fast:
  ``validity.FUTURE_SLACK``); asv's ``null`` for a benchmark that did not run stays;
* the file's name is the whole name asv gives it (machine, commit and environment name
  compared as one string, so that an environment named ``../x`` cannot pass as ``x``);
* asv's durations, which the budget sums, are finite and not below 0;
* the file agrees with itself and its name (:mod:`taskbench.jobs.consistency`).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from taskbench.asvadapter.results import expected_name, load_file, run_stamp
from taskbench.catalogue import BY_NAME
from taskbench.jobs import consistency
from taskbench.validity import latest_allowed, moment_problem, number, shown, when

# Units whose figures may be 0: a share of CPU time, page faults per task.
MAY_BE_ZERO = frozenset({"%", "faults/task"})
COUNTS = ("number", "repeat")  # asv's statistics that count: calls per sample, samples


def _dates_problem(results: Any) -> str | None:
    date = number(results.date)
    if date is None or date <= 0 or not isinstance(results.date, int):
        return f"its commit date {shown(results.date)} is not a time"
    if date > latest_allowed():
        return f"its commit is dated {when(int(date))}, in the future"
    for name, started in results.started_at.items():
        if started is None:
            continue  # asv's own: a benchmark that did not run
        problem = moment_problem(started)
        if problem:
            return f"{name} started at {problem}"
    return None


def _figure_problem(key: str, index: int, value: Any, stats: Any, samples: Any) -> str | None:
    entry = BY_NAME.get(key)
    may_be_zero = entry is None or entry.unit in MAY_BE_ZERO
    unit = f" {entry.unit}" if entry else ""
    where = f"{key}, figure {index + 1}"
    if isinstance(value, float) and math.isnan(value):
        value = None  # asv's n/a
    checks = [(value, f"{where}: the value")]
    checks += [(sample, f"{where}: a sample") for sample in samples or []]
    for found, what in checks:
        if found is None:
            continue
        if number(found) is None:
            return f"{what} is {shown(found)}, not a finite number"
        if found < 0 or (found == 0 and not may_be_zero):
            return f"{what} is {found!r}{unit}, which no run can measure"
    if stats is not None and not isinstance(stats, dict):
        return f"{where}: its statistics are {shown(stats)}, not asv's"
    stats = dict(stats or {})
    if (stats.get("ci_99_a"), stats.get("ci_99_b")) == (-math.inf, math.inf):
        del stats["ci_99_a"], stats["ci_99_b"]  # asv's interval of a single sample: none
    for field, bound in sorted(stats.items()):
        if number(bound) is None:
            return f"{where}: its {field} is {shown(bound)}, not a finite number"
        if field in COUNTS and bound < 1:
            return f"{where}: its {field} is {shown(bound)}, not a count of runs"
    return consistency.agreement_problem(where, value, stats, samples)


def _durations_problem(results: Any) -> str | None:
    """asv's durations (seconds a benchmark, the build or a setup_cache took), which the
    budget sums: each a finite number, not below 0."""
    durations = results.duration
    if not isinstance(durations, dict):
        return f"its durations are {shown(durations)}, not asv's"
    for name, seconds in sorted(durations.items(), key=lambda item: str(item[0])):
        if seconds is not None and (number(seconds) is None or seconds < 0):
            return f"{name} took {shown(seconds)} seconds, which no run can take"
    return None


def figures_problem(results: Any) -> str | None:
    """Why the numbers of asv ``Results`` cannot be from a run (see the docstring), or None."""
    problem = _dates_problem(results) or _durations_problem(results)
    if problem:
        return problem
    for key in results.get_all_result_keys():
        grid = results.get_result_params(key) or []
        values = results.get_result_value(key, grid)
        stats = results.get_result_stats(key, grid)
        samples = results.get_result_samples(key, grid)
        for index, value in enumerate(values):
            problem = _figure_problem(key, index, value,
                                      stats[index] if index < len(stats) else None,
                                      samples[index] if index < len(samples) else None)
            if problem:
                return problem
    return None


def name_problem(results: Any, machine: str, file_name: str) -> str | None:
    """Why ``file_name`` is not the whole name asv gives these results, or None."""
    if not isinstance(results.commit_hash, str) or not isinstance(results.env_name, str):
        return "its commit hash or environment name is not text"
    expected = expected_name(machine, results.commit_hash, results.env_name)
    if expected != os.path.join(machine, file_name):
        return f"holds {expected[len(machine) + 1:]}'s results under another name"
    return None


def checked_results(path: Path, machine: str) -> tuple[Any, str | None]:
    """asv's ``Results`` of ``path``, or why it is refused (naming the file)."""
    try:
        results = load_file(path, machine)
    except ValueError as error:
        return None, str(error)
    try:
        # asv's reader checks the columns are there, not their types or values: a null
        # commit hash, a text date or a negative rate is refused here rather than merged.
        data = json.loads(path.read_text(encoding="utf-8"))
        problem = (name_problem(results, machine, path.name)
                   or consistency.commit_problem(results.commit_hash)
                   or consistency.environment_problem(data)
                   or consistency.grid_problem(data)
                   or figures_problem(results))
        if problem is not None:
            return None, f"{path}: {problem}"
        run_stamp(results)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        return None, f"{path}: not asv's results file ({type(error).__name__}: {error})"
    return results, None

"""A results file checked against itself and its name, before the merge lets it in.

asv's reader takes a file's columns as they come, and the views trust them; so a file that
contradicts itself shows a wrong figure somewhere. Each rule here names what it prevents:

* **The environment name is the one asv gives the file's own interpreter and settings**
  (``params.python``, the ``python`` beside it, ``env_vars`` and ``requirements``, through
  asv's ``get_env_name``): a py3.13 file saying python 3.12 made the 3.12 row show 3.13's
  figures and the 3.13 row disappear.
* **The commit hash is git's: lowercase hex**: ``0BCF81ED-…`` beside ``0bcf81ed-…`` are one
  file on macOS and Windows checkouts.
* **Every list has one entry per combination of the benchmark's parameters**: asv pairs
  values with combinations by position, so a short list gave figures to the wrong ones, and
  a verdict to a figure that was never measured.
* **A stored value is the median of its own samples and lies inside its own 99% interval**:
  ``compare`` and asv's graphs show the stored value, the README computes from the samples,
  so a value 10× its samples' median showed two different figures. asv rounds its
  statistics to five significant digits, hence the slack on the interval.
"""

from __future__ import annotations

import itertools
import re
import statistics
from typing import Any

from taskbench.validity import number, shown

COMMIT = re.compile(r"[0-9a-f]{7,64}")
MEDIAN_SLACK = 1e-6  # relative: the median of floats, as asv and statistics compute it
INTERVAL_SLACK = 1e-4  # relative: asv stores its statistics to five significant digits
LISTS = ("result", "samples")  # besides every ``stats_*`` column


def environment_problem(data: dict[str, Any]) -> str | None:
    """Why the file's environment name is not the one asv gives its interpreter, or None."""
    from asv.environment import get_env_name

    params, env_name = data.get("params"), data.get("env_name")
    python = params.get("python") if isinstance(params, dict) else None
    env_vars, requirements = data.get("env_vars") or {}, data.get("requirements") or {}
    if not isinstance(python, str) or not python:
        return "its params name no python"
    if data.get("python") != python:
        return f"its python {shown(data.get('python'))} is not its params' {python!r}"
    if not (isinstance(env_vars, dict) and isinstance(requirements, dict)
            and all(isinstance(v, str) for v in [*env_vars.values(), *env_vars])):
        return "its env_vars or requirements are not names and values"
    if not isinstance(env_name, str) or "-" not in env_name:
        return f"its environment name {shown(env_name)} is not asv's"
    tool = env_name.split("-", 1)[0]
    # asv's virtualenv plugin drops the "py" of "pypy3.9" before get_env_name adds one.
    named = python[2:] if python.startswith("pypy") else python
    expected = get_env_name(tool, named, requirements,
                            {("", key): value for key, value in env_vars.items()})
    if env_name != expected:
        settings = "".join(f" {key}={value}" for key, value in sorted(env_vars.items()))
        return (f"its environment is named {shown(env_name)}, but python {python}{settings} "
                f"is {expected!r}")
    return None


def commit_problem(commit: Any) -> str | None:
    if not isinstance(commit, str) or not COMMIT.fullmatch(commit):
        return f"its commit hash {shown(commit)} is not git's (lowercase hex)"
    return None


def _combinations(params: Any) -> int | None:
    if not isinstance(params, list) or not all(
            isinstance(axis, list) and all(isinstance(value, str) for value in axis)
            for axis in params):
        return None
    return len(list(itertools.product(*params))) if params else 1


def grid_problem(data: dict[str, Any]) -> str | None:
    """Why some benchmark's lists do not hold one entry per parameter combination, or None."""
    columns = data.get("result_columns")
    if not isinstance(columns, list) or "params" not in columns:
        return "its result columns are not asv's"
    for name, row in sorted((data.get("results") or {}).items()):
        cells = dict(zip(columns, row if isinstance(row, list) else []))
        expected = _combinations(cells.get("params"))
        if expected is None:
            return f"{name}: its parameters {shown(cells.get('params'))} are not asv's"
        if not isinstance(cells.get("version"), (str, type(None))):
            return f"{name}: its version {shown(cells.get('version'))} is not text"
        for column, cell in sorted(cells.items()):
            if (column in LISTS or column.startswith("stats_")) and cell is not None and (
                    not isinstance(cell, list) or len(cell) != expected):
                size = len(cell) if isinstance(cell, list) else shown(cell)
                return (f"{name}: its {column} holds {size} entries for {expected} "
                        "combinations of its parameters")
    return None


def agreement_problem(where: str, value: Any, stats: Any, samples: Any) -> str | None:
    """Why one figure's stored value disagrees with its own samples or interval, or None."""
    value = number(value)
    if value is None:
        return None
    found = [number(sample) for sample in samples or []]
    measured = [sample for sample in found if sample is not None]
    if measured and len(measured) == len(found):
        median = statistics.median(measured)
        if abs(value - median) > MEDIAN_SLACK * max(abs(value), abs(median)):
            return (f"{where}: the value {value!r} is not the median of its own "
                    f"{len(measured)} samples ({median!r})")
    low, high = (number((stats or {}).get(bound)) for bound in ("ci_99_a", "ci_99_b"))
    if low is not None and high is not None:
        slack = INTERVAL_SLACK * max(abs(low), abs(high), abs(value))
        if low > high:
            return f"{where}: its 99% interval runs backwards ({low!r} to {high!r})"
        if not low - slack <= value <= high + slack:
            return (f"{where}: the value {value!r} lies outside its own 99% interval "
                    f"({low!r} to {high!r})")
    return None

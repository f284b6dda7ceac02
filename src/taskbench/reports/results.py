"""``results/`` read through asv's own modules, as figures the views can use.

Every results file is opened with ``asv.results.Results.load``, which checks asv's file format
and the machine; a file that cannot be read is named in ``problems`` with what to do, and the
others are still read. Nothing under ``results/`` is written here.

A :class:`Figure` is one benchmark at one parameter combination, in one environment, at one
commit: asv's value (for sampled benchmarks, the median of the samples), asv's 99% confidence
interval of that median and the samples themselves where asv kept them. Parameters are turned
back into the numbers and strings they were (asv stores their ``repr``).
"""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Tuple

from taskbench.catalogue import BY_NAME

Params = Tuple[Any, ...]


@dataclass(frozen=True)
class Figure:
    machine: str
    python: str
    env_name: str
    env_vars: tuple[tuple[str, str], ...]
    commit: str
    date: int
    run_started: int  # the newest started_at of the file: when this run was made
    benchmark: str
    version: str | None
    params: Params
    value: float | None
    interval: tuple[float, float] | None = None  # asv's 99% confidence interval of the median
    samples: tuple[float, ...] | None = None

    @property
    def environment(self) -> str:
        """The interpreter as views show it: python name plus any matrix variables."""
        return self.python + "".join(f" {key}={value}" for key, value in self.env_vars)

    @property
    def current(self) -> bool:
        """Whether the figure was measured by the benchmark as the catalogue declares it now."""
        entry = BY_NAME.get(self.benchmark)
        return entry is not None and entry.version == self.version


@dataclass
class Loaded:
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parameter(text: str) -> Any:
    """asv's stored ``repr`` of a parameter, as the value it was (``"'gather'"`` → ``gather``)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _interval(stats: dict[str, Any] | None) -> tuple[float, float] | None:
    if not stats:
        return None
    low, high = _finite(stats.get("ci_99_a")), _finite(stats.get("ci_99_b"))
    return (low, high) if low is not None and high is not None else None


def _figures(results: Any, machine: str) -> Iterable[Figure]:
    started = [value for value in results.started_at.values() if isinstance(value, int)]
    common = dict(machine=machine, python=str(results.params.get("python", "?")),
                  env_name=results.env_name,
                  env_vars=tuple(sorted((str(k), str(v)) for k, v in results.env_vars.items())),
                  commit=results.commit_hash, date=int(results.date or 0),
                  run_started=max(started, default=0))
    for key in results.get_all_result_keys():
        grid = results.get_result_params(key) or []
        values = results.get_result_value(key, grid)
        stats = results.get_result_stats(key, grid)
        samples = results.get_result_samples(key, grid)
        combos = _combinations(grid)
        for index, combo in enumerate(combos):
            sample = samples[index] if index < len(samples) else None
            yield Figure(
                benchmark=key, version=results.benchmark_version.get(key),
                params=tuple(parameter(p) for p in combo),
                value=_finite(values[index]) if index < len(values) else None,
                interval=_interval(stats[index] if index < len(stats) else None),
                samples=tuple(float(s) for s in sample if _finite(s) is not None)
                if sample else None, **common)


def _combinations(grid: list[list[str]]) -> list[tuple[str, ...]]:
    combos: list[tuple[str, ...]] = [()]
    for axis in grid:
        combos = [combo + (value,) for combo in combos for value in axis]
    return combos


def _machine_name(machine_dir: Path) -> str:
    try:
        data = json.loads((machine_dir / "machine.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{machine_dir / 'machine.json'} cannot be read ({error})") from None
    name = data.get("machine") if isinstance(data, dict) else None
    if name != machine_dir.name:
        raise ValueError(f"{machine_dir / 'machine.json'} names machine {name!r}, not the "
                         f"folder's {machine_dir.name!r}")
    return machine_dir.name


def load_file(path: Path, machine: str) -> Any:
    """``asv.results.Results`` of one file, or ValueError saying why it cannot be read."""
    from asv import results, util

    try:
        return results.Results.load(str(path), machine_name=machine)
    except (util.UserError, OSError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{path}: cannot be read ({type(error).__name__}: {error})") from None


def load(results_dir: Path) -> Loaded:
    """Every figure under ``results_dir``; files that cannot be read are named in problems."""
    loaded = Loaded()
    if not results_dir.is_dir():
        loaded.problems.append(f"{results_dir} does not exist: run this from the repository "
                               "root, or measure first (make bench)")
        return loaded
    for machine_dir in sorted(p for p in results_dir.iterdir()
                              if p.is_dir() and not p.name.startswith(".")):
        try:
            machine = _machine_name(machine_dir)
        except ValueError as error:
            loaded.problems.append(f"{error}; its results are skipped")
            continue
        for path in sorted(machine_dir.glob("*.json")):
            if path.name == "machine.json":
                continue
            try:
                loaded.figures.extend(_figures(load_file(path, machine), machine))
            except ValueError as error:
                loaded.problems.append(f"{error}; skipped. Restore it from git or rerun asv.")
    return loaded


def latest(figures: Iterable[Figure]) -> list[Figure]:
    """For each machine, environment and benchmark: the figures of its newest run.

    A whole run is taken, not the newest value of each parameter, so that a parameter a later
    run no longer measures does not linger beside the new ones.
    """
    figures = list(figures)
    newest: dict[tuple[str, str, str], tuple[int, int, str]] = {}
    for f in figures:
        key = (f.machine, f.env_name, f.benchmark)
        stamp = (f.date, f.run_started, f.commit)
        if key not in newest or stamp > newest[key]:
            newest[key] = stamp
    return [f for f in figures
            if newest[(f.machine, f.env_name, f.benchmark)] == (f.date, f.run_started, f.commit)]

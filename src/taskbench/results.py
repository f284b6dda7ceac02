"""Read asv's results/ folder (asv 0.6 format) into plain records.

A results file that cannot be read is reported by name and skipped; the others are still
read, and nothing under results/ is ever written here.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator


@dataclass(frozen=True)
class Measurement:
    """One benchmark at one parameter combination, in one environment, at one commit."""

    machine: str
    env_name: str
    python: str
    env_vars: tuple[tuple[str, str], ...]
    commit: str
    date: int
    benchmark: str
    params: tuple[str, ...]
    value: float | None
    q25: float | None = None
    q75: float | None = None

    @property
    def environment(self) -> str:
        """The interpreter as the site shows it: python name plus any matrix variables."""
        extra = "".join(f" {key}={value}" for key, value in self.env_vars)
        return f"{self.python}{extra}"


@dataclass
class Results:
    measurements: list[Measurement] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _result_files(results_dir: Path) -> Iterator[Path]:
    for machine_dir in sorted(p for p in results_dir.iterdir() if p.is_dir()):
        for path in sorted(machine_dir.glob("*.json")):
            if path.name != "machine.json":
                yield path


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and value == value else None


def _read(path: Path) -> list[Measurement]:
    data = json.loads(path.read_text(encoding="utf-8"))
    columns = data["result_columns"]
    measurements = []
    for benchmark, row in data["results"].items():
        record = dict(zip(columns, row))
        grid = record.get("params") or []
        values = record.get("result")
        if not isinstance(values, list):
            values = [values]
        combos = list(itertools.product(*grid)) if grid else [()]
        q25 = record.get("stats_q_25") or [None] * len(combos)
        q75 = record.get("stats_q_75") or [None] * len(combos)
        for combo, value, low, high in zip(combos, values, q25, q75):
            measurements.append(Measurement(
                machine=path.parent.name, env_name=data["env_name"],
                python=str(data["python"]),
                env_vars=tuple(sorted((data.get("env_vars") or {}).items())),
                commit=data["commit_hash"], date=int(data.get("date") or 0),
                benchmark=benchmark, params=tuple(str(p) for p in combo),
                value=_number(value), q25=_number(low), q75=_number(high)))
    return measurements


def load_results(results_dir: Path) -> Results:
    """Every measurement under ``results_dir``; unreadable files are named in ``problems``."""
    results = Results()
    if not results_dir.is_dir():
        results.problems.append(f"{results_dir} does not exist")
        return results
    for path in _result_files(results_dir):
        try:
            results.measurements.extend(_read(path))
        except (OSError, ValueError, KeyError, TypeError) as error:
            results.problems.append(f"{path}: cannot be read ({type(error).__name__}: "
                                    f"{error}); skipped. Restore it from git or rerun asv.")
    return results


def latest(measurements: list[Measurement]) -> list[Measurement]:
    """For each machine, environment and benchmark: the measurements of its newest run.

    A whole run is taken, not the newest value of each parameter, so that a parameter a later
    run no longer measures does not linger beside the new ones.
    """
    newest: dict[tuple[str, str, str], tuple[int, str]] = {}
    for m in measurements:
        key = (m.machine, m.env_name, m.benchmark)
        if key not in newest or (m.date, m.commit) > newest[key]:
            newest[key] = (m.date, m.commit)
    return [m for m in measurements
            if newest[(m.machine, m.env_name, m.benchmark)] == (m.date, m.commit)]


def interpreter_order(environment: str) -> tuple[object, ...]:
    """Sort key: by Python version, pyenv before Debian's build, JIT last, PyPy at the end."""
    match = re.match(r"(pypy)?(\d+)\.(\d+)(\S*)(.*)", environment)
    if not match:
        return (2, environment)
    pypy, major, minor, variant, extra = match.groups()
    return (1 if pypy else 0, int(major), int(minor), variant, extra)

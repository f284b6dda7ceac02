"""``python -m taskbench compare A B``: is interpreter B slower than A, benchmark by benchmark?

A and B name environments as the site shows them: a python name (``3.13``, ``3.14-debian``,
``pypy3.9``), optionally with matrix variables (``"3.14-debian PYTHON_JIT=1"``), or asv's
environment name (``virtualenv-py3.13``). For every benchmark and parameter both have in
results/ (the newest result of each, on one machine), it prints B's cost relative to A's: for
times and bytes B/A, for rates (tasks/s) A/B, so that above 1 always means B is worse. Like
``asv compare``, a ratio beyond the factor (default 1.10) is marked ``+`` (worse) or ``-``
(better), and the exit status is 1 when anything is worse, 0 when nothing is, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from taskbench.results import Measurement, latest, load_results

HIGHER_IS_BETTER_UNITS = {"tasks/s", "calls/s", "widgets/s"}
# Percentages describe a figure (its spread, a share of start-up); they are not costs.
NOT_COMPARED_UNITS = {"%"}


class CompareError(Exception):
    """The comparison cannot be made; the message says why and what to give instead."""


@dataclass(frozen=True)
class Row:
    benchmark: str
    params: tuple[str, ...]
    a: float
    b: float
    ratio: float  # above 1: B is worse

    def mark(self, factor: float) -> str:
        if self.ratio > factor:
            return "+"
        if self.ratio < 1 / factor:
            return "-"
        return " "


def _matches(measurement: Measurement, name: str) -> bool:
    return name in (measurement.env_name, measurement.environment) or (
        name == measurement.python and not measurement.env_vars)


def _units(results_dir: Path) -> dict[str, str]:
    path = results_dir / "benchmarks.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CompareError(f"{path} cannot be read ({error}); rerun asv to rewrite it") from None
    return {name: str(info.get("unit", "")) for name, info in data.items()
            if isinstance(info, dict)}


def compare(results_dir: Path, a: str, b: str, machine: str | None = None) -> list[Row]:
    """Rows for every benchmark and parameter both environments have, B relative to A."""
    results = load_results(results_dir)
    for problem in results.problems:
        print(f"warning: {problem}", file=sys.stderr)
    measurements = [m for m in latest(results.measurements)
                    if machine is None or m.machine == machine]
    known = sorted({m.environment for m in measurements})
    sides = []
    for name in (a, b):
        chosen = [m for m in measurements if _matches(m, name)]
        if not chosen:
            raise CompareError(f"no results for {name!r}" + (f" on {machine}" if machine else "")
                               + f"; known: {', '.join(known) or 'none'}")
        sides.append(chosen)
    machines = {m.machine for m in sides[0]} & {m.machine for m in sides[1]}
    if not machines:
        raise CompareError(f"{a!r} and {b!r} were never measured on the same machine")
    if len(machines) > 1:
        raise CompareError(f"both were measured on {', '.join(sorted(machines))}: "
                           "choose one with --machine")
    (common_machine,) = machines
    units = _units(results_dir)
    by_key = {(m.benchmark, m.params): m for m in sides[0] if m.machine == common_machine}
    rows = []
    for other in sides[1]:
        base = by_key.get((other.benchmark, other.params))
        if other.machine != common_machine or base is None:
            continue
        if base.value is None or other.value is None or base.value <= 0 or other.value <= 0:
            continue
        if units.get(other.benchmark) in NOT_COMPARED_UNITS:
            continue
        if units.get(other.benchmark) in HIGHER_IS_BETTER_UNITS:
            ratio = base.value / other.value
        else:
            ratio = other.value / base.value
        rows.append(Row(other.benchmark, other.params, base.value, other.value, ratio))
    return sorted(rows, key=lambda row: (row.benchmark, [int(p) if p.isdigit() else p
                                                         for p in row.params]))


def format_rows(rows: Sequence[Row], a: str, b: str, factor: float) -> str:
    lines = [f"   {'ratio':>7}  {a[:14]:>14}  {b[:14]:>14}  benchmark"]
    for row in rows:
        params = f"({', '.join(row.params)})" if row.params else ""
        lines.append(f"{row.mark(factor)}  {row.ratio:7.3f}  {row.a:14.6g}  {row.b:14.6g}  "
                     f"{row.benchmark}{params}")
    worse = sum(row.mark(factor) == "+" for row in rows)
    better = sum(row.mark(factor) == "-" for row in rows)
    lines.append(f"{len(rows)} compared; {worse} worse and {better} better in {b} than in {a} "
                 f"beyond a factor of {factor:g} (ratio above 1: {b} is worse).")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench compare",
                                     description=__doc__.split("\n\n")[0],
                                     epilog="Exit status: 1 when B is worse than A beyond the "
                                            "factor anywhere, 0 otherwise, 2 on bad input.")
    parser.add_argument("a", help="the baseline, e.g. 3.13")
    parser.add_argument("b", help="the candidate, e.g. 3.14-debian")
    parser.add_argument("--factor", type=float, default=1.10,
                        help="ratio beyond which a difference is marked (default 1.10)")
    parser.add_argument("--machine", default=None, help="the machine to compare on")
    parser.add_argument("--results", type=Path, default=Path("results"))
    args = parser.parse_args(argv)
    if args.factor <= 1:
        parser.error(f"--factor must be above 1, not {args.factor}")
    try:
        rows = compare(args.results, args.a, args.b, args.machine)
    except CompareError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not rows:
        print(f"error: {args.a} and {args.b} have no benchmark in common", file=sys.stderr)
        return 2
    print(format_rows(rows, args.a, args.b, args.factor))
    return 1 if any(row.mark(args.factor) == "+" for row in rows) else 0

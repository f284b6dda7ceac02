"""``python -m taskbench compare A B``: is B worse than A, benchmark by benchmark?

A and B name environments as the views show them: a python name (``3.13``, ``3.14-debian``,
``pypy3.9``), optionally with matrix variables (``"3.14-debian PYTHON_JIT=1"``), or asv's
environment name (``virtualenv-py3.13``); ``NAME@COMMIT`` picks that environment's results at
a commit (a prefix of its hash, naming exactly one of its commits: an empty or ambiguous
prefix is refused, naming the candidates) instead of its newest. For every benchmark and parameter
both have (on one machine), it prints B's cost relative to A's, the direction taken from
:mod:`taskbench.catalogue` (B/A for times and bytes, A/B for rates), so that above 1 always
means B is worse.

Like ``asv compare``, a sampled figure is marked ``+`` (worse) or ``-`` (better) only when
the ratio passes the factor *and* asv's own test finds the two sets of samples different
(Mann-Whitney U where there are enough samples, else non-overlapping 99% intervals). An exact
count (instructions, bytes) repeats to within a fraction of a percent, so it is judged by a
tight factor of its own. A figure measured without samples falls back to the factor alone,
marked ``~``. The exit status is 1 when anything is worse, 0 when nothing is, 2 on bad input.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from taskbench import arguments
from taskbench.arguments import bounded
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.asvadapter.results import Figure, latest, load
from taskbench.catalogue import BY_NAME, EXACT, REPLICA_KIND, SAMPLED, Benchmark
from taskbench.reports.stats import asv_says_different

DEFAULT_FACTOR = 1.10
# Exact counts repeat; a different memory layout of the same code moves instructions per
# task by up to about 0.8% (taskbench.workloads.instructions), so 1% is the tight factor.
DEFAULT_EXACT_FACTOR = 1.01
FACTOR = bounded(float, 1.0, math.inf, above=True)  # a factor is finite and above 1


class CompareError(Exception):
    """The comparison cannot be made; the message says why and what to give instead."""


@dataclass(frozen=True)
class Row:
    entry: Benchmark
    params: tuple[object, ...]
    a: float
    b: float
    ratio: float  # above 1: B is worse
    different: bool | None  # asv's test; None when either side has no samples

    def mark(self, factor: float, exact_factor: float) -> str:
        limit = exact_factor if self.entry.kind == EXACT else factor
        beyond = "+" if self.ratio > limit else "-" if self.ratio < 1 / limit else " "
        if beyond == " " or self.entry.kind == EXACT:
            return beyond
        if self.different is None:
            return beyond + "~"
        return beyond if self.different else " "


def _matches(figure: Figure, name: str) -> bool:
    return name in (figure.env_name, figure.environment) or (
        name == figure.python and not figure.env_vars)


def _side(figures: list[Figure], name: str, machine: str | None) -> list[Figure]:
    """The newest figures of one side; with ``NAME@COMMIT``, of the one commit the prefix
    names (CompareError when it names none, or several: a prefix of a short hash, a
    mistyped one, would otherwise pick the newest of them without a word)."""
    environment, at, prefix = name.partition("@")
    chosen = [f for f in figures if _matches(f, environment)
              and (machine is None or f.machine == machine)]
    if not at or not chosen:
        return latest(chosen)
    dates = {f.commit: f.date for f in chosen}
    commits = sorted(dates, key=lambda commit: (dates[commit], commit))
    named = [commit for commit in commits if prefix and commit.startswith(prefix.lower())]
    if len(named) != 1:
        candidates = named or commits
        said = "names no commit" if not prefix else (
            f"matches {len(named)} commits" if named else "matches none of its commits")
        raise CompareError(
            f"{name!r}: {said}; give {'more of' if named else 'a prefix of'} one of "
            f"{', '.join(commit[:12] for commit in candidates)}")
    return latest([f for f in chosen if f.commit == named[0]])


def compare(results_dir: Path, a: str, b: str, machine: str | None = None
            ) -> tuple[list[Row], list[str]]:
    """Rows for every declared cost both sides have, B relative to A, and notes."""
    loaded = load(results_dir)
    for problem in loaded.problems:
        print(f"warning: {problem}", file=sys.stderr)
    sides = []
    for name in (a, b):
        chosen = _side(loaded.figures, name, machine)
        if not chosen:
            known = sorted({f.environment for f in loaded.figures
                            if machine is None or f.machine == machine})
            raise CompareError(f"no results for {name!r}" + (f" on {machine}" if machine else "")
                               + f"; known: {', '.join(known) or 'none'}")
        sides.append(chosen)
    machines = sorted({f.machine for f in sides[0]} & {f.machine for f in sides[1]})
    if not machines:
        raise CompareError(f"{a!r} and {b!r} were never measured on the same machine")
    if len(machines) > 1:
        raise CompareError(f"both were measured on {', '.join(machines)}: choose one with "
                           "--machine")
    base: dict[tuple[str, tuple[object, ...]], Figure] = {
        (f.benchmark, f.params): f for f in sides[0] if f.machine == machines[0]}
    rows, skipped = [], set()
    for other in sides[1]:
        first = base.get((other.benchmark, other.params))
        if other.machine != machines[0] or first is None:
            continue
        entry = BY_NAME.get(other.benchmark)
        if entry is None or entry.better is None:
            skipped.add(other.benchmark)
            continue
        if not (first.value and other.value and first.value > 0 and other.value > 0):
            continue
        cost = other.value / first.value
        rows.append(Row(entry, other.params, first.value, other.value,
                        1 / cost if entry.better == "higher" else cost,
                        asv_says_different(first, other)))
    notes = [f"not compared (not a cost, or not in the catalogue): {', '.join(sorted(skipped))}"
             ] if skipped else []
    return sorted(rows, key=lambda row: (row.entry.name, [str(p) for p in row.params])), notes


def format_rows(rows: Sequence[Row], a: str, b: str, factor: float, exact_factor: float) -> str:
    lines = [f"    {'ratio':>7}  {a[:16]:>16}  {b[:16]:>16}  benchmark"]
    for row in rows:
        params = f"({', '.join(map(str, row.params))})" if row.params else ""
        lines.append(f"{row.mark(factor, exact_factor):<2}  {row.ratio:7.3f}  {row.a:16.6g}  "
                     f"{row.b:16.6g}  {row.entry.name}{params}")
    marks = [row.mark(factor, exact_factor) for row in rows]
    worse, better = sum(m.startswith("+") for m in marks), sum(m.startswith("-") for m in marks)
    lines.append(f"{len(rows)} compared; {worse} worse and {better} better in {b} than in {a} "
                 "(ratio above 1: B is worse).")
    lines.append(f"Sampled figures are marked when the ratio passes {factor:g} and asv's test "
                 "(Mann-Whitney U where there are enough samples, else non-overlapping 99% "
                 f"intervals) finds the samples different; exact counts when it passes "
                 f"{exact_factor:g}.")
    if any(mark.endswith("~") for mark in marks):
        why = ("the replica measures its table in one process" if any(
            row.entry.kind == REPLICA_KIND for row in rows if row.different is None)
            else "")
        lines.append("~: no samples on one side (an older run" + (f"; {why}" if why else "")
                     + "): judged by the factor alone.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench compare", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when B is nowhere worse than A, 1 when it is worse somewhere, "
               "2 on bad input.")
    parser.add_argument("a", help="the baseline, e.g. 3.13 or 3.13@0eb9c8a3")
    parser.add_argument("b", help="the candidate, e.g. 3.14-debian")
    parser.add_argument("--factor", type=FACTOR, default=DEFAULT_FACTOR,
                        help=f"ratio beyond which a sampled figure may be marked "
                             f"(default {DEFAULT_FACTOR})")
    parser.add_argument("--exact-factor", type=FACTOR,
                        default=DEFAULT_EXACT_FACTOR,
                        help=f"the same for exact counts (default {DEFAULT_EXACT_FACTOR})")
    parser.add_argument("--only", choices=["all", "sampled", "exact"], default="all",
                        help="compare only sampled figures (not the replica's one-process "
                             "table) or only exact counts")
    parser.add_argument("--machine", default=None, help="the machine to compare on")
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    args = parser.parse_args(argv)
    try:
        rows, notes = compare(args.results or results_dir(), args.a, args.b, args.machine)
    except (CompareError, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.only != "all":
        wanted = EXACT if args.only == "exact" else SAMPLED
        rows = [row for row in rows if row.entry.kind == wanted]
    if not rows:
        kind = "" if args.only == "all" else f"{args.only} "
        print(f"error: {args.a} and {args.b} have no {kind}figure in common to compare",
              file=sys.stderr)
        return 2
    print(format_rows(rows, args.a, args.b, args.factor, args.exact_factor))
    for note in notes:
        print(note)
    return 1 if any(row.mark(args.factor, args.exact_factor).startswith("+")
                    for row in rows) else 0

"""``python -m taskbench compare A B``: is B worse than A, benchmark by benchmark?

A and B name environments as the views show them: a python name (``3.13``, ``3.14-debian``,
``pypy3.9``), optionally with matrix variables (``"3.14-debian PYTHON_JIT=1"``), or asv's
environment name (``virtualenv-py3.13``); ``NAME@COMMIT`` picks that environment's results at
a commit (a prefix of its hash, naming exactly one of its commits: an empty or ambiguous
prefix is refused, naming the candidates) instead of its newest. For every benchmark and parameter
both have (on one machine), it prints B's cost relative to A's, the direction taken from
:mod:`taskbench.catalogue` (B/A for times and bytes, A/B for rates), so that above 1 always
means B is worse.

A sampled figure is judged by the project's verdict engine (:mod:`taskbench.reports.inference`),
as every view judges: paired by block in the run's model where both were measured in one run
(the model of all that run's interpreters, so the spread is the run's), else from each one's
own processes (marked unpaired); every sampled figure compared is one family (Bonferroni).
It is marked ``+`` (B slower: worse), ``-`` (B faster), ``=`` (the same within ±3%) or ``?``
(undecided), with the verdict's words. An exact count (instructions, bytes) repeats to
within a fraction of a percent, so it is judged by a tight factor instead. A figure measured
in one process on either side (the replica, an older run) cannot be judged, marked ``~``
with its ratio. The exit status is 1 when anything is worse, 0 when nothing is, 2 on bad input.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from taskbench import arguments
from taskbench.arguments import bounded
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.asvadapter.results import Figure, latest, load
from taskbench.catalogue import BY_NAME, EXACT, REPLICA_KIND, SAMPLED, Benchmark
from taskbench.interpreters.names import interpreter_order
from taskbench.reports import inference
from taskbench.reports.runmodel import ModelError
from taskbench.reports.views import Index, read_index

# Exact counts repeat; a different memory layout of the same code moves instructions per
# task by up to about 0.8% (taskbench.workloads.instructions), so 1% is the tight factor.
DEFAULT_EXACT_FACTOR = 1.01
FACTOR = bounded(float, 1.0, math.inf, above=True)  # a factor is finite and above 1


class CompareError(Exception):
    """The comparison cannot be made; the message says why and what to give instead."""


MARKS = {inference.SLOWER: "+", inference.FASTER: "-", inference.SAME: "=",
         inference.UNDECIDED: "?"}


@dataclass(frozen=True)
class Row:
    entry: Benchmark
    params: tuple[object, ...]
    a: float
    b: float
    ratio: float  # above 1: B is worse
    verdict: inference.Verdict | None = None  # sampled figures with processes on both sides

    def mark(self, exact_factor: float) -> str:
        if self.entry.kind == EXACT:
            return "+" if self.ratio > exact_factor else "-" if \
                self.ratio < 1 / exact_factor else " "
        if self.verdict is None:
            return "~"
        return MARKS[self.verdict.outcome]


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
                            if machine is None or f.machine == machine}, key=interpreter_order)
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
                        1 / cost if entry.better == "higher" else cost))
    notes = [f"not compared (not a cost, or not in the catalogue): {', '.join(sorted(skipped))}"
             ] if skipped else []
    rows = _judged(results_dir, machines[0], rows, sides)
    return sorted(rows, key=lambda row: (row.entry.name, [str(p) for p in row.params])), notes


def _judged(folder: Path, machine: str, rows: list[Row], sides: list[list[Figure]]
            ) -> list[Row]:
    """The sampled rows with their verdicts, one family: from the run's model where both
    sides are figures of one run (:meth:`Index.model`), else unpaired."""
    sampled = [row for row in rows if row.entry.kind == SAMPLED and row.entry.better == "lower"]
    names = [sides[0][0].environment, sides[1][0].environment]
    # One index per commit: a side's newest figures span several commits (each benchmark's
    # newest run), and a figure can be paired wherever both of its sides share one.
    indexes: dict[str, Index] = {}
    found = {}
    for row in sampled:
        figures = [next((f for f in side if f.benchmark == row.entry.name
                         and f.params == row.params), None) for side in sides]
        commits = {f.commit for f in figures if f is not None}
        model = None
        if len(commits) == 1 and None not in figures:
            commit = next(iter(commits))
            if commit not in indexes:
                indexes[commit] = read_index(folder, commit)[0]
            model = indexes[commit].model(machine, row.entry, *row.params)
        if model is not None and all(name in model.series for name in names):
            found[id(row)] = inference.judge(
                model.contrast(*names), names[0], names[1], len(sampled),
                blocks=min(model.used[name] for name in names), paired=True)
            continue
        if all(f is not None and f.samples and len(f.samples) >= 2 for f in figures):
            found[id(row)] = inference.judge(
                inference.unpaired_contrast(figures[0].samples, figures[1].samples),  # type: ignore
                names[0], names[1], len(sampled), blocks=2, paired=False)
    return [replace(row, verdict=found.get(id(row))) for row in rows]


def format_rows(rows: Sequence[Row], a: str, b: str, exact_factor: float) -> str:
    lines = [f"   {'ratio':>7}  {a[:16]:>16}  {b[:16]:>16}  benchmark: verdict"]
    for row in rows:
        params = f"({', '.join(map(str, row.params))})" if row.params else ""
        said = f": {inference.words(row.verdict, with_blocks=False)}" + (
            "" if row.verdict.paired else ", unpaired") if row.verdict else ""
        lines.append(f"{row.mark(exact_factor):<2} {row.ratio:7.3f}  {row.a:16.6g}  "
                     f"{row.b:16.6g}  {row.entry.name}{params}{said}")
    marks = [row.mark(exact_factor) for row in rows]
    family = sum(row.verdict is not None for row in rows)
    lines.append(f"{len(rows)} compared; {marks.count('+')} worse and {marks.count('-')} "
                 f"better in {b} than in {a} (ratio: B's cost over A's; above 1, B is worse).")
    if family:
        lines.append(f"Marks: + slower, - faster, = the same within "
                     f"±{inference.MARGIN_PERCENT:g}%, ? undecided. "
                     + inference.rule_text(family) + "; unpaired: not measured in one run, "
                     "compared from each one's own processes.")
    lines.append(f"Exact counts are marked when the ratio passes {exact_factor:g}.")
    if "~" in marks:
        why = ("the replica measures its table in one process" if any(
            row.entry.kind == REPLICA_KIND for row in rows if row.verdict is None)
            else "")
        lines.append("~: not judged: no interval on one side, as fewer than two processes "
                     "there give none (an older run" + (f"; {why}" if why else "")
                     + "), or a figure that is not a time.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench compare", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when B is nowhere worse than A, 1 when it is worse somewhere, "
               "2 on bad input.")
    parser.add_argument("a", help="the baseline, e.g. 3.13 or 3.13@0eb9c8a3")
    parser.add_argument("b", help="the candidate, e.g. 3.14-debian")
    parser.add_argument("--exact-factor", type=FACTOR,
                        default=DEFAULT_EXACT_FACTOR,
                        help="ratio beyond which an exact count is marked (default "
                             f"{DEFAULT_EXACT_FACTOR}); sampled figures get verdicts")
    parser.add_argument("--only", choices=["all", "sampled", "exact"], default="all",
                        help="compare only sampled figures (not the replica's one-process "
                             "table) or only exact counts")
    parser.add_argument("--machine", default=None, help="the machine to compare on")
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    args = parser.parse_args(argv)
    try:
        rows, notes = compare(args.results or results_dir(), args.a, args.b, args.machine)
    except (CompareError, ConfigError, ModelError) as error:
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
    print(format_rows(rows, args.a, args.b, args.exact_factor))
    for note in notes:
        print(note)
    return 1 if any(row.mark(args.exact_factor) == "+" for row in rows) else 0

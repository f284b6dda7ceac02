"""``make readme``: regenerate every generated block of the README from ``results/``.

=================  ===========================================================================
``benchmarks``     what the suite measures, from :mod:`taskbench.catalogue`
``crossversion``   what a task costs here, which differences are real, the classic table
``findings``       why a task costs what it costs: the anatomy's findings and tables
``precision``      how far figures move between two runs (from ``precision/``)
=================  ===========================================================================

Nothing is written when the results cannot all be read (a block would silently lose an
interpreter), or when a block would not show an interpreter the results hold: the command
says why and exits 1. ``--check`` writes nothing and exits 1 when the README differs from
what the results give (the golden test runs it). The README is written atomically.

Usage::

    python -m taskbench.reports.readme [--check] [--results results] [README.md]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from taskbench import files
from taskbench.catalogue import CATALOGUE, EXACT, REPLICA_KIND, ROUNDS, SAMPLED, THROUGHPUT
from taskbench.jobs.journal import recover
from taskbench.reports import growth, markdown
from taskbench.reports.anatomy import anatomies, cost_table, speedup_table
from taskbench.reports.classic import classic_table, cost_sentence, steps_table
from taskbench.reports.findings import sentences
from taskbench.reports.precision import PRECISION_DIR, PrecisionError, markdown_section
from taskbench.reports.results import Loaded, latest, load
from taskbench.reports.views import Cell, Index, Table, label


class ReadmeError(Exception):
    """A block cannot be generated without losing data; the message says why."""


def crossversion(index: Index) -> str:
    parts: list[str] = []
    for machine in index.machines():
        if not index.environments(machine, [THROUGHPUT]):
            continue
        parts += [cost_sentence(index, machine), markdown.table(steps_table(index, machine)),
                  markdown.table(classic_table(index, machine))]
    return markdown.document(parts) if parts else "No results yet: run `make bench`.\n"


def findings(index: Index) -> str:
    parts: list[str] = []
    for machine in index.machines():
        found = anatomies(index, machine)
        if not found:
            continue
        parts.append(f"On `{machine}`, across the interpreters measured:\n\n"
                     + "\n".join(sentences(found) + growth.sentences(index, machine)))
        parts += [markdown.table(speedup_table(found, machine)),
                  markdown.table(cost_table(found, machine)),
                  markdown.table(growth.growth_table(index, machine)),
                  markdown.table(growth.instructions_table(index, machine))]
    return markdown.document(parts) if parts else "No anatomy results yet: run `make bench`.\n"


def _values(values: tuple[object, ...]) -> str:
    shown = [f"{value:,}" if isinstance(value, int) else str(value) for value in values]
    return ", ".join(shown) if len(shown) <= 6 else f"{', '.join(shown[:5])} … {shown[-1]}"


def benchmarks(index: Index) -> str:
    """The catalogue as a table: the README's list of what is measured cannot drift from it."""
    kinds = {SAMPLED: f"median of {ROUNDS} processes, 99% interval",
             EXACT: "exact count", REPLICA_KIND: "one process"}
    rows = [[label(f"`{entry.class_name}.{entry.method}`"), Cell(entry.title),
             Cell(entry.unit), Cell(entry.better or "not a cost"),
             Cell("; ".join(f"{axis.name}: {_values(axis.values)}" for axis in entry.axes)),
             Cell(kinds[entry.kind])] for entry in CATALOGUE]
    return markdown.table(Table("benchmarks", "The benchmarks (declared in "
                                "`src/taskbench/catalogue.py`)",
                                ["benchmark", "what", "unit", "better", "parameters",
                                 "figure"], rows, text_columns=6))


BLOCKS: dict[str, Callable[[Index], str]] = {
    "benchmarks": benchmarks, "crossversion": crossversion, "findings": findings}


def _check_complete(name: str, body: str, index: Index) -> None:
    """Refuse a block that leaves out an interpreter the results hold for what it shows."""
    if name not in ("crossversion", "findings"):
        return
    for machine in index.machines():
        shown = index.environments(machine, [THROUGHPUT]) if name == "crossversion" else \
            list(anatomies(index, machine))
        # Whole cells, not substrings: "3.14-debian" is inside "3.14-debian PYTHON_JIT=1".
        cells = {cell.strip() for line in body.splitlines() if line.startswith("|")
                 for cell in line.strip().strip("|").split("|")}
        missing = [env for env in shown if env not in cells]
        if missing:
            raise ReadmeError(f"the {name} block would leave out {', '.join(missing)} on "
                              f"{machine}, which the results hold")


def generate(results_dir: Path, precision_dir: Path = PRECISION_DIR) -> dict[str, str]:
    """Every block's body, or ReadmeError when a block would lose data."""
    loaded: Loaded = load(results_dir)
    if loaded.problems:
        raise ReadmeError("the results cannot all be read, so the blocks would lose what "
                          "they hold:\n  " + "\n  ".join(loaded.problems))
    index = Index(latest(loaded.figures))
    bodies = {}
    for name, build in BLOCKS.items():
        bodies[name] = build(index)
        _check_complete(name, bodies[name], index)
    try:
        bodies["precision"] = markdown_section(precision_dir)
    except PrecisionError as error:
        raise ReadmeError(str(error)) from None
    return bodies


def updated(text: str, bodies: dict[str, str]) -> str:
    for name, body in bodies.items():
        text = markdown.replace_block(text, name, body)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.reports.readme", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the README is up to date or was updated, 1 when it is "
               "stale (--check) or cannot be regenerated, 2 for bad arguments.")
    parser.add_argument("readme", nargs="?", type=files.path_argument, default=Path("README.md"))
    parser.add_argument("--results", type=files.path_argument, default=Path("results"))
    parser.add_argument("--precision", type=files.path_argument, default=PRECISION_DIR)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when the README's blocks are stale")
    args = parser.parse_args(argv)
    problem = recover(args.results)  # a merge that stopped midway, settled before reading
    if problem:
        print(f"error: {args.readme} not regenerated: {problem}", file=sys.stderr)
        return 1
    try:
        text = args.readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        print(f"error: cannot read {args.readme}: {reason}", file=sys.stderr)
        return 2
    try:
        new = updated(text, generate(args.results, args.precision))
    except (OSError, ReadmeError, markdown.MarkerError) as error:
        print(f"error: {args.readme} not regenerated: {error}", file=sys.stderr)
        return 1
    if args.check:
        if new != text:
            print(f"{args.readme}'s generated blocks are stale: run `make readme` and commit "
                  "the result", file=sys.stderr)
            return 1
        print(f"{args.readme}'s generated blocks match the results")
        return 0
    if new != text:
        try:
            files.write_text(args.readme, new)
        except OSError as error:
            print(f"error: cannot write {args.readme} (left as it was): {error}",
                  file=sys.stderr)
            return 1
        print(f"updated the generated blocks of {args.readme}")
    else:
        print(f"{args.readme}'s generated blocks were already up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

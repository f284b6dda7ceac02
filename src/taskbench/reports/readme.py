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
from typing import Sequence

from taskbench import arguments, files
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.asvadapter.results import latest, load
from taskbench.catalogue import CATALOGUE, EXACT, REPLICA_KIND, ROUNDS, SAMPLED
from taskbench.journal import recover
from taskbench.reports import markdown
from taskbench.reports.precision import PRECISION_DIR, PrecisionError, markdown_section
from taskbench.reports.sections import Section, sections
from taskbench.reports.views import Cell, Index, Table, label


class ReadmeError(Exception):
    """A block cannot be generated without losing data; the message says why."""


def crossversion(found: list[Section]) -> str:
    parts: list[str] = []
    for section in found:
        if section.interpreters:
            parts += [section.answer, markdown.table(section.steps),
                      markdown.table(section.classic)]
    return markdown.document(parts) if parts else "No results yet: run `make bench`.\n"


def findings(found: list[Section]) -> str:
    parts: list[str] = []
    for section in found:
        if section.anatomy is not None:
            parts.append(f"On `{section.machine}`, across the interpreters measured:\n\n"
                         + markdown.bullets(section.anatomy.findings))
            parts += [markdown.table(table) for table in section.anatomy.tables]
    return markdown.document(parts) if parts else "No anatomy results yet: run `make bench`.\n"


def _values(values: tuple[object, ...]) -> str:
    shown = [f"{value:,}" if isinstance(value, int) else str(value) for value in values]
    return ", ".join(shown) if len(shown) <= 6 else f"{', '.join(shown[:5])} … {shown[-1]}"


def benchmarks() -> str:
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


def generate(results: Path, precision_dir: Path = PRECISION_DIR) -> dict[str, str]:
    """Every block's body, or ReadmeError when a block would lose data."""
    loaded = load(results)
    if loaded.problems:
        raise ReadmeError("the results cannot all be read, so the blocks would lose what "
                          "they hold:\n  " + "\n  ".join(loaded.problems))
    found = sections(Index(latest(loaded.figures)))
    for section in found:
        lost = section.missing()
        if lost:
            raise ReadmeError(f"the README would leave out {', '.join(lost)} on "
                              f"{section.machine}, which the results hold")
    bodies = {"benchmarks": benchmarks(), "crossversion": crossversion(found),
              "findings": findings(found)}
    try:
        bodies["precision"] = markdown_section(precision_dir)
    except PrecisionError as error:
        raise ReadmeError(str(error)) from None
    return bodies


def updated(text: str, bodies: dict[str, str]) -> str:
    for name, body in bodies.items():
        text = markdown.replace_block(text, name, body)
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.reports.readme", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the README is up to date or was updated, 1 when it is "
               "stale (--check) or cannot be regenerated, 2 for bad arguments.")
    parser.add_argument("readme", nargs="?", type=arguments.path, default=Path("README.md"))
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    parser.add_argument("--precision", type=arguments.path, default=PRECISION_DIR)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when the README's blocks are stale")
    return parser


def _settled_results(args: argparse.Namespace) -> Path:
    """The results folder, with a merge that stopped midway settled before anything reads
    it (ReadmeError, ConfigError: why it cannot be)."""
    results: Path = args.results or results_dir()
    problem = recover(results)
    if problem:
        raise ReadmeError(problem)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        results = _settled_results(args)
    except (OSError, ConfigError, ReadmeError) as error:
        print(f"error: {args.readme} not regenerated: {error}", file=sys.stderr)
        return 1
    try:
        text = args.readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        print(f"error: cannot read {args.readme}: {reason}", file=sys.stderr)
        return 2
    try:
        new = updated(text, generate(results, args.precision))
    except (OSError, ConfigError, ReadmeError, markdown.MarkerError) as error:
        print(f"error: {args.readme} not regenerated: {error}", file=sys.stderr)
        return 1
    if args.check:
        if new != text:
            print(f"{args.readme}'s generated blocks are stale: run `make readme` and commit "
                  "the result", file=sys.stderr)
            return 1
        print(f"{args.readme}'s generated blocks match the results")
        return 0
    if new == text:
        print(f"{args.readme}'s generated blocks were already up to date")
        return 0
    try:
        files.write_text(args.readme, new)
    except OSError as error:
        print(f"error: cannot write {args.readme} (left as it was): {error}", file=sys.stderr)
        return 1
    print(f"updated the generated blocks of {args.readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``make readme``: regenerate every generated block of the README and of ``docs/``.

=================  ===========================================================================
``answer``         what a task costs on each interpreter, its verdict, and the chart
                   (written beside the documents as ``docs/answer-<machine>.svg``)
``benchmarks``     what the suite measures, from :mod:`taskbench.catalogue`
``budget``         where the newest full run's time went (:mod:`taskbench.reports.budget`)
``crossversion``   which differences are real, every figure of the classic cycle, the replica
``findings``       why a task costs what it costs: the anatomy's findings and tables
``interpreters``   how each interpreter was built, from the build facts beside the results
``precision``      how far figures move between two runs (from ``precision/``)
=================  ===========================================================================

The documents are the README and every ``docs/*.md`` beside it; each block lives in
exactly one of them, wherever its markers are. Nothing is written when the results cannot
all be read (a block would silently lose an interpreter), or when a block would not show an
interpreter the results hold: the command says why and exits 1. ``--check`` writes nothing
and exits 1 when a document or picture differs from what the results give (the golden test
runs it). Every file is written atomically.

Usage::

    python -m taskbench.reports.readme [--check] [--results results] [README.md]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from taskbench import arguments, files
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.catalogue import BLOCKS, CATALOGUE, CLIENTS, COUNTS, REPLICA_PHASE, ROUNDS
from taskbench.interpreters import facts
from taskbench.journal import recover
from taskbench.reports import budget, markdown
from taskbench.reports.precision import PRECISION_DIR, PrecisionError, markdown_section
from taskbench.reports.sections import Section, sections
from taskbench.reports.views import Cell, Index, Table, label, read_index

DOCS = "docs"  # beside the README: the pages it links to, and the answer's pictures


class ReadmeError(Exception):
    """A block cannot be generated without losing data; the message says why."""


@dataclass
class Generated:
    """Every block's body, and the pictures they show (file name in ``docs/`` -> SVG)."""

    bodies: dict[str, str]
    pictures: dict[str, str] = field(default_factory=dict)


def picture_name(machine: str) -> str:
    return f"answer-{machine}.svg"


def answer(found: list[Section], index: Index, pictures: dict[str, str]) -> str:
    """The first screen: per machine, the answer table, where it was measured, the chart."""
    from taskbench.reports import charts

    parts: list[str] = []
    for section in found:
        if not section.interpreters:
            continue
        name = picture_name(section.machine)
        pictures[name] = charts.classic_chart(index, section.machine)
        parts += [markdown.table(section.answer_table), section.answer]
        if section.clients:
            parts.append(f"{section.clients} [Per interpreter]({DOCS}/figures.md).")
        parts.append(f"![Thousand tasks/s against the task count, one line per interpreter, "
                     f"on {section.machine}]({DOCS}/{name})")
        if section.rounds:
            parts.append(section.rounds)
    return markdown.document(parts) if parts else "No results yet: run `make bench`.\n"


def crossversion(found: list[Section]) -> str:
    parts: list[str] = []
    for section in found:
        if section.interpreters:
            parts += [markdown.table(section.steps), markdown.table(section.classic),
                      markdown.table(section.replica)]
    return markdown.document(parts) if parts else "No results yet: run `make bench`.\n"


def interpreters(found: list[Section]) -> str:
    parts = [markdown.table(section.facts) for section in found if section.facts.rows]
    return markdown.document(parts) if parts else "No build facts yet: run `make bench`.\n"


def findings(found: list[Section]) -> str:
    parts: list[str] = []
    for section in found:
        if section.anatomy is not None:
            parts.append(f"On `{section.machine}`, across the interpreters measured:\n\n"
                         + markdown.bullets(section.anatomy.findings))
            parts += [markdown.table(table) for table in section.anatomy.tables]
        if section.threads is not None:
            parts.append(markdown.table(section.threads))
    return markdown.document(parts) if parts else "No anatomy results yet: run `make bench`.\n"


def _values(values: tuple[object, ...]) -> str:
    shown = [f"{value:,}" if isinstance(value, int) else str(value) for value in values]
    return ", ".join(shown) if len(shown) <= 6 else f"{', '.join(shown[:5])} … {shown[-1]}"


def benchmarks() -> str:
    """The catalogue as a table: the list of what is measured cannot drift from it."""
    kinds = {BLOCKS: "per-process values in interleaved blocks, the run's model, 95% interval",
             CLIENTS: f"{ROUNDS} processes in the clients phase, 95% interval",
             COUNTS: "exact count", REPLICA_PHASE: "one process (with --replica)"}
    rows = [[label(f"`{entry.class_name}.{entry.method}`"), Cell(entry.title),
             Cell(entry.unit), Cell(entry.better or "not a cost"),
             Cell("; ".join(f"{axis.name}: {_values(axis.values)}" for axis in entry.axes)),
             Cell(kinds[entry.measured_in])] for entry in CATALOGUE]
    return markdown.table(Table("benchmarks", "The benchmarks (declared in "
                                "`src/taskbench/catalogue.py`)",
                                ["benchmark", "what", "unit", "better", "parameters",
                                 "figure"], rows, text_columns=6))


def generate(results: Path, precision_dir: Path = PRECISION_DIR) -> Generated:
    """Every block's body and picture, or ReadmeError when a block would lose data."""
    index, problems = read_index(results)
    records, fact_problems = facts.read_all(results)
    if problems or fact_problems:
        raise ReadmeError("the results cannot all be read, so the blocks would lose what "
                          "they hold:\n  " + "\n  ".join(problems + fact_problems))
    found = sections(index, records)
    for section in found:
        lost = section.missing()
        if lost:
            raise ReadmeError(f"the README would leave out {', '.join(lost)} on "
                              f"{section.machine}, which the results hold")
    pictures: dict[str, str] = {}
    bodies = {"answer": answer(found, index, pictures), "benchmarks": benchmarks(),
              "crossversion": crossversion(found), "findings": findings(found),
              "interpreters": interpreters(found),
              "budget": budget.markdown_section(results, index.machines())}
    try:
        bodies["precision"] = markdown_section(precision_dir)
    except PrecisionError as error:
        raise ReadmeError(str(error)) from None
    return Generated(bodies, pictures)


def documents(readme: Path) -> list[Path]:
    """The README and every page of ``docs/`` beside it."""
    return [readme, *sorted((readme.parent / DOCS).glob("*.md"))]


def updated(texts: dict[Path, str], bodies: dict[str, str]) -> dict[Path, str]:
    """Every document with its blocks replaced; MarkerError when a block is in none of them,
    or in more than one (which copy would be the answer?)."""
    new = dict(texts)
    for name, body in bodies.items():
        holders = [path for path, text in texts.items() if f"<!-- {name}:begin -->" in text]
        if len(holders) != 1:
            where = ", ".join(str(path) for path in holders) or "none of them"
            raise markdown.MarkerError(
                f"the {name} block must be in exactly one of {', '.join(map(str, texts))}; "
                f"it is in {where}")
        new[holders[0]] = markdown.replace_block(new[holders[0]], name, body)
    return new


def _existing_folder(text: str) -> Path:
    """``--precision``: a folder that exists (a mistyped one would empty the block)."""
    folder = arguments.path(text)
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is not a folder")
    return folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.reports.readme", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the documents are up to date or were updated, 1 when "
               "they are stale (--check) or cannot be regenerated, 2 for bad arguments.")
    parser.add_argument("readme", nargs="?", type=arguments.path, default=Path("README.md"),
                        help="the README; the pages of the docs/ folder beside it go too")
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    parser.add_argument("--precision", type=_existing_folder, default=PRECISION_DIR,
                        help=f"the precision records (default: {PRECISION_DIR})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a block or picture is stale")
    return parser


def _settled_results(args: argparse.Namespace) -> Path:
    """The results folder, with a merge that stopped midway settled before anything reads
    it (ReadmeError, ConfigError: why it cannot be)."""
    results: Path = args.results or results_dir()
    problem = recover(results)
    if problem:
        raise ReadmeError(problem)
    return results


def _read(paths: list[Path]) -> dict[Path, str]:
    """Every document's text (OSError, UnicodeDecodeError: the one that cannot be read)."""
    return {path: path.read_text(encoding="utf-8") for path in paths}


def _pictures(readme: Path, pictures: dict[str, str]) -> dict[Path, str]:
    return {readme.parent / DOCS / name: svg for name, svg in pictures.items()}


def _stale(texts: dict[Path, str], wanted: dict[Path, str]) -> list[Path]:
    """The files whose content differs from what the results give."""
    stale = []
    for path, content in wanted.items():
        current = texts.get(path)
        if current is None:
            try:
                current = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                current = None
        if current != content:
            stale.append(path)
    return stale


def _write(stale: list[Path], wanted: dict[Path, str]) -> int:
    """Write every stale file; on a failure, say which were written and which was not."""
    written: list[Path] = []
    for path in stale:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            files.write_text(path, wanted[path])
        except OSError as error:
            done = f"; updated {', '.join(map(str, written))}" if written else ""
            print(f"error: cannot write {path} (left as it was): {error.strerror or error}"
                  f"{done}", file=sys.stderr)
            return 1
        written.append(path)
    print(f"updated {', '.join(map(str, written))}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        results = _settled_results(args)
    except (OSError, ConfigError, ReadmeError) as error:
        print(f"error: {args.readme} not regenerated: {error}", file=sys.stderr)
        return 1
    try:
        texts = _read(documents(args.readme))
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        where = getattr(error, "filename", None) or args.readme
        print(f"error: cannot read {where}: {reason}", file=sys.stderr)
        return 2
    try:
        generated = generate(results, args.precision)
        wanted = {**updated(texts, generated.bodies),
                  **_pictures(args.readme, generated.pictures)}
    except (OSError, ConfigError, ReadmeError, markdown.MarkerError) as error:
        print(f"error: {args.readme} not regenerated: {error}", file=sys.stderr)
        return 1
    stale = _stale(texts, wanted)
    if args.check:
        if stale:
            print(f"stale, not matching the results: {', '.join(map(str, stale))}: run "
                  "`make readme` and commit the result", file=sys.stderr)
            return 1
        print(f"{args.readme} and its docs match the results")
        return 0
    if not stale:
        print(f"{args.readme} and its docs were already up to date")
        return 0
    return _write(stale, wanted)


if __name__ == "__main__":
    raise SystemExit(main())

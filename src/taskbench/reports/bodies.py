"""What every generated block of the README and ``docs/`` says, from the results.

=================  ===========================================================================
``answer``         the answer in three sentences, what a task costs on each interpreter in
                   both settings with each step's verdict, why a step reverses, the answer
                   chart and the count chart (``docs/answer-<machine>.svg``,
                   ``docs/counts-<machine>.svg``)
``benchmarks``     what the suite measures, from :mod:`taskbench.catalogue`
``budget``         where the newest full run's time went (:mod:`taskbench.reports.budget`)
``crossversion``   which differences are real (version steps, fixed bases), every figure of
                   the classic cycle, the replica
``findings``       why a task costs what it costs: the anatomy's findings and tables
``interpreters``   how each interpreter was built, from the build facts beside the results
``needs``          how long a full run took, from the block logs (:mod:`taskbench.reports.needs`)
``precision``      how far figures move between two runs (from ``precision/``)
=================  ===========================================================================

A block whose results are missing (no figure to answer with, no build facts, no block log,
no precision record) has no body: :attr:`Generated.kept` says why, and ``make readme`` keeps
the block as it was instead of emptying it. Results that cannot all be read, or a block
that would leave out an interpreter the results hold, stop everything (:class:`ReadmeError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from taskbench.catalogue import BLOCKS, CATALOGUE, CLIENTS, COUNTS, REPLICA_PHASE, ROUNDS
from taskbench.interpreters import facts
from taskbench.reports import budget, markdown, needs
from taskbench.reports.answer import WARM_AT
from taskbench.reports.classic import kind_of
from taskbench.reports.precision import PRECISION_DIR, PrecisionError, markdown_section
from taskbench.reports.sections import Section, sections
from taskbench.reports.views import Cell, Index, Table, label, read_index

DOCS = "docs"  # beside the README: the pages it links to, and the answer's pictures


NO_PRECISION = "No precision record yet"


class ReadmeError(Exception):
    """A block cannot be generated without losing data; the message says why."""


@dataclass
class Generated:
    """Every block's body, the pictures they show (file name in ``docs/`` -> SVG), and the
    blocks that cannot be regenerated, with why (kept as they are)."""

    bodies: dict[str, str]
    pictures: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)


def picture_names(machine: str) -> tuple[str, str]:
    """The answer chart's file name and the count chart's, in ``docs/``."""
    return f"answer-{machine}.svg", f"counts-{machine}.svg"


def answer(found: list[Section], index: Index, pictures: dict[str, str]) -> str | None:
    """The first screen: per machine, the answer in three sentences, the answer table, why a
    step reverses, the post's figure beside the one measured as it, the answer chart and the
    count chart; None where no machine has a figure to answer with."""
    from taskbench.reports import answerchart, charts

    parts: list[str] = []
    for section in found:
        if not section.interpreters:
            continue
        answer_name, counts_name = picture_names(section.machine)
        pictures[answer_name] = answerchart.answer_chart(index, section.machine)
        pictures[counts_name] = charts.classic_chart(index, section.machine)
        parts += [markdown.bullets(section.plain),
                  markdown.table(section.answer_table),
                  " ".join([*section.reversals, section.answer,
                            f"[Against fixed bases, every count, the clients per interpreter "
                            f"and why a task costs what it costs]({DOCS}/figures.md)."]),
                  f"![µs per task on each interpreter, {kind_of(*WARM_AT)} and in the post's "
                  f"setting, with intervals, on {section.machine}]({DOCS}/{answer_name})",
                  f"![Thousand tasks/s against the task count, one line per interpreter, on "
                  f"{section.machine}]({DOCS}/{counts_name})"]
        if section.rounds:
            parts.append(section.rounds)
    return markdown.document(parts) if parts else None


def crossversion(found: list[Section]) -> str | None:
    parts: list[str] = []
    for section in found:
        if section.interpreters:
            parts += [markdown.table(table) for table in (
                section.steps, section.bases, section.classic, section.replica)
                if table is not None]
    return markdown.document(parts) if parts else None


def interpreters(found: list[Section]) -> str | None:
    parts = [markdown.table(section.facts) for section in found if section.facts.rows]
    return markdown.document(parts) if parts else None


def findings(found: list[Section]) -> str | None:
    parts: list[str] = []
    for section in found:
        if section.anatomy is not None:
            parts.append(f"On `{section.machine}`, across the interpreters measured:\n\n"
                         + markdown.bullets(section.anatomy.findings))
            parts += [markdown.table(table) for table in section.anatomy.tables]
        if section.threads is not None:
            parts.append(markdown.table(section.threads))
    return markdown.document(parts) if parts else None


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
    """Every block's body and picture (a block whose results are missing is kept, with why),
    or ReadmeError when a block would lose data."""
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
    try:
        precision = markdown_section(precision_dir)
    except PrecisionError as error:
        raise ReadmeError(str(error)) from None
    machines = index.machines()
    made = {"answer": answer(found, index, pictures), "benchmarks": benchmarks(),
            "crossversion": crossversion(found), "findings": findings(found),
            "interpreters": interpreters(found),
            "budget": budget.markdown_section(results, machines)
            if any(budget.budget_table(results, m) for m in machines) else None,
            "needs": needs.markdown_section(results, machines), "precision": precision}
    missing = {"answer": f"no figure of the classic cycle in {results}",
               "crossversion": f"no figure of the classic cycle in {results}",
               "findings": f"no figure of the anatomy in {results}",
               "interpreters": f"no build facts in {results}",
               "budget": f"no full run in a block log in {results}",
               "needs": f"no full run in a block log in {results}",
               "precision": f"no precision record in {precision_dir}"}
    if precision.startswith(NO_PRECISION):
        made["precision"] = None
    return Generated({name: body for name, body in made.items() if body is not None},
                     pictures, {name: missing[name] for name, body in made.items()
                                if body is None})

"""What a CI job measured, as Markdown for the run's page (``$GITHUB_STEP_SUMMARY``).

A try-out (a ``quick`` run, or a commit off the default branch) pushes nothing, so its
figures are read here, from the job's own results folder with asv's modules
(:mod:`taskbench.asvadapter.results`), and shown on the run's page, one column per
interpreter; the folder itself is the job's artifact. A full run's jobs show theirs the same
way before the merge lands them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from taskbench.asvadapter.results import Figure, load
from taskbench.catalogue import BY_NAME
from taskbench.interpreters.names import interpreter_order
from taskbench.reports import markdown
from taskbench.reports.cells import Cell, Table, figure_cell, label, na
from taskbench.reports.classic import steps_table
from taskbench.reports.views import read_index

TIME_UNITS = ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns"))
TRYOUT = ("A try-out: nothing from this run is committed to results/ or shown on the site; "
          "the figures are below and in the run's `tryout-*` artifacts.")


def _parameters(figure: Figure) -> str:
    entry = BY_NAME.get(figure.benchmark)
    names = [axis.name for axis in entry.axes] if entry else []
    return ", ".join(f"{name}={value}" if name else str(value) for name, value
                     in zip(names + [""] * len(figure.params), figure.params))


def _value(figure: Figure) -> Cell:
    entry = BY_NAME.get(figure.benchmark)
    if entry is None:
        return Cell("a benchmark the catalogue no longer has", "na")
    if entry.unit == "seconds":  # times per unit are small: shown in the unit that fits
        scale, unit = next(((factor, name) for factor, name in TIME_UNITS
                            if figure.value is not None and abs(figure.value) >= factor),
                           TIME_UNITS[-1])
        return figure_cell(figure, entry, scale=scale, digits=2, suffix=f" {unit}")
    digits = 0 if figure.value is None or abs(figure.value) >= 100 else 2
    return figure_cell(figure, entry, digits=digits, suffix=f" {entry.unit}")


def figures_table(results_dir: Path) -> tuple[Table, list[str]]:
    """Every figure measured under ``results_dir``: one row per benchmark and parameters, one
    column per interpreter (a runner measures all of its interpreters), and why others are
    not shown: parameters with no figure anywhere (not selected, or failed) and unreadable
    files."""
    loaded = load(results_dir)
    figures = [f for f in loaded.figures if f.value is not None]
    environments = sorted({f.environment for f in figures}, key=interpreter_order)
    by_row: dict[tuple[str, str], dict[str, Figure]] = {}
    for figure in sorted(figures, key=lambda f: (f.benchmark, repr(f.params))):
        by_row.setdefault((figure.benchmark, _parameters(figure)), {})[figure.environment] = (
            figure)
    rows = [[label(benchmark), label(parameters)]
            + [_value(found[env]) if env in found else na() for env in environments]
            for (benchmark, parameters), found in by_row.items()]
    missing = len({(f.benchmark, repr(f.params)) for f in loaded.figures}) - len(rows)
    notes = [f"{missing} other parameter combinations have no figure: not selected, or failed "
             "(asv's log above says which)."] if missing > 0 else []
    table = Table("figures", "Measured", ["benchmark", "parameters", *environments], rows,
                  notes, text_columns=2)
    return table, loaded.problems


def verdicts(results_dir: Path) -> list[str]:
    """The version steps of every machine under ``results_dir`` that measured two or more
    interpreters, judged by the verdict engine as the README judges them (Markdown tables)."""
    index, _ = read_index(results_dir)
    tables = []
    for machine in index.machines():
        table = steps_table(index, machine)
        if any(cell.kind != "na" for row in table.rows for cell in row[2:]):
            tables.append(markdown.table(table))
    return tables


def summary(results_dir: Path, title: str, *, tryout: bool, notes: Sequence[str] = ()) -> str:
    """The Markdown of the job's summary: what this run is, ``notes`` on it, its version
    steps' verdicts where it measured several interpreters, then its figures."""
    table, problems = figures_table(results_dir)
    parts = [f"### {title}", TRYOUT if tryout else "", *notes]
    parts += verdicts(results_dir)
    parts.append(markdown.table(table) if table.rows else "No figure was measured.")
    parts += [f"- could not be read: {problem}" for problem in problems]
    return markdown.document(parts)

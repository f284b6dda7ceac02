"""The view model's cells: tables of cells, built once and rendered to Markdown and to HTML.

Every table the README and the cross-version page show is a :class:`Table` built from the
results by one function; :mod:`taskbench.reports.markdown` and the page's Jinja2 template
render the same object, so the two cannot disagree. A cell carries its text and what kind
of figure it is (an interval, an exact count, the replica's single value, a figure measured
by an older version of its benchmark or in an earlier run, n/a), which both renderers mark
the same way. The figures themselves are found by :class:`taskbench.reports.views.Index`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from taskbench.asvadapter.results import Figure
from taskbench.catalogue import Benchmark
from taskbench.reports.stats import Estimate, estimate

NOT_MEASURED = "n/a"
# Marks shared by the Markdown and HTML renderers, explained under every table that has one.
MARKS = {
    "older": ("†", "measured by an earlier version of the benchmark: shown as measured, "
                   "never compared"),
    "single": ("‡", "one process, no interval"),
    "unpaired": ("§", "not measured in the same run's blocks: compared from each one's own "
                      "processes (Welch's t on logarithms), not paired"),
    "earlier": ("◊", "measured in an earlier run than the newest on this machine, not in "
                     "the same blocks as the unmarked figures"),
}


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str = ""  # "", "na", "older", "earlier", "single", "noise", "real", "label"
    title: str = ""  # longer explanation, shown on hover in HTML

    @property
    def mark(self) -> str:
        return MARKS[self.kind][0] if self.kind in MARKS else ""


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    text_columns: int = 1  # how many leading columns hold words (left-aligned), not figures
    sentences: tuple[int, ...] = ()  # other columns of words: left-aligned, wrapped in HTML

    def is_text(self, column: int) -> bool:
        return column < self.text_columns or column in self.sentences

    def marks_used(self) -> list[tuple[str, str]]:
        kinds = {cell.kind for row in self.rows for cell in row}
        return [MARKS[kind] for kind in MARKS if kind in kinds]


def label(text: str) -> Cell:
    return Cell(text, "label")


def na(reason: str = "") -> Cell:
    return Cell(NOT_MEASURED, "na", reason)


def number(value: float, *, scale: float = 1.0, digits: int = 0, suffix: str = "") -> str:
    return f"{value / scale:,.{digits}f}{suffix}"


def ranged(est: Estimate, *, scale: float = 1.0, digits: int = 0, suffix: str = "") -> str:
    """``251 (240–262)``, ``1.25× (1.22–1.28)``: the value, then its interval, if any."""
    text = number(est.value, scale=scale, digits=digits) + suffix
    if est.low is None or est.high is None:
        return text
    return (f"{text} ({number(est.low, scale=scale, digits=digits)}–"
            f"{number(est.high, scale=scale, digits=digits)})")


def figure_cell(figure: Figure | None, entry: Benchmark, *, per_unit: bool = False,
                scale: float = 1.0, digits: int = 0, suffix: str = "",
                modelled: Estimate | None = None) -> Cell:
    """A measured figure with its interval (``modelled``: the run's model's, where it has
    one, else its own processes'), marked when it has none and why; ``per_unit`` shows a time
    per unit as units per second."""
    if figure is None:
        return na()
    est = modelled if modelled is not None else estimate(figure)
    if est is None:
        return na("not measured: the interpreter or loop lacks the API, or the client does "
                  "not install there (the reason is in asv's log)")
    text = ranged(est.inverse() if per_unit else est, scale=scale, digits=digits,
                  suffix=suffix)
    return marked(figure, text, est.has_interval)


def marked(figure: Figure, text: str, has_interval: bool = True) -> Cell:
    """A figure's text, marked: an earlier benchmark version, an earlier run, one process."""
    if not figure.current:
        return Cell(text, "older", f"benchmark version {figure.version}: {MARKS['older'][1]}")
    if figure.earlier_run:
        return Cell(text, "earlier", f"{MARKS['earlier'][1]} (commit {figure.commit[:8]})")
    if not has_interval:
        return Cell(text, "single", MARKS["single"][1])
    return Cell(text)

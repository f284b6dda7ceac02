"""The view model: tables of cells, built once and rendered to Markdown and to HTML.

Every table the README and the cross-version page show is a :class:`Table` built from the
results by one function; :mod:`taskbench.reports.markdown` and the page's Jinja2 template
render the same object, so the two cannot disagree. A cell carries its text and what kind
of figure it is (an interval, an exact count, the replica's single value, a figure measured
by an older version of its benchmark, n/a), which both renderers mark the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from taskbench import blocklog
from taskbench.asvadapter.results import Figure, latest, load
from taskbench.catalogue import Benchmark
from taskbench.interpreters.names import interpreter_order, noise_group
from taskbench.reports.earlier import earlier_runs
from taskbench.reports.runmodel import RunModel, TooFewValues, Value, fit
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


class Index:
    """The newest figures, found by machine, environment, benchmark and parameters, with the
    block each of their samples came from where a block log says (:mod:`taskbench.blocklog`),
    and the model of the newest run in blocks of each figure
    (:mod:`taskbench.reports.runmodel`), fitted once.
    """

    def __init__(self, figures: Iterable[Figure],
                 block_logs: Mapping[str, dict[tuple[str, str], blocklog.Record]] | None = None):
        self._by_key: dict[tuple[str, str, str, tuple[Any, ...]], Figure] = {}
        for f in earlier_runs(list(figures), block_logs or {}):
            self._by_key[(f.machine, f.environment, f.benchmark, f.params)] = f
        self._block_logs = dict(block_logs or {})
        self._models: dict[tuple[str, str, tuple[Any, ...]], RunModel | None] = {}

    def run(self, machine: str) -> blocklog.Record | None:
        """The block log's record of the newest run in blocks on ``machine`` among the
        commits this index holds figures of, or None."""
        commits = {figure.commit for (m, _, _, _), figure in self._by_key.items()
                   if m == machine}
        records = {key: record for key, record in self._block_logs.get(machine, {}).items()
                   if key[0] in commits}
        return blocklog.newest_run(records)

    def in_run(self, machine: str, environment: str, entry: Benchmark, *params: Any) -> bool:
        """Whether the newest run on ``machine`` measured the figure in its blocks."""
        run = self.run(machine)
        figure = self.get(machine, environment, entry, *params)
        return (run is not None and figure is not None and not figure.earlier_run
                and figure.commit == run["commit"]
                and self.by_block(machine, environment, entry, *params) is not None)

    def run_values(self, machine: str, entry: Benchmark, *params: Any) -> list[Value]:
        """Every process's value of one figure in the newest run on ``machine``, by
        interpreter and block, with its place in the block's order where the log has it."""
        run = self.run(machine)
        if run is None:
            return []
        orders = [list(block.get("order") or []) for block in run.get("blocks") or []]
        values = []
        for environment in self.environments(machine, [entry]):
            if not self.in_run(machine, environment, entry, *params):
                continue
            figure = self.get(machine, environment, entry, *params)
            assert figure is not None
            for block, seconds in sorted((self.by_block(machine, environment, entry, *params)
                                          or {}).items()):
                order = orders[block] if block < len(orders) else []
                position = order.index(figure.env_name) if figure.env_name in order else None
                values.append(Value(environment, block, seconds, position))
        return values

    def model(self, machine: str, entry: Benchmark, *params: Any) -> RunModel | None:
        """The model of one figure over the newest run on ``machine``; None where fewer
        than two interpreters were measured in it (nothing to pool or pair).

        Raises:
            taskbench.reports.runmodel.ModelError: a value that is not a time (named).
        """
        key = (machine, entry.name, tuple(params))
        if key not in self._models:
            self._models[key] = _fitted(self.run_values(machine, entry, *params))
        return self._models[key]

    def model_over(self, machine: str,
                   members: Sequence[tuple[str, str, Benchmark, tuple[Any, ...]]]
                   ) -> RunModel | None:
        """A model over ``members`` (each a series' name, and the environment, benchmark and
        parameters of its figure) in the newest run on ``machine``: for comparisons within
        one interpreter (spawn APIs, the collector). Members not in the run are left out;
        None where fewer than two remain."""
        key = (machine, "members", tuple((name, env, entry.name, tuple(params))
                                         for name, env, entry, params in members))
        if key not in self._models:
            values = []
            for name, env, entry, params in members:
                if self.in_run(machine, env, entry, *params):
                    values += [Value(name, block, seconds) for block, seconds in sorted(
                        (self.by_block(machine, env, entry, *params) or {}).items())]
            self._models[key] = _fitted(values, {name: env for name, env, _, _ in members})
        return self._models[key]

    def modelled(self, machine: str, environment: str, entry: Benchmark, *params: Any
                 ) -> Estimate | None:
        """The figure's value and interval from its run's model, or None where it is not in
        the newest run's model."""
        found = self.model(machine, entry, *params)
        return found.level(environment) if found is not None and \
            environment in found.series else None

    def by_block(self, machine: str, environment: str, entry: Benchmark, *params: Any
                 ) -> dict[int, float] | None:
        """The figure's per-process values by the block each came from; None where no
        block log describes its run (it cannot be paired)."""
        figure = self.get(machine, environment, entry, *params)
        if figure is None or not figure.current or not figure.samples or \
                machine not in self._block_logs:
            return None
        found = blocklog.blocks_of(self._block_logs[machine], figure.commit, figure.env_name,
                                   figure.run_started)
        blocks = (found or {}).get(entry.call_name(tuple(params)))
        if blocks is None or len(blocks) != len(figure.samples):
            return None
        return dict(zip(blocks, figure.samples))

    def get(self, machine: str, environment: str, entry: Benchmark, *params: Any
            ) -> Figure | None:
        return self._by_key.get((machine, environment, entry.name, tuple(params)))

    def estimate(self, machine: str, environment: str, entry: Benchmark, *params: Any
                 ) -> Estimate | None:
        """The figure's value with its interval, from the run's model where it is in one,
        else from its own processes; None where it was not measured by the benchmark as
        declared now (an older version is shown, never compared)."""
        figure = self.get(machine, environment, entry, *params)
        if figure is None or not figure.current:
            return None
        return self.modelled(machine, environment, entry, *params) or estimate(figure)

    def cell(self, machine: str, environment: str, entry: Benchmark, *params: Any,
             **style: Any) -> Cell:
        """The figure's cell, with the model's interval where it has one."""
        figure = self.get(machine, environment, entry, *params)
        modelled = self.modelled(machine, environment, entry, *params) \
            if figure is not None and figure.current else None
        return figure_cell(figure, entry, modelled=modelled, **style)

    def value(self, machine: str, environment: str, entry: Benchmark, *params: Any
              ) -> float | None:
        """The figure's value alone (an exact count); None where it was not measured."""
        figure = self.get(machine, environment, entry, *params)
        return figure.value if figure is not None else None

    def env_names(self, machine: str) -> set[str]:
        """asv's names of the environments measured on ``machine``."""
        return {figure.env_name for (m, _, _, _), figure in self._by_key.items()
                if m == machine}

    def machines(self) -> list[str]:
        return sorted({machine for machine, _, _, _ in self._by_key})

    def environments(self, machine: str, entries: Sequence[Benchmark] | None = None
                     ) -> list[str]:
        """Environments on ``machine`` with a figure of any of ``entries``, in version order."""
        names = {entry.name for entry in entries} if entries is not None else None
        found = {env for m, env, bench, _ in self._by_key
                 if m == machine and (names is None or bench in names)}
        return sorted(found, key=interpreter_order)

    def values(self, machine: str, entry: Benchmark, axis: str) -> list[Any]:
        """The values of one axis that ``entry`` was measured at on ``machine``."""
        position = entry.param_names.index(axis)
        found = {params[position] for m, _, bench, params in self._by_key
                 if m == machine and bench == entry.name and len(params) > position}
        return sorted(found, key=lambda value: (isinstance(value, str), value))


def _fitted(values: Sequence[Value], environments: Mapping[str, str] | None = None
            ) -> RunModel | None:
    """The model of ``values`` (each series' noise group from its environment, itself where
    ``environments`` does not name one); None with fewer than two series or too few values
    for a spread (a run of one block)."""
    series = {value.series for value in values}
    if len(series) < 2:
        return None
    try:
        return fit(values, {name: noise_group((environments or {}).get(name, name))
                            for name in series})
    except TooFewValues:
        return None


def read_index(results_dir: Path, commit: str = "") -> tuple[Index, list[str]]:
    """The newest figures under ``results_dir`` (of the commit ``commit`` begins, if given)
    with their block logs, and every file that could not be read (named, with what to do)."""
    loaded = load(results_dir)
    loaded.figures = [figure for figure in loaded.figures if figure.commit.startswith(commit)]
    logs: dict[str, dict[tuple[str, str], blocklog.Record]] = {}
    problems = list(loaded.problems)
    for machine in sorted({figure.machine for figure in loaded.figures}):
        try:
            logs[machine] = blocklog.read(results_dir / machine / blocklog.BLOCKS_FILE)
        except blocklog.BlockLogError as error:
            problems.append(f"{error}; its figures are shown unpaired. Restore it from git or "
                            "rerun `make bench`.")
    return Index(latest(loaded.figures), logs), problems

"""The figures the views show, found: :class:`Index` holds the newest figures of every
machine, environment, benchmark and parameters, the block each sample came from, and the
run's model of each figure (:mod:`taskbench.reports.runmodel`), fitted once; its cells are
made by :mod:`taskbench.reports.cells`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from taskbench import blocklog
from taskbench.asvadapter.results import Figure, latest, load
from taskbench.catalogue import Benchmark
from taskbench.interpreters.names import interpreter_order, noise_group
from taskbench.reports.cells import Cell, figure_cell
from taskbench.reports.earlier import earlier_runs
from taskbench.reports.runmodel import RunModel, TooFewValues, Value, fit
from taskbench.reports.stats import Estimate, estimate


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
                values.append(Value(environment, block, seconds,
                                    place_in(order, figure.env_name)))
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


def place_in(order: Sequence[str], env_name: str) -> float | None:
    """Where ``env_name`` ran in a block's ``order``, from 0 (first) to 1 (last); None where
    the order does not hold it."""
    if env_name not in order:
        return None
    return order.index(env_name) / (len(order) - 1) if len(order) > 1 else 0.0


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

"""What a catalogue entry is: one benchmark's declaration, and how it is applied to asv.

:mod:`taskbench.catalogue` declares every benchmark with these; ``benchmarks/`` applies each
declaration to its asv class with :func:`benchmark`. Standard library only: asv imports it
inside every measured interpreter.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence, Tuple, TypeVar

from taskbench.workloads.timing import FIRST, ONE_RUN_FROM, WARM

# What a figure is: one value per process, from several processes (a sampled figure, with an
# interval), an exact count (instructions, bytes: one value that repeats), or the replica
# (one process, the post's method, no interval).
SAMPLED, EXACT, REPLICA_KIND = "sampled", "exact", "replica"
# Where a run measures a figure (taskbench.jobs.blockplan): in the interleaved blocks (timed
# figures compared between interpreters), or in a phase of its own before them: the exact
# counts (valgrind, tracemalloc; they do not depend on time, so both cores may work at once),
# the clients (real programs, several processes each, not compared block by block), and the
# replica (the post's whole table in one process; only when asked for).
BLOCKS, COUNTS, CLIENTS, REPLICA_PHASE = "blocks", "counts", "clients", "replica"

Params = Tuple[Any, ...]


@dataclass(frozen=True)
class Axis:
    """One parameter of a benchmark: its name and its values, as numbers or strings."""

    name: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Blocks:
    """How many interleaved blocks measure a sampled figure (:mod:`taskbench.jobs.blocks`):
    ``least`` first blocks, each measuring every interpreter once, one process each, so that
    every sample is paired by block; then the extra blocks the plan grants
    (:mod:`taskbench.jobs.blockplan`: to decide a step, or to narrow a CPython headline
    figure wider than ±``percent``), up to ``most`` in all."""

    least: int = 3
    most: int = 3
    percent: float | None = None


def call_name(benchmark: str, reprs: Sequence[str]) -> str:
    """asv's name for one parameter combination, from the ``repr`` strings of its values (as
    asv stores them): the one way it is built, so that a figure and its block log pair."""
    return f"{benchmark}({', '.join(reprs)})"


@dataclass(frozen=True, eq=False)  # each entry is one object, found by identity
class Benchmark:
    """One asv benchmark (a ``track_`` method) and what a reader needs to know of its figures.

    ``better`` is ``"higher"``, ``"lower"``, or None for a figure that is not a cost (a share,
    a count of tasks): ``compare`` judges only costs. ``kind`` is :data:`SAMPLED` (each of
    asv's rounds measures afresh in its own process and returns samples), :data:`EXACT` or
    :data:`REPLICA_KIND` (measured once per environment, in ``setup_cache``). ``headline``
    names the parameter values a reader is pointed to first (the anatomy's one-column figures
    read theirs from it; tables of every measured value show the rest too); ``quick`` the values
    ``make bench ARGS=--quick`` measures (empty: not part of a quick run). ``cycle`` is the
    kind of figure every process reports (:data:`FIRST` or :data:`WARM`, see
    :mod:`taskbench.workloads.timing`), or None: the first run from ``ONE_RUN_FROM`` units
    up, warm runs below (:meth:`cycle_at`). ``blocks`` says how many blocks measure it.
    ``seconds`` is a rough guess of what one of its figures takes on one interpreter, on a
    2-core machine like this project's: a sampled figure's process in one block; a figure
    measured once, its share of the class's one-time work (``setup_cache``). Only the first
    run's estimate of ``make bench`` reads it (:mod:`taskbench.jobs.estimate`); later runs
    go by the last run's own durations. ``phase`` says where a run measures it
    (:attr:`measured_in`): by default sampled figures in the blocks, exact counts in the
    counts phase, the replica in its own.
    """

    name: str
    title: str
    axes: tuple[Axis, ...]
    unit: str
    better: str | None
    version: str
    kind: str = SAMPLED
    timeout: int = 600
    headline: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    quick: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    cycle: str | None = None
    blocks: Blocks = Blocks()
    seconds: float = 0.5
    phase: str | None = None

    @property
    def measured_in(self) -> str:
        """:data:`BLOCKS`, :data:`COUNTS`, :data:`CLIENTS` or :data:`REPLICA_PHASE`."""
        if self.phase is not None:
            return self.phase
        return {EXACT: COUNTS, REPLICA_KIND: REPLICA_PHASE}.get(self.kind, BLOCKS)

    @property
    def module(self) -> str:
        return self.name.split(".")[0]

    @property
    def class_name(self) -> str:
        return self.name.split(".")[1]

    @property
    def method(self) -> str:
        return self.name.split(".")[2]

    def cycle_at(self, count: int) -> str:
        """The kind of figure this benchmark's processes report at ``count`` units."""
        return self.cycle or (FIRST if count >= ONE_RUN_FROM else WARM)

    @property
    def param_names(self) -> list[str]:
        return [axis.name for axis in self.axes]

    @property
    def params(self) -> list[list[Any]]:
        return [list(axis.values) for axis in self.axes]

    def combinations(self, chosen: dict[str, tuple[Any, ...]] | None = None
                     ) -> Iterator[Params]:
        """Every parameter combination, in asv's order; only ``chosen`` values where given."""
        chosen = chosen or {}
        return itertools.product(*[chosen.get(axis.name, axis.values) for axis in self.axes])

    def call_name(self, combo: Params) -> str:
        """asv's name for one parameter combination: ``module.Class.method(1000)``."""
        return call_name(self.name, [repr(value) for value in combo])

    def quick_pattern(self) -> str | None:
        """An ``asv run --bench`` regex selecting the quick combinations, or None."""
        if not self.quick:
            return None
        calls = [self.call_name(combo) for combo in self.combinations(self.quick)]
        return "^(" + "|".join(re.escape(call) for call in calls) + ")$"


Suite = TypeVar("Suite", bound=type)


def benchmark(*entries: Benchmark) -> Callable[[Suite], Suite]:
    """Class decorator: give an asv class the declared parameters, and each method its unit,
    version and timeout. Every entry must name a method of the class, and all must
    share one set of parameters (asv's ``params`` belong to the class)."""

    def apply(cls: Suite) -> Suite:
        for entry in entries:
            if entry.class_name != cls.__name__ or not hasattr(cls, entry.method):
                raise TypeError(f"{cls.__name__} has no method for {entry.name}")
            if entry.axes != entries[0].axes:
                raise TypeError(f"{entry.name}: every method of {cls.__name__} must share "
                                "one set of parameters")
            method = getattr(cls, entry.method)
            for attribute in ("unit", "version", "timeout"):
                setattr(method, attribute, getattr(entry, attribute))
        cls.params = entries[0].params  # type: ignore[attr-defined]
        cls.param_names = entries[0].param_names  # type: ignore[attr-defined]
        return cls

    return apply

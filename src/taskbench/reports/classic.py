"""What a task costs on each interpreter, which differences between interpreters are real, and
the replica beside the post: the view models of the README's answer and the page's first
sections.

Every timed figure is CPU seconds per task, one per process; the views show thousand tasks
per second (as the post did) and microseconds per task, each with its 95% interval. Two
kinds of figure appear, each labelled where it is shown: steady (``TaskCost``: warm, once the
process's cycles have settled) and the first cycle of a fresh process (``FirstCycle``, as the
post's first row).
"""

from __future__ import annotations

from typing import Mapping, Sequence

from taskbench.catalogue import (
    ANATOMY_COUNT,
    CLASSIC_COUNTS,
    FIRST_CYCLE,
    LARGEST_COUNT,
    REPLICA,
    TASK_COST,
    Benchmark,
)
from taskbench.interpreters.families import BY_KEY
from taskbench.interpreters.names import interpreter_order, parse_environment
from taskbench.reports import inference
from taskbench.reports.cells import MARKS, Cell, Table, figure_cell, label, na
from taskbench.reports.outliers import ALPHA
from taskbench.reports.reference import POST_LABEL, POST_TASKS_PER_SECOND
from taskbench.reports.runmodel import LEVEL_WORDS
from taskbench.reports.stats import Estimate
from taskbench.reports.views import Index
from taskbench.workloads.timing import steady_in_words

THOUSANDS = 1_000
KIND_LABELS = {"warm": "steady", "first": "first cycle"}
# The rows of the cost table: every figure of the classic cycle, warm and first.
TABLE_ROWS: tuple[tuple[Benchmark, int], ...] = (
    *((TASK_COST, count) for count in TASK_COST.axes[0].values),
    *((FIRST_CYCLE, count) for count in FIRST_CYCLE.axes[0].values))
# The figures the version steps are judged at: the headline, and the table's largest count.
STEPS_AT: tuple[tuple[Benchmark, int], ...] = ((TASK_COST, ANATOMY_COUNT),
                                               (FIRST_CYCLE, LARGEST_COUNT))
HEADLINE = STEPS_AT[0]


def kind_of(entry: Benchmark, count: int) -> str:
    """``steady`` or ``first cycle``: the kind of figure, as every view labels it."""
    return KIND_LABELS[entry.cycle_at(count)]


def row_label(entry: Benchmark, count: int) -> str:
    return f"{count:,} ({kind_of(entry, count)})"


def rate(seconds: Estimate) -> Estimate:
    """Seconds per task as tasks per second, with the interval turned round."""
    return seconds.inverse()


def heading(env: str, versions: Mapping[str, str] | None) -> str:
    """An interpreter's column heading: its name and, where known, its full version."""
    version = (versions or {}).get(env)
    return f"{env} ({version})" if version else env


def classic_table(index: Index, machine: str, versions: Mapping[str, str] | None = None
                  ) -> Table:
    """Thousand tasks/s per count and kind (rows) and interpreter (columns), with intervals."""
    environments = index.environments(machine, [TASK_COST, FIRST_CYCLE])
    rows = [[label(row_label(entry, count))] + [
        index.cell(machine, env, entry, count, per_unit=True, scale=THOUSANDS)
        for env in environments]
        for entry, count in TABLE_ROWS if index.environments(machine, [entry])]
    return Table(
        "classic", f"Thousand tasks per second of CPU time on `{machine}`, create_task + wait, "
                   f"asyncio's loop: {LEVEL_WORDS}; {steady_in_words()}; first cycle: a "
                   "fresh process's",
        ["count", *(heading(env, versions) for env in environments)], rows)


def replica_table(index: Index, machine: str, versions: Mapping[str, str] | None = None
                  ) -> Table:
    """The replica's rows (one process, counts ascending) beside the post's own figures."""
    environments = index.environments(machine, [REPLICA])
    rows = []
    for count in CLASSIC_COUNTS:
        reference = POST_TASKS_PER_SECOND.get(count)
        rows.append([label(f"{count:,}"),
                     Cell(f"{reference / THOUSANDS:,.0f}") if reference else na()] + [
            figure_cell(index.get(machine, env, REPLICA, count), REPLICA, per_unit=True,
                        scale=THOUSANDS) for env in environments])
    return Table("replica", f"The replica on `{machine}`: the post's script, one process, "
                            "counts ascending (thousand tasks/s)",
                 ["count", POST_LABEL, *(heading(env, versions) for env in environments)],
                 rows)


def steps(environments: Sequence[str]) -> list[tuple[str, str, str]]:
    """Pairs worth comparing, with what differs: consecutive versions of one build family,
    the same version built two ways, and a matrix setting (the JIT) on against off; by
    version whatever order ``environments`` come in (a model keeps its series as text sorts
    them, 3.10 before 3.9)."""
    parsed = {env: parse_environment(env) for env in sorted(environments, key=interpreter_order)}
    families: dict[tuple[str, str], list[str]] = {}
    for env, (wanted, settings) in parsed.items():
        families.setdefault((wanted.family if wanted else env, settings), []).append(env)
    pairs = [(a, b, "version") for members in families.values()
             for a, b in zip(members, members[1:])]
    for env, (wanted, settings) in parsed.items():
        if wanted is None:
            continue
        if settings:
            if wanted.name in environments:
                pairs.append((wanted.name, env, "JIT" if "JIT" in settings else "setting"))
        elif wanted.record.built_against is not None:
            base = BY_KEY[wanted.record.built_against].name_for(wanted.version)
            if base in environments:
                pairs.append((base, env, "build"))
    return pairs


def judge_steps(index: Index, machine: str, pairs: Sequence[tuple[str, str]],
                entry: Benchmark, count: int) -> list[inference.Verdict | None]:
    """Every pair at one figure, one family (:func:`inference.judge_pairs`)."""
    return inference.judge_pairs(index, machine, pairs, entry, count)


def verdict_cell(verdict: inference.Verdict | None, previous: str = "") -> Cell:
    """A verdict in the engine's words, marked when it is not paired by block; ``previous``
    names A where the row does not (``1.22× faster than 3.10 (1.17–1.27×)``)."""
    if verdict is None:
        return na(f"no figure to compare with {previous}" if previous else "")
    text = inference.words(verdict, against=previous)
    if not verdict.paired:
        return Cell(f"{text}, unpaired", "unpaired", MARKS["unpaired"][1])
    return Cell(text, "real" if verdict.outcome in (inference.FASTER, inference.SLOWER)
                else "noise")


def set_aside_text(index: Index, machine: str, figures: Sequence[tuple[Benchmark, int]]
                   ) -> str:
    """The values the run's model set aside at ``figures`` as interference, named, with how
    many values it averaged in; "" where it set none aside or has no model."""
    models = [(entry, count, index.model(machine, entry, count)) for entry, count in figures]
    named = [f"{aside.series} in block {aside.block + 1} at {count:,} tasks "
             f"({kind_of(entry, count)}, {100 * aside.excess:+.0f}%)"
             for entry, count, model in models if model is not None
             for aside in model.set_aside]
    if not named:
        return ""
    used = sum(sum(model.used.values()) for _, _, model in models if model is not None)
    return (f"Set aside as interference of the host (slower than the model fitted without "
            f"it, beyond what its noise allows: a one-sided test at {ALPHA:.0%} over the "
            f"figure's values; the raw values are kept in the results, and the run re-measures "
            f"them in extra blocks where its time allows): {'; '.join(named)}. {used:,} values "
            "averaged in.")


def what_differs(kind: str, a: str, b: str, versions: Mapping[str, str] | None) -> str:
    """The kind of step, and the patch versions where a build or setting step also has
    them differ (a confound the reader must see)."""
    version_a, version_b = ((versions or {}).get(env) for env in (a, b))
    if kind != "version" and version_a and version_b and version_a != version_b:
        return f"{kind}, and patch version {version_a} → {version_b}"
    return kind


def steps_table(index: Index, machine: str, versions: Mapping[str, str] | None = None
                ) -> Table:
    """B's speed over A's for every pair of :func:`steps`, with its verdict, at each figure
    of :data:`STEPS_AT`."""
    environments = index.environments(machine, [TASK_COST, FIRST_CYCLE])
    pairs = steps(environments)
    columns = [judge_steps(index, machine, [(a, b) for a, b, _ in pairs], entry, count)
               for entry, count in STEPS_AT]
    rows = [[label(f"{a} → {b}"), label(what_differs(kind, a, b, versions))]
            + [verdict_cell(column[row]) for column in columns]
            for row, (a, b, kind) in enumerate(pairs)]
    return Table(
        "steps", f"Which differences are real on `{machine}`, in this run: B against A, "
                 "with the interval each verdict is read from",
        ["A → B", "what differs", *(f"{count:,} tasks ({kind_of(entry, count)})"
                                    for entry, count in STEPS_AT)], rows,
        notes=[f"{inference.rule_text(len(pairs))}. {inference.direction_text()}.",
               *filter(None, [set_aside_text(index, machine, STEPS_AT)])], text_columns=2)

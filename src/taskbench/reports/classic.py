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

from dataclasses import dataclass
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
from taskbench.interpreters.names import parse_environment
from taskbench.reports import inference
from taskbench.reports.reference import POST_LABEL, POST_TASKS_PER_SECOND
from taskbench.reports.stats import Estimate, ratio
from taskbench.reports.views import MARKS, Cell, Index, Table, figure_cell, label, na, ranged
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
        figure_cell(index.get(machine, env, entry, count), entry, per_unit=True,
                    scale=THOUSANDS) for env in environments]
        for entry, count in TABLE_ROWS if index.environments(machine, [entry])]
    return Table(
        "classic", f"Thousand tasks per second of CPU time on `{machine}`, create_task + wait, "
                   "asyncio's loop: the geometric mean of separate processes with its 95% "
                   f"interval; {steady_in_words()}; first cycle: a fresh process's",
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
    the same version built two ways, and a matrix setting (the JIT) on against off."""
    parsed = {env: parse_environment(env) for env in environments}
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
        elif wanted.family == "debian" and wanted.version in environments:
            pairs.append((wanted.version, env, "build"))
    return pairs


@dataclass(frozen=True)
class Step:
    """B against A at one figure: a paired verdict, or, where the two were not measured in
    the same blocks, the ratio of their own intervals."""

    verdict: inference.Verdict | None
    unpaired: Estimate | None


def judge_steps(index: Index, machine: str, pairs: Sequence[tuple[str, str]],
                entry: Benchmark, count: int) -> list[Step]:
    """Every pair at one figure, the paired ones corrected together (Holm)."""
    found: list[inference.Paired | None] = []
    for a, b in pairs:
        blocks_a = index.by_block(machine, a, entry, count)
        blocks_b = index.by_block(machine, b, entry, count)
        found.append(inference.paired(blocks_a, blocks_b)
                     if blocks_a and blocks_b else None)
    judged = iter(inference.verdicts([pair for pair in found if pair is not None]))
    steps_found = []
    for (a, b), pair in zip(pairs, found):
        if pair is not None:
            steps_found.append(Step(next(judged), None))
            continue
        first, second = (index.estimate(machine, env, entry, count) for env in (a, b))
        steps_found.append(Step(None, ratio(first, second)
                                if first is not None and second is not None else None))
    return steps_found


def _percent(speedup: float) -> str:
    return f"{abs(speedup - 1) * 100:.1f}%"


def step_cell(step: Step) -> Cell:
    """A verdict's words, with B's speed over A's and its interval."""
    if step.verdict is None:
        if step.unpaired is None:
            return na()
        return Cell(f"unpaired: {ranged(step.unpaired, digits=2, suffix='×')}", "unpaired",
                    MARKS["unpaired"][1])
    verdict = step.verdict
    text = ranged(verdict.paired.speedup, digits=3, suffix="×")
    if verdict.outcome in (inference.FASTER, inference.SLOWER):
        return Cell(f"{_percent(verdict.paired.speedup.value)} {verdict.outcome}: {text}",
                    "real")
    if verdict.outcome == inference.EQUIVALENT:
        return Cell(f"equivalent within ±{inference.EQUIVALENCE_PERCENT:g}%: {text}", "noise")
    more = (f"; about {verdict.blocks_to_decide} blocks would decide"
            if verdict.blocks_to_decide else "")
    return Cell(f"undecided: {text}{more}", "noise")


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
            + [step_cell(column[row]) for column in columns]
            for row, (a, b, kind) in enumerate(pairs)]
    return Table(
        "steps", f"Which differences are real on `{machine}`, in this run: B's tasks/s over "
                 "A's with its paired 95% interval",
        ["A → B", "what differs", *(f"{count:,} tasks ({kind_of(entry, count)})"
                                    for entry, count in STEPS_AT)], rows,
        notes=[f"Each pair is compared block by block (every interpreter measured once per "
               f"block, interleaved), and the tests are corrected for the {len(pairs)} pairs "
               f"of each column (Holm): faster or slower when the difference is significant, "
               f"equivalent when it is shown to lie within ±{inference.EQUIVALENCE_PERCENT:g}%, "
               "undecided otherwise."], text_columns=2)

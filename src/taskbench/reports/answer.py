"""The answer in tables: what a task costs on each interpreter of one machine in both
settings, each interpreter's step from the one before it, and every interpreter against
fixed bases.

Both settings stand side by side so that a step which reverses between them shows at once:
steady at the headline count (``TaskCost`` at 100,000 tasks) and a fresh process's first cycle
at the largest count (``FirstCycle`` at 1,000,000 tasks), the setting of the post, whose
every row is one cycle with the collector on (:data:`taskbench.reports.classic.STEPS_AT`).
Each figure is µs per task with its 95% interval from the run's model
(:meth:`taskbench.reports.views.Index.estimate`).

The answer table is a table of version steps: each interpreter against the previous version
of its build family or, for the first of a family, the same version without the JIT or built
by pyenv, named once per row in its own column; the verdicts are judged with every pair of
the steps table, one family per column, so the two tables give the same intervals. The
fixed-base table holds every interpreter against each base of :data:`FIXED_BASES`, one
family per column, the base named once in the column's heading. The words of every verdict,
the rule and the direction of × come from :mod:`taskbench.reports.inference`.
"""

from __future__ import annotations

import datetime
from typing import Any, Mapping

from taskbench import units
from taskbench.catalogue import FIRST_CYCLE, TASK_COST, Benchmark
from taskbench.reports import inference
from taskbench.reports.classic import (
    STEPS_AT,
    judge_steps,
    kind_of,
    set_aside_text,
    steps,
    verdict_cell,
)
from taskbench.reports.reference import POST_TASKS_PER_SECOND
from taskbench.reports.stats import Estimate
from taskbench.reports.views import Cell, Index, Table, label, marked, na
from taskbench.workloads.timing import steady_in_words

VERSION_STEP = "version"
# The bases every interpreter is held against in the fixed-base table, where measured: the
# oldest CPython measured, and the release that changed the most (the Faster CPython work).
FIXED_BASES: tuple[str, ...] = ("3.8", "3.11")
FIRST_OF_FAMILY = "none: first of its family here"
# The answer table's columns.
INTERPRETER, AGAINST, WARM, WARM_STEP, POST, POST_STEP = range(6)
WARM_AT, POST_AT = STEPS_AT


def setting_text(entry: Benchmark, count: int) -> str:
    """``steady, 100,000 tasks`` or ``first cycle, 1,000,000 tasks (the post's setting)``."""
    said = f"{kind_of(entry, count)}, {count:,} tasks"
    return f"{said} (the post's setting)" if (entry, count) == POST_AT else said


def microseconds_text(seconds: Estimate) -> str:
    """``7.55 (7.41–7.69)``: µs per task with its interval."""
    text = units.cost_number(seconds.value)
    if seconds.low is None or seconds.high is None:
        return text
    return f"{text} ({units.cost_number(seconds.low)}–{units.cost_number(seconds.high)})"


def cost_cell(index: Index, machine: str, env: str, entry: Benchmark, count: int) -> Cell:
    """µs per task with its interval at one figure, or n/a saying why."""
    figure = index.get(machine, env, entry, count)
    seconds = index.estimate(machine, env, entry, count)
    if figure is None:
        return na("not measured on this interpreter")
    if seconds is None:
        return na(f"measured by benchmark version {figure.version}, not the catalogue's "
                  f"{entry.version}: not shown as the answer")
    return marked(figure, microseconds_text(seconds), seconds.has_interval)


Steps = Mapping[str, tuple[str, str, list[inference.Verdict | None]]]


def interpreter_steps(index: Index, machine: str, environments: list[str]) -> Steps:
    """Each interpreter's step: from the previous version of its family or, for the first of
    a family, from the same version without the JIT or built by pyenv: (A, what differs,
    the verdict at each setting), judged together with every pair of the steps table."""
    pairs = steps(environments)
    columns = [judge_steps(index, machine, [(a, b) for a, b, _ in pairs], entry, count)
               for entry, count in STEPS_AT]
    found: dict[str, tuple[str, str, list[inference.Verdict | None]]] = {}
    judged = [(pair, [column[row] for column in columns]) for row, pair in enumerate(pairs)]
    for (a, b, kind), verdicts in sorted(judged, key=lambda item: item[0][2] != VERSION_STEP):
        found.setdefault(b, (a, kind, verdicts))
    return found


def _against(step: tuple[str, str, Any] | None) -> Cell:
    if step is None:
        return Cell(FIRST_OF_FAMILY)
    a, kind, _ = step
    return Cell(a if kind == VERSION_STEP else f"{a} ({kind})")


def answer_table(index: Index, machine: str) -> Table:
    """One row per interpreter: µs per task and its step, in both settings."""
    environments = index.environments(machine, [TASK_COST, FIRST_CYCLE])
    found = interpreter_steps(index, machine, environments)
    rows = []
    for env in environments:
        step = found.get(env)
        row = [label(env), _against(step)]
        for column, (entry, count) in enumerate(STEPS_AT):
            row.append(cost_cell(index, machine, env, entry, count))
            row.append(verdict_cell(step[2][column]) if step else Cell(""))
        rows.append(row)
    measured = measured_text(index, machine)
    return Table(
        "answer", f"What one asyncio task costs on `{machine}`{' ' + measured if measured else ''}"
                  ": create_task + wait, µs of CPU time per task (95% interval), and each "
                  "interpreter's step from the one it is compared with",
        ["interpreter", "compared with",
         *(heading for entry, count in STEPS_AT
           for heading in (f"{setting_text(entry, count)}: µs per task", "its step"))], rows,
        notes=[f"µs per task: `{WARM_AT[0].class_name}` ({steady_in_words()}) and "
               f"`{POST_AT[0].class_name}` (one cycle of a fresh process) from the run's model "
               "(every interpreter measured once per block, interleaved; the block's effect "
               "taken out, the spread pooled). Compared with (A): the previous version of "
               "its build family, or the same version built by pyenv or without the JIT; "
               f"each row is B. Steps: {inference.rule_text(len(steps(environments)))}; "
               "they hold for this machine and run, not across machines or days. "
               f"{inference.direction_text()}.",
               *filter(None, [set_aside_text(index, machine, list(STEPS_AT))]),
               *left_out(index, machine, environments)],
        text_columns=2, sentences=(WARM_STEP, POST_STEP))


def left_out(index: Index, machine: str, environments: list[str]) -> list[str]:
    """A note naming each interpreter of ``machine`` the answer has no figure for: not a
    row at all (neither figure), or a row whose figure is of another version."""
    missing = [env for env in index.environments(machine) if env not in environments]
    notes = []
    if missing:
        notes.append(f"Not in this table, with no `{WARM_AT[0].class_name}` or "
                     f"`{POST_AT[0].class_name}` figure on this machine (see the other "
                     f"tables): {', '.join(missing)}.")
    for entry, count in STEPS_AT:
        older = [env for env in environments
                 if (figure := index.get(machine, env, entry, count)) is not None
                 and not figure.current]
        if older:
            notes.append(f"n/a where `{entry.class_name}` at {count:,} tasks was measured by "
                         f"another version of the benchmark than the catalogue's "
                         f"{entry.version}, never compared with it: {', '.join(older)}.")
    return notes


def bases_table(index: Index, machine: str) -> Table | None:
    """Every interpreter against each fixed base measured on ``machine``, in both settings;
    None where no base was measured."""
    environments = index.environments(machine, [TASK_COST, FIRST_CYCLE])
    bases = [base for base in FIXED_BASES if base in environments]
    if not bases or len(environments) < 2:
        return None
    columns: list[dict[str, inference.Verdict | None]] = []
    header = ["interpreter"]
    for base in bases:
        others = [env for env in environments if env != base]
        for entry, count in STEPS_AT:
            judged = inference.judge_pairs(index, machine, [(base, env) for env in others],
                                           entry, count)
            columns.append(dict(zip(others, judged)))
            header.append(f"against {base}, {setting_text(entry, count)}")
    rows = [[label(env)] + [verdict_cell(column[env]) if env in column else Cell("the base")
                            for column in columns] for env in environments]
    return Table(
        "bases", f"Every interpreter against fixed bases on `{machine}`, in this run",
        header, rows,
        notes=[f"Each row is B, the base A. {inference.rule_text(len(environments) - 1)}. "
               f"{inference.direction_text()}."],
        sentences=tuple(range(1, len(header))))


def _date(milliseconds: int) -> str:
    return datetime.datetime.fromtimestamp(milliseconds / 1000, datetime.timezone.utc
                                           ).strftime("%Y-%m-%d")


def measured_text(index: Index, machine: str) -> str:
    """``at commit `0bcf81ed` (2026-11-30)``: where the answer's figures come from; "" where
    there are none."""
    found: dict[str, Any] = {}
    for entry, count in STEPS_AT:
        for env in index.environments(machine, [entry]):
            figure = index.get(machine, env, entry, count)
            if figure is not None and figure.current:
                found.setdefault(figure.commit[:8], figure.run_started)
    if not found:
        return ""
    runs = ", ".join(f"`{commit}` ({_date(started)})" for commit, started in
                     sorted(found.items(), key=lambda item: item[1]))
    return f"at commit{'s' if len(found) > 1 else ''} {runs}"


def post_sentence(index: Index, machine: str) -> str:
    """The post's one figure measured as a figure here is (its first row: a fresh process's
    first cycle at 100,000 tasks), beside the range of that figure here; "" without it."""
    count = min(POST_TASKS_PER_SECOND)
    here = {env: found for env in index.environments(machine, [FIRST_CYCLE])
            if (found := index.estimate(machine, env, FIRST_CYCLE, count)) is not None}
    if count not in FIRST_CYCLE.axes[0].values or not here:
        return ""
    post = 1 / POST_TASKS_PER_SECOND[count]
    low, high = (pick(here, key=lambda env: here[env].value) for pick in (min, max))
    return (f"The post's M1 MacBook figure measured as one here is its first row, a fresh "
            f"process's first cycle at {count:,} tasks: {units.cost_text(post)} "
            f"({units.rate_text(post)}); `{FIRST_CYCLE.class_name}` at {count:,} takes "
            f"{units.cost_text(here[low].value)} ({low}) to {units.cost_text(here[high].value)} "
            f"({high}) on `{machine}`.")

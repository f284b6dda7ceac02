"""The answer in one table: what a task costs on each interpreter of one machine.

One row per interpreter, in version order: its full version and build (from the build facts
beside the results), the headline figure (``TaskCost`` at 100,000 tasks, steady) as µs per task
with its 95% interval and as thousand tasks/s, the exact instructions per task (valgrind),
and the verdict against the previous version of its build family in this run, or, for the
first of a family, against the same version without the JIT or built by pyenv (paired by
block and Holm-corrected with every step, as in the steps table). The README's first
screen and the top of the cross-version page render it; :mod:`taskbench.units` writes the
numbers.
"""

from __future__ import annotations

import datetime
from typing import Any, Mapping

from taskbench import units
from taskbench.catalogue import CLASSIC_SPAWN, INSTRUCTION_PAIR, INSTRUCTIONS, TASK_COST
from taskbench.interpreters import facts
from taskbench.interpreters.names import parse_environment
from taskbench.reports import inference
from taskbench.reports.classic import (
    HEADLINE,
    judge_steps,
    kind_of,
    set_aside_text,
    steps,
    verdict_cell,
)
from taskbench.reports.reference import POST_TASKS_PER_SECOND
from taskbench.reports.stats import Estimate
from taskbench.reports.views import Cell, Index, Table, label, marked, na

VERSION_STEP = "version"
# The answer's columns, in the order a reader wants them: the cost and its verdict first.
COST, RATE, VERDICT, INSTRUCTIONS_COLUMN, BUILD = 1, 2, 3, 4, 5
NOT_COUNTED = ("not counted: valgrind does not run this interpreter here (PyPy), or was "
               "missing when the run was made (asv's log says why)")
NO_FACTS = "no build facts recorded for it (`make bench` records them)"


def build_text(record: facts.Record | None, settings: str) -> str:
    """``CPython 3.11.2, Debian, -O2, PGO, LTO``: the full version and how it was built (the
    facts say "yes (Debian's packaging)" where the packaging, not a flag seen, tells)."""
    if record is None:
        return ""
    # The source without how it was unpacked ("Debian sid", not "Debian sid (unpacked,
    # patched)"): the interpreters page says the rest.
    parts = [f"{record.get('implementation', '?')} {record.get('version', '?')}",
             str(record.get("source", "?")).split(" (")[0]]
    if record.get("optimisation"):
        parts.append(str(record["optimisation"]))
    parts += [name for name in ("PGO", "LTO")
              if str(record.get(name.lower(), "")).startswith("yes")]
    if settings:
        parts.append(settings)
    return ", ".join(parts)


def _microseconds(seconds: Estimate) -> str:
    text = units.cost_number(seconds.value)
    if seconds.low is None or seconds.high is None:
        return text
    return f"{text} ({units.cost_number(seconds.low)}–{units.cost_number(seconds.high)})"


def cost_cells(index: Index, machine: str, env: str) -> list[Cell]:
    """µs per task with its interval and thousand tasks/s, at the headline figure."""
    entry, count = HEADLINE
    figure = index.get(machine, env, entry, count)
    seconds = index.estimate(machine, env, entry, count)
    if figure is None:
        return [na("not measured on this interpreter"), na()]
    if seconds is None:
        return [na(f"measured by benchmark version {figure.version}, not the catalogue's "
                   f"{entry.version}: not shown as the answer"), na()]
    return [marked(figure, _microseconds(seconds), seconds.has_interval),
            marked(figure, units.rate_number(seconds.value), seconds.has_interval)]


def instructions_cell(index: Index, machine: str, env: str) -> Cell:
    figure = index.get(machine, env, INSTRUCTIONS, *CLASSIC_SPAWN)
    if figure is None or figure.value is None:
        return na(NOT_COUNTED)
    return marked(figure, f"{figure.value:,.0f}")


def _version_steps(index: Index, machine: str, environments: list[str]
                   ) -> dict[str, tuple[str, inference.Verdict | None]]:
    """Each interpreter's step from the previous version of its family, or, for the first
    of a family, from the same version without the JIT or built by pyenv; judged together
    with every other pair of the steps table (one family, so the intervals match it)."""
    pairs = steps(environments)
    entry, count = HEADLINE
    judged = judge_steps(index, machine, [(a, b) for a, b, _ in pairs], entry, count)
    found: dict[str, tuple[str, inference.Verdict | None]] = {}
    version_steps_first = sorted(zip(pairs, judged), key=lambda p: p[0][2] != VERSION_STEP)
    for (a, b, _), verdict in version_steps_first:
        found.setdefault(b, (a, verdict))
    return found


def answer_table(index: Index, machine: str,
                 records: Mapping[str, facts.Record] | None = None) -> Table:
    """One row per interpreter: build, µs per task, K tasks/s, instructions, verdict."""
    records = records or {}
    environments = index.environments(machine, [TASK_COST])
    previous = _version_steps(index, machine, environments)
    rows = []
    for env in environments:
        wanted, settings = parse_environment(env)
        record = records.get(wanted.name if wanted else env)
        build = build_text(record, settings)
        step = previous.get(env)
        rows.append([label(env), *cost_cells(index, machine, env),
                     verdict_cell(step[1], step[0]) if step else Cell("first of its family here"),
                     instructions_cell(index, machine, env),
                     Cell(build) if build else na(NO_FACTS)])
    entry, count = HEADLINE
    return Table(
        "answer", f"What one asyncio task costs on `{machine}`: create_task + wait, "
                  f"{count:,} tasks, {kind_of(entry, count)}, CPU time",
        ["interpreter", f"{units.COST_UNIT} (95% interval)", units.RATE_UNIT,
         "against the previous version (or build), in this run",
         "instructions per task (exact)", "version and build"], rows,
        notes=[f"µs per task and K tasks/s: `{entry.class_name}` at {count:,} tasks, from the "
               "run's model (every interpreter measured once per block, interleaved; the "
               "block's effect taken out, the spread pooled), with its 95% interval. "
               f"Instructions: `{INSTRUCTIONS.class_name}` under valgrind, between "
               f"{INSTRUCTION_PAIR[0]:,} and {INSTRUCTION_PAIR[1]:,} tasks, exact (they "
               f"repeat). Verdicts: {inference.rule_text(len(steps(environments)))}; they hold "
               "for this machine and run, not across machines or days.",
               *filter(None, [set_aside_text(index, machine, [HEADLINE])]),
               *left_out(index, machine, environments)],
        sentences=(VERDICT, BUILD))


def left_out(index: Index, machine: str, environments: list[str]) -> list[str]:
    """A note naming each interpreter of ``machine`` the answer has no figure for: not a
    row at all (no `TaskCost` figure), or a row whose figure is of another version."""
    entry, count = HEADLINE
    missing = [env for env in index.environments(machine) if env not in environments]
    older = [f"{env} (version {figure.version}, not the catalogue's {entry.version})"
             for env in environments
             if (figure := index.get(machine, env, entry, count)) is not None
             and not figure.current]
    notes = []
    if missing:
        notes.append(f"Not in this table, with no `{entry.class_name}` figure on this "
                     f"machine (see the other tables): {', '.join(missing)}.")
    if older:
        notes.append(f"n/a where `{entry.class_name}` at {count:,} tasks was measured by "
                     f"another version of the benchmark, never compared with this one: "
                     f"{', '.join(older)}.")
    return notes


def _date(milliseconds: int) -> str:
    return datetime.datetime.fromtimestamp(milliseconds / 1000, datetime.timezone.utc
                                           ).strftime("%Y-%m-%d")


def answer_sentence(index: Index, machine: str) -> str:
    """Where and when the headline figures were measured, and the post's figure beside."""
    entry, count = HEADLINE
    found: dict[str, Any] = {}
    for env in index.environments(machine, [entry]):
        figure = index.get(machine, env, entry, count)
        if figure is not None and figure.current:
            found.setdefault(figure.commit[:8], figure.run_started)
    if not found:
        return ""
    runs = ", ".join(f"`{commit}` ({_date(started)})" for commit, started in
                     sorted(found.items(), key=lambda item: item[1]))
    post = 1 / POST_TASKS_PER_SECOND[count]
    return (f"Measured on `{machine}` at commit{'s' if len(found) > 1 else ''} {runs}. "
            f"The post's M1 figure for its first row, a first cycle on another machine, is "
            f"{units.cost_text(post)} ({units.rate_text(post)}).")

"""The classic table across interpreters, the replica beside the post, and which steps between
versions are real: the view models of the cross-version page's first sections and of the
README's table.
"""

from __future__ import annotations

from typing import Sequence

from taskbench.catalogue import CLASSIC_COUNTS, REPLICA, THROUGHPUT
from taskbench.interpreters.names import parse_environment
from taskbench.reports.reference import POST_LABEL, POST_TASKS_PER_SECOND
from taskbench.reports.stats import estimate, ratio, verdict
from taskbench.reports.views import Cell, Index, Table, figure_cell, label, na, ranged

THOUSANDS = 1_000
# The counts the version steps and the summary are read at: the table's first and last rows.
STEP_COUNTS = (CLASSIC_COUNTS[0], CLASSIC_COUNTS[-1])


def classic_table(index: Index, machine: str) -> Table:
    """Thousand tasks/s per count (rows) and interpreter (columns), each with its interval."""
    environments = index.environments(machine, [THROUGHPUT])
    rows = []
    for count in index.values(machine, THROUGHPUT, "count"):
        rows.append([label(f"{count:,}")] + [
            figure_cell(index.get(machine, env, THROUGHPUT, count), THROUGHPUT,
                        scale=THOUSANDS) for env in environments])
    return Table(
        "classic", f"Thousand tasks per second of CPU time on `{machine}`, create_task + wait, "
                   "asyncio's loop: the median of separate processes, with asv's 99% "
                   "confidence interval of the median",
        ["count", *environments], rows)


def replica_table(index: Index, machine: str) -> Table:
    """The replica's rows (one process, counts ascending) beside the post's own figures."""
    environments = index.environments(machine, [REPLICA])
    rows = []
    for count in CLASSIC_COUNTS:
        reference = POST_TASKS_PER_SECOND.get(count)
        rows.append([label(f"{count:,}"),
                     Cell(f"{reference / THOUSANDS:,.0f}") if reference else na()] + [
            figure_cell(index.get(machine, env, REPLICA, count), REPLICA, scale=THOUSANDS)
            for env in environments])
    return Table("replica", f"The replica on `{machine}`: the post's script, one process, "
                            "counts ascending (thousand tasks/s)",
                 ["count", POST_LABEL, *environments], rows)


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


def _step_cell(index: Index, machine: str, a: str, b: str, count: int) -> Cell:
    first = index.get(machine, a, THROUGHPUT, count)
    second = index.get(machine, b, THROUGHPUT, count)
    first_estimate, second_estimate = estimate(first), estimate(second)
    if first is None or second is None or first_estimate is None or second_estimate is None:
        return na()
    speed = ratio(second_estimate, first_estimate)
    judged = verdict(first, second)
    text = ranged(speed, digits=2, suffix="×")
    if judged == "real":
        return Cell(f"{text} {'faster' if speed.value > 1 else 'slower'}", "real")
    if judged == "within noise":
        return Cell(f"within noise: {text}", "noise")
    return Cell(f"{text}, no interval", "older")


def steps_table(index: Index, machine: str) -> Table:
    """B's tasks/s over A's for every pair of :func:`steps`, with asv's verdict."""
    environments = index.environments(machine, [THROUGHPUT])
    rows = [[label(f"{a} → {b}"), label(kind)] + [
        _step_cell(index, machine, a, b, count) for count in STEP_COUNTS]
        for a, b, kind in steps(environments)]
    return Table(
        "steps", f"Which differences are real on `{machine}`: B's tasks/s over A's "
                 "(interval: every ratio of values inside the two intervals)",
        ["A → B", "what differs", *(f"{count:,} tasks" for count in STEP_COUNTS)], rows,
        notes=["A difference is real when asv's own test (`asv compare`'s) finds the samples "
               "different and the ratio's interval excludes 1; otherwise it is within "
               "noise, whatever its sign."], text_columns=2)


def cost_sentence(index: Index, machine: str) -> str:
    """What a task costs here: microseconds of CPU per task, cheapest and dearest."""
    count = STEP_COUNTS[0]
    costs = []
    for env in index.environments(machine, [THROUGHPUT]):
        est = index.estimate(machine, env, THROUGHPUT, count)
        if est is not None:
            costs.append((est.inverse(1e6), env))
    if not costs:
        return ""
    costs.sort(key=lambda item: item[0].value)
    (cheap, cheap_env), (dear, dear_env) = costs[0], costs[-1]
    return (f"On `{machine}`, creating a do-nothing task and waiting for it costs from "
            f"{ranged(cheap, digits=2)} µs of CPU time ({cheap_env}) to "
            f"{ranged(dear, digits=2)} µs ({dear_env}) at {count:,} tasks, the post's "
            f"first row; the post's M1 figure is {1e6 / POST_TASKS_PER_SECOND[count]:.2f} µs.")

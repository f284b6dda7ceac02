"""Is creating tasks what makes a real program slow? Three kinds of program, per interpreter.

For each client measured in the suite (Textual starting up, an aiohttp server answering
requests on keep-alive connections, an asyncio streams echo server), at the catalogue's
headline parameters and the newest result of each interpreter: the tasks it creates per
unit of work (exact), and the share of its CPU time that the task machinery explains (tasks
× the cost of one task in the classic cycle, measured in the same interpreter, over the
client's CPU time), with its 95% interval; a share from one process has none, and says so.

:func:`clients_table` builds the table once for the README and the site;
:func:`clients_sentence` sums it up in one sentence, claiming only what the intervals allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from taskbench.catalogue import (
    AIOHTTP_SHARE,
    AIOHTTP_TASKS,
    ECHO_SHARE,
    ECHO_TASKS,
    TEXTUAL_SHARE,
    TEXTUAL_TASKS,
    Benchmark,
)
from taskbench.reports.anatomy_tables import noise_aware
from taskbench.reports.stats import Estimate, estimate
from taskbench.reports.views import Cell, Index, Table, label, marked, na, ranged
from taskbench.units import tasks_text


@dataclass(frozen=True)
class Client:
    """One client of the suite: what it is, its two benchmarks, its unit of work."""

    name: str
    whose: str  # the client in a sentence: "an aiohttp server's" CPU time
    work: str  # its work at the headline parameters, for a reader
    tasks: Benchmark
    share: Benchmark
    unit: str

    @property
    def params(self) -> tuple[Any, ...]:
        return next(self.share.combinations(self.share.headline))


def _work(entry: Benchmark, text: str) -> str:
    return text.format(*next(entry.combinations(entry.headline)))


CLIENTS: tuple[Client, ...] = (
    Client("Textual", "Textual's start-up", _work(TEXTUAL_SHARE, "{:,} widgets"),
           TEXTUAL_TASKS, TEXTUAL_SHARE, "widget"),
    Client("aiohttp server", "an aiohttp server's",
           _work(AIOHTTP_SHARE, "{:,} requests, keep-alive"), AIOHTTP_TASKS, AIOHTTP_SHARE,
           "request"),
    Client("echo server", "an asyncio streams echo server's",
           _work(ECHO_SHARE, "{:,} connections × {:,} lines"), ECHO_TASKS, ECHO_SHARE,
           "connection"),
)


def _estimate(index: Index, machine: str, environment: str, entry: Benchmark,
              params: tuple[Any, ...]) -> Estimate | None:
    """A figure as the sentence may use it: measured by the benchmark as declared now, with
    the interval of its own processes. A share or a count of tasks is not a time: the run's
    model sets aside values slower than its fit as interference, which says nothing of a
    share (interference during the program lowers it, during the cycle raises it), so these
    figures keep to their own processes, in every view."""
    figure = index.get(machine, environment, entry, *params)
    return estimate(figure) if figure is not None and figure.current else None


def _cell(index: Index, machine: str, environment: str, entry: Benchmark,
          params: tuple[Any, ...], share: bool) -> Cell:
    """A figure of the table, marked when it is of an earlier version of its benchmark or
    of an earlier run (shown as measured, never compared)."""
    figure = index.get(machine, environment, entry, *params)
    found = estimate(figure)
    if figure is None or found is None:
        return na()
    if share and figure.current and not figure.earlier_run:
        return noise_aware(found, zero=0, digits=1, suffix="%")
    text = ranged(found, digits=1, suffix="%") if share else tasks_text(found.value)
    return marked(figure, text, found.has_interval or not share)


def clients_table(index: Index, machine: str) -> Table:
    """Per interpreter: each client's tasks per unit of work and the task share of its CPU."""
    environments = index.environments(
        machine, [entry for client in CLIENTS for entry in (client.tasks, client.share)])
    rows = []
    for environment in environments:
        row = [label(environment)]
        for client in CLIENTS:
            row.append(_cell(index, machine, environment, client.tasks, client.params, False))
            row.append(_cell(index, machine, environment, client.share, client.params, True))
        rows.append(row)
    header = ["interpreter"]
    for client in CLIENTS:
        header += [f"{client.name}: tasks per {client.unit} ({client.work})",
                   f"{client.name}: task share of its CPU time"]
    return Table(
        "clients", f"What share of real programs' work the task machinery is, on `{machine}`",
        header, rows,
        ["Tasks per unit of work are exact counts. A task share is the tasks created × one "
         "task of the classic create_task + wait cycle (same interpreter, a cycle as large) / "
         "the client's CPU time: the geometric mean of its processes, one per block, with "
         "their 95% interval. The "
         "servers' CPU time is their own process's; their client runs apart. n/a: the client "
         "does not install there (asv's log says why)."])


def _shares(client: Client, index: Index, machine: str) -> dict[str, Estimate]:
    found = {}
    for environment in index.environments(machine, [client.share]):
        share = _estimate(index, machine, environment, client.share, client.params)
        if share is not None:
            found[environment] = share
    return found


def shares(index: Index, machine: str) -> list[tuple[Client, str, Estimate]]:
    """Every client's task share on every interpreter measured on ``machine``."""
    return [(client, env, found) for client in CLIENTS
            for env, found in _shares(client, index, machine).items()]


def _clause(client: Client, index: Index, machine: str) -> str | None:
    shares = _shares(client, index, machine)
    if not shares:
        return None
    low = min(shares.values(), key=lambda est: est.value)
    high = max(shares.values(), key=lambda est: est.value)
    span = ranged(low, digits=1, suffix="%") if low is high else \
        f"{ranged(low, digits=1, suffix='%')} to {ranged(high, digits=1, suffix='%')}"
    details = [client.work]
    counts = sorted({found.value for env in shares if (found := _estimate(
        index, machine, env, client.tasks, client.params)) is not None})
    if counts:
        made = tasks_text(counts[0]) if counts[0] == counts[-1] else \
            f"{tasks_text(counts[0])} to {tasks_text(counts[-1])}"
        details.append(f"{made} tasks per {client.unit}")
    alone = [env for env, est in shares.items() if not est.has_interval]
    if alone:
        details.append(f"no interval on {', '.join(alone)}: one process")
    return f"{span} of {client.whose} CPU time ({'; '.join(details)})"


def clients_sentence(index: Index, machine: str) -> str | None:
    """One sentence: the smallest and largest share of each client's CPU time, over the
    interpreters measured; None when no client was measured on ``machine``."""
    clauses = [clause for client in CLIENTS if (clause := _clause(client, index, machine))]
    if not clauses:
        return None
    listed = clauses[0] if len(clauses) == 1 else \
        f"{', '.join(clauses[:-1])} and {clauses[-1]}"
    return (f"On `{machine}`, from the interpreter where the share is least to the one where "
            f"it is most, the task machinery explains {listed}.")

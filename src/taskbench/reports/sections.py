"""The section model: what the README and the cross-version page say about one machine.

A :class:`Section` is built once from the results (:func:`sections`) and rendered twice: to
Markdown for the README's generated blocks (:mod:`taskbench.reports.bodies`) and to HTML for
the cross-version page (:mod:`taskbench.reports.page`), so the two cannot disagree. Its
sentences are plain text (a `code` span and **strong** words are the only markup, which both
renderers show alike); its tables are :class:`taskbench.reports.cells.Table` view models.
Before anything is rendered, :meth:`Section.missing` checks that every interpreter the results
hold is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from taskbench.catalogue import FIRST_CYCLE, TASK_COST
from taskbench.interpreters import facts
from taskbench.interpreters.names import parse_environment
from taskbench.reports import growth
from taskbench.reports.anatomy import anatomies
from taskbench.reports.anatomy_tables import cost_table, frameworks_table, speedup_table
from taskbench.reports.answer import answer_table, bases_table, measured_text, post_sentence
from taskbench.reports.cells import Cell, Table, label
from taskbench.reports.classic import classic_table, replica_table, steps_table
from taskbench.reports.clients import clients_sentence, clients_table
from taskbench.reports.findings import sentences
from taskbench.reports.plain import reversals
from taskbench.reports.plain import sentences as plain_sentences
from taskbench.reports.threads import threads_table
from taskbench.reports.views import Index


@dataclass
class Anatomy:
    """Why a task costs what it costs on one machine: findings, then their tables."""

    findings: list[str]
    speedups: Table
    frameworks: Table
    costs: Table
    growth: Table
    instructions: Table
    clients: Table
    interpreters: list[str]  # every interpreter with an anatomy figure

    @property
    def tables(self) -> list[Table]:
        return [self.speedups, self.frameworks, self.costs, self.growth, self.instructions,
                self.clients]


@dataclass
class Section:
    """Everything said about one machine, in the order a reader meets it."""

    machine: str
    answer: str  # the post's one figure measured as one here, beside it
    answer_table: Table
    steps: Table
    classic: Table
    replica: Table
    facts: Table
    interpreters: list[str]  # every interpreter with a classic-table figure
    anatomy: Anatomy | None = None
    rounds: str = ""  # how the rounds ran, where not interleaved
    threads: Table | None = None  # tasks across threads, where measured (alone, on CI)
    clients: str = ""  # the task machinery's share of real programs, in a sentence
    charts: dict[str, str] = field(default_factory=dict)  # chart name -> file name
    plain: list[str] = field(default_factory=list)  # the answer in three plain sentences
    reversals: list[str] = field(default_factory=list)  # why a step reverses, or not known
    measured: str = ""  # "at commit `0bcf81ed` (2026-11-30)"
    bases: Table | None = None  # every interpreter against fixed bases

    def missing(self) -> list[str]:
        """Interpreters the results hold that a table leaves out (should be none)."""
        answered = {row[0].text for row in self.answer_table.rows}
        columns = {heading.split(" (")[0] for heading in self.classic.header}
        lost = [env for env in self.interpreters if env not in columns or env not in answered]
        if self.anatomy is not None:
            shown = {row[0].text for row in self.anatomy.costs.rows}
            lost += [env for env in self.anatomy.interpreters if env not in shown]
        return lost


def facts_table(records: list[facts.Record], machine: str) -> Table:
    """How each interpreter was built, from the build facts beside the results."""
    rows = [[label(str(record.get("python", "?")))] + [Cell(_fact(record.get(key, "")))
                                                       for key, _ in facts.FACT_COLUMNS[1:]]
            for record in records]
    return Table("facts", f"How each interpreter was built on `{machine}`",
                 [title for _, title in facts.FACT_COLUMNS], rows,
                 text_columns=len(facts.FACT_COLUMNS))


def _fact(value: object) -> str:
    """A build fact as words: ``yes``/``no`` for the flags the facts record as booleans."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def rounds_note(index: Index, machine: str) -> str:
    """What the views say of a machine whose results come from asv's ``existing``
    environments (the Windows runner) measured outside blocks: asv ran their rounds back to
    back. Measured in blocks (every CI job since issue 31), each block is one process per
    figure, interleaved across interpreters, as anywhere."""
    run = index.run(machine)
    ordered = {env for block in (run or {}).get("blocks", []) for env in block.get("order", [])}
    if not any(name.startswith("existing-") and name not in ordered
               for name in index.env_names(machine)):
        return ""
    return ("Rounds on this machine were not interleaved: each benchmark's rounds ran back "
            "to back. The interpreter here is asv's `existing` environment (on Windows, "
            "where the job cannot hand asv an interpreter to build a virtualenv from), and "
            "asv interleaves rounds only in environments it builds, so a slow spell of the "
            "machine can fall on one benchmark's rounds instead of being spread over all.")


def _anatomy(index: Index, machine: str, said: str) -> Anatomy | None:
    found = anatomies(index, machine)
    if not found:
        return None
    return Anatomy(sentences(found) + growth.sentences(index, machine) + ([said] if said else []),
                   speedup_table(found, machine), frameworks_table(found, machine),
                   cost_table(found, machine),
                   growth.growth_table(index, machine), growth.instructions_table(index, machine),
                   clients_table(index, machine), list(found))


def _by_name(records: list[facts.Record]) -> dict[str, facts.Record]:
    return {str(record.get("python")): record for record in records}


def versions(environments: list[str], records: dict[str, facts.Record]) -> dict[str, str]:
    """Each interpreter's full version (``3.11.2``) from its build facts, where recorded."""
    found = {}
    for env in environments:
        wanted, _ = parse_environment(env)
        record = records.get(wanted.name if wanted else env)
        if record is not None and record.get("version"):
            found[env] = str(record["version"])
    return found


def _section(index: Index, machine: str, records: list[facts.Record]) -> Section:
    named = _by_name(records)
    full = versions(index.environments(machine), named)
    clients = clients_sentence(index, machine) or ""  # said in the answer and the findings
    return Section(machine, post_sentence(index, machine), answer_table(index, machine),
                   steps_table(index, machine, full), classic_table(index, machine, full),
                   replica_table(index, machine, full), facts_table(records, machine),
                   index.environments(machine, [TASK_COST, FIRST_CYCLE]),
                   _anatomy(index, machine, clients), rounds_note(index, machine),
                   clients=clients, threads=threads_table(index, machine),
                   plain=plain_sentences(index, machine), reversals=reversals(index, machine),
                   measured=measured_text(index, machine), bases=bases_table(index, machine))


def sections(index: Index, records: dict[str, list[facts.Record]] | None = None
             ) -> list[Section]:
    """One section per machine in the results, each with its build facts where given."""
    records = records or {}
    return [_section(index, machine, records.get(machine, [])) for machine in index.machines()]

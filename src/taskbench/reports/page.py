"""The cross-version page (``crossversion.html``): every interpreter side by side, per machine.

Its first lines answer what a task costs on each Python here and which differences are real;
then the classic table with its intervals and chart, the replica beside the post, the
anatomy, and how each interpreter was built. The tables are the view models of
:mod:`taskbench.reports.views`, rendered by a Jinja2 template with autoescaping; the charts
are matplotlib SVGs. Every file is written atomically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from taskbench import files
from taskbench.interpreters import facts
from taskbench.reports import charts, growth
from taskbench.reports.anatomy import anatomies, cost_table, speedup_table
from taskbench.reports.classic import classic_table, cost_sentence, replica_table, steps_table
from taskbench.reports.findings import sentences
from taskbench.reports.reference import POST_URL
from taskbench.reports.results import Figure, latest, load
from taskbench.reports.views import Cell, Index, Table, label

PAGE = "crossversion.html"
TEMPLATES = Path(__file__).with_name("templates")


def inline_code(text: str) -> Markup:
    """Escape ``text`` and show its Markdown `code` spans as <code>."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def facts_table(records: list[facts.Record], machine: str) -> Table:
    rows = [[label(str(record.get("python", "?")))] + [Cell(str(record.get(key, "")))
                                                       for key, _ in facts.FACT_COLUMNS[1:]]
            for record in records]
    return Table("facts", f"How each interpreter was built on `{machine}`",
                 [title for _, title in facts.FACT_COLUMNS], rows)


def rounds_note(figures: list[Figure], machine: str) -> str:
    """What the page says of a machine whose results come from asv's ``existing``
    environments (the Windows runner): asv ran their rounds back to back."""
    if not any(f.machine == machine and f.env_name.startswith("existing-") for f in figures):
        return ""
    return ("Rounds on this machine were not interleaved: each benchmark's rounds ran back "
            "to back. The interpreter here is asv's `existing` environment (on Windows, "
            "where the job cannot hand asv an interpreter to build a virtualenv from), and "
            "asv interleaves rounds only in environments it builds, so a slow spell of the "
            "machine can fall on one benchmark's rounds instead of being spread over all.")


@dataclass
class Section:
    machine: str
    answer: str
    steps: Table
    classic: Table
    classic_chart: str
    replica: Table
    facts: Table
    findings: list[str] = field(default_factory=list)
    speedups: Table | None = None
    costs: Table | None = None
    spawn_chart: str = ""
    extra: list[Table] = field(default_factory=list)
    rounds: str = ""


def write_page(results_dir: Path, html_dir: Path) -> Path:
    """Write ``crossversion.html`` and its charts into ``html_dir``; return the page's path."""
    import jinja2

    loaded = load(results_dir)
    index = Index(latest(loaded.figures))
    by_machine, fact_problems = facts.read_all(results_dir)
    sections = []
    for machine in index.machines():
        chart = f"classic-{machine}.svg"
        files.write_text(html_dir / chart, charts.classic_chart(index, machine))
        section = Section(machine, cost_sentence(index, machine), steps_table(index, machine),
                          classic_table(index, machine), chart, replica_table(index, machine),
                          facts_table(by_machine.get(machine, []), machine))
        section.rounds = rounds_note(loaded.figures, machine)
        found = anatomies(index, machine)
        if found:
            section.findings = [line[2:] for line in
                                sentences(found) + growth.sentences(index, machine)]
            section.extra = [growth.growth_table(index, machine),
                             growth.instructions_table(index, machine)]
            section.speedups = speedup_table(found, machine)
            section.costs = cost_table(found, machine)
            section.spawn_chart = f"spawn-apis-{machine}.svg"
            files.write_text(html_dir / section.spawn_chart, charts.spawn_chart(found, machine))
        sections.append(section)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["code"] = inline_code
    page = environment.get_template("crossversion.html.j2").render(
        sections=sections, problems=loaded.problems + fact_problems, post_url=POST_URL)
    target = html_dir / PAGE
    files.write_text(target, page)
    return target

"""The cross-version page, the site's front door (``index.html``): the section model rendered
as HTML.

Its first lines answer in three sentences, then in the answer table (both settings, each
step's verdict) and the answer chart, with the count chart below it, and link to ready-made
views of asv's graphs (:mod:`taskbench.site.readymade`); then the version steps, the fixed
bases, the classic table with its intervals, the replica beside the post, the anatomy, and how
each interpreter was built: the sections of :mod:`taskbench.reports.sections`, the same the
README renders, through a Jinja2 template with autoescaping; the charts are matplotlib SVGs.
The page's earlier address, ``crossversion.html``, leads to it. ``history.html`` says which
host each run had and shows every interpreter's exact counts over time with its versions
(:mod:`taskbench.reports.history`). Every file is written atomically.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

from markupsafe import Markup, escape

from taskbench import files
from taskbench.interpreters import facts
from taskbench.reports import answerchart, charts
from taskbench.reports.anatomy import anatomies
from taskbench.reports.reference import POST_URL
from taskbench.reports.sections import sections
from taskbench.reports.views import read_index

PAGE = "index.html"
HISTORY_PAGE = "history.html"
EARLIER_PAGE = "crossversion.html"  # the page's address before it became the front door
TEMPLATES = Path(__file__).with_name("templates")


def inline_code(text: str) -> Markup:
    """Escape ``text`` and show its `code` spans as <code> and its **strong** words as
    <strong>, the only markup of the sections' sentences."""
    coded = re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text)))
    return Markup(re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", coded))


def environment() -> Any:
    """The Jinja2 environment of the site's templates: autoescaping, strict undefined."""
    import jinja2

    found = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                               undefined=jinja2.StrictUndefined)
    found.filters["code"] = inline_code
    return found


def write_page(results_dir: Path, html_dir: Path, views: Sequence[Any] = ()) -> Path:
    """Write the page and its charts into ``html_dir``, with links to ``views`` of asv's
    graphs (each with ``title``, ``href`` and ``note``); return the page's path."""
    index, problems = read_index(results_dir)
    by_machine, fact_problems = facts.read_all(results_dir)
    found = sections(index, by_machine)
    for section in found:
        section.charts["answer"] = f"answer-{section.machine}.svg"
        files.write_text(html_dir / section.charts["answer"],
                         answerchart.answer_chart(index, section.machine))
        section.charts["classic"] = f"classic-{section.machine}.svg"
        files.write_text(html_dir / section.charts["classic"],
                         charts.classic_chart(index, section.machine))
        if section.anatomy is not None:
            section.charts["spawn"] = f"spawn-apis-{section.machine}.svg"
            files.write_text(html_dir / section.charts["spawn"], charts.spawn_chart(
                anatomies(index, section.machine), section.machine))
    templates = environment()
    page = templates.get_template("crossversion.html.j2").render(
        sections=found, problems=problems + fact_problems, post_url=POST_URL, views=views)
    target = html_dir / PAGE
    files.write_text(target, page)
    files.write_text(html_dir / EARLIER_PAGE,
                     templates.get_template("moved.html.j2").render(target=PAGE))
    return target


def write_history(results_dir: Path, html_dir: Path) -> Path:
    """Write the hosts and the exact counts' history, machine by machine, with a chart each;
    return the page's path."""
    from taskbench import runfacts
    from taskbench.asvadapter.results import load
    from taskbench.host import named_host
    from taskbench.reports import history

    loaded = load(results_dir)
    runs, run_problems = runfacts.read_all(results_dir)
    newest_facts, fact_problems = facts.read_all(results_dir)
    machines = []
    for machine in sorted({f.machine for f in loaded.figures} | set(runs)):
        found = history.history(loaded.figures, machine, runs.get(machine, []),
                                newest_facts.get(machine, []))
        hosts = {f.commit: named_host(f.cpu) for f in loaded.figures if f.machine == machine}
        chart = f"counts-{machine}.svg"
        files.write_text(html_dir / chart, history.counts_chart(found, machine))
        machines.append({"machine": machine, "chart": chart,
                         "hosts": history.hosts_table(loaded.figures, machine,
                                                      runs.get(machine, [])),
                         "counts": history.counts_table(found, hosts)})
    page = environment().get_template("history.html.j2").render(
        machines=machines, problems=loaded.problems + run_problems + fact_problems)
    target = html_dir / HISTORY_PAGE
    files.write_text(target, page)
    return target

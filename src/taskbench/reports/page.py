"""The cross-version page (``crossversion.html``): the section model rendered as HTML.

Its first lines answer what a task costs on each Python here and which differences are real;
then the classic table with its intervals and chart, the replica beside the post, the
anatomy, and how each interpreter was built: the sections of
:mod:`taskbench.reports.sections`, the same the README renders, through a Jinja2 template
with autoescaping; the charts are matplotlib SVGs. Every file is written atomically.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

from taskbench import files
from taskbench.asvadapter.results import latest, load
from taskbench.interpreters import facts
from taskbench.reports import charts
from taskbench.reports.anatomy import anatomies
from taskbench.reports.reference import POST_URL
from taskbench.reports.sections import sections
from taskbench.reports.views import Index

PAGE = "crossversion.html"
TEMPLATES = Path(__file__).with_name("templates")


def inline_code(text: str) -> Markup:
    """Escape ``text`` and show its `code` spans as <code>."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def write_page(results_dir: Path, html_dir: Path) -> Path:
    """Write ``crossversion.html`` and its charts into ``html_dir``; return the page's path."""
    import jinja2

    loaded = load(results_dir)
    index = Index(latest(loaded.figures))
    by_machine, fact_problems = facts.read_all(results_dir)
    found = sections(index, by_machine)
    for section in found:
        section.charts["classic"] = f"classic-{section.machine}.svg"
        files.write_text(html_dir / section.charts["classic"],
                         charts.classic_chart(index, section.machine))
        if section.anatomy is not None:
            section.charts["spawn"] = f"spawn-apis-{section.machine}.svg"
            files.write_text(html_dir / section.charts["spawn"], charts.spawn_chart(
                anatomies(index, section.machine), section.machine))
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["code"] = inline_code
    page = environment.get_template("crossversion.html.j2").render(
        sections=found, problems=loaded.problems + fact_problems, post_url=POST_URL)
    target = html_dir / PAGE
    files.write_text(target, page)
    return target

"""asv's pages fitted into the site, after ``asv publish`` wrote them.

The site's front door (``index.html``) is the cross-version page; asv's single-page app moves
to ``asv.html``. asv's scripts load everything by relative address (``index.json``,
``graphs/…``, ``regressions.json``, ``swallow.ico``) and route by the address's fragment, so
the app runs unchanged under another name; only the regressions feed names ``index.html``,
and its links are pointed at ``asv.html``. Besides, asv's output is fitted here where asv
offers no setting:

* its navigation bar links to the answer, and shows the project's name without a link when
  there is no project address (asv would link it to ``#``, see :mod:`taskbench.site.links`);
* every series asv may ask for exists: asv's graph page fetches one file per interpreter for
  the benchmark shown, and an interpreter that never measured it is a 404, an error in the
  browser's console; it gets an empty series (``[]``), which draws nothing;
* the values of every selector are in natural order (3.8 before 3.10; asv sorts them as text);
* ``favicon.ico`` is served at the root for pages that name no icon (asv ships swallow.ico);
* taskbench's scripts are loaded after asv's own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping

from taskbench import files
from taskbench.asvadapter.results import graph_file
from taskbench.site.vendor import SiteError

ASV_INDEX = "index.html"  # where asv publish writes its app
ASV_PAGE = "asv.html"  # where the site serves it
FAVICON = "favicon.ico"
NAV_ANCHOR = '<li id="nav-li-regressions"><a href="#/regressions">Regressions</a></li>'
NAV_LINK = ('<li id="nav-li-crossversion"><a href="index.html">'
            'What a task costs: interpreters side by side</a></li>')
PROJECT_LINK = '<a id="project-name" href="#" class="navbar-link" target="_blank">project</a>'
PROJECT_NAME = '<span id="project-name">project</span>'
SCRIPTS_AFTER = 'src="regressions.js">'


def _edit(path: Path, replacements: list[tuple[str, str]]) -> None:
    """Replace each text once in ``path``, or SiteError when asv's page lacks one."""
    page = path.read_text(encoding="utf-8")
    for old, new in replacements:
        if old not in page:
            raise SiteError(f"asv's {path.name} has no {old!r} where taskbench expects it: "
                            "is asv the version requirements/tools.txt pins?")
        page = page.replace(old, new, 1)
    files.write_text(path, page)


def install_scripts(html_dir: Path, scripts: Mapping[str, bytes]) -> None:
    """Write ``scripts`` (name → content) and load them, in order, after asv's own."""
    index = html_dir / ASV_INDEX
    page = index.read_text(encoding="utf-8")
    anchor = page.find("</script>", page.find(SCRIPTS_AFTER))
    if page.find(SCRIPTS_AFTER) < 0 or anchor < 0:
        raise SiteError("asv's index.html does not load regressions.js where expected")
    for name, content in scripts.items():
        files.write_bytes(html_dir / name, content)
    tags = "".join(f'\n    <script type="text/javascript" src="{name}"></script>'
                   for name in scripts)
    end = anchor + len("</script>")
    files.write_text(index, page[:end] + tags + page[end:])


def move_asv_app(html_dir: Path, *, project_link: bool) -> None:
    """Link asv's navigation bar to the answer, and serve asv's app as ``asv.html``."""
    index = html_dir / ASV_INDEX
    edits = [(NAV_ANCHOR, NAV_ANCHOR + "\n\t" + NAV_LINK)]
    if not project_link:
        edits.append((PROJECT_LINK, PROJECT_NAME))
    _edit(index, edits)
    index.replace(html_dir / ASV_PAGE)
    feed = html_dir / "regressions.xml"
    if feed.is_file():
        text = feed.read_text(encoding="utf-8")
        files.write_text(feed, text.replace(f'href="{ASV_INDEX}#', f'href="{ASV_PAGE}#'))
    files.copy(html_dir / "swallow.ico", html_dir / FAVICON)


def natural(value: Any) -> tuple[Any, ...]:
    """Sort key: numbers within text compare as numbers (3.8 < 3.10 < 3.10-debian)."""
    if value is None:
        return (1, ())
    parts = re.split(r"(\d+)", str(value))
    return (0, tuple(int(part) if index % 2 else part for index, part in enumerate(parts)))


def fit_index(html_dir: Path) -> dict[str, Any]:
    """Give every selector of ``index.json`` its natural order, and every series asv may
    ask for a file; return the index."""
    path = html_dir / "index.json"
    index: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for key, values in index["params"].items():
        if key != "branch":  # asv selects the first branch: the configured order stays
            index["params"][key] = sorted(values, key=natural)
    files.write_text(path, json.dumps(index, separators=(",", ":")))
    for params in index["graph_param_list"]:
        for benchmark in index["benchmarks"]:
            graph = graph_file(html_dir, params, benchmark)
            if not graph.exists():
                files.write_text(graph, "[]")
    return index

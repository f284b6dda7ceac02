"""``make site``: build the self-contained site from ``results/``.

``asv publish`` (through :mod:`taskbench.asvadapter.driver`) writes asv's pages, reading the
checked-out history through :mod:`taskbench.asvadapter.history` (so that a detached, shallow
or other-branch checkout publishes the same site as ``main``); then come the
cross-version page (:mod:`taskbench.reports.page`), the link to it in asv's navigation bar,
the intervals on asv's graphs (:mod:`taskbench.site.intervals`) and the vendored assets
(:mod:`taskbench.site.vendor`). Any failure is a :class:`SiteError` naming what failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from taskbench import arguments, files
from taskbench.asvadapter.config import CONFIG, ConfigError
from taskbench.asvadapter.driver import AsvDriver
from taskbench.asvadapter.history import HistoryError, configured_repo, drawn_history
from taskbench.journal import recover
from taskbench.site.intervals import add_intervals, install_script
from taskbench.site.preview import DEFAULT_PORT
from taskbench.site.vendor import ERRORBARS, SiteError, default_cache, fetch_checked, vendor_site

BROWSE = (f"Browse it with `make preview`, then open http://127.0.0.1:{DEFAULT_PORT}/ "
          "(`make preview PORT=N` serves it on port N).")
NAV_ANCHOR = '<li id="nav-li-regressions"><a href="#/regressions">Regressions</a></li>'
NAV_LINK = ('<li id="nav-li-crossversion">'
            '<a href="crossversion.html">Interpreters side by side</a></li>')


def add_nav_link(html_dir: Path) -> None:
    """Link asv's navigation bar to the cross-version page (which links back)."""
    index = html_dir / "index.html"
    page = index.read_text(encoding="utf-8")
    if NAV_LINK in page:
        return
    if NAV_ANCHOR not in page:
        raise SiteError("asv's index.html has no Regressions tab to put the link beside")
    files.write_text(index, page.replace(NAV_ANCHOR, NAV_ANCHOR + "\n\t" + NAV_LINK))


def build(config: Path = CONFIG, cache: Path | None = None) -> Path:
    """Publish, then add the page, the link, the intervals and the vendored assets."""
    from taskbench.reports.page import write_page

    cache = cache or default_cache()
    try:
        with AsvDriver(config) as driver:
            html_dir = driver.folder("html_dir")
            results_dir = driver.folder("results_dir")
            problem = recover(results_dir)  # a merge that stopped midway, settled first
            if problem:
                raise SiteError(problem)
            settings = driver.settings
            with drawn_history(configured_repo(config, settings),
                               settings.get("branches", [])) as history:
                driver.repo = history
                publish = driver.publish(capture=True)
    except (ConfigError, HistoryError) as error:
        raise SiteError(str(error)) from None
    if publish.returncode != 0:
        last = (publish.stderr or publish.stdout).strip().splitlines()[-5:]
        raise SiteError(f"asv publish failed with status {publish.returncode}: "
                        + " / ".join(last))
    write_page(results_dir, html_dir)
    add_nav_link(html_dir)
    add_intervals(html_dir, results_dir)
    vendor_site(html_dir, cache)
    files.write_bytes(html_dir / ERRORBARS.local,
                      fetch_checked(ERRORBARS, cache, ERRORBARS.integrity or ""))
    try:
        install_script(html_dir, ERRORBARS.local)
    except ValueError as error:
        raise SiteError(str(error)) from None
    return html_dir


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.site", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the site was built, 1 when it could not be.")
    parser.add_argument("--config", type=arguments.path, default=CONFIG)
    args = parser.parse_args(argv)
    try:
        html_dir = build(args.config)
    except SiteError as error:
        print(f"error: the site was not built: {error}", file=sys.stderr)
        return 1
    print(f"The site is in {html_dir}, with every file served from it. {BROWSE}")
    return 0

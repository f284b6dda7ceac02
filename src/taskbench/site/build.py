"""``make site``: build the self-contained site from ``results/``, beside the published one.

Every step writes into a new folder beside the site (:mod:`taskbench.site.swap`), which
replaces the site only once every page is written:

1. the results are copied, without what the catalogue no longer declares, to a temporary
   folder outside the repository (:mod:`taskbench.site.published`);
2. ``asv publish`` (through :mod:`taskbench.asvadapter.driver`) draws them, reading the
   checked-out history through :mod:`taskbench.asvadapter.history` (so that a detached,
   shallow or other-branch checkout publishes the same site as ``main``), with the project's
   links (:mod:`taskbench.site.links`) and no regression detection for figures that are not
   costs;
3. the intervals go onto asv's graphs (:mod:`taskbench.site.intervals`), every third-party
   file is served from the site (:mod:`taskbench.site.vendor`), taskbench's scripts are added
   (``intervals.js``, ``graphs.js``) and asv's app moves to ``asv.html``
   (:mod:`taskbench.site.asvpages`);
4. the front page is the cross-version answer (:mod:`taskbench.reports.page`), linking to
   ready-made views of asv's graphs (:mod:`taskbench.site.readymade`) and to the hosts and
   the exact counts' history (:mod:`taskbench.reports.history`).

Any failure is a :class:`SiteError` naming the file to fix or delete, and saying what the
site folder holds: the site built before, unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from taskbench import arguments
from taskbench.asvadapter.config import CONFIG, ConfigError, folder, load_config
from taskbench.asvadapter.driver import AsvDriver
from taskbench.asvadapter.history import (
    HistoryError,
    configured_repo,
    drawn_history,
    first_parent_commits,
)
from taskbench.git import GitError
from taskbench.journal import recover
from taskbench.reports.runmodel import ModelError
from taskbench.site import asvpages, intervals, readymade
from taskbench.site.links import (
    Links,
    commit_subjects,
    measured_commits,
    project_links,
    write_commits_page,
)
from taskbench.site.preview import DEFAULT_PORT
from taskbench.site.published import Published, publishable, without_regressions
from taskbench.site.swap import kept_note, settle, staging_dir, swap_in
from taskbench.site.vendor import ERRORBARS, SiteError, default_cache, fetch_checked, vendor_site

BROWSE = (f"Browse it with `make preview`, then open http://127.0.0.1:{DEFAULT_PORT}/ "
          "(`make preview PORT=N` serves it on port N).")
GRAPHS_SCRIPT = Path(__file__).with_name("graphs.js")
GRAPHS_SCRIPT_NAME = "taskbench-graphs.js"


def _publish(config: Path, results_dir: Path, scratch: Path, staging: Path, links: Links
             ) -> tuple[Published, dict[str, str]]:
    """``asv publish`` of what may be published from ``results_dir`` (copied into
    ``scratch``) into ``staging``; the copy, and the subjects of its commits."""
    overrides = {**links.settings, "regressions_first_commits": without_regressions()}
    try:
        with AsvDriver(config, html_dir=staging, settings_overrides=overrides) as driver:
            settings = driver.settings
            with drawn_history(configured_repo(config, settings),
                               settings.get("branches", [])) as history:
                published = publishable(results_dir, scratch / "results")
                driver.repo, driver.results_dir = history, published.folder
                done = driver.publish(capture=True)
                if done.returncode != 0:
                    last = (done.stderr or done.stdout).strip().splitlines()[-5:]
                    raise SiteError(f"asv publish failed with status {done.returncode}: "
                                    + " / ".join(last))
                index = json.loads((staging / "index.json").read_text(encoding="utf-8"))
                hashes = sorted(index["revision_to_hash"].values())
                drawn = first_parent_commits(history, settings.get("branches", []))
                published.undrawn = sorted(published.commits - drawn)
                return published, commit_subjects(history, hashes)
    except (ConfigError, HistoryError, GitError) as error:
        raise SiteError(str(error)) from None


def _fit(staging: Path, results_dir: Path, published: Published, links: Links,
         subjects: dict[str, str], cache: Path) -> None:
    """Everything after asv publish: intervals, assets, scripts, the pages of the site."""
    from taskbench.reports.page import write_history, write_page

    intervals.add_intervals(staging, published.folder)
    index = asvpages.fit_index(staging)
    vendor_site(staging, cache)
    asvpages.install_scripts(staging, {
        intervals.SCRIPT_NAME: intervals.SCRIPT.read_bytes(),
        ERRORBARS.local: fetch_checked(ERRORBARS, cache, ERRORBARS.integrity or ""),
        GRAPHS_SCRIPT_NAME: GRAPHS_SCRIPT.read_bytes()})
    asvpages.move_asv_app(staging, project_link=links.project_url is not None)
    if links.project_url is None:
        write_commits_page(staging, measured_commits(index, subjects))
    write_page(results_dir, staging, readymade.ready_made(index))
    write_history(results_dir, staging)


def _build(config: Path, site: Path, results_dir: Path, cache: Path) -> Published:
    said = settle(site)
    if said:
        print(said, flush=True)
    problem = recover(results_dir)  # a merge that stopped midway, settled first
    if problem:
        raise SiteError(problem)
    staging = staging_dir(site)
    try:
        with tempfile.TemporaryDirectory(prefix="taskbench-published-") as scratch:
            links = project_links(os.environ, configured_repo(config, load_config(config)))
            published, subjects = _publish(config, results_dir, Path(scratch), staging, links)
            _fit(staging, results_dir, published, links, subjects, cache)
        swap_in(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return published


def build(config: Path = CONFIG, cache: Path | None = None) -> Path:
    """Build the site beside the one in ``html_dir`` and swap it in (see the module
    docstring); return ``html_dir``."""
    try:
        site, results_dir = folder("html_dir", config), folder("results_dir", config)
    except ConfigError as error:
        raise SiteError(str(error)) from None
    try:
        published = _build(config, site, results_dir, cache or default_cache())
    except (ConfigError, ModelError) as error:
        raise SiteError(f"{error}; {kept_note(site)}") from None
    except SiteError as error:
        raise SiteError(f"{error}\n{kept_note(site)}") from None
    except OSError as error:
        where = error.filename or site
        raise SiteError(f"{where}: {error.strerror or error}; {kept_note(site)}") from None
    print(published.summary())
    return site


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.site", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the site was built, 1 when it could not be (the site "
               "built before is then left as it was).")
    parser.add_argument("--config", type=arguments.path, default=CONFIG)
    args = parser.parse_args(argv)
    try:
        html_dir = build(args.config)
    except SiteError as error:
        print(f"error: the site was not built: {error}", file=sys.stderr)
        return 1
    print(f"The site is in {html_dir}, with every file served from it. {BROWSE}")
    return 0


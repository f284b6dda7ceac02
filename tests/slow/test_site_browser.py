"""The published site in a real browser: graphs drawn with their intervals, every interpreter
shown, nothing fetched from anywhere but 127.0.0.1; on every page (the front door, asv's grid,
list and regressions, each ready-made view, a graph whose interpreters include one without a
value) no error in the console, no link to a file or place that does not exist, and nothing
wider than the window.

The site is built by ``python -m taskbench.site`` into a temporary directory from the
committed results/, a quick real run of one benchmark at ``HEAD`` (which also writes asv's
description of the suite as it is now) and one made-up machine with samples at ``HEAD`` (so
that there are intervals to draw whatever the committed runs hold, and an interpreter without
a memory figure), served by http.server on 127.0.0.1 and driven by Selenium in headless
Chromium at 1,400 x 900. Chromium's resolver maps every host but 127.0.0.1 to nothing, so a
page that still needed a CDN would draw no graph; its network log is read as well.
Screenshots land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, on_checked_out_history, samples_around, write_results
from taskbench.asvadapter.driver import AsvDriver
from taskbench.asvadapter.results import Figure, latest, load
from taskbench.catalogue import BY_NAME, MEMORY, TASK_COST

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ARTIFACTS = ROOT / "test-artifacts"
MADE_UP = "made-up-box"


def _browser_paths() -> tuple[str, str]:
    chrome = os.environ.get("TASKBENCH_CHROME") or shutil.which("chromium")
    driver = os.environ.get("TASKBENCH_CHROMEDRIVER") or shutil.which("chromedriver")
    if not chrome or not driver:
        pytest.fail("Chromium and ChromeDriver are needed: `make test` installs Debian's "
                    "chromium and chromium-driver once, or set TASKBENCH_CHROME and "
                    "TASKBENCH_CHROMEDRIVER")
    return chrome, driver


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    results = work / "results"
    shutil.copytree(ROOT / "results", results)
    head, date = _git("rev-parse", "HEAD"), int(_git("log", "-1", "--format=%ct")) * 1000
    with AsvDriver(ROOT / "asv.conf.json", results_dir=results, html_dir=work / "html",
                   env_dir=work / "env", home=work / "home") as driver:
        driver.machine({"machine": "taskbench-test"}, capture=True)
        with on_checked_out_history(driver):
            run = driver.run(machine="taskbench-test", range_spec=None, set_commit_hash=head,
                             environments=[f"existing:{sys.executable}"], quick=True,
                             bench=[rf"^{TASK_COST.name}\(1000\)$"], capture=True,
                             timeout=600)
        assert run.returncode == 0, run.stdout[-2000:]
    for python, scale in (("3.12", 1.0), ("3.13", 1.2)):
        memory = {(1_000,): 700.0, (100_000,): 690.0} if python == "3.12" else {}  # 3.13: n/a
        write_results(results, {TASK_COST: {(count,): samples_around(1e-5 / scale, 0.05, 5)
                                             for count in TASK_COST.axes[0].values},
                                MEMORY: memory},
                      machine=MADE_UP, python=python, commit=head, date=date)
    config = json.loads((ROOT / "asv.conf.json").read_text())
    config.update({"repo": str(ROOT), "benchmark_dir": str(ROOT / "benchmarks"),
                   "results_dir": str(results), "html_dir": str(work / "html"),
                   "env_dir": str(work / "env")})
    (work / "asv.conf.json").write_text(json.dumps(config))
    build = subprocess.run([sys.executable, "-m", "taskbench.site", "--config",
                            str(work / "asv.conf.json")], cwd=ROOT, capture_output=True,
                           text=True, check=False, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    return work


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                                "--directory", str(site / "html"), str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    process.stdout.readline()  # "Serving HTTP on 127.0.0.1 port ...": it is listening
    yield f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chrome, driver = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for flag in ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1400,900",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    session = webdriver.Chrome(service=Service(driver), options=options)
    yield session
    session.quit()


def _figures(site: Path, *, graphed: bool = True) -> list[Figure]:
    """The headline's newest figures; ``graphed``: only those asv graphs, measured by the
    suite as it is now (asv starts a benchmark's history afresh at a new version)."""
    return [f for f in latest(load(site / "results").figures)
            if f.benchmark == TASK_COST.name and f.value is not None
            and (f.current or not graphed)]


def _headline_lines(site: Path) -> set[tuple[str, str]]:
    """The lines the headline's graph at its count has data for: (machine, interpreter)."""
    count = TASK_COST.headline["count"][0]
    return {(f.machine, f.environment) for f in load(site / "results").figures
            if f.benchmark == TASK_COST.name and f.current and f.value is not None
            and f.params == (count,)}


def _requested_urls(browser: Any) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _screenshot(browser: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _until(browser: Any, script: str, timeout: float = 60) -> Any:
    """Run ``script`` until it returns something true, then return that (or the last)."""
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(browser, timeout, poll_frequency=0.25).until(
            lambda b: b.execute_script(script))
    except Exception:  # a timeout: report what the page holds now
        return browser.execute_script(script)



LEGEND = "return Array.from(document.querySelectorAll('#graph-display td.legendLabel'), " \
         "c => c.textContent);"
# asv is done when it has drawn its graph and no request of its own is pending.
DRAWN = "return window.jQuery && $('#main-graph').data('plot') && $.active === 0;"


def _label_names(figure: Figure) -> set[str]:
    """What the legend shows of ``figure``'s interpreter (taskbench-graphs.js: ``3.13``,
    ``PYTHON_JIT=1``; parts every line shares are left out)."""
    return {figure.python, *(f"{key}={value}" for key, value in figure.env_vars)}


def test_the_headline_view_draws_one_line_per_interpreter_with_data_and_no_other(
        browser: Any, server: str, site: Path) -> None:
    count = TASK_COST.headline["count"][0]
    browser.get(f"{server}asv.html#{TASK_COST.name}?p-count={count}")
    _until(browser, DRAWN)
    labels = browser.execute_script(LEGEND)
    _screenshot(browser, "asv-headline-graph")
    assert labels, "no legend: the graph was not drawn"
    missing = {f.environment for f in _figures(site) if f.params == (count,)
               and not any(_label_names(f) <= set(label.split(" "))
                           and ("=" in label) == bool(f.env_vars) for label in labels)}
    assert not missing, f"no line for {sorted(missing)}"
    # the quick run measured another count only: its line, without data, is not listed
    assert len(labels) == len(_headline_lines(site)), labels
    offsite = [u for u in _requested_urls(browser) if not u.startswith((server, "data:", "blob:"))]
    assert not offsite, f"requests left 127.0.0.1: {offsite}"


def test_asv_graphs_draw_every_interval_as_an_error_bar(browser: Any, server: str) -> None:
    browser.get(server + "asv.html#" + TASK_COST.name + f"?machine={MADE_UP}")
    bars = _until(browser, """
        const plot = $('#main-graph').data('plot');
        if (!plot) return null;
        const drawn = plot.getData().filter(s => s.points.errorbars === 'y'
            && s.datapoints.points.some((v, i) => i % 4 >= 2 && v > 0));
        return drawn.length >= 2 ? drawn.length : null;""")
    _screenshot(browser, "asv-headline-error-bars")
    assert bars and bars >= 2, "no error bars on the made-up machine's two lines"


def test_counts_spanning_decades_are_drawn_on_a_log_axis(browser: Any, server: str) -> None:
    browser.get(f"{server}asv.html#{TASK_COST.name}?x-axis=count&machine={MADE_UP}")
    _until(browser, DRAWN)
    positions = browser.execute_script("""
        const axis = $('#main-graph').data('plot').getXAxes()[0];
        return [1, 10, 100, 1000, 10000, 100000].map(v => axis.p2c(v));""")
    _screenshot(browser, "asv-headline-by-count")
    steps = [b - a for a, b in zip(positions, positions[1:])]
    assert all(step > 0 for step in steps), positions
    assert max(steps) - min(steps) < 2, f"decades are not evenly spaced: {positions}"


def test_the_front_door_answers_and_shows_every_interpreter(
        browser: Any, server: str, site: Path) -> None:
    browser.get(server)
    answered = _until(browser, "return Array.from(document.querySelectorAll("
                               "'table.answer td.label'), td => td.textContent);")
    _screenshot(browser, "front-door")
    for environment in {f.environment for f in _figures(site, graphed=False)}:
        assert environment in answered, environment
    answers = browser.execute_script(
        "return Array.from(document.querySelectorAll('p.answer'), p => p.textContent);")
    assert answers and all("µs" in answer for answer in answers if answer)
    clients = browser.execute_script(
        "return Array.from(document.querySelectorAll('p.clients'), p => p.textContent);")
    assert all("of Textual's start-up CPU time" in said for said in clients), clients
    images = browser.execute_script(
        "return Array.from(document.images, i => i.complete && i.naturalWidth > 0);")
    assert images and all(images), "a chart did not load"
    views = browser.execute_script(
        "return Array.from(document.querySelectorAll('nav.graphs a'), a => a.href);")
    assert any(f"{TASK_COST.name}?p-count=" in view for view in views), views
    offsite = [u for u in _requested_urls(browser) if not u.startswith((server, "data:", "blob:"))]
    assert not offsite, f"requests left 127.0.0.1: {offsite}"


def test_asvs_navigation_links_the_answer(browser: Any, server: str) -> None:
    browser.get(server + "asv.html")
    link = _until(browser, "const a = document.querySelector('#nav-li-crossversion a');"
                           "return a ? a.getAttribute('href') : null;")
    assert link == "index.html"
    browser.get(server + "crossversion.html")  # the page's earlier address leads to it
    assert _until(browser, "return location.pathname.endsWith('/index.html') || null;")


def test_the_grid_and_the_regressions_hold_only_what_the_catalogue_declares(
        browser: Any, server: str, site: Path) -> None:
    browser.get(server + "asv.html#/")
    names = _until(browser, "const a = Array.from(document.querySelectorAll("
                            "'#summarygrid-display a.benchmark-container'), "
                            "a => a.getAttribute('href').slice(1)); return a.length ? a : null;")
    assert names and all(name in BY_NAME for name in names), names
    regressions = json.loads((site / "html" / "regressions.json").read_text())["regressions"]
    named = {entry[0].split("(")[0] for entry in regressions}
    assert all(BY_NAME[name].better == "lower" for name in named), named


def _pages(site: Path) -> list[str]:
    """Every page of the site, and each state of asv's app the site links to or the issue
    names (a memory graph by count: one interpreter has no value)."""
    front = (site / "html" / "index.html").read_text()
    nav = re.search(r'<nav class="graphs">.*?</nav>', front, re.S)
    assert nav, "the front page links to no graphs"
    views = [view.replace("&amp;", "&") for view in re.findall(r'href="([^"]+)"', nav[0])]
    return ["", "crossversion.html", "commits.html", "asv.html", "asv.html#/summarylist",
            "asv.html#/regressions", f"asv.html#{MEMORY.name}?x-axis=count", *views]


def _settled(browser: Any, page: str) -> None:
    if "asv.html" not in page:
        _until(browser, "return document.readyState === 'complete' || null;")
    elif "#/summarylist" in page:
        _until(browser, "return $('#summarylist-body table').length || null;")
    elif "#/regressions" in page:
        _until(browser, "return $('#regressions-body').children().length || null;")
    elif "#" in page:
        _until(browser, DRAWN)
    else:
        _until(browser, "return $('.benchmark-container').length || null;")
    _until(browser, "return window.jQuery === undefined || $.active === 0 || null;", 10)


LINKS = """const found = 'a[href], link[href], script[src], img[src]';
           return Array.from(document.querySelectorAll(found), e => e.href || e.src);"""


def _dead(site: Path, server: str, url: str) -> str | None:
    """Why ``url`` leads nowhere, or None. asv's app routes by fragment: a route there is a
    page of the app or a benchmark; elsewhere a fragment must be an element's id."""
    if not url.startswith(server):
        return None if re.match(r"https?://[^/]+\.[^/]+/", url) else "not a web address"
    path, _, fragment = url[len(server):].partition("#")
    target = site / "html" / (path.split("?")[0] or "index.html")
    if not target.is_file():
        return f"no file {target.name}"
    if not fragment:
        return None
    if target.name == "asv.html":
        route = fragment.lstrip("/").split("?")[0]
        index = json.loads((site / "html" / "index.json").read_text())
        return None if route in ("", "summarylist", "regressions") or \
            route in index["benchmarks"] else f"no page or benchmark {route!r} in asv's app"
    return None if f'id="{fragment}"' in target.read_text() else f"no #{fragment} there"


def test_no_page_has_a_console_error_a_dead_link_or_a_width_beyond_the_window(
        browser: Any, server: str, site: Path) -> None:
    problems = []
    for page in _pages(site):
        browser.get_log("browser")  # what earlier pages logged
        browser.get("about:blank")
        browser.get(server + page)
        _settled(browser, page)
        _screenshot(browser, "page-" + (re.sub(r"[^A-Za-z0-9]+", "-", page) or "front"))
        errors = [entry["message"] for entry in browser.get_log("browser")
                  if entry["level"] == "SEVERE"]
        problems += [f"{page or '/'}: console: {message}" for message in errors]
        width = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];")
        if width[0] > width[1]:
            problems.append(f"{page or '/'}: {width[0]} px wide in a {width[1]} px window")
        for url in set(browser.execute_script(LINKS)):
            why = _dead(site, server, url)
            if why:
                problems.append(f"{page or '/'}: dead link {url}: {why}")
    assert not problems, "\n".join(problems)

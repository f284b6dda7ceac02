"""The published site in a real browser: graphs drawn with their intervals, every interpreter
shown, nothing fetched from anywhere but 127.0.0.1.

The site is built by ``python -m taskbench.site`` into a temporary directory from the
committed results/, a quick real run of one benchmark at ``HEAD`` (which also writes asv's
description of the suite as it is now) and one made-up machine with samples at ``HEAD`` (so
that there are intervals to draw whatever the committed runs hold), served by http.server on
127.0.0.1 and driven by Selenium in headless Chromium. Chromium's resolver maps every host but
127.0.0.1 to nothing, so a page that still needed a CDN would draw no graph; its network log
is read as well. Screenshots land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, samples_around, write_results
from taskbench.asvadapter.driver import AsvDriver
from taskbench.asvadapter.results import Figure, latest, load
from taskbench.catalogue import THROUGHPUT

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
        run = driver.run(machine="taskbench-test", range_spec=None, set_commit_hash=head,
                         environments=[f"existing:{sys.executable}"], quick=True,
                         bench=[rf"^{THROUGHPUT.name}\(1000\)$"], capture=True, timeout=600)
        assert run.returncode == 0, run.stdout[-2000:]
    for python, scale in (("3.12", 1.0), ("3.13", 1.2)):
        write_results(results, {THROUGHPUT: {(count,): samples_around(1e5 * scale, 0.05, 5)
                                             for count in THROUGHPUT.axes[0].values}},
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
    """The classic table's newest figures; ``graphed``: only those asv graphs, measured by
    the suite as it is now (asv starts a benchmark's history afresh at a new version)."""
    return [f for f in latest(load(site / "results").figures)
            if f.benchmark == THROUGHPUT.name and f.value is not None
            and (f.current or not graphed)]


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


def _legend_names(figure: Figure) -> list[str]:
    return [f"python-{figure.python}", *(f"env-{k}-{v}" for k, v in figure.env_vars)]


def test_asv_graph_draws_a_line_for_every_interpreter(browser: Any, server: str,
                                                      site: Path) -> None:
    browser.get(server + "#" + THROUGHPUT.name)
    figures = _figures(site)

    def missing_from(labels: list[str]) -> set[str]:
        return {f.environment for f in figures
                if not any(all(part in label.split("; ") for part in _legend_names(f))
                           and ("env-" in label) == bool(f.env_vars) for label in labels)}

    script = """const cells = document.querySelectorAll('#graph-display .legend td.legendLabel');
                return Array.from(cells, c => c.textContent);"""
    # asv loads each environment's graph data on its own: wait until every line is there.
    _until(browser, f"const l = (function(){{{script}}})(); return l.length >= "
                    f"{len({f.env_name + f.machine for f in figures})} ? l : null;")
    labels = browser.execute_script(script)
    _screenshot(browser, "asv-throughput-graph")
    assert labels, "no legend: the graph was not drawn"
    assert not missing_from(labels), f"no line for {sorted(missing_from(labels))}"
    offsite = [u for u in _requested_urls(browser) if not u.startswith((server, "data:", "blob:"))]
    assert not offsite, f"requests left 127.0.0.1: {offsite}"


def test_asv_graphs_draw_every_interval_as_an_error_bar(browser: Any, server: str) -> None:
    browser.get(server + "#" + THROUGHPUT.name + f"?machine={MADE_UP}")
    bars = _until(browser, """
        const plot = $('#main-graph').data('plot');
        if (!plot) return null;
        const drawn = plot.getData().filter(s => s.points.errorbars === 'y'
            && s.datapoints.points.some((v, i) => i % 4 >= 2 && v > 0));
        return drawn.length >= 2 ? drawn.length : null;""")
    _screenshot(browser, "asv-throughput-error-bars")
    assert bars and bars >= 2, "no error bars on the made-up machine's two lines"


def test_the_cross_version_page_answers_and_shows_every_interpreter(
        browser: Any, server: str, site: Path) -> None:
    browser.get(server + "crossversion.html")
    headers = _until(browser, "return Array.from(document.querySelectorAll('table th'), "
                              "th => th.textContent);")
    _screenshot(browser, "crossversion")
    for environment in {f.environment for f in _figures(site, graphed=False)}:
        assert environment in headers, environment
    answers = browser.execute_script(
        "return Array.from(document.querySelectorAll('p.answer'), p => p.textContent);")
    assert answers and all("µs" in answer for answer in answers if answer)
    images = browser.execute_script(
        "return Array.from(document.images, i => i.complete && i.naturalWidth > 0);")
    assert images and all(images), "a chart did not load"
    offsite = [u for u in _requested_urls(browser) if not u.startswith((server, "data:", "blob:"))]
    assert not offsite, f"requests left 127.0.0.1: {offsite}"


def test_asv_index_links_to_the_cross_version_page(browser: Any, server: str) -> None:
    browser.get(server)
    link = _until(browser, "const a = document.querySelector('#nav-li-crossversion a');"
                           "return a ? a.getAttribute('href') : null;")
    assert link == "crossversion.html"

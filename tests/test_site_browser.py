"""The published site in a real browser: graphs drawn, every interpreter shown, nothing fetched
from anywhere but 127.0.0.1.

The site is built from the committed results/ into a temporary directory, served by Python's
http.server on 127.0.0.1, and driven by Selenium in headless Chromium. Chromium's resolver maps
every host but 127.0.0.1 to nothing, so a page that still needed a CDN would draw no graph; its
network log is read as well. Screenshots of every page land in test-artifacts/ for a person to
look at when a run fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from taskbench.crossversion import THROUGHPUT
from taskbench.results import Measurement, latest, load_results

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def _browser_paths() -> tuple[str, str]:
    chrome = os.environ.get("TASKBENCH_CHROME") or shutil.which("chromium")
    driver = os.environ.get("TASKBENCH_CHROMEDRIVER") or shutil.which("chromedriver")
    if not chrome or not driver:
        pytest.fail("Chromium and ChromeDriver are needed: `make test` installs Debian's "
                    "chromium and chromium-driver, or set TASKBENCH_CHROME and "
                    "TASKBENCH_CHROMEDRIVER")
    return chrome, driver


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    config = json.loads((ROOT / "asv.conf.json").read_text())
    config.update({"repo": str(ROOT), "benchmark_dir": str(ROOT / "benchmarks"),
                   "results_dir": str(ROOT / "results"), "html_dir": str(work / "html"),
                   "env_dir": str(work / "env")})
    (work / "asv.conf.json").write_text(json.dumps(config))
    build = subprocess.run([sys.executable, "-m", "taskbench.site", "--config",
                            str(work / "asv.conf.json")], cwd=ROOT, capture_output=True,
                           text=True, check=False, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    return work / "html"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                                "--directory", str(site), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield address
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
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


def _committed(benchmark: str = THROUGHPUT) -> list[Measurement]:
    return [m for m in latest(load_results(ROOT / "results").measurements)
            if m.benchmark == benchmark]


def _committed_environments() -> set[str]:
    return {m.environment for m in _committed()}


def _legend_names(measurement: Measurement) -> list[str]:
    """The parts of asv's legend label that identify the environment of ``measurement``."""
    return [f"python-{measurement.python}",
            *(f"env-{key}-{value}" for key, value in measurement.env_vars)]


def _requested_urls(browser: object) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _screenshot(browser: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))  # type: ignore[attr-defined]


def _wait_for(browser: object, script: str, timeout: float = 30) -> object:
    deadline = time.monotonic() + timeout
    result = None
    while time.monotonic() < deadline:
        result = browser.execute_script(script)  # type: ignore[attr-defined]
        if result:
            return result
        time.sleep(0.25)
    return result


def test_asv_graph_draws_a_line_for_every_interpreter(browser: object, server: str) -> None:
    browser.get(server + "#" + THROUGHPUT)  # type: ignore[attr-defined]
    committed = _committed()
    assert committed

    def missing_from(labels: list[str]) -> set[str]:
        return {m.environment for m in committed
                if not any(all(part in label.split("; ") for part in _legend_names(m))
                           and ("env-" in label) == bool(m.env_vars) for label in labels)}

    # asv loads each environment's graph data on its own and redraws the legend as each
    # arrives: wait until every committed interpreter is there (or time runs out).
    deadline = time.monotonic() + 60
    labels: list[str] = []
    while time.monotonic() < deadline:
        labels = browser.execute_script("""
            const cells = document.querySelectorAll('#graph-display .legend td.legendLabel');
            return Array.from(cells, c => c.textContent);""")  # type: ignore[attr-defined]
        if labels and not missing_from(labels):
            break
        time.sleep(0.5)
    _screenshot(browser, "asv-throughput-graph")
    assert labels, "no legend: the graph was not drawn"
    drawn = _wait_for(browser, """
        const canvas = document.querySelector('#graph-display canvas.flot-base');
        return canvas && canvas.width > 0;""")
    assert drawn
    missing = missing_from(labels)
    assert not missing, f"no line for {sorted(missing)}; legend: {labels}"
    offsite = [url for url in _requested_urls(browser)
               if not url.startswith((server, "data:", "blob:"))]
    assert not offsite, f"requests left 127.0.0.1: {offsite}"


def test_cross_version_page_shows_every_interpreter(browser: object, server: str) -> None:
    browser.get(server + "crossversion.html")  # type: ignore[attr-defined]
    headers = _wait_for(browser, """
        return Array.from(document.querySelectorAll('table th'), th => th.textContent);""")
    _screenshot(browser, "crossversion")
    for environment in _committed_environments():
        assert environment in headers, environment  # type: ignore[operator]
    charts = browser.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.images, i => i.complete && i.naturalWidth > 0);")
    assert charts and all(charts)
    # The cost anatomy: its chart drawn, and a row in its tables for every interpreter.
    anatomy_rows = browser.execute_script(  # type: ignore[attr-defined]
        """const img = document.querySelector('img[src^="spawn-apis-"]');
        if (!img || !(img.complete && img.naturalWidth > 0)) return null;
        return Array.from(document.querySelectorAll('table tr td:first-child'),
                          td => td.textContent);""")
    assert anatomy_rows, "the spawn-API chart is missing or did not load"
    for environment in _committed_environments():
        assert environment in anatomy_rows, environment  # type: ignore[operator]
    offsite = [url for url in _requested_urls(browser)
               if not url.startswith((server, "data:", "blob:"))]
    assert not offsite, f"requests left 127.0.0.1: {offsite}"


def test_asv_index_links_to_the_cross_version_page(browser: object, server: str) -> None:
    browser.get(server)  # type: ignore[attr-defined]
    link = _wait_for(browser, """
        const a = document.querySelector('#nav-li-crossversion a');
        return a ? a.getAttribute('href') : null;""")
    assert link == "crossversion.html"

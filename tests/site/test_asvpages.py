"""taskbench.site.asvpages: asv's app moves to asv.html with its feed, links the answer, shows
no dead project link, finds a file for every series it may ask for, and orders its selectors
naturally. The pages edited are asv's own, as the pinned asv ships them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import asv
import pytest
from asv.graph import Graph

from taskbench.site import asvpages
from taskbench.site.vendor import SiteError

WWW = Path(asv.__file__).parent / "www"


@pytest.fixture
def html(tmp_path: Path) -> Path:
    folder = tmp_path / "html"
    shutil.copytree(WWW, folder)
    (folder / "regressions.xml").write_text(
        '<feed><link href="index.html#bench.a?p-count=1" /><content>&lt;a '
        'href="index.html#bench.a"&gt;1% regression&lt;/a&gt;</content></feed>')
    return folder


@pytest.mark.parametrize("project_link", [True, False])
def test_asvs_app_moves_to_asv_html_and_links_the_answer(html: Path, project_link: bool
                                                         ) -> None:
    asvpages.move_asv_app(html, project_link=project_link)

    assert not (html / "index.html").exists()
    page = (html / asvpages.ASV_PAGE).read_text()
    assert asvpages.NAV_LINK in page and 'href="index.html"' in page
    assert (asvpages.PROJECT_LINK in page) == project_link
    assert (asvpages.PROJECT_NAME in page) != project_link
    # asv's script sets the project link's address; without one, no link is left at "#"
    assert ('href="#"' in page) == project_link
    feed = (html / "regressions.xml").read_text()
    assert "index.html" not in feed and feed.count('href="asv.html#bench.a') == 2
    assert (html / asvpages.FAVICON).read_bytes() == (WWW / "swallow.ico").read_bytes()


def test_a_page_asv_laid_out_otherwise_is_refused_by_name(html: Path) -> None:
    page = html / "index.html"
    page.write_text(page.read_text().replace("nav-li-regressions", "nav-li-other"))

    with pytest.raises(SiteError, match="asv's index.html has no .*nav-li-regressions"):
        asvpages.move_asv_app(html, project_link=False)


def test_scripts_load_after_asvs_own_in_the_order_given(html: Path) -> None:
    asvpages.install_scripts(html, {"one.js": b"1", "vendor/x/two.js": b"2"})

    page = (html / "index.html").read_text()
    assert page.index('src="regressions.js"') < page.index('src="one.js"') < page.index(
        'src="vendor/x/two.js"')
    assert (html / "vendor" / "x" / "two.js").read_bytes() == b"2"


def test_every_series_asv_may_ask_for_has_a_file_and_selectors_are_in_natural_order(
        html: Path) -> None:
    params = [{"machine": "box", "python": python, "env-PYTHON_JIT": None, "branch": "main"}
              for python in ("3.10", "3.9", "pypy3.11")]
    measured = html / (Graph.get_file_path(params[0], "bench.a") + ".json")
    measured.parent.mkdir(parents=True)
    measured.write_text("[[1, 5.0]]")
    (html / "index.json").write_text(json.dumps({
        "params": {"python": ["3.10", "3.11-debian", "3.11", "3.9", "pypy3.11", "3.13t"],
                   "env-PYTHON_JIT": ["1", None], "branch": ["main", "dev"]},
        "graph_param_list": params, "benchmarks": {"bench.a": {}, "bench.b": {}}}))

    index = asvpages.fit_index(html)

    assert index["params"]["python"] == ["3.9", "3.10", "3.11", "3.11-debian", "3.13t",
                                         "pypy3.11"]
    assert index["params"]["env-PYTHON_JIT"] == ["1", None]
    assert index["params"]["branch"] == ["main", "dev"]  # asv shows the first: kept as set
    assert json.loads((html / "index.json").read_text()) == index
    for graph_params in params:
        for benchmark in ("bench.a", "bench.b"):
            path = html / (Graph.get_file_path(graph_params, benchmark) + ".json")
            assert path.is_file()
    assert measured.read_text() == "[[1, 5.0]]"  # a real series is left as it is
    assert json.loads((html / (Graph.get_file_path(params[2], "bench.b") + ".json"))
                      .read_text()) == []

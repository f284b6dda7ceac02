"""``make site`` end to end on made-up results in a made-up repository: what asv publishes (no
retired benchmark, no regression for a figure that is not a cost), the front door and its
links, and a failed build that leaves the site built before exactly as it was.

The npm registry is never asked: the vendoring of asv's CDN files is tested in
``test_vendor.py`` and stood in for here, except where a tampered cached tarball is the point.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from test_published import RETIRED, describe, tree

from conftest import ROOT, samples_around, write_results
from taskbench.catalogue import BY_NAME, CATALOGUE, MEMORY, TASK_COST, TEXTUAL_SHARE
from taskbench.site import build as site_build
from taskbench.site.vendor import SiteError

PYTHONS = ("3.9", "3.10", "pypy3.11")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], capture_output=True, text=True, check=True).stdout.strip()


def _results(results: Path, commits: list[str]) -> None:
    """Four commits: the headline gets 50% slower at the third (a regression), while a
    retired tasks/s figure and a share (not a cost) double (no regression either)."""
    counts = TASK_COST.axes[0].values
    for n, commit in enumerate(commits):
        step = 1.0 if n < 2 else 1.5
        common = dict(commit=commit, date=1_700_000_000_000 + n * 86_400_000)
        for python in PYTHONS:
            figures: dict[Any, Any] = {
                TASK_COST: {(c,): samples_around(1e-5 * step, 0.001) for c in counts},
                MEMORY: {(1_000,): 700.0} if python != "pypy3.11" else {}}
            if python != "pypy3.11":
                figures[RETIRED] = {(1_000,): samples_around(5e4 * step, 0.001)}
                figures[TEXTUAL_SHARE] = {(1_000,): samples_around(2.0 * step, 0.001)}
            write_results(results, figures, python=python, **common)


def new_project(root: Path, commits: int) -> tuple[Path, list[str]]:
    """A repository under ``root`` with this project's asv configuration (its folders inside
    the repository) and ``commits`` empty commits; the repository and the commits' hashes."""
    repo = root / "repo"
    git(root, "init", "-q", "-b", "main", str(repo))
    config = json.loads((ROOT / "asv.conf.json").read_text())
    config.update({"results_dir": "results", "html_dir": "html", "env_dir": "env"})
    (repo / "asv.conf.json").write_text(json.dumps(config))
    made = []
    for n in range(commits):
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--allow-empty", "-m", f"change <{n}>")
        made.append(git(repo, "rev-parse", "HEAD"))
    return repo, made


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("project")
    repo, commits = new_project(root, 4)
    _results(repo / "results", commits)
    describe(repo / "results", [*CATALOGUE, RETIRED])
    before = tree(repo / "results")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_build, "vendor_site", lambda *args: [])
        patch.setattr(site_build, "fetch_checked", lambda *args: b"/* error bars */")
        patch.delenv("GITHUB_REPOSITORY", raising=False)
        site = site_build.build(repo / "asv.conf.json", root / "cache")
    return SimpleNamespace(root=root, repo=repo, site=site, commits=commits,
                           results_before=before)


def index_of(site: Path) -> dict[str, Any]:
    return json.loads((site / "index.json").read_text())


def test_asv_publishes_only_the_catalogue_and_results_stay_whole(project: SimpleNamespace
                                                                 ) -> None:
    index = index_of(project.site)
    assert set(index["benchmarks"]) == {TASK_COST.name, MEMORY.name, TEXTUAL_SHARE.name}
    assert index["params"]["python"] == ["3.9", "3.10", "pypy3.11"]
    assert tree(project.repo / "results") == project.results_before
    assert sorted(p.name for p in project.site.parent.iterdir()) == [
        ".git", "asv.conf.json", "html", "results"]  # no staging folder left beside the site


def test_regressions_are_listed_for_costs_only(project: SimpleNamespace) -> None:
    regressions = json.loads((project.site / "regressions.json").read_text())["regressions"]
    names = {entry[0].split("(")[0] for entry in regressions}
    assert TASK_COST.name in names  # detection works: the headline's real step is there
    assert all(BY_NAME[name].better == "lower" for name in names), names
    assert "index.html#" not in (project.site / "regressions.xml").read_text()


def test_every_series_asv_may_ask_for_exists(project: SimpleNamespace) -> None:
    from asv.graph import Graph

    index = index_of(project.site)
    for params in index["graph_param_list"]:
        for benchmark in index["benchmarks"]:
            assert (project.site / (Graph.get_file_path(params, benchmark) + ".json")).is_file()


def test_the_front_door_is_the_answer_and_every_local_link_leads_somewhere(
        project: SimpleNamespace) -> None:
    front = (project.site / "index.html").read_text()
    assert 'class="answer"' in front
    assert f'href="asv.html#{TASK_COST.name}?p-count=100000"' in front
    assert "url=index.html" in (project.site / "crossversion.html").read_text()
    asv_page = (project.site / "asv.html").read_text()
    assert 'href="index.html"' in asv_page and 'id="project-name" href' not in asv_page
    assert (project.site / "favicon.ico").is_file()
    assert 'href="history.html"' in front  # which host each run had, the counts over time
    for page in ("index.html", "asv.html", "commits.html", "crossversion.html", "history.html"):
        text = (project.site / page).read_text()
        for target in re.findall(r'(?:href|src)="([^"#:]+)[#"]', text):
            assert (project.site / target).is_file(), f"{page} links to a missing {target}"


def test_commits_link_to_the_commits_page_without_a_repository(project: SimpleNamespace
                                                               ) -> None:
    index = index_of(project.site)
    assert index["show_commit_url"] == "commits.html#" and index["project_url"] == ""
    page = (project.site / "commits.html").read_text()
    for commit in project.commits:
        assert f'id="{commit[:8]}"' in page and f'id="{commit}"' in page
    assert "change &lt;3&gt;" in page


def _fails_and_keeps_the_site(project: SimpleNamespace, cache: Path, pattern: str) -> None:
    site_before = tree(project.site)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_build, "vendor_site", lambda *args: [])
        with pytest.raises(SiteError, match=pattern) as error:
            site_build.build(project.repo / "asv.conf.json", cache)
    assert "is the one built before, unchanged" in str(error.value)
    assert tree(project.site) == site_before
    assert sorted(p.name for p in project.site.parent.iterdir()) == [
        ".git", "asv.conf.json", "html", "results"]


def test_a_machine_json_that_is_not_utf8_stops_the_build_by_name(project: SimpleNamespace
                                                                 ) -> None:
    machine_json = project.repo / "results" / "box" / "machine.json"
    good = machine_json.read_bytes()
    machine_json.write_bytes(good.replace(b"TestOS", b"Test\xffOS"))
    try:
        _fails_and_keeps_the_site(project, project.root / "cache",
                                  re.escape(f"{machine_json} cannot be read (not UTF-8)"))
    finally:
        machine_json.write_bytes(good)


def test_a_tampered_cached_tarball_stops_the_build_by_its_path(project: SimpleNamespace
                                                               ) -> None:
    cache = project.root / "tampered"
    cache.mkdir(exist_ok=True)
    tarball = cache / "flot-0.8.3.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        data = b"/* not flot's error bars */"
        info = tarfile.TarInfo("package/jquery.flot.errorbars.js")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    _fails_and_keeps_the_site(project, cache, re.escape(f"in {tarball} (tampered with"))


def test_github_actions_variables_link_the_project_and_its_commits(
        project: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = json.loads((project.repo / "asv.conf.json").read_text())
    config["html_dir"] = str(tmp_path / "html")
    (tmp_path / "asv.conf.json").write_text(json.dumps({
        **config, "repo": str(project.repo), "results_dir": str(project.repo / "results"),
        "benchmark_dir": str(project.repo / "benchmarks")}))
    monkeypatch.setattr(site_build, "vendor_site", lambda *args: [])
    monkeypatch.setattr(site_build, "fetch_checked", lambda *args: b"")
    monkeypatch.setenv("GITHUB_REPOSITORY", "owner/taskbench")
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")

    site = site_build.build(tmp_path / "asv.conf.json", project.root / "cache")

    index = index_of(site)
    assert index["project_url"] == "https://github.com/owner/taskbench"
    assert index["show_commit_url"] == "https://github.com/owner/taskbench/commit/"
    assert not (site / "commits.html").exists()
    assert 'id="project-name" href="#"' in (site / "asv.html").read_text()


def test_a_value_that_is_not_a_time_stops_the_build_by_name(project: SimpleNamespace) -> None:
    from conftest import set_sample, write_block_log
    from taskbench import blocklog

    results = project.repo / "results"
    path = results / "box" / f"{project.commits[-1][:8]}-virtualenv-py3.10.json"
    good = path.read_bytes()
    log = write_block_log(results)
    set_sample(path, TASK_COST.name, TASK_COST.axes[0].values.index(100_000), 2, 0.0)
    try:
        _fails_and_keeps_the_site(project, project.root / "cache",
                                  re.escape("3.10 in block 2: 0.0 is not a time"))
    finally:
        path.write_bytes(good)
        log.unlink()
    assert not (results / "box" / blocklog.BLOCKS_FILE).exists()

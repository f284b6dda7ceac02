"""A rehearsal of issue 26's numbers with a stand-in for a second host: made-up results of one
machine kind from an unknown host (the committed runs), a first host and a second, slower one
(5% to 16%, as a fresh host of this kind measured), published by the real ``make site``.

Numbers it holds: 0 asv timing lines that join two hosts, so 0 steps between them; 0
regressions from the host; the one real regression within a host still listed; the exact
counts the same on both hosts; and, as the control that shows the test can fail, the same
results without host names make asv list the change of host as regressions.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from test_published import describe
from test_site_build import new_project

from conftest import samples_around, write_results
from taskbench import host, runfacts
from taskbench.catalogue import CATALOGUE, CLASSIC_SPAWN, INSTRUCTIONS, TASK_COST
from taskbench.site import build as site_build

pytestmark = pytest.mark.slow

FIRST = {"cpu_model": "AMD EPYC", "family": "25", "model": "17", "stepping": "1",
         "features": ["avx2", "avx512f", "erms", "fsrm"], "kernel": "6.18.44"}
SECOND = {**FIRST, "model": "1", "features": ["avx2", "erms"]}  # another EPYC, no AVX-512
# The second host's time per task over the first's, per interpreter (the 5-16%).
SLOWER = {"3.10": 1.16, "3.12": 1.05}
COUNTS = {"3.10": 65_610.0, "3.12": 45_321.0}  # exact: the same on both hosts
HOSTS = [None, None, FIRST, FIRST, FIRST, SECOND, SECOND, SECOND]
REAL = 7  # the commit where 3.12 really gets 50% slower, on the second host


def _results(results: Path, commits: list[str], named: bool) -> None:
    for n, (commit, found) in enumerate(zip(commits, HOSTS)):
        label = host.host_label(found) if found and named else None
        for python in SLOWER:
            factor = SLOWER[python] if found is SECOND else 1.0
            factor *= 1.5 if (n >= REAL and python == "3.12") else 1.0
            figures: dict[Any, Any] = {
                TASK_COST: {(c,): samples_around(1e-5 * factor, 0.001)
                            for c in TASK_COST.axes[0].values},
                INSTRUCTIONS: {CLASSIC_SPAWN: COUNTS[python]}}
            write_results(results, figures, python=python, commit=commit, cpu=label,
                          date=1_790_000_000_000 + n * 86_400_000,
                          started=1_790_000_000_000 + n * 86_400_000 + 60_000)
        if found and named:
            runfacts.update(results / "box" / runfacts.RUNS_FILE, [
                runfacts.record(commit, found, {"3.10": "3.10.13", "3.12": "3.12.1"})])
    describe(results, list(CATALOGUE))


def _site(root: Path, named: bool) -> SimpleNamespace:
    repo, commits = new_project(root, len(HOSTS))
    _results(repo / "results", commits, named)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_build, "vendor_site", lambda *args: [])
        patch.setattr(site_build, "fetch_checked", lambda *args: b"/* error bars */")
        patch.delenv("GITHUB_REPOSITORY", raising=False)
        site = site_build.build(repo / "asv.conf.json", root / "cache")
    index = json.loads((site / "index.json").read_text())
    regressions = json.loads((site / "regressions.json").read_text())["regressions"]
    return SimpleNamespace(site=site, commits=commits, index=index, regressions=regressions)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, SimpleNamespace]:
    return {named: _site(tmp_path_factory.mktemp(f"named-{named}"), named)
            for named in (True, False)}


def _lines(built: SimpleNamespace, benchmark: str) -> list[tuple[dict[str, Any], list[str]]]:
    """Every asv line of ``benchmark``: its graph parameters and the commits it joins."""
    from asv.graph import Graph

    commit_of = {int(r): c for r, c in built.index["revision_to_hash"].items()}
    found = []
    for params in built.index["graph_param_list"]:
        path = built.site / (Graph.get_file_path(params, benchmark) + ".json")
        points = json.loads(path.read_text()) if path.is_file() else []
        if points:
            found.append((params, [commit_of[point[0]] for point in points]))
    return found


def _host_of(built: SimpleNamespace) -> dict[str, object]:
    return {commit: id(found) if found else None
            for commit, found in zip(built.commits, HOSTS)}


def _regressed_at(built: SimpleNamespace) -> list[tuple[str, str]]:
    """(benchmark and parameters, the first commit of the jump) of every listed regression."""
    commit_of = {int(r): c for r, c in built.index["revision_to_hash"].items()}
    return [(entry[0], commit_of[jump[1]]) for entry in built.regressions for jump in entry[6]]


def test_no_timing_line_joins_two_hosts(sites: dict[bool, SimpleNamespace]) -> None:
    built = sites[True]
    host_of = _host_of(built)
    lines = _lines(built, TASK_COST.name)
    assert len(lines) == 2 * 3  # two interpreters, each on three hosts (one unknown)
    steps_between_hosts = sum(len({host_of[c] for c in commits}) - 1 for _, commits in lines)
    assert steps_between_hosts == 0
    assert host.UNKNOWN_HOST in built.index["params"]["cpu"]
    assert host.host_label(FIRST) in built.index["params"]["cpu"]


def test_no_regression_comes_from_the_host_and_the_real_one_is_listed(
        sites: dict[bool, SimpleNamespace]) -> None:
    built = sites[True]
    change_of_host = built.commits[HOSTS.index(SECOND)]
    found = _regressed_at(built)
    assert not [name for name, commit in found if commit == change_of_host], found
    assert {commit for _, commit in found} == {built.commits[REAL]}
    assert all("3.12" in json.dumps(entry[2]) for entry in built.regressions)


def test_without_host_names_the_change_of_host_is_listed_as_regressions(
        sites: dict[bool, SimpleNamespace]) -> None:
    built = sites[False]  # the control: every run on one line per interpreter, as before
    change_of_host = built.commits[HOSTS.index(SECOND)]
    assert [name for name, commit in _regressed_at(built) if commit == change_of_host]


def test_the_site_names_both_hosts_and_the_counts_cross_them_unchanged(
        sites: dict[bool, SimpleNamespace]) -> None:
    page = (sites[True].site / "history.html").read_text()
    for found in (FIRST, SECOND):
        assert host.host_id(found) in page
    assert "recorded before hosts were" in page
    assert page.count("65,610") == len(HOSTS)  # one count per run, on every host alike

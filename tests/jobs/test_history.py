"""asv's history from any checkout: detached (a commit id), shallow, or another branch.

The checkouts are made as actions/checkout makes them (``tests/standins.py``), from a bare
repository whose ``main`` holds a commit and, on top, a commit of results for it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import crlf
from conftest import ROOT, write_results
from standins import checkout
from taskbench.asvadapter.history import HistoryError, drawn_history, first_parent_commits
from taskbench.catalogue import BY_NAME, TASK_COST
from taskbench.site import build as site_build

GITHUB = {"ref": "refs/heads/main", "sha": ""}


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], capture_output=True, text=True, check=check)


@pytest.fixture
def origin(tmp_path: Path) -> dict[str, str | Path]:
    """A bare repository: main = measured commit, then its results; a tag and a branch."""
    work, bare = tmp_path / "work", tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "-b", "main", str(work))
    config = json.loads((ROOT / "asv.conf.json").read_text())
    config.update({"results_dir": "results", "html_dir": "html", "env_dir": "env"})
    (work / "asv.conf.json").write_text(json.dumps(config))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "the code measured")
    git(work, "tag", "-a", "-m", "a release", "v1")
    measured = git(work, "rev-parse", "HEAD").stdout.strip()
    write_results(work / "results", {TASK_COST: {(1_000,): [5.0, 6.0, 7.0]}}, commit=measured,
                  date=1_700_000_000_000)
    # asv's description of the suite as the committed run wrote it, at the versions the
    # catalogue declares now (a version bumped since that run would hide the result).
    described = json.loads((ROOT / "results" / "benchmarks.json").read_text())
    for name, entry in BY_NAME.items():
        if name in described:
            described[name]["version"] = entry.version
    (work / "results" / "benchmarks.json").write_text(json.dumps(described))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "results for it")
    git(work, "branch", "feature")
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true")
    return {"bare": bare, "measured": measured, "results": git(work, "rev-parse", "HEAD").stdout
            .strip()}


def first_parent(repo: Path, branch: str) -> list[str]:
    return git(repo, "rev-list", "--first-parent", branch).stdout.split()


def test_a_commit_id_checkout_has_no_main_and_the_drawn_history_has_it(
        origin: dict[str, str | Path], tmp_path: Path) -> None:
    workspace = tmp_path / "detached"
    checkout(Path(origin["bare"]), workspace, {"ref": origin["results"], "fetch-depth": 0},
             GITHUB)
    assert git(workspace, "for-each-ref", "refs/heads").stdout == ""  # detached, no branch
    assert git(workspace, "rev-list", "--first-parent", "main", check=False).returncode == 128
    with drawn_history(workspace, ["main"]) as history:
        assert first_parent(history, "main") == [origin["results"], origin["measured"]]
        assert git(history, "rev-list", "-n", "1", "v1").stdout.strip() == origin["measured"]
        assert git(history, "rev-list", "--all").stdout.split() == [origin["results"],
                                                                    origin["measured"]]
    assert not history.exists()  # scratch only: the checkout itself gained no branch
    assert git(workspace, "for-each-ref", "refs/heads").stdout == ""


def test_the_history_is_drawn_with_windows_line_endings_in_force(
        origin: dict[str, str | Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 31: on Windows every text-mode write says "\\r\\n", and git reads an alternates
    file or ``update-ref --stdin`` with a "\\r" left on each line ("objects\\r does not
    exist", "expected SP"): the CI job's Windows mode, which draws this history, exited 2."""
    workspace = tmp_path / "detached"
    checkout(Path(origin["bare"]), workspace, {"ref": origin["results"], "fetch-depth": 0},
             GITHUB)
    probe = tmp_path / "probe"
    crlf.translate(monkeypatch.setattr)
    probe.write_text("a\n", encoding="utf-8")
    assert probe.read_bytes() == b"a\r\n"  # the translation is in force
    with drawn_history(workspace, ["main"]) as history:
        alternates = (history / "objects" / "info" / "alternates").read_bytes()
        assert alternates.endswith(b"objects\n") and b"\r" not in alternates
        assert first_parent(history, "main") == [origin["results"], origin["measured"]]
        assert git(history, "rev-list", "-n", "1", "v1").stdout.strip() == origin["measured"]


def test_a_shallow_checkout_is_deepened_from_its_remote(origin: dict[str, str | Path],
                                                        tmp_path: Path) -> None:
    workspace = tmp_path / "shallow"
    checkout(Path(origin["bare"]), workspace, {"ref": origin["results"], "fetch-depth": 1},
             GITHUB)
    assert (workspace / ".git" / "shallow").exists()
    with drawn_history(workspace, ["main"]) as history:
        assert first_parent(history, "main") == [origin["results"], origin["measured"]]


def test_a_shallow_clone_without_a_remote_is_a_clear_error(origin: dict[str, str | Path],
                                                            tmp_path: Path) -> None:
    workspace = tmp_path / "shallow"
    checkout(Path(origin["bare"]), workspace, {"ref": origin["results"], "fetch-depth": 1},
             GITHUB)
    git(workspace, "remote", "remove", "origin")
    with pytest.raises(HistoryError, match="shallow clone with no remote.*fetch-depth: 0"), \
            drawn_history(workspace, ["main"]):
        pass


def test_another_branch_is_drawn_as_main_and_other_configured_branches_are_found(
        origin: dict[str, str | Path], tmp_path: Path) -> None:
    workspace = tmp_path / "feature"
    checkout(Path(origin["bare"]), workspace, {"ref": "feature", "fetch-depth": 0}, GITHUB)
    git(workspace, "commit", "-q", "--allow-empty", "-m", "work on the feature")
    head = git(workspace, "rev-parse", "HEAD").stdout.strip()
    assert git(workspace, "branch", "--list").stdout.split() == ["*", "feature"]
    with drawn_history(workspace, ["main", "feature"]) as history:
        assert first_parent(history, "main")[:2] == [head, origin["results"]]
        assert first_parent(history, "feature")[0] == head
    with pytest.raises(HistoryError, match="'release'.*neither as a local nor as a remote"), \
            drawn_history(workspace, ["main", "release"]):
        pass


def test_the_site_builds_from_a_detached_checkout(origin: dict[str, str | Path],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = tmp_path / "detached"  # as pages.yml checks out the results commit
    checkout(Path(origin["bare"]), workspace, {"ref": origin["results"], "fetch-depth": 0},
             GITHUB)
    monkeypatch.setattr(site_build, "vendor_site", lambda *args: [])  # npm: tests/site
    monkeypatch.setattr(site_build, "fetch_checked", lambda *args: b"")
    html = site_build.build(workspace / "asv.conf.json", tmp_path / "cache")
    index = json.loads((html / "index.json").read_text())
    assert origin["measured"] in index["revision_to_hash"].values()
    assert index["params"]["branch"] == ["main"] and "v1" in index["tags"]
    graph = next((html / "graphs").rglob("bench_create_wait.TaskCost.track_seconds_per_task"
                                         ".json"))
    assert json.loads(graph.read_text())  # the result is drawn on main's line


def test_a_commit_merged_in_from_the_side_is_not_on_the_first_parent_history(
        tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    git(repo, "commit", "-q", "--allow-empty", "-m", "base")
    git(repo, "checkout", "-q", "-b", "side")
    git(repo, "commit", "-q", "--allow-empty", "-m", "measured on the side")
    side = git(repo, "rev-parse", "HEAD").stdout.strip()
    git(repo, "checkout", "-q", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "on main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge the side", "side")
    drawn = first_parent_commits(repo, ["main"])
    assert git(repo, "rev-parse", "HEAD").stdout.strip() in drawn
    assert side not in drawn  # asv would draw none of its results
    assert len(drawn) == 3

"""The benchmark workflow's plan: the commit inputs.ref names, and published or a try-out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from standins import checkout
from taskbench.jobs import ciplan as plan


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A checkout of main as the plan job makes it, with a side branch and a tag."""
    work, bare = tmp_path / "work", tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "-b", "main", str(work))
    for message in ("first", "second"):
        git(work, "commit", "-q", "--allow-empty", "-m", message)
    git(work, "tag", "v1", "HEAD^")
    git(work, "checkout", "-q", "-b", "side", "HEAD^")
    git(work, "commit", "-q", "--allow-empty", "-m", "on the side")
    commits = {name: git(work, "rev-parse", name) for name in ("main", "main^", "side")}
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    checkout(bare, tmp_path / "ws", {"fetch-depth": 0},
             {"ref": "refs/heads/main", "sha": commits["main"]})
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return commits


def test_no_ref_measures_the_run_s_commit_and_publishes_unless_quick(
        workspace: dict[str, str]) -> None:
    assert plan.plan("", quick=False) == (workspace["main"], True, plan.plan("", False)[2])
    commit, publish, why = plan.plan("", quick=True)
    assert (commit, publish) == (workspace["main"], False) and "try-out" in why


@pytest.mark.parametrize(("ref", "key", "published"), [
    ("main", "main", True), ("v1", "main^", True), ("side", "side", False),
    ("main^", "main^", True)])
def test_a_branch_tag_or_commit_is_resolved_and_off_history_is_a_tryout(
        workspace: dict[str, str], ref: str, key: str, published: bool) -> None:
    commit, publish, _ = plan.plan(ref, quick=False)
    assert (commit, publish) == (workspace[key], published)
    assert plan.plan(workspace[key], quick=False)[:2] == (workspace[key], published)


@pytest.mark.parametrize("ref", ["no-such-branch", "0" * 40, "-e", "a b"])
def test_a_ref_that_names_nothing_is_a_clear_error_before_anything_is_measured(
        workspace: dict[str, str], ref: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert plan.main([f"--ref={ref}"]) == 1  # as the workflow passes it
    err = capsys.readouterr().err
    assert err.startswith("::error::") and repr(ref) in err and "nothing was measured" in err
    assert not output.exists()  # no commit: no bench job can start


def test_the_plan_is_written_for_the_jobs_after_it(workspace: dict[str, str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert plan.main(["--ref", "side"]) == 0
    assert output.read_text() == f"commit={workspace['side']}\npublish=false\n"

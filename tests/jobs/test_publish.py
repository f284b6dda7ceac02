"""Issue 31: a protected main refuses the bot's push, and the results land another way or are
kept where the job's summary says; a repository may have them in a pull request instead."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from conftest import write_results
from standins import GitHubApi
from taskbench.catalogue import TASK_COST
from taskbench.jobs import publish, pullrequest

DECLINE = ("#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then\n"
           "    echo 'error: GH006: Protected branch update failed for refs/heads/main.' >&2\n"
           "    echo 'error: Changes must be made through a pull request.' >&2\n"
           "    exit 1\n  fi\ndone\n")


def git(*args: str | Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *map(str, args)],
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """An origin whose main is protected, a checkout of it, incoming results, and GitHub's
    files for the job's outputs and summary."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    git("init", "-q", "--bare", "-b", "main", origin)
    git("clone", "-q", origin, work)
    (work / "asv.conf.json").write_text('{"version": 1, "results_dir": "results"}')
    git("-C", work, "add", "-A")
    git("-C", work, "commit", "-q", "-m", "start")
    git("-C", work, "push", "-q", "origin", "HEAD:main")
    (origin / "hooks" / "pre-receive").write_text(DECLINE)
    (origin / "hooks" / "pre-receive").chmod(0o755)
    write_results(tmp_path / "incoming" / "results-ubuntu-24.04",
                  {TASK_COST: {(1,): [5.0, 6.0]}}, machine="gha-ubuntu-24.04-x64")
    monkeypatch.chdir(work)
    files = {name: tmp_path / f"{name}.txt" for name in ("output", "summary")}
    for path in files.values():
        path.write_text("")
    for key, value in (("GITHUB_REF", "refs/heads/main"), ("GITHUB_RUN_ID", "77"),
                       ("GITHUB_OUTPUT", str(files["output"])),
                       ("GITHUB_STEP_SUMMARY", str(files["summary"]))):
        monkeypatch.setenv(key, value)
    monkeypatch.delenv(publish.VARIABLE, raising=False)
    return {"origin": origin, "incoming": tmp_path / "incoming", **files}


def run(repository: dict[str, Path], *options: str) -> int:
    return publish.main([str(repository["incoming"]), "--wait", "0", "--keep-as",
                         "unpushed-results", *options])


def test_a_protected_main_is_named_once_with_what_to_do_and_the_kept_artifact(
        repository: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    before = git("-C", repository["origin"], "rev-parse", "main")
    assert run(repository) == 1
    err = capsys.readouterr().err
    assert "GH006" in err and "attempt 2" not in err  # refused for good: not retried
    (advice,) = [line for line in err.splitlines() if "refused the bot's push" in line]
    assert advice.startswith("error: main is protected and refused the bot's push")
    assert "github-actions[bot]" in advice and "TASKBENCH_RESULTS_VIA=pull-request" in advice
    assert "artifact unpushed-results" in advice
    summary = repository["summary"].read_text()
    assert "unpushed-results" in summary and "TASKBENCH_RESULTS_VIA=pull-request" in summary
    assert "kept=unpushed-results" in repository["output"].read_text()
    assert "commit=" not in repository["output"].read_text()  # no site rebuilt from it
    assert git("-C", repository["origin"], "rev-parse", "main") == before


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubApi]:
    api = GitHubApi(reply={"html_url": "https://example.invalid/pull/5"})
    for key, value in {**api.environment(), "GITHUB_REPOSITORY": "example/taskbench",
                       "GH_TOKEN": "token-for-the-test"}.items():
        monkeypatch.setenv(key, value)
    yield api
    api.close()


def test_with_pull_requests_chosen_the_results_come_in_one(
        repository: dict[str, Path], github: GitHubApi,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(publish.VARIABLE, "pull-request")
    before = git("-C", repository["origin"], "rev-parse", "main")
    assert run(repository) == 0
    (request,) = github.requests
    assert request["path"] == "/repos/example/taskbench/pulls"
    assert request["body"]["head"] == "taskbench-results/run-77"
    assert request["body"]["base"] == "main" and request["authorization"] == (
        "Bearer token-for-the-test")
    branch = "refs/heads/taskbench-results/run-77"
    landed = git("-C", repository["origin"], "ls-tree", "-r", "--name-only", branch)
    assert "results/gha-ubuntu-24.04-x64/machine.json" in landed.splitlines()
    assert git("-C", repository["origin"], "rev-parse", "main") == before
    assert "https://example.invalid/pull/5" in repository["summary"].read_text()
    assert "commit=" not in repository["output"].read_text()


def test_a_pull_request_github_actions_may_not_open_says_which_setting(
        repository: dict[str, Path], github: GitHubApi,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    github.status, github.reply = 403, {"message": "GitHub Actions is not permitted to "
                                                   "create or approve pull requests."}
    assert run(repository, "--via", "pull-request") == 1
    err = capsys.readouterr().err
    assert pullrequest.ALLOW_ACTIONS in err and "taskbench-results/run-77" in err
    assert "artifact unpushed-results" in err


def test_an_unknown_way_to_land_results_is_refused(
        repository: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(publish.VARIABLE, "pr")
    with pytest.raises(SystemExit) as exited:
        run(repository)
    assert exited.value.code == 2
    assert "TASKBENCH_RESULTS_VIA='pr': give push or pull-request" in capsys.readouterr().err

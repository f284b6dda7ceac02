"""taskbench.site.links: asv's project and commit links come from GitHub's variables, else a
GitHub origin, else the site's own commits page; no link is left pointing at ``#``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from taskbench.site.links import (
    COMMITS_PAGE,
    Commit,
    commit_subjects,
    measured_commits,
    project_links,
    write_commits_page,
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(folder))
    return folder


def test_github_actions_variables_give_the_links(repo: Path) -> None:
    git(repo, "remote", "add", "origin", "git@github.com:someone/else.git")

    links = project_links({"GITHUB_REPOSITORY": "owner/taskbench",
                           "GITHUB_SERVER_URL": "https://github.example.com"}, repo)

    assert links.project_url == "https://github.example.com/owner/taskbench"
    assert links.commit_url == "https://github.example.com/owner/taskbench/commit/"
    assert project_links({"GITHUB_REPOSITORY": "owner/taskbench"}, repo).project_url == \
        "https://github.com/owner/taskbench"


@pytest.mark.parametrize("remote", [
    "https://github.com/owner/taskbench.git", "https://github.com/owner/taskbench",
    "https://x-access-token:secret@github.com/owner/taskbench.git",
    "git@github.com:owner/taskbench.git", "ssh://git@github.com/owner/taskbench.git"])
def test_a_github_origin_gives_the_links(repo: Path, remote: str) -> None:
    git(repo, "remote", "add", "origin", remote)

    links = project_links({}, repo)

    assert links.project_url == "https://github.com/owner/taskbench"
    assert links.commit_url == "https://github.com/owner/taskbench/commit/"
    assert "secret" not in str(links)


@pytest.mark.parametrize("remote", [None, "/work/main", "https://gitlab.com/owner/taskbench.git",
                                    "https://github.com.evil.example/owner/taskbench.git"])
def test_without_a_github_repository_commits_link_to_the_sites_own_page(
        repo: Path, remote: str | None) -> None:
    if remote:
        git(repo, "remote", "add", "origin", remote)

    for environ in ({}, {"GITHUB_REPOSITORY": "not a repository"}):
        links = project_links(environ, repo)
        assert links.project_url is None
        assert links.commit_url == f"{COMMITS_PAGE}#"
        assert links.settings == {"project_url": "", "show_commit_url": f"{COMMITS_PAGE}#"}


def test_a_server_that_is_not_https_is_not_linked(repo: Path) -> None:
    links = project_links({"GITHUB_REPOSITORY": "o/r",
                           "GITHUB_SERVER_URL": "javascript:alert(1)//"}, repo)
    assert links.project_url is None


def test_the_commits_page_has_an_anchor_for_every_short_and_full_hash(repo: Path,
                                                                      tmp_path: Path) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "first <b>bold</b>")
    first = git(repo, "rev-parse", "HEAD")
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    second = git(repo, "rev-parse", "HEAD")
    missing = "f" * 40
    index = {"hash_length": 8, "revision_to_hash": {"0": first, "1": second, "2": missing},
             "revision_to_date": {"0": 1_700_000_000_000, "1": 1_700_000_100_000}}

    subjects = commit_subjects(repo, [first, second, missing])
    commits = measured_commits(index, subjects)
    page = write_commits_page(tmp_path, commits).read_text()

    assert subjects == {first: "first <b>bold</b>", second: "second"}
    assert [c.full for c in commits] == [missing, second, first]  # newest first
    assert commits[-1] == Commit(first[:8], first, "2023-11-14 22:13 UTC", "first <b>bold</b>")
    for full in (first, second, missing):
        assert f'id="{full[:8]}"' in page and f'id="{full}"' in page
    assert "first &lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold" not in page

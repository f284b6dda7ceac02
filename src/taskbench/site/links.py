"""Where the site's project link and commit links point.

asv links its navigation bar to ``project_url`` and every commit it shows (graph points, the
regressions, the benchmark list) to ``show_commit_url`` + the commit's hash; both default to
``#``, a link to nowhere. At publish time they are derived from

1. ``GITHUB_REPOSITORY`` (and ``GITHUB_SERVER_URL``), which GitHub Actions sets in every job;
2. else the checkout's ``origin`` remote, when it is a GitHub address (https or ssh);
3. else nothing: the project link is not shown, and commits link to ``commits.html`` of the
   site itself, a page listing every commit the graphs show (hash, date and subject), so that
   no commit link is dead.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from taskbench import files
from taskbench.git import GitError, git

COMMITS_PAGE = "commits.html"
REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
# https://[user@]github.com/o/r[.git], ssh://git@github.com/o/r[.git], git@github.com:o/r[.git]
GITHUB_REMOTE = re.compile(r"(?:https://(?:[^@/]+@)?|ssh://git@|git@)github\.com[:/]"
                           r"(?P<repository>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?")


@dataclass(frozen=True)
class Links:
    """asv's ``project_url`` (None: no project link) and ``show_commit_url``."""

    project_url: str | None
    commit_url: str

    @property
    def settings(self) -> dict[str, str]:
        """The configuration keys asv publishes them from."""
        return {"project_url": self.project_url or "", "show_commit_url": self.commit_url}


def origin_url(repo: Path) -> str | None:
    """The ``origin`` remote's address in ``repo``, or None when there is none."""
    try:
        return git("remote", "get-url", "origin", repo=repo)
    except GitError:
        return None


def project_links(environ: Mapping[str, str], repo: Path) -> Links:
    """The links for a site built from ``repo`` in the environment ``environ``."""
    repository = environ.get("GITHUB_REPOSITORY", "")
    base = None
    if REPOSITORY.fullmatch(repository):
        server = environ.get("GITHUB_SERVER_URL", "") or "https://github.com"
        if re.fullmatch(r"https://[A-Za-z0-9.-]+(:\d+)?/?", server):
            base = f"{server.rstrip('/')}/{repository}"
    if base is None:
        remote = GITHUB_REMOTE.fullmatch(origin_url(repo) or "")
        if remote:
            base = f"https://github.com/{remote.group('repository')}"
    if base is None:
        return Links(None, f"{COMMITS_PAGE}#")
    return Links(base, f"{base}/commit/")


@dataclass(frozen=True)
class Commit:
    short: str
    full: str
    date: str
    subject: str


def measured_commits(index: dict[str, Any], subjects: Mapping[str, str]) -> list[Commit]:
    """Every commit asv's index names, newest first, with its subject where git gave one."""
    length = int(index.get("hash_length") or 8)
    dates = index.get("revision_to_date", {})
    found: list[tuple[int, Commit]] = []
    for revision, full in index.get("revision_to_hash", {}).items():
        stamp = dates.get(revision) or dates.get(str(revision))
        date = (datetime.datetime.fromtimestamp(stamp / 1000, datetime.timezone.utc)
                .strftime("%Y-%m-%d %H:%M UTC") if isinstance(stamp, (int, float)) else "")
        found.append((int(revision), Commit(full[:length], full, date, subjects.get(full, ""))))
    return [commit for _, commit in sorted(found, key=lambda pair: pair[0], reverse=True)]


def commit_subjects(repo: Path, hashes: list[str]) -> dict[str, str]:
    """Each commit's subject line, read from ``repo`` (none for a commit it lacks)."""
    if not hashes:
        return {}
    try:
        shown = git("log", "--no-walk=unsorted", "--ignore-missing", "--format=%H%x1f%s",
                    *hashes, repo=repo)
    except GitError:
        return {}
    pairs = (line.split("\x1f", 1) for line in shown.splitlines() if "\x1f" in line)
    return {full: subject for full, subject in pairs}


def write_commits_page(html_dir: Path, commits: list[Commit]) -> Path:
    """``commits.html``: the page asv's commit links point to when there is no repository."""
    from taskbench.reports.page import environment

    page = environment().get_template("commits.html.j2").render(commits=commits)
    target = html_dir / COMMITS_PAGE
    files.write_text(target, page)
    return target

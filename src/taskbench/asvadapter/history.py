"""The git history asv reads, whole, from any checkout of the repository.

``asv publish`` (asv 0.6.6: ``commands/publish.py``, ``plugins/git.py``) asks git for

* ``git rev-list --first-parent BRANCH`` for every branch in ``asv.conf.json``'s
  ``branches``: a result is drawn only on the branches whose first-parent history holds its
  commit, and a branch that does not resolve stops it (exit 128, ``ProcessError``);
* ``git rev-list --all --date-order``, to number the results' commits along the x-axis;
* ``git tag -l`` and each tag's commit and date, to mark tags on the graphs;

and ``asv run`` without a range (the only way it runs in an ``existing`` environment, as on
Windows) resolves every configured branch by name too (``commands/run.py``).

A checkout made from a commit id (actions/checkout given a SHA, or a pull request's merge
ref) is detached and has no local branch at all; a checkout of another branch has no
``main``, or a stale one; a shallow clone lacks the commits the results name, so that asv
draws nothing. Rather than create branches in the user's checkout, asv is pointed at a
scratch repository: a bare one sharing the checkout's object store
(``objects/info/alternates``: nothing is copied), holding the checkout's tags and, as the
first configured branch, the commit checked out. The site thus shows the history of what
was built, under the branch name ``asv.conf.json`` gives; any further configured branch is
the local branch of that name or else the remote-tracking one. A shallow checkout is first
deepened from its remote (``git fetch --unshallow``): only objects are added to it.
No library does this; it is a handful of plumbing commands. Used by the site's build and by
the CI job's Windows mode. What git reads (the ``alternates`` file, ``update-ref``'s input) is
written as bytes ending in ``"\n"``, never through a text-mode stream: on Windows that would
end each line with ``"\r\n"``, which git does not strip.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Sequence

from taskbench.asvadapter.config import config_path
from taskbench.git import git, try_git

HOW_TO_CLONE = ("asv publish reads the history of the commits the results name: clone with "
                "full history (actions/checkout: fetch-depth: 0)")


class HistoryError(ValueError):
    """The history asv needs cannot be had from this checkout; the message says why."""


def configured_repo(config: Path, settings: dict[str, Any]) -> Path:
    """The repository ``asv.conf.json`` names (``"repo"``, relative to the file)."""
    return config.parent / config_path(settings, "repo")


def deepen(repo: Path) -> bool:
    """Fetch the whole history into a shallow checkout; whether there was anything to do."""
    if git("rev-parse", "--is-shallow-repository", repo=repo) != "true":
        return False
    remotes = git("remote", repo=repo).split()
    if not remotes:
        raise HistoryError(f"{repo} is a shallow clone with no remote to fetch its history "
                        f"from; {HOW_TO_CLONE}")
    remote = "origin" if "origin" in remotes else remotes[0]
    print(f"This checkout is shallow: fetching its history from {remote} ...", flush=True)
    fetched = try_git("fetch", "--quiet", "--unshallow", remote, repo=repo)
    if fetched.returncode != 0:
        raise HistoryError(f"{repo} is a shallow clone and `git fetch --unshallow {remote}` "
                        f"failed ({fetched.stderr.strip()}); {HOW_TO_CLONE}")
    return True


def branch_commit(repo: Path, branch: str) -> str:
    """The commit of the local branch ``branch``, or else of a remote-tracking one."""
    listed = git("for-each-ref", "--format=%(refname) %(objectname)", f"refs/heads/{branch}",
                 f"refs/remotes/*/{branch}", repo=repo).split("\n")
    found = dict(line.split(" ", 1) for line in listed if line.strip())
    local = found.get(f"refs/heads/{branch}")
    remote = found.get(f"refs/remotes/origin/{branch}") or next(iter(found.values()), None)
    commit = local or remote
    if commit is None:
        raise HistoryError(f"the branch {branch!r} that asv.conf.json's branches names is not in "
                        f"{repo}, neither as a local nor as a remote-tracking branch")
    return commit


def history_refs(repo: Path, branches: Sequence[str]) -> list[tuple[str, str]]:
    """(ref, object) for the scratch repository: the configured branches, then the tags."""
    if not branches or not all(isinstance(name, str) and name for name in branches):
        raise HistoryError("asv.conf.json's branches must name at least one branch")
    head = git("rev-parse", "--verify", "HEAD^{commit}", repo=repo)
    refs = [(f"refs/heads/{branches[0]}", head)]
    refs += [(f"refs/heads/{name}", branch_commit(repo, name)) for name in branches[1:]]
    tags = git("for-each-ref", "--format=%(refname) %(objectname)", "refs/tags", repo=repo)
    for line in tags.splitlines():
        ref, _, target = line.partition(" ")
        refs.append((ref, target))
    return refs


def first_parent_commits(repo: Path, branches: Sequence[str]) -> set[str]:
    """Every commit asv draws results for: the first-parent history of each branch."""
    return {line for branch in branches
            for line in git("rev-list", "--first-parent", branch, repo=repo).split()}


@contextmanager
def drawn_history(repo: Path, branches: Sequence[str]) -> Iterator[Path]:
    """A scratch repository with ``repo``'s history as asv publish needs it (see above)."""
    deepen(repo)
    refs = history_refs(repo, branches)
    objects = Path(git("rev-parse", "--path-format=absolute", "--git-common-dir",
                       repo=repo)) / "objects"
    with tempfile.TemporaryDirectory(prefix="taskbench-history-") as temporary:
        scratch = Path(temporary) / "history.git"
        git("init", "--quiet", "--bare", str(scratch), repo=temporary)
        # Bytes, not text: on Windows a text-mode write or pipe ends each line with "\r\n",
        # and git keeps the "\r" ("objects\r does not exist", "expected SP but got").
        (scratch / "objects" / "info" / "alternates").write_bytes(
            f"{objects}\n".encode())
        updates = "".join(f"update {ref} {target}\n" for ref, target in refs)
        done = try_git("update-ref", "--stdin", repo=scratch, stdin=updates)
        if done.returncode != 0:
            raise HistoryError(f"the history for asv publish could not be made: {done.stderr}")
        git("symbolic-ref", "HEAD", f"refs/heads/{branches[0]}", repo=scratch)
        yield scratch

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

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Sequence

from taskbench.asvadapter.config import config_path

HOW_TO_CLONE = ("asv publish reads the history of the commits the results name: clone with "
                "full history (actions/checkout: fetch-depth: 0)")


class HistoryError(ValueError):
    """The history asv needs cannot be had from this checkout; the message says why."""


def configured_repo(config: Path, settings: dict[str, Any]) -> Path:
    """The repository ``asv.conf.json`` names (``"repo"``, relative to the file)."""
    return config.parent / config_path(settings, "repo")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``git -C repo ARGS``; HistoryError naming the command when it fails and ``check``."""
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              check=False)
    except OSError as error:
        raise HistoryError(f"git cannot run ({error}); asv publish needs it") from None
    if check and done.returncode != 0:
        raise HistoryError(f"`git {' '.join(args)}` failed in {repo}: "
                        f"{(done.stderr or done.stdout).strip()}")
    return done


def deepen(repo: Path) -> bool:
    """Fetch the whole history into a shallow checkout; whether there was anything to do."""
    if git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() != "true":
        return False
    remotes = git(repo, "remote").stdout.split()
    if not remotes:
        raise HistoryError(f"{repo} is a shallow clone with no remote to fetch its history "
                        f"from; {HOW_TO_CLONE}")
    remote = "origin" if "origin" in remotes else remotes[0]
    print(f"This checkout is shallow: fetching its history from {remote} ...", flush=True)
    fetched = git(repo, "fetch", "--quiet", "--unshallow", remote, check=False)
    if fetched.returncode != 0:
        raise HistoryError(f"{repo} is a shallow clone and `git fetch --unshallow {remote}` "
                        f"failed ({fetched.stderr.strip()}); {HOW_TO_CLONE}")
    return True


def branch_commit(repo: Path, branch: str) -> str:
    """The commit of the local branch ``branch``, or else of a remote-tracking one."""
    listed = git(repo, "for-each-ref", "--format=%(refname) %(objectname)",
                 f"refs/heads/{branch}", f"refs/remotes/*/{branch}").stdout.split("\n")
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
    head = git(repo, "rev-parse", "--verify", "HEAD^{commit}").stdout.strip()
    refs = [(f"refs/heads/{branches[0]}", head)]
    refs += [(f"refs/heads/{name}", branch_commit(repo, name)) for name in branches[1:]]
    tags = git(repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/tags").stdout
    for line in tags.splitlines():
        ref, _, target = line.partition(" ")
        refs.append((ref, target))
    return refs


def first_parent_commits(repo: Path, branches: Sequence[str]) -> set[str]:
    """Every commit asv draws results for: the first-parent history of each branch."""
    return {line for branch in branches for line in git(
        repo, "rev-list", "--first-parent", branch).stdout.split()}


@contextmanager
def drawn_history(repo: Path, branches: Sequence[str]) -> Iterator[Path]:
    """A scratch repository with ``repo``'s history as asv publish needs it (see above)."""
    deepen(repo)
    refs = history_refs(repo, branches)
    objects = Path(git(repo, "rev-parse", "--path-format=absolute",
                       "--git-common-dir").stdout.strip()) / "objects"
    with tempfile.TemporaryDirectory(prefix="taskbench-history-") as temporary:
        scratch = Path(temporary) / "history.git"
        git(Path(temporary), "init", "--quiet", "--bare", str(scratch))
        # Bytes, not text: on Windows a text-mode write or pipe ends each line with "\r\n",
        # and git keeps the "\r" ("objects\r does not exist", "expected SP but got").
        (scratch / "objects" / "info" / "alternates").write_bytes(
            f"{objects}\n".encode())
        updates = "".join(f"update {ref} {target}\n" for ref, target in refs)
        done = subprocess.run(["git", "-C", str(scratch), "update-ref", "--stdin"],
                              input=updates.encode(), capture_output=True, check=False)
        if done.returncode != 0:
            raise HistoryError("the history for asv publish could not be made: "
                               + done.stderr.decode("utf-8", errors="replace"))
        git(scratch, "symbolic-ref", "HEAD", f"refs/heads/{branches[0]}")
        yield scratch

"""The benchmark workflow's first job: which commit to measure, and whether to publish it.

``inputs.ref`` (a commit id, a branch or a tag; empty: the commit the run was started on) is
resolved here, in the full clone actions/checkout made, before anything is measured: a name
that is no commit, branch or tag of the repository stops the run with an error saying so,
and no bench job starts. Every bench job is then given the same full commit id.

A run is *published* (merged into ``results/``, the site rebuilt) only when it measured
what the site is about: a full run, not ``quick``, of a commit on the first-parent history
of the commit the run was started on (the history ``asv publish`` draws). Anything else is
a *try-out*: its jobs show their figures in their summaries and upload them as artifacts,
and nothing is pushed. Whether the run's own branch is the default one is decided later,
by the merge job (:mod:`taskbench.jobs.publish`), which asks the remote. Standard library
only: it runs before any tool is installed.

Usage::

    python -m taskbench.jobs.ciplan [--ref REF] [--quick]

It prints the plan and writes ``commit=<sha>`` and ``publish=true|false`` to
``$GITHUB_OUTPUT``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from taskbench.git import GitError, try_git


class PlanError(Exception):
    """The ref cannot be measured; the message says why."""


def resolve(ref: str) -> str:
    """The full commit id ``ref`` names: a branch (as fetched), a tag or a commit id."""
    ref = ref.strip()
    if ref.startswith("-") or any(character.isspace() for character in ref):
        raise PlanError(f"{ref!r} is not a commit id, branch or tag name")
    # A branch before a tag of the same name, as actions/checkout chooses.
    candidates = ([f"refs/remotes/origin/{ref}", f"refs/heads/{ref}", f"refs/tags/{ref}", ref]
                  if ref else ["HEAD"])
    for candidate in candidates:
        found = try_git("rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}")
        if found.returncode == 0:
            return found.stdout.strip()
    if try_git("rev-parse", "--git-dir").returncode != 0:
        raise PlanError("this is not a git checkout")
    raise PlanError(f"inputs.ref {ref!r} is no commit id, branch or tag of this repository "
                    "(a commit must be on a branch or a tag to be fetched)")


def on_first_parent_history(commit: str, tip: str = "HEAD") -> bool:
    listed = try_git("rev-list", "--first-parent", tip)
    return listed.returncode == 0 and commit in listed.stdout.split()


def plan(ref: str, quick: bool) -> tuple[str, bool, str]:
    """(commit, publish, why) for a run given ``ref`` and ``quick``."""
    commit = resolve(ref)
    if quick:
        return commit, False, "a quick run is a try-out"
    if not on_first_parent_history(commit):
        return commit, False, ("the commit is not on the first-parent history of the branch "
                               "the run was started on: a try-out")
    return commit, True, "a full run of the branch's history: published if it is the default"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.ciplan", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 with a plan, 1 when the ref names nothing to measure.")
    parser.add_argument("--ref", default="", help="commit id, branch or tag (default: HEAD)")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    try:
        commit, publish, why = plan(args.ref, args.quick)
    except (PlanError, GitError) as error:
        prefix = "::error::" if os.environ.get("GITHUB_ACTIONS") == "true" else "error: "
        print(f"{prefix}{error}; nothing was measured.", file=sys.stderr)
        return 1
    print(f"Measuring {commit} ({args.ref or 'the commit the run was started on'}): {why}.")
    output = os.environ.get("GITHUB_OUTPUT", "").strip()
    if output:
        with open(output, "a", encoding="utf-8") as stream:
            stream.write(f"commit={commit}\npublish={'true' if publish else 'false'}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

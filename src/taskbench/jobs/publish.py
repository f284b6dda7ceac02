"""The benchmark workflow's merge job: land every CI job's results on the default branch.

Four decisions are made here, in Python, rather than in the workflow's YAML:

* **Whether to push at all.** Results land only on the default branch. A workflow
  expression cannot tell reliably (a scheduled run's event carries no ``repository``), so
  the remote is asked: ``git ls-remote --symref origin HEAD`` names its default branch,
  held against ``GITHUB_REF`` (or the checked-out branch). Elsewhere the artifacts are
  merged into the checkout, which checks them, and nothing is pushed.
* **What to commit.** :func:`taskbench.jobs.merge.merge` of the downloaded artifacts into
  ``results/``: every file checked, a corrupt or truncated one named and left out while the
  rest lands, and no result replaced by an older one.
* **Where the results land.** Pushed to the default branch; or, with ``--via pull-request``
  (the repository variable ``TASKBENCH_RESULTS_VIA``), pushed to a branch of their own with a
  pull request opened from it (:mod:`taskbench.jobs.pullrequest`), for a default branch the
  bot may not push to. When a protected branch or a ruleset refuses the push
  (``[remote rejected]``, GitHub's GH006 or GH013), retrying cannot help: it says in one line
  what to do (let the bot bypass the protection, or switch to pull requests), and, like any
  run whose results did not land, names the artifact the workflow keeps them in
  (``--keep-as``), in the log and in the job's summary.
* **How to survive a race.** The benchmark jobs run for up to two hours and ``main`` may
  move meanwhile; the push is then rejected. Instead of failing (which lost every result of
  the run), it fetches the branch again, resets the checkout to it, merges again (the merge
  is idempotent and never goes backwards, so merging onto the new tip is all a rebase
  would do), commits and pushes, a few times. Whatever happens, the artifacts still hold
  the results, so giving up loses nothing but time.

Usage::

    python -m taskbench.jobs.publish INCOMING [INCOMING ...] [--results results]
        [--remote origin] [--attempts 5] [--wait 5] [--via push|pull-request]
        [--keep-as ARTIFACT]

When it pushed a commit to the default branch, it writes ``commit=<sha>`` to
``$GITHUB_OUTPUT``: the workflow rebuilds the site from that commit; a pull request's address
is written as ``pull-request=``, and ``kept=ARTIFACT`` when nothing landed. Incoming folders
that hold no file at all (every job failed before uploading: the workflow makes the folder,
since download-artifact makes none when nothing matched) are "nothing to merge": exit 0, no
commit.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from taskbench import arguments
from taskbench.arguments import bounded
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.git import Done, git, try_git
from taskbench.jobs.merge import Report, merge
from taskbench.jobs.preamble import annotate, step_summary
from taskbench.jobs.pullrequest import PullRequestError, open_pull_request

IDENTITY = ["-c", "user.name=github-actions[bot]",
            "-c", "user.email=41898282+github-actions[bot]@users.noreply.github.com"]
# How the results land: pushed to the default branch, or (for a branch the bot may not push
# to) in a pull request. The workflow hands the repository variable over as an option.
PUSH, PULL_REQUEST = "push", "pull-request"
VARIABLE = "TASKBENCH_RESULTS_VIA"
RESULTS_BRANCH = "taskbench-results"
# What GitHub says when a branch's protection or a ruleset refuses a push.
PROTECTED = ("GH006", "GH013", "protected branch")
WHAT_TO_DO = ("{branch} is protected and refused the bot's push: let github-actions[bot] "
              "bypass its protection (Settings → Rules or Branches), or set the repository "
              f"variable {VARIABLE}={PULL_REQUEST} so that this job opens a pull request with "
              "the results instead")


class PublishError(Exception):
    """Publishing cannot start; the message says why."""


def default_branch(remote: str) -> str:
    """The remote's default branch, from its HEAD symref (``ref: refs/heads/main\\tHEAD``)."""
    listing = git("ls-remote", "--symref", remote, "HEAD")
    for line in listing.splitlines():
        target, _, name = line.partition("\t")
        if target.startswith("ref: refs/heads/") and name == "HEAD":
            return target[len("ref: refs/heads/"):]
    raise PublishError(f"{remote} names no default branch (`git ls-remote --symref {remote} "
                       "HEAD` shows no HEAD symref)")


def this_ref() -> str:
    """The ref this run is for: ``GITHUB_REF``, or else the checked-out branch."""
    ref = os.environ.get("GITHUB_REF", "").strip()
    if ref:
        return ref
    return try_git("symbolic-ref", "-q", "HEAD").stdout.strip() or "(detached HEAD)"


def show(report: Report) -> None:
    """The merge's report, and on GitHub an annotation for everything it refused."""
    print("\n".join(report.lines()))
    for reason in report.refused:
        annotate(f"merge refused {reason}")


def attempt(incomings: Sequence[Path], results: Path, remote: str, branch: str,
            message: str) -> tuple[str | None, Report]:
    """Fetch the branch, reset the checkout to it, merge, commit; the commit, or None when
    the merge changed nothing."""
    git("fetch", "--quiet", remote, f"refs/heads/{branch}")
    git("reset", "--quiet", "--hard", "FETCH_HEAD")
    report = merge(incomings, results)
    git("add", "--all", "--", str(results))
    if try_git("diff", "--cached", "--quiet").returncode == 0:
        return None, report
    git(*IDENTITY, "commit", "--quiet", "-m", message)
    return git("rev-parse", "HEAD"), report


def summary(report: Report) -> str:
    return (f"{len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.refused)} refused")


def _output(key: str, value: str) -> None:
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8", newline="\n") as stream:
            stream.write(f"{key}={value}\n")


def refused_for_good(pushed: Done) -> bool:
    """Whether the remote itself refused the push (a protected branch, a ruleset, a hook:
    ``[remote rejected]``), which no retry changes, rather than the branch having moved
    (``[rejected]``, fetch first)."""
    text = pushed.stdout + pushed.stderr
    return "[remote rejected]" in text or any(mark in text for mark in PROTECTED)


def kept(branch: str, why: str, keep_as: str) -> int:
    """Nothing landed on ``branch``: say why and what to do in one line, and where the
    results are kept (the job's summary too); exit status 1."""
    where = (f"the results are kept in this run's artifact {keep_as} (download it, then in a "
             f"checkout of {branch}: `python -m taskbench.jobs.merge {keep_as} results`, and "
             "commit)" if keep_as else "the results are still in this run's artifacts")
    print(f"error: {why}; {where}.", file=sys.stderr)
    annotate(f"{why}; {where}.")
    step_summary(f"### Nothing was pushed to {branch}\n\n{why}.\n\nThe results: {where}.\n")
    _output("kept", keep_as)
    return 1


def by_pull_request(commit: str, branch: str, report: Report, run: str, remote: str,
                    keep_as: str) -> int:
    """The merged commit pushed to a branch of its own, and a pull request opened from it."""
    head = f"{RESULTS_BRANCH}/run-{run}"
    pushed = try_git("push", "--porcelain", "--force", remote, f"HEAD:refs/heads/{head}")
    if pushed.returncode != 0:
        return kept(branch, f"the branch {head} could not be pushed: "
                    f"{(pushed.stderr or pushed.stdout).strip()}", keep_as)
    try:
        address = open_pull_request(head, branch, f"Results: benchmark workflow run {run}",
                                    f"{summary(report)} (see the run's merge job).")
    except PullRequestError as error:
        return kept(branch, f"the results are on the branch {head}, but no pull request "
                    f"could be opened: {error}", keep_as)
    print(f"Pushed {commit[:12]} to {head} and opened a pull request into {branch}: {address}")
    step_summary(f"### Results in a pull request\n\n{summary(report)}: {address} (from "
                 f"{head}).\n")
    _output("pull-request", address)
    return 0


def publish(incomings: Sequence[Path], results: Path, remote: str, attempts: int,
            wait: float, via: str = PUSH, keep_as: str = "") -> int:
    branch = default_branch(remote)
    ref = this_ref()
    if ref != f"refs/heads/{branch}":
        report = merge(incomings, results)
        show(report)
        print(f"This run is for {ref}, not the default branch {branch}: the results were "
              "merged into the checkout to check them, and nothing is pushed.")
        return 0
    run = os.environ.get("GITHUB_RUN_ID", "").strip() or "outside GitHub"
    shown = False
    for number in range(1, attempts + 1):
        try:
            commit, report = attempt(incomings, results, remote, branch,
                                     f"results: benchmark workflow run {run}")
        except (PublishError, OSError, ValueError) as error:
            print(f"attempt {number} of {attempts}: {error}", file=sys.stderr)
        else:
            if not shown:  # what is refused is the same on every attempt
                show(report)
                shown = True
            if commit is None:
                print(f"Nothing new for {branch}: every incoming result is already there "
                      "(or was refused, see above).")
                return 0
            if via == PULL_REQUEST:
                return by_pull_request(commit, branch, report, run, remote, keep_as)
            pushed = try_git("push", "--porcelain", remote, f"HEAD:refs/heads/{branch}")
            if pushed.returncode == 0:
                print(f"Pushed {commit[:12]} to {branch} ({summary(report)}) on attempt "
                      f"{number} of {attempts}.")
                _output("commit", commit)
                return 0
            if refused_for_good(pushed):
                print((pushed.stderr + pushed.stdout).strip(), file=sys.stderr)
                return kept(branch, WHAT_TO_DO.format(branch=branch), keep_as)
            print(f"attempt {number} of {attempts}: the push was rejected ({branch} moved "
                  f"meanwhile?): {(pushed.stderr or pushed.stdout).strip()}", file=sys.stderr)
        if number < attempts:
            print(f"Fetching {branch} again and merging onto it in {wait * number:g} s.",
                  file=sys.stderr)
            time.sleep(wait * number)
    return kept(branch, f"the results could not be pushed to {branch} after {attempts} "
                "attempts (re-running this job tries again)", keep_as)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.publish", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the results were pushed (or a pull request with them "
               "opened), or there was nothing to merge or nothing new, or this is not the "
               "default branch; 1 when nothing landed (every push rejected, the branch "
               "protected, or no pull request could be opened); 2 when it could not start.")
    parser.add_argument("incoming", nargs="+", type=arguments.path,
                        help="folders of downloaded artifacts")
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    parser.add_argument("--remote", default="origin")
    parser.add_argument("--attempts", type=bounded(int, 1, 10), default=5, metavar="1..10")
    parser.add_argument("--wait", type=bounded(float, 0.0, 300.0), default=5.0,
                        help="seconds before the second attempt (then twice that, ...)")
    parser.add_argument("--via", choices=[PUSH, PULL_REQUEST],
                        default=os.environ.get(VARIABLE, "").strip() or PUSH,
                        help=f"push to the default branch, or open a pull request (default: "
                             f"${VARIABLE}, else {PUSH})")
    parser.add_argument("--keep-as", default="", metavar="ARTIFACT",
                        help="the artifact the workflow keeps the incoming results in when "
                             "nothing lands; named in the job's summary")
    args = parser.parse_args(argv)
    if args.via not in (PUSH, PULL_REQUEST):  # argparse checks no default against choices
        parser.error(f"${VARIABLE}={args.via!r}: give {PUSH} or {PULL_REQUEST}")
    if not args.remote.strip() or args.remote.startswith("-"):
        parser.error(f"--remote {args.remote!r} is not a remote's name")
    missing = [str(path) for path in args.incoming if not path.is_dir()]
    if missing:
        print(f"error: no such folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if not any(path.is_file() for folder in args.incoming for path in folder.rglob("*")):
        print(f"Nothing to merge: {', '.join(map(str, args.incoming))} holds no files (no job "
              "uploaded results); nothing was committed.")
        return 0
    try:
        return publish(args.incoming, args.results or results_dir(), args.remote, args.attempts,
                       args.wait, args.via, args.keep_as)
    except (PublishError, ConfigError, OSError, ValueError) as error:
        print(f"error: nothing was pushed: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

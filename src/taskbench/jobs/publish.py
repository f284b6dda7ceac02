"""The benchmark workflow's merge job: land every CI job's results on the default branch.

Three decisions are made here, in Python, rather than in the workflow's YAML:

* **Whether to push at all.** Results land only on the default branch. A workflow
  expression cannot tell reliably (a scheduled run's event carries no ``repository``), so
  the remote is asked: ``git ls-remote --symref origin HEAD`` names its default branch,
  held against ``GITHUB_REF`` (or the checked-out branch). Elsewhere the artifacts are
  merged into the checkout, which checks them, and nothing is pushed.
* **What to commit.** :func:`taskbench.jobs.merge.merge` of the downloaded artifacts into
  ``results/``: every file checked, a corrupt or truncated one named and left out while the
  rest lands, and no result replaced by an older one.
* **How to survive a race.** The benchmark jobs run for up to two hours and ``main`` may
  move meanwhile; the push is then rejected. Instead of failing (which lost every result of
  the run), it fetches the branch again, resets the checkout to it, merges again (the merge
  is idempotent and never goes backwards, so merging onto the new tip is all a rebase
  would do), commits and pushes, a few times. Whatever happens, the artifacts still hold
  the results, so giving up loses nothing but time.

Usage::

    python -m taskbench.jobs.publish INCOMING [INCOMING ...] [--results results]
        [--remote origin] [--attempts 5] [--wait 5]

When it pushed a commit, it writes ``commit=<sha>`` to ``$GITHUB_OUTPUT``: the workflow
rebuilds the site from that commit. Incoming folders that hold no file at all (every job
failed before uploading: the workflow makes the folder, since download-artifact makes none
when nothing matched) are "nothing to merge": exit 0, no commit.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from taskbench import arguments
from taskbench.arguments import bounded
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.jobs.merge import Report, merge
from taskbench.jobs.preamble import annotate

IDENTITY = ["-c", "user.name=github-actions[bot]",
            "-c", "user.email=41898282+github-actions[bot]@users.noreply.github.com"]


class PublishError(Exception):
    """Publishing cannot start; the message says why."""


def git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise PublishError(f"`git {' '.join(args)}` failed: {result.stderr.strip()}")
    return result


def default_branch(remote: str) -> str:
    """The remote's default branch, from its HEAD symref (``ref: refs/heads/main\\tHEAD``)."""
    listing = git("ls-remote", "--symref", remote, "HEAD").stdout
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
    return git("symbolic-ref", "-q", "HEAD", check=False).stdout.strip() or "(detached HEAD)"


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
    if git("diff", "--cached", "--quiet", check=False).returncode == 0:
        return None, report
    git(*IDENTITY, "commit", "--quiet", "-m", message)
    return git("rev-parse", "HEAD").stdout.strip(), report


def summary(report: Report) -> str:
    return (f"{len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.refused)} refused")


def publish(incomings: Sequence[Path], results: Path, remote: str, attempts: int,
            wait: float) -> int:
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
            pushed = git("push", "--porcelain", remote, f"HEAD:refs/heads/{branch}",
                         check=False)
            if pushed.returncode == 0:
                print(f"Pushed {commit[:12]} to {branch} ({summary(report)}) on attempt "
                      f"{number} of {attempts}.")
                output = os.environ.get("GITHUB_OUTPUT")
                if output:
                    with open(output, "a", encoding="utf-8") as stream:
                        stream.write(f"commit={commit}\n")
                return 0
            print(f"attempt {number} of {attempts}: the push was rejected ({branch} moved "
                  f"meanwhile?): {(pushed.stderr or pushed.stdout).strip()}", file=sys.stderr)
        if number < attempts:
            print(f"Fetching {branch} again and merging onto it in {wait * number:g} s.",
                  file=sys.stderr)
            time.sleep(wait * number)
    print(f"error: the results could not be pushed to {branch} after {attempts} attempts; "
          "they are still in this run's artifacts: re-run this job.", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.publish", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the results were pushed, or there was nothing to merge "
               "or nothing new, or "
               "this is not the default branch; 1 when every push was rejected; 2 when it "
               "could not start.")
    parser.add_argument("incoming", nargs="+", type=arguments.path,
                        help="folders of downloaded artifacts")
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    parser.add_argument("--remote", default="origin")
    parser.add_argument("--attempts", type=bounded(int, 1, 10), default=5, metavar="1..10")
    parser.add_argument("--wait", type=bounded(float, 0.0, 300.0), default=5.0,
                        help="seconds before the second attempt (then twice that, ...)")
    args = parser.parse_args(argv)
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
                       args.wait)
    except (PublishError, ConfigError, OSError, ValueError) as error:
        print(f"error: nothing was pushed: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

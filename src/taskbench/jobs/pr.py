"""A pull request's relative benchmark: asv's ``continuous``, base against head, then the
exact counts compared.

One job, one runner, one interpreter (``--name``, 3.12 in the workflow), ``--quick``, as
scikit-image does for its pull requests. Two verdicts, held to what each can bear:

* the timed figures, measured once each, can only hint: asv's own table is printed for
  reading and a slower verdict becomes a warning, never a failed check;
* the exact counts (instructions, bytes per task) repeat to within a fraction of a percent,
  so they are compared as ``python -m taskbench compare NAME@BASE NAME@HEAD --only exact``
  does, and one that is worse fails the job. Where there are none (the instruction-count
  benchmarks may not exist yet), it says "no exact figures to compare" and passes.

The two commits come from the environment (``BASE_SHA``, ``HEAD_SHA``, set by the workflow
from the event's commit ids) or ``--base``/``--head``; each must be a commit id present in
the checkout. Nothing the pull request's author wrote (title, body, branch names) is read.
Everything asv writes goes to ``--out``, never ``results/``.

Usage::

    BASE_SHA=... HEAD_SHA=... python -m taskbench.jobs.pr --python PATH [--name 3.12]
        [--out pr-results]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Sequence

from taskbench import arguments
from taskbench.asvadapter.config import CONFIG, ConfigError
from taskbench.asvadapter.driver import AsvDriver
from taskbench.catalogue import EXACT, quick_patterns
from taskbench.git import GitError, git
from taskbench.interpreters.names import parse_name
from taskbench.interpreters.provision import DEFAULT_DEST
from taskbench.interpreters.sources import link_executable
from taskbench.jobs import machine as machines
from taskbench.jobs.preamble import (
    interpreter_argument,
    machine_argument,
    step_summary,
    use_provisioned,
    warn,
)
from taskbench.reports.compare import DEFAULT_EXACT_FACTOR, CompareError, compare, format_rows

COMMIT_ID = re.compile(r"[0-9a-f]{7,40}")
NO_EXACT = "no exact figures to compare"


def resolve_commit(value: str, what: str) -> str:
    """The full id of commit ``value`` in this checkout (ValueError: not one)."""
    value = value.strip().lower()
    if not COMMIT_ID.fullmatch(value):
        raise ValueError(f"{what} {value!r} is not a commit id (7 to 40 hexadecimal digits)")
    try:
        return git("rev-parse", "--verify", "--quiet", f"{value}^{{commit}}")
    except GitError:
        raise ValueError(f"{what} {value} is not a commit in this checkout (was it fetched "
                         "with fetch-depth: 0?)") from None


def exact_verdict(results: Path, name: str, base: str, head: str, machine: str
                  ) -> tuple[int, str]:
    """(status, text): the exact counts of ``name`` at ``head`` against ``base``."""
    try:
        rows, _notes = compare(results, f"{name}@{base}", f"{name}@{head}", machine)
    except CompareError as error:
        return 2, f"error: the exact counts cannot be compared: {error}"
    rows = [row for row in rows if row.entry.kind == EXACT]
    if not rows:
        return 0, f"{name}, base {base[:8]} against head {head[:8]}: {NO_EXACT}."
    text = format_rows(rows, f"base {base[:8]}", f"head {head[:8]}", DEFAULT_EXACT_FACTOR)
    worse = any(row.mark(DEFAULT_EXACT_FACTOR) == "+" for row in rows)
    return (1 if worse else 0), text


def _say(text: str, *, warning: bool = False) -> None:
    if warning:
        warn(text)
    else:
        print(text)
    step_summary(f"```\n{text}\n```\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.pr", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when no exact count is worse (or there is none to compare), "
               "1 when one is, 2 when the commits cannot be measured or compared.")
    parser.add_argument("--python", required=True, type=arguments.path,
                        help="the interpreter to measure on")
    parser.add_argument("--name", default="3.12", type=interpreter_argument,
                        help="its name (default 3.12)")
    parser.add_argument("--base", default=os.environ.get("BASE_SHA", ""),
                        help="the base commit (default: $BASE_SHA)")
    parser.add_argument("--head", default=os.environ.get("HEAD_SHA", ""),
                        help="the head commit (default: $HEAD_SHA)")
    parser.add_argument("--machine", default="gha-pull-request", type=machine_argument,
                        help="machine name for the results (default gha-pull-request)")
    parser.add_argument("--out", type=arguments.path, default=Path("pr-results"),
                        help="the results folder (default pr-results)")
    return parser


def measure(args: argparse.Namespace, base: str, head: str) -> int:
    """``asv continuous`` of the two commits into ``--out``; asv's status."""
    link_executable(DEFAULT_DEST, parse_name(args.name), args.python.absolute())
    use_provisioned()
    os.environ["TASKBENCH_MACHINE"] = args.machine
    details = machines.details()
    with AsvDriver(CONFIG, results_dir=args.out) as driver:
        if driver.machine(details).returncode != 0:
            raise ValueError("`asv machine` failed (see above)")
        return driver.continuous(base, head, machine=args.machine,
                                 environments=[f"virtualenv:{args.name}"],
                                 bench=quick_patterns(), quick=True).returncode


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not (args.python.is_file() and os.access(args.python, os.X_OK)):
        print(f"error: --python {args.python} is not an executable file", file=sys.stderr)
        return 2
    try:
        base = resolve_commit(args.base, "the base commit")
        head = resolve_commit(args.head, "the head commit")
        asv_status = measure(args, base, head)
    except (ConfigError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    status, text = exact_verdict(args.out, args.name, base, head, args.machine)
    if status == 2:
        print(text, file=sys.stderr)
    else:
        _say(f"Exact counts on {args.name}:\n{text}", warning=status == 1)
    if asv_status == 1:
        _say("asv continuous finds timed figures slower at the head (one quick sample each: "
             "a hint, not a verdict; `asv continuous` without --quick on a quiet machine "
             "confirms or refutes it).", warning=True)
    elif asv_status != 0:
        print(f"error: asv continuous failed with status {asv_status}: a benchmark or an "
              "environment failed (its log is above)", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    raise SystemExit(main())

"""The main job (``make bench``): the suite on every interpreter found here, then the views.

It reads as its four steps:

Before them it says how long it expects to take, set-up steps included, and after each block
of measurements how long is left (:mod:`taskbench.jobs.estimate`).

1. **interpreters**: gathers the configured interpreters into ``.pythons/bin``
   (:mod:`taskbench.interpreters`) and says which are missing and why, before and after;
2. **measure**: records the machine under a stable name (:mod:`taskbench.jobs.machine`) and
   runs ``asv run HEAD^!`` through the asv driver into a folder of its own: a full run into
   a fresh staging folder, a ``--quick`` or ``--bench`` try-out into a fresh folder under
   ``.asv/scratch/`` (so that what it reports missing is missing from this run);
3. **merge**: after a full run, merges the staging folder into ``results/``
   (:mod:`taskbench.jobs.merge`: validated, atomic, never going backwards);
4. **present**: regenerates the README's blocks and the site. Measuring never depends on
   presenting: when the README or the site cannot be made, the results are kept and the job
   says why.

An interrupted run leaves ``results/`` as it was and says where the finished part is; once the
merge has succeeded, an interruption says that the results are merged, and which views were
not regenerated, with the command that makes each.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from taskbench import host, runfacts
from taskbench.arguments import bounded
from taskbench.asvadapter.config import (
    CONFIG,
    ConfigError,
    configured_pythons,
    environment_folders,
    load_config,
)
from taskbench.asvadapter.config import results_dir as configured_results
from taskbench.asvadapter.driver import AsvDriver, head_commit
from taskbench.asvadapter.results import load
from taskbench.catalogue import REPLICA_PHASE, Target, check_patterns, select
from taskbench.git import GitError, git
from taskbench.interpreters import facts
from taskbench.interpreters.provision import DEFAULT_DEST, default_cache, format_table, provision
from taskbench.interpreters.sources import Outcome
from taskbench.jobs import burst, estimate
from taskbench.jobs import machine as machines
from taskbench.jobs.blocks import NothingMeasured, run_blocks
from taskbench.jobs.burst import Burst
from taskbench.jobs.merge import merge
from taskbench.jobs.preamble import use_provisioned
from taskbench.jobs.present import README_VIEW, SITE_VIEW, interrupted_after_merge, present
from taskbench.jobs.runrecord import record

SCRATCH = Path(".asv") / "scratch"
STAGING = Path(".asv") / "staging"
INTERRUPTED = 130
# The measuring time the extra blocks are planned within (the phases and the first blocks
# always run): with the set-up on a fresh machine, a full run stays within 45 minutes.
MINUTES = 36.0


@dataclass
class Run:
    """One measurement: where it goes, and whether it is a full run or a try-out."""

    folder: Path
    full: bool

    def measured(self) -> set[str]:
        """The interpreters with at least one figure in this run's folder."""
        return {f.python for f in load(self.folder).figures if f.value is not None}


def _stamp() -> str:
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S")


def _announce(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def _uncommitted_changes() -> bool:
    try:
        return bool(git("status", "--porcelain", "--", "benchmarks", "src", "asv.conf.json",
                        "pyproject.toml"))
    except GitError:
        return False  # outside a checkout: head_commit's warning says so


def gather_interpreters(names: Sequence[str], offline: bool) -> list[Outcome]:
    """Step 1: every configured interpreter into ``.pythons/bin``, and the table of them."""
    _announce("Interpreters")
    outcomes = provision(names, DEFAULT_DEST, default_cache(), offline=offline)
    print(format_table(outcomes), flush=True)
    use_provisioned()
    if _uncommitted_changes():
        print("warning: benchmarks/, src/ or the configuration have uncommitted changes; asv "
              "installs taskbench from the committed HEAD, so commit before measuring.")
    return outcomes


def measure(run: Run, details: dict[str, str], outcomes: Sequence[Outcome],
            targets: Sequence[Target], quick: bool, minutes: float,
            fingerprint: dict[str, Any], burst: Burst | None = None) -> int | None:
    """Step 2: the machine recorded, then the figures measured in interleaved blocks and
    combined into the run's folder; asv's worst status, None when interrupted."""
    with AsvDriver(CONFIG, results_dir=run.folder) as driver:
        _announce("Machine")
        if driver.machine(details).returncode != 0:
            print("error: `asv machine` failed; see its message above.", file=sys.stderr)
            return 2
        print(f"This host is {host.host_id(fingerprint)}: {host.describe(fingerprint)}")
    try:
        runfacts.record_run(run.folder / details["machine"], head_commit(), fingerprint,
                            [{"python": o.name, **o.facts} for o in outcomes if o.facts])
    except (facts.FactsError, runfacts.RunFactsError, OSError, ValueError) as error:
        print(f"warning: the build facts or the run's host were not recorded ({error}); "
              "measuring anyway.", file=sys.stderr)
    _announce("Benchmarks" + ("" if run.full else f" (a try-out: results go to {run.folder})"))
    # Only the interpreters found: asv would print one line for each missing one, and the
    # blocks, the estimate and the progress would count them.
    folders = environment_folders(CONFIG, {o.name for o in outcomes if o.facts})
    print(estimate.expect(targets, run.full, quick, minutes, details["machine"],
                          configured_results() if run.full else None, folders), flush=True)
    blocks_folder = run.folder.parent / "blocks"
    try:
        measured = run_blocks(blocks_folder, details["machine"], list(folders), targets,
                              minutes=minutes, quick=quick, burst=burst)
        try:
            record(measured, details["machine"], run.folder)
        except ValueError as error:  # asv measured nothing the blocks could combine
            raise NothingMeasured(str(error)) from error
    except NothingMeasured as error:
        print(f"error: {error}; results/ is unchanged (the blocks are in {blocks_folder}).",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\ninterrupted: results/ is unchanged; the blocks that finished are in "
              f"{blocks_folder} (not merged). Run `make bench` again to measure everything.",
              file=sys.stderr)
        return None
    return max(measured.statuses, default=0)


def merge_run(run: Run) -> Path | None:
    """Step 3: the staging folder merged into ``results/``; None when the merge failed."""
    _announce("Results")
    results_dir = configured_results()
    try:
        report = merge([run.folder], results_dir)
    except (OSError, ValueError) as error:
        print(f"error: the merge into {results_dir} failed and left it as it was ({error});"
              f" the run is kept in {run.folder}: `python -m taskbench.jobs.merge "
              f"{run.folder} {results_dir}` retries.", file=sys.stderr)
        return None
    print("\n".join(report.lines()))
    return results_dir


def _summary(names: Sequence[str], outcomes: Sequence[Outcome], measured: set[str],
             started: float, failures: Sequence[str]) -> None:
    _announce("Interpreters, again")
    missing = [name for name in names if name not in measured]
    print(format_table(outcomes))
    if missing:
        print(f"NO results from this run for: {', '.join(missing)} (asv itself says so in "
              "one line and exits 0).")
    print(f"\nThe main job took {(time.monotonic() - started) / 60:.1f} minutes.")
    if failures:
        print("warning: measured and kept, but not regenerated: " + "; ".join(failures),
              file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.main", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when every run benchmark measured, 2 when a benchmark failed "
               "or the arguments or configuration are wrong, 1 when nothing could run, 130 "
               "when interrupted.")
    parser.add_argument("--quick", action="store_true",
                        help="one sample of every benchmark at the catalogue's quick "
                             "parameters, leaving out the replica and the instruction counts "
                             "(whole-table figures), into a scratch folder; for trying things")
    parser.add_argument("--offline", action="store_true",
                        help="download no interpreters; use what is installed or cached")
    parser.add_argument("--bench", "-b", action="append", default=[], metavar="REGEX",
                        help="only benchmarks matching REGEX (repeatable; into the scratch "
                             "folder)")
    parser.add_argument("--minutes", type=bounded(float, 1.0, 24 * 60.0), default=MINUTES,
                        help="the extra blocks are planned to end within this many minutes "
                             f"of measuring (default {MINUTES:g}); the phases and the first "
                             "blocks always run")
    parser.add_argument("--burst", type=burst.argument, default=None, metavar="BLOCK:SECONDS",
                        help="interference on purpose, for a precision record: a busy process "
                             "on every core for SECONDS from the start of first block BLOCK")
    parser.add_argument("--replica", action="store_true",
                        help="also run the replica of the post's script (the whole table in "
                             "one process per interpreter: about a minute each), which a full "
                             "run leaves out")
    return parser


def _targets(args: argparse.Namespace) -> list[Target]:
    """What the run measures: everything but the replica (unless asked for), the quick
    figures, or what ``--bench`` names."""
    return [target for target in select(args.bench, quick=args.quick and not args.bench)
            if args.replica or args.bench or target.entry.measured_in != REPLICA_PHASE]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.monotonic()
    problem = check_patterns(args.bench) or burst.beyond(args.burst, _targets(args), args.quick)
    try:
        if problem:
            raise ValueError(problem)
        names = configured_pythons(load_config(CONFIG))
        fingerprint = host.fingerprint()
        details = machines.details(fingerprint)
    except (ConfigError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    full = not args.quick and not args.bench
    run = Run((STAGING if full else SCRATCH) / _stamp() / "results", full)
    targets = _targets(args)
    _announce("Expected duration")
    print(estimate.expect(targets, full, args.quick, args.minutes, details["machine"],
                          configured_results() if full else None), flush=True)
    outcomes = gather_interpreters(names, args.offline)
    if not any(outcome.facts for outcome in outcomes):
        print("error: none of the interpreters in asv.conf.json can be run here; nothing to "
              "measure.", file=sys.stderr)
        return 1
    status = measure(run, details, outcomes, targets, args.quick, args.minutes, fingerprint,
                     args.burst)
    if status is None:
        return INTERRUPTED
    measured = run.measured()
    failures: list[str] = []
    merged, left = None, [README_VIEW, SITE_VIEW]
    try:
        if full:
            merged = merge_run(run)
            if merged is None:
                return 1
            failures = present(merged, left)
        else:
            print(f"\nThe try-out's results are in {run.folder}; results/, the README and "
                  "the site are unchanged (only a full run changes them).")
        _summary(names, outcomes, measured, started, failures)
    except KeyboardInterrupt:
        if merged is None:
            raise
        print("\n" + interrupted_after_merge(merged, left), file=sys.stderr)
        return INTERRUPTED
    return _exit_status(status)


def _exit_status(status: int) -> int:
    """0 when every benchmark measured, else 2 with asv's status named."""
    if status != 0:
        print(f"error: `asv run` exited with status {status}: a benchmark failed (asv's "
              "messages are above); everything else was kept.", file=sys.stderr)
        return 2
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    """:func:`main`, with an interruption anywhere reported in one line, status 130."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print("\ninterrupted: results/ is unchanged.", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(run())

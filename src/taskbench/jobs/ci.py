"""One job of the benchmark workflow: every interpreter of one runner, measured in interleaved
blocks under a stable machine name.

A GitHub-hosted runner is a fresh host for every job, so the workflow runs one job per
operating system and hands it every interpreter ``actions/setup-python`` installed there
(``--python NAME=PATH`` each; an empty PATH where setup-python could not install it). The job
records the runner as an asv machine, each interpreter's build facts with the host's CPU model,
and the run's record: which host the runner was (its fingerprint, whose name the machine's
``cpu`` carries, so that each runner's host is a line of its own, see
:mod:`taskbench.jobs.machine`) and the interpreters' versions (:mod:`taskbench.runfacts`); it
then measures them all in its phases and interleaved blocks, as ``make bench`` does
(:func:`taskbench.jobs.blocks.run_blocks`, then :func:`taskbench.jobs.runrecord.record`), so that
every version step is paired by block within one host; the replica of the post's script (its
table: the macOS runner's is the M1 one) is measured too, as ``make bench --replica`` would.
Each record of the block log then says which runner measured it, and the run's record which
interpreters it could not measure, and why (:mod:`taskbench.jobs.runners`). Everything lands
in the job's own folder (``--out``, the artifact); what it measured is shown in the job's
summary (:mod:`taskbench.jobs.summary`), where ``--tryout`` says that none of it will be
published. Cancelled or timed out, the job still combines the phases and blocks that finished.

On Linux and macOS asv builds a virtualenv from a named executable in ``.pythons/bin``, as
the main job does. On Windows, where such a wrapper cannot be run, each interpreter itself is
an ``existing`` environment, with taskbench, asv_runner and the pinned clients installed into
it; asv then measures the checked-out commit and spawns a process per benchmark (see
:mod:`taskbench.asvadapter.driver`), and resolves every configured branch by name, which a
detached checkout has not (:mod:`taskbench.asvadapter.history`). asv names such an
environment after the executable's path and records the bare version (``3.13`` for a 3.13t),
which would put it on CPython's graph line; so the results files of each phase and block are
given the interpreter's own name (``existing-py3.13t``) before they are combined
(:mod:`taskbench.jobs.existing`).

Usage::

    python -m taskbench.jobs.ci --python 3.12=/path/to/python3.12 --python 3.13t= ... \\
        --machine gha-ubuntu-24.04-x64 --out ci-results [--minutes 75] [--quick] [--tryout]
        [--windows-mode]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import signal
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

from taskbench import arguments, host, runfacts
from taskbench.arguments import bounded
from taskbench.asvadapter.config import CONFIG, ConfigError, environment_folders
from taskbench.asvadapter.driver import EXISTING, AsvDriver, existing_name, head_commit
from taskbench.asvadapter.history import HistoryError, configured_repo, drawn_history
from taskbench.catalogue import select
from taskbench.interpreters import facts
from taskbench.interpreters.names import parse_name
from taskbench.interpreters.provision import DEFAULT_DEST, build_facts
from taskbench.interpreters.sources import link_executable
from taskbench.jobs import estimate, existing, runners
from taskbench.jobs import machine as machines
from taskbench.jobs.blocks import run_blocks
from taskbench.jobs.preamble import (
    interpreter_argument,
    machine_argument,
    step_summary,
    use_provisioned,
    warn,
)
from taskbench.jobs.runrecord import BlockRun, record
from taskbench.jobs.summary import summary

# The measuring time a runner's extra blocks are planned within (the phases and the first
# blocks always run: for 13 interpreters the catalogue guesses 52 minutes of them, the
# replica of the post's table included); with the set-up (13 interpreters, their asv
# environments) and the combining, a runner takes about 90 minutes.
MINUTES = 75.0
# The blocks' own folders, outside the job's results folder (which is the artifact).
BLOCKS = Path(".asv") / "ci-blocks"
Interpreters = dict[str, Path]


def python_argument(text: str) -> tuple[str, Path | None]:
    """An argparse type: ``NAME=PATH``, the interpreter's name and its executable; an empty
    PATH says setup-python installed nothing for NAME."""
    name, sep, path = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=PATH (e.g. 3.12=/usr/bin/python3)")
    return interpreter_argument(name), (arguments.path(path) if path.strip() else None)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.ci", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when every interpreter measured, 2 when a benchmark failed or an "
               "interpreter could not be measured (what was measured is kept), 1 when nothing "
               "could be measured; 2 for bad arguments.")
    parser.add_argument("--python", required=True, action="append", type=python_argument,
                        metavar="NAME=PATH", help="an interpreter and its executable (repeat)")
    parser.add_argument("--machine", required=True, type=machine_argument,
                        help="stable machine name for results/")
    parser.add_argument("--out", type=arguments.path, default=Path("ci-results"),
                        help="the job's own results folder (default: ci-results)")
    parser.add_argument("--minutes", type=bounded(float, 1.0, 300.0), default=MINUTES,
                        help="the extra blocks are planned to end within this many minutes of "
                             f"measuring (default {MINUTES:g}); the phases and the first "
                             "blocks always run")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tryout", action="store_true",
                        help="nothing this run measures is published: say so in the summary")
    parser.add_argument("--windows-mode", action="store_true",
                        help="use each interpreter as asv's existing environment, as on Windows "
                             "(the default there)")
    return parser


def runnable(pythons: Sequence[tuple[str, Path | None]]
             ) -> tuple[Interpreters, list[dict[str, Any]], dict[str, str]]:
    """The interpreters that run, their build facts records, and why each other one cannot."""
    found, records, missing = {}, [], {}
    for name, path in pythons:
        if path is None:
            missing[name] = "actions/setup-python installed no interpreter for it"
            continue
        built = build_facts(path)
        if isinstance(built, str):
            missing[name] = f"{path} {built}"
            continue
        found[name] = path
        records.append({"python": name, **facts.stamped(
            {**built, "cpu": machines.cpu_model(), "source": "actions/setup-python"})})
    return found, records, missing


def _environments(config: Path, found: Interpreters, windows: bool) -> list[str]:
    """asv's names of the interpreters' environments (existing ones: see the driver)."""
    if windows:
        return [existing_name(str(path)) for path in found.values()]
    return list(environment_folders(config))


def _interrupted(*_: object) -> None:
    raise KeyboardInterrupt


def _blocks(folder: Path, machine: str, environments: list[str], config: Path,
            args: argparse.Namespace) -> BlockRun:
    """The blocks; interrupted (cancelled, timed out), the blocks that finished."""
    targets = select([], quick=args.quick)
    print(estimate.up_front(targets, len(environments), 0 if args.windows_mode else len(
        environments), quick=args.quick, present=False, cap_minutes=args.minutes, last=None,
        machine=machine), flush=True)
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        return run_blocks(folder, machine, environments, targets, minutes=args.minutes,
                          quick=args.quick, config=config)
    except KeyboardInterrupt:
        print("interrupted: combining the phases and blocks that finished.", file=sys.stderr,
              flush=True)
        return finished(folder)
    finally:
        signal.signal(signal.SIGTERM, previous)


def finished(folder: Path) -> BlockRun:
    """What an interrupted run left under ``folder``: its block folders, in order, and its
    phases' (``counts-1``, ``clients`` ...), each under its phase's name."""
    folders = sorted(path for path in folder.iterdir() if path.is_dir()) \
        if folder.is_dir() else []
    blocks = [path for path in folders if path.name.startswith("block-")]
    return BlockRun(folders=blocks, phases=[(path.name.split("-")[0], path) for path in folders
                                            if path not in blocks])


@contextlib.contextmanager
def _repository(windows: bool) -> Iterator[Path | None]:
    """The history asv reads for existing environments (see the module docstring)."""
    if not windows:
        yield None
        return
    settings = AsvDriver(CONFIG).settings
    with drawn_history(configured_repo(CONFIG, settings),
                       settings.get("branches", [])) as history:
        yield history


def measure(args: argparse.Namespace, machine: str, found: Interpreters,
            missing: dict[str, str]) -> BlockRun:
    """Every interpreter of ``found`` in blocks; those that cannot be set up are moved to
    ``missing``."""
    if args.windows_mode:
        for name, reason in existing.prepare(found).items():
            missing[name] = reason
            del found[name]
    else:
        for name, path in found.items():
            link_executable(DEFAULT_DEST, parse_name(name), path)
        use_provisioned()
    if not found:
        return BlockRun()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    # Only these interpreters: the configuration's own pythons are this machine's names.
    overrides = ({"pythons": [], EXISTING: [str(path) for path in found.values()]}
                 if args.windows_mode else {"pythons": list(found)})
    with _repository(args.windows_mode) as repo, AsvDriver(
            CONFIG, results_dir=args.out, repo=repo, settings_overrides=overrides) as runner:
        config = runner.config_file()
        run = _blocks(BLOCKS / stamp, machine, _environments(config, found, args.windows_mode),
                      config, args)
    if args.windows_mode:
        existing.name_results(run, machine, found)
    return run


def notes(run: BlockRun, missing: dict[str, str], asked: int, minutes: float) -> list[str]:
    """What the job's summary says of the run before its figures."""
    measured = asked - len(missing)
    lines = [f"{measured} of {asked} interpreters measured on this one runner: "
             f"{len(run.phases)} phases and {len(run.folders)} interleaved blocks in "
             f"{run.spent():.1f} minutes (the extra blocks planned within {minutes:g})."]
    if len(run.minutes) < len(run.folders) or len(run.phase_minutes) < len(
            {name for name, _ in run.phases}):
        lines.append("The job was interrupted: the phases and blocks that finished are "
                     "combined below.")
    lines += [f"- not measured: {name}: {reason}" for name, reason in sorted(missing.items())]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.windows_mode = args.windows_mode or sys.platform.startswith("win")
    found, records, missing = runnable(args.python)
    os.environ["TASKBENCH_MACHINE"] = args.machine
    run = BlockRun()
    try:
        fingerprint = host.fingerprint()
        details = machines.details(fingerprint)
        with AsvDriver(CONFIG, results_dir=args.out) as driver:
            if driver.machine(details).returncode != 0:
                return 2
        runfacts.record_run(args.out / args.machine, head_commit(), fingerprint, records)
        run = measure(args, args.machine, found, missing)
        if run.folders:
            runners.stamp(record(run, args.machine, args.out), missing)
    except (ConfigError, HistoryError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        missing.update({name: str(error) for name in found if name not in missing})
    for name, reason in sorted(missing.items()):
        warn(f"{name} was not measured on {args.machine}: {reason}")
    title = f"{args.machine}" + (", quick" if args.quick else "")
    step_summary(summary(args.out, title, tryout=args.tryout,
                         notes=notes(run, missing, len(args.python), args.minutes)) + "\n")
    if not run.folders or len(missing) == len(args.python):
        return 1
    return 2 if missing or any(run.statuses) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""One job of the benchmark workflow: the suite on one interpreter, under a stable machine name.

``actions/setup-python`` puts one interpreter on the runner; this names it the way the suite
names interpreters (``3.12``, ``3.13t``, ``pypy3.10`` …), records the runner as an asv machine,
runs the suite on the checked-out commit into a results folder of the job's own (``--out``,
holding only this job's files, so that the merge never meets stale copies) and records the
interpreter's build facts there, with the runner's CPU model, and the run's record: which host
the runner was (its fingerprint, whose name the machine's ``cpu`` carries, so that each
runner's host is a line of its own, see :mod:`taskbench.jobs.machine`) and the interpreter's
version (:mod:`taskbench.runfacts`). What it measured goes into the
job's summary on the run's page (:mod:`taskbench.jobs.summary`); ``--tryout`` says there
that none of it will be published.

On Linux and macOS asv builds a virtualenv from a named executable in ``.pythons/bin``, as the
main job does. On Windows, where such a wrapper cannot be run, the interpreter itself is asv's
``existing`` environment, which needs what asv otherwise does for it: the commit given with
``--set-commit-hash`` (asv refuses a range there and saves nothing without it, and then
resolves every configured branch by name, which a detached checkout has not: see
:mod:`taskbench.asvadapter.history`), and taskbench,
asv_runner and the pinned clients installed into the interpreter. asv names such an
environment after the executable's path and records the bare version (``3.13`` for a 3.13t,
``3.10`` for PyPy 3.10), which would put it on CPython's graph line and start a new line at
every patch release; so the job then gives the results file the interpreter's own name,
before it is uploaded: the measurements are untouched.

Usage::

    python -m taskbench.jobs.ci --name 3.13t --python /path/to/python3.13t \\
        --machine gha-ubuntu-24.04-x64 --out ci-results [--quick] [--tryout] [--windows-mode]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from taskbench import arguments, files, host, runfacts
from taskbench.asvadapter.config import CONFIG, ConfigError
from taskbench.asvadapter.driver import AsvDriver, head_commit
from taskbench.asvadapter.history import configured_repo, drawn_history
from taskbench.catalogue import quick_patterns
from taskbench.interpreters import facts
from taskbench.interpreters.names import parse_name
from taskbench.interpreters.provision import DEFAULT_DEST, build_facts
from taskbench.interpreters.sources import link_executable
from taskbench.jobs import machine as machines
from taskbench.jobs.preamble import (
    interpreter_argument,
    machine_argument,
    step_summary,
    use_provisioned,
)
from taskbench.jobs.summary import summary
from taskbench.workloads import asvinstall

# What asv would install into an environment it builds, for the existing one on Windows.
ASV_RUNNER = "asv_runner==0.3.2"


def prepare_existing(python: Path) -> int:
    """Install asv_runner, taskbench and the pinned clients into ``python`` itself;
    taskbench's wheel built by this Python, as asv's install step does."""
    for command in ([str(python), "-m", "pip", "install", "--quiet", ASV_RUNNER],
                    [str(python), str(asvinstall.SCRIPT), str(Path.cwd())],
                    [str(python), "-m", "taskbench.workloads.asvenv"]):
        result = subprocess.run(command, check=False,
                                env={**os.environ, asvinstall.BUILDER: sys.executable})
        if result.returncode != 0:
            print(f"error: `{' '.join(command)}` failed", file=sys.stderr)
            return result.returncode
    return 0


def name_existing_results(machine_dir: Path, name: str) -> list[Path]:
    """Give the ``existing`` environment's results file the interpreter's own name."""
    renamed = []
    for path in sorted(machine_dir.glob("*-existing-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        # As asv names its own environments: virtualenv-py3.13t, virtualenv-pypy3.10.
        env_name = f"existing-{name}" if name.startswith("pypy") else f"existing-py{name}"
        data["env_name"] = env_name
        data["python"] = name
        data.setdefault("params", {})["python"] = name
        target = path.with_name(f"{data['commit_hash'][:8]}-{env_name}.json")
        files.write_text(target, json.dumps(data, separators=(",", ":")))
        if target != path:
            path.unlink()
        renamed.append(target)
    return renamed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.ci", description=__doc__.split("\n\n")[0],
        epilog="Exit status: asv's (0, or 2 when a benchmark failed: the results measured "
               "are kept), 1 when the interpreter cannot run, 2 for bad arguments.")
    parser.add_argument("--name", required=True, type=interpreter_argument,
                        help="the interpreter's name, e.g. 3.13t")
    parser.add_argument("--python", required=True, type=arguments.path, help="its executable")
    parser.add_argument("--machine", required=True, type=machine_argument,
                        help="stable machine name for results/")
    parser.add_argument("--out", type=arguments.path, default=Path("ci-results"),
                        help="the job's own results folder (default: ci-results)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tryout", action="store_true",
                        help="nothing this run measures is published: say so in the summary")
    parser.add_argument("--windows-mode", action="store_true",
                        help="use the interpreter as asv's existing environment, as on Windows "
                             "(the default there)")
    return parser


def measure_existing(driver: AsvDriver, args: argparse.Namespace, bench: list[str]) -> int:
    """asv's ``existing`` environment (Windows): the interpreter itself, named after."""
    status = prepare_existing(args.python)
    if status != 0:
        return status
    settings = driver.settings  # asv resolves every configured branch here
    with drawn_history(configured_repo(CONFIG, settings),
                       settings.get("branches", [])) as history:
        driver.repo = history
        status = driver.run(machine=args.machine, range_spec=None,
                            set_commit_hash=head_commit(),
                            environments=[f"existing:{args.python}"], bench=bench,
                            quick=args.quick).returncode
    name_existing_results(args.out / args.machine, args.name)
    return status


def measure_virtualenv(driver: AsvDriver, args: argparse.Namespace, bench: list[str]) -> int:
    """A virtualenv asv builds from the interpreter, found under its name on PATH."""
    link_executable(DEFAULT_DEST, parse_name(args.name), args.python)
    use_provisioned()
    return driver.run(machine=args.machine, environments=[f"virtualenv:{args.name}"],
                      bench=bench, quick=args.quick).returncode


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    facts_found = build_facts(args.python)
    if isinstance(facts_found, str):
        print(f"error: {args.python} {facts_found}", file=sys.stderr)
        return 1
    record = {"python": args.name, **facts.stamped({**facts_found, "cpu": machines.cpu_model(),
                                                    "source": "actions/setup-python"})}
    windows = args.windows_mode or sys.platform.startswith("win")
    os.environ["TASKBENCH_MACHINE"] = args.machine
    try:
        fingerprint = host.fingerprint()
        details = machines.details(fingerprint)
        with AsvDriver(CONFIG, results_dir=args.out) as driver:
            if driver.machine(details).returncode != 0:
                return 2
            runfacts.record_run(args.out / args.machine, head_commit(), fingerprint, [record])
            bench = quick_patterns() if args.quick else []
            measure = measure_existing if windows else measure_virtualenv
            status = measure(driver, args, bench)
    except (ConfigError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    title = f"{args.name} on {args.machine}" + (", quick" if args.quick else "")
    step_summary(summary(args.out, title, tryout=args.tryout) + "\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main())

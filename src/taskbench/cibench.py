"""One CI job of the benchmark workflow: the suite on one interpreter, under a stable machine name.

``actions/setup-python`` puts one interpreter on the runner; this names it the way the suite
names interpreters (``3.12``, ``3.13t``, ``pypy3.10`` …), records the runner as an asv machine,
runs the suite on the checked-out commit and records the interpreter's build facts, so that
the merge job only has to copy ``results/`` together.

Usage::

    python -m taskbench.cibench --name 3.13t --python /path/to/python3.13t --machine gha-linux-x64
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from taskbench.interpreters import load_asv_config
from taskbench.machine import machine_details
from taskbench.provision import (
    DEFAULT_DEST,
    Outcome,
    build_facts,
    link_executable,
    parse_name,
    write_facts,
)
from taskbench.report import FACTS_FILE


def environment_spec(name: str, python: Path, platform: str = sys.platform) -> str:
    """asv's ``-E`` for this interpreter: a virtualenv found by name, or on Windows (where a
    named wrapper cannot be run) the interpreter itself as an existing environment."""
    if platform.startswith("win"):
        return f"existing:{python}"
    return f"virtualenv:{name}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.cibench",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", required=True, help="the interpreter's name, e.g. 3.13t")
    parser.add_argument("--python", required=True, type=Path, help="its executable")
    parser.add_argument("--machine", required=True, help="stable machine name for results/")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    try:
        wanted = parse_name(args.name)
    except ValueError as error:
        parser.error(str(error))
    facts = build_facts(args.python)
    if isinstance(facts, str):
        print(f"error: {args.python} {facts}", file=sys.stderr)
        return 1
    facts["source"] = "actions/setup-python"

    if not sys.platform.startswith("win"):
        link_executable(DEFAULT_DEST, wanted, args.python)
        os.environ["PATH"] = os.pathsep.join([str(DEFAULT_DEST.resolve()),
                                              os.environ.get("PATH", "")])
    os.environ["TASKBENCH_MACHINE"] = args.machine
    details = machine_details()
    asv = [sys.executable, "-m", "asv"]
    machine = subprocess.run([*asv, "machine", "--yes",
                              *(f"--{key}={value}" for key, value in details.items())],
                             check=False)
    if machine.returncode != 0:
        return machine.returncode
    results_dir = Path(str(load_asv_config(Path("asv.conf.json")).get("results_dir", "results")))
    write_facts(results_dir / args.machine / FACTS_FILE,
                [Outcome(args.name, "actions/setup-python", args.python, None, facts)])
    run = [*asv, "run", "HEAD^!", f"--machine={args.machine}", "--show-stderr",
           "-E", environment_spec(args.name, args.python)]
    run += ["--quick"] if args.quick else []
    return subprocess.run(run, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())

"""How far the classic table moves between two runs: make a precision record.

Two ways to get the two runs:

* ``--python NAME`` (repeatable): measure ``Throughput`` twice back to back on each named
  interpreter, through the asv driver, into temporary results folders (``results/`` is not
  touched);
* ``--from-results A B``: pair two runs already in ``results/``, at commits A and B, on one
  machine (``--machine``, by default this machine's name).

The paired figures, as asv stored them (median and 99% interval), go to
``precision/<machine>-<commits>.json``, written atomically; ``make readme`` shows every record
(:mod:`taskbench.reports.precision`).

Usage::

    python -m taskbench.jobs.precision --python 3.13 --python 3.14-debian   # minutes
    python -m taskbench.jobs.precision --from-results 144559e9 0eb9c8a3
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence, Tuple

from taskbench import arguments, files
from taskbench.asvadapter.config import CONFIG, ConfigError, results_dir
from taskbench.asvadapter.driver import AsvDriver, head_commit
from taskbench.asvadapter.results import Figure, load
from taskbench.catalogue import THROUGHPUT
from taskbench.interpreters.names import interpreter_order
from taskbench.jobs import machine as machines
from taskbench.jobs.preamble import known_pythons, use_provisioned
from taskbench.reports.precision import PRECISION_DIR, PrecisionError

Key = Tuple[str, int]


def _figures(results_dir: Path, machine: str, commit: str = "") -> dict[Key, Figure]:
    loaded = load(results_dir)
    if loaded.problems:
        raise PrecisionError("; ".join(loaded.problems))
    found = {}
    for figure in loaded.figures:
        if (figure.benchmark == THROUGHPUT.name and figure.machine == machine
                and figure.value is not None and figure.commit.startswith(commit)
                and isinstance(figure.params[0], int)):
            found[(figure.environment, figure.params[0])] = figure
    return found


def _pair(key: Key, first: Figure, second: Figure) -> dict[str, Any]:
    return {"interpreter": key[0], "count": key[1], "first": first.value,
            "second": second.value,
            "first_interval": list(first.interval) if first.interval else None,
            "second_interval": list(second.interval) if second.interval else None}


def write_record(machine: str, commits: list[str], first: dict[Key, Figure],
                 second: dict[Key, Figure], directory: Path = PRECISION_DIR) -> Path:
    """Pair the figures both runs have and write the record; return its path."""
    keys = sorted(set(first) & set(second), key=lambda k: (interpreter_order(k[0]), k[1]))
    if not keys:
        raise PrecisionError(f"no figure of {THROUGHPUT.name} was measured in both runs on "
                             f"{machine}: check the commits and --machine")
    pairs = [_pair(key, first[key], second[key]) for key in keys]
    pythons = sorted({key[0] for key in keys}, key=interpreter_order)
    record = {"machine": machine, "commits": commits, "benchmark": THROUGHPUT.name,
              "pythons": pythons, "pairs": pairs}
    target = directory / f"{machine}-{'-'.join(commit[:8] for commit in commits)}.json"
    files.write_text(target, json.dumps(record, indent=1) + "\n")
    return target


def measure(pythons: Sequence[str]) -> Path:
    """Run Throughput twice back to back on each of ``pythons``; write and return the record."""
    known_pythons(pythons)
    machine = machines.details()["machine"]
    commit = head_commit()
    use_provisioned()
    runs = []
    with tempfile.TemporaryDirectory(prefix="taskbench-precision-") as temporary:
        for run in ("first", "second"):
            results_dir = Path(temporary) / run
            with AsvDriver(CONFIG, results_dir=results_dir) as driver:
                if driver.machine(machines.details()).returncode != 0:
                    raise PrecisionError("`asv machine` failed; its message is above")
                for python in pythons:
                    print(f"$ asv run ({run} run) {python}: {THROUGHPUT.name}", flush=True)
                    status = driver.run(machine=machine, environments=[f"virtualenv:{python}"],
                                        bench=[f"^{THROUGHPUT.name}$"]).returncode
                    if status != 0:
                        raise PrecisionError(f"asv run failed for {python} (status {status}); "
                                             "its messages are above")
            runs.append(_figures(results_dir, machine))
    return write_record(machine, [commit], runs[0], runs[1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.precision", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when a record was written, 2 when none could be.")
    parser.add_argument("--python", action="append", default=[], metavar="NAME",
                        help="an interpreter from asv.conf.json (repeat for more)")
    parser.add_argument("--from-results", nargs=2, metavar=("COMMIT_A", "COMMIT_B"),
                        help="pair two runs already in results/ instead of measuring")
    parser.add_argument("--machine", default=None,
                        help="with --from-results: the machine (default: this one's name)")
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    args = parser.parse_args(argv)
    if bool(args.python) == bool(args.from_results):
        parser.error("give either --python NAME (to measure) or --from-results A B")
    try:
        if args.python:
            target = measure(args.python)
        else:
            machine = args.machine or machines.details()["machine"]
            first, second = (_figures(args.results or results_dir(), machine, commit)
                             for commit in args.from_results)
            target = write_record(machine, list(args.from_results), first, second)
    except (PrecisionError, ConfigError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {target}; `make readme` shows it in the README")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

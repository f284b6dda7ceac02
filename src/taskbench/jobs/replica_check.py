"""Does the replica measure what the post's script measures? Run both, alternately, and see.

On each named interpreter, the post's program (written out below, step for step: each
count under ``asyncio.run`` of its own, counts ascending, one process) and
``python -m taskbench --replica`` run one after the other, ``--rounds`` times each, so that
a drift of the machine touches both alike. The median of each row over the rounds is
compared; the record (``precision/<machine>-replica-<commit>.json``, written atomically) is
shown in the README's precision section by ``make readme``.

Usage::

    python -m taskbench.jobs.replica_check --python 3.8 --python 3.14-debian [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

from taskbench import files
from taskbench.arguments import bounded
from taskbench.asvadapter.config import ConfigError
from taskbench.asvadapter.driver import head_commit
from taskbench.interpreters.names import executable_name
from taskbench.interpreters.provision import DEFAULT_DEST
from taskbench.jobs import machine as machines
from taskbench.jobs.preamble import known_pythons
from taskbench.reports.precision import PRECISION_DIR

# The post's program, step for step: a nested do-nothing coroutine, process_time around
# creating and waiting, asyncio.run per count, one line per count.
POST_SCRIPT = '''\
from asyncio import create_task, run, wait
from time import process_time


async def cycle(count):
    async def nothing():
        pass

    begin = process_time()
    pending = [create_task(nothing()) for _ in range(count)]
    await wait(pending)
    return process_time() - begin


for count in range(100_000, 1_000_000 + 1, 100_000):
    seconds = run(cycle(count))
    print(f"{count:,} {count / seconds:,.0f}")
'''


def _rows(output: str) -> dict[int, float]:
    """Tasks per second by count, from the post's program's lines (``100,000 280,003``)."""
    rows = {}
    for line in output.splitlines():
        numbers = [part.replace(",", "") for part in line.split() if part[0].isdigit()]
        if len(numbers) == 2:
            rows[int(numbers[0])] = float(numbers[1])
    return rows


def _json_rows(output: str) -> dict[int, float]:
    """Tasks per second by count, from ``python -m taskbench --replica --json``; a count the
    clock was too coarse for has none."""
    rows = {}
    for line in output.splitlines():
        row = json.loads(line)
        seconds = float(row["seconds_per_task"])
        if math.isfinite(seconds) and seconds > 0:
            rows[int(row["count"])] = 1 / seconds
    return rows


# The bare interpreters of .pythons/bin import taskbench from this checkout's src/.
SOURCE = Path(__file__).resolve().parents[2]


def _run(command: list[str], parse: Callable[[str], dict[int, float]] = _rows
         ) -> dict[int, float]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(SOURCE), *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run(command, capture_output=True, text=True, check=False,
                            env=environment)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()[-400:]}")
    return parse(result.stdout)


def check(pythons: Sequence[str], rounds: int) -> Path:
    """Run both on each interpreter, alternately; write and return the record."""
    known_pythons(pythons)
    commit = head_commit()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="taskbench-replica-") as temporary:
        script = Path(temporary) / "post.py"
        script.write_text(POST_SCRIPT, encoding="utf-8")
        for name in pythons:
            python = str((DEFAULT_DEST / executable_name(name)).resolve())
            if not os.access(python, os.X_OK):
                raise ValueError(f"{python} is missing: run `make pythons` first")
            measured: dict[str, list[dict[int, float]]] = {"script": [], "replica": []}
            for round_number in range(1, rounds + 1):
                print(f"{name}: round {round_number} of {rounds}", flush=True)
                measured["script"].append(_run([python, str(script)]))
                measured["replica"].append(
                    _run([python, "-m", "taskbench", "--replica", "--json"], _json_rows))
            runs = [*measured["script"], *measured["replica"]]
            counts = sorted(set.intersection(*(set(run) for run in runs)))
            partial = sorted(set.union(*(set(run) for run in runs)) - set(counts))
            if not counts or partial:
                raise RuntimeError(f"{name}: not every run gave a rate for every count "
                                   f"(missing: {', '.join(map(str, partial)) or 'all'}); "
                                   "a clock too coarse for the cycle?")
            for count in counts:
                rows.append({"interpreter": name, "count": count,
                             **{kind: [run[count] for run in runs]
                                for kind, runs in measured.items()}})
    machine = machines.details()["machine"]
    record = {"machine": machine, "commits": [commit], "kind": "replica-check",
              "pythons": list(pythons), "rounds": rounds, "rows": rows}
    target = PRECISION_DIR / f"{machine}-replica-{commit[:8]}.json"
    files.write_text(target, json.dumps(record, indent=1) + "\n")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.replica_check", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when a record was written, 2 when none could be.")
    parser.add_argument("--python", action="append", required=True, metavar="NAME")
    parser.add_argument("--rounds", type=bounded(int, 1, 10), default=2,
                        metavar="N", help="runs of each, alternately (1 to 10; default 2)")
    args = parser.parse_args(argv)
    try:
        target = check(args.python, args.rounds)
    except (ConfigError, ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {target}; `make readme` shows it in the README")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

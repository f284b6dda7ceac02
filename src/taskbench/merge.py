"""Merge results/ folders from many machines (CI jobs) into one.

Each benchmark job uploads its own ``results/``; the merge job copies every machine's files
into the repository's ``results/``. A file that is not valid JSON is named and left out; the
others are still merged, and committed files are only ever replaced by newer runs of the same
machine, environment and commit (asv's own file names say which).

Usage::

    python -m taskbench.merge INCOMING_DIR RESULTS_DIR
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Sequence

from taskbench.report import FACTS_FILE


def _valid_json(path: Path) -> bool:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


def _merge_facts(source: Path, target: Path) -> None:
    records = {}
    for path in (target, source):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    records[json.loads(line)["python"]] = line
    target.write_text("".join(records[name] + "\n" for name in sorted(records)),
                      encoding="utf-8")


def merge(incoming: Path, results: Path) -> list[str]:
    """Copy every results file found under ``incoming`` into ``results``; return problems."""
    problems = []
    results.mkdir(parents=True, exist_ok=True)
    for machine_json in sorted(incoming.rglob("machine.json")):
        machine_dir = machine_json.parent
        target_dir = results / machine_dir.name
        target_dir.mkdir(exist_ok=True)
        for path in sorted(machine_dir.iterdir()):
            if path.name == FACTS_FILE:
                _merge_facts(path, target_dir / FACTS_FILE)
            elif path.suffix == ".json":
                if _valid_json(path):
                    shutil.copy2(path, target_dir / path.name)
                else:
                    problems.append(f"{path} is not valid JSON; left out")
    benchmarks = sorted(incoming.rglob("benchmarks.json"))
    for path in benchmarks:
        if _valid_json(path):
            shutil.copy2(path, results / "benchmarks.json")
            break
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.merge",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("incoming", type=Path)
    parser.add_argument("results", type=Path)
    args = parser.parse_args(argv)
    problems = merge(args.incoming, args.results)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

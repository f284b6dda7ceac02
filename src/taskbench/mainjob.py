"""The main job: the suite across every interpreter found here, then the site.

Run by ``make bench`` from the repository root with the tools venv's Python::

    python -m taskbench.mainjob [--quick] [--bench REGEX]

It gathers the interpreters (see :mod:`taskbench.provision`) where asv can find them, says
which configured Python versions are missing (before and after the run, since asv itself
barely mentions them), records the machine under a stable name and each interpreter's build
facts beside its results, runs ``asv run`` on the checked-out commit and publishes the site.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from taskbench.interpreters import (
    ConfigError,
    Located,
    configured_pythons,
    format_report,
    load_asv_config,
    locate,
)
from taskbench.machine import machine_details
from taskbench.provision import DEFAULT_DEST, default_cache, format_table, provision, write_facts
from taskbench.report import FACTS_FILE
from taskbench.site import SiteError, build

PYTHONS_DIR = DEFAULT_DEST
PREVIEW_ADDRESS = "http://127.0.0.1:8080/"


def _asv(*args: str) -> list[str]:
    return [sys.executable, "-m", "asv", *args]


def _announce(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def _check(names: Sequence[str], search_path: str) -> list[Located]:
    located = [locate(name, search_path) for name in names]
    print(format_report(located), flush=True)
    return located


BENCHMARK_PREFIXES = ("time_", "track_", "peakmem_", "mem_", "timeraw_")


def benchmark_names(benchmark_dir: Path) -> list[str]:
    """``module.Class.method`` of every benchmark in ``benchmark_dir``, read without importing."""
    import ast

    names = []
    for path in sorted(benchmark_dir.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                names += [f"{path.stem}.{node.name}.{item.name}" for item in node.body
                          if isinstance(item, ast.FunctionDef)
                          and item.name.startswith(BENCHMARK_PREFIXES)]
            elif isinstance(node, ast.FunctionDef) and node.name.startswith(BENCHMARK_PREFIXES):
                names.append(f"{path.stem}.{node.name}")
    return names


def unmatched_patterns(patterns: Sequence[str], names: Sequence[str]) -> list[str]:
    """The ``--bench`` patterns that select no benchmark (asv searches names with them)."""
    import re

    return [pattern for pattern in patterns
            if not any(re.search(pattern, name) for name in names)]


def _uncommitted_changes() -> bool:
    status = subprocess.run(["git", "status", "--porcelain", "--", "benchmarks", "src",
                             "asv.conf.json", "pyproject.toml"],
                            capture_output=True, text=True, check=False)
    return bool(status.stdout.strip())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.mainjob",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="one sample per benchmark (asv run --quick); for trying things")
    parser.add_argument("--offline", action="store_true",
                        help="download no interpreters; use what is installed or cached")
    parser.add_argument("--bench", "-b", action="append", default=[], metavar="REGEX",
                        help="only benchmarks matching REGEX (repeatable)")
    args = parser.parse_args(argv)
    started = time.monotonic()

    try:
        config = load_asv_config(Path("asv.conf.json"))
        names = configured_pythons(config)
    except ConfigError as error:
        print(f"error: {error}. Run this from the repository root.", file=sys.stderr)
        return 2

    names_found = benchmark_names(Path(str(config.get("benchmark_dir", "benchmarks"))))
    unmatched = unmatched_patterns(args.bench, names_found)
    if unmatched:
        print(f"error: no benchmark matches --bench {', '.join(map(repr, unmatched))}; "
              f"the benchmarks are: {', '.join(names_found)}", file=sys.stderr)
        return 2

    _announce("Interpreters")
    outcomes = provision(names, PYTHONS_DIR, default_cache(), offline=args.offline)
    print(format_table(outcomes), flush=True)
    search_path = os.pathsep.join([str(PYTHONS_DIR.resolve()), os.environ.get("PATH", "")])
    os.environ["PATH"] = search_path
    if not any(outcome.facts for outcome in outcomes):
        print("error: none of the Python versions in asv.conf.json can be run here; "
              "nothing to benchmark.", file=sys.stderr)
        return 1
    if _uncommitted_changes():
        print("warning: benchmarks/, src/ or the configuration have uncommitted changes; asv "
              "installs taskbench from the committed HEAD, so commit before measuring.")

    _announce("Machine")
    details = machine_details()
    machine_args = [f"--{key}={value}" for key, value in details.items()]
    if subprocess.run(_asv("machine", "--yes", *machine_args), check=False).returncode != 0:
        print("error: `asv machine` failed; see its message above.", file=sys.stderr)
        return 2
    print(f"results go to results/{details['machine']}/")
    results_dir = Path(str(config.get("results_dir", "results")))
    write_facts(results_dir / details["machine"] / FACTS_FILE, outcomes)

    _announce("Benchmarks")
    run_args = ["run", "HEAD^!", f"--machine={details['machine']}", "--show-stderr"]
    run_args += ["--quick"] if args.quick else []
    for pattern in args.bench:
        run_args += ["--bench", pattern]
    run_status = subprocess.run(_asv(*run_args), check=False).returncode

    _announce("Site")
    try:
        html_dir = build(Path("asv.conf.json"))
        site_status = 0
        print(f"The site is in {html_dir}, self-contained. Browse it with `make preview`, "
              f"then open {PREVIEW_ADDRESS}")
    except SiteError as error:
        print(f"error: the site was not built: {error}", file=sys.stderr)
        site_status = 1

    _announce("Interpreters, again")
    _check(names, search_path)
    minutes = (time.monotonic() - started) / 60
    print(f"\nThe main job took {minutes:.1f} minutes.")
    if run_status != 0:
        print(f"error: `asv run` exited with status {run_status} (a benchmark failed, or no "
              "benchmark matched --bench); asv's messages are above.", file=sys.stderr)
        return run_status
    return site_status


def run(argv: Sequence[str] | None = None) -> int:
    """:func:`main`, with an interruption reported in words instead of a traceback."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print("\ninterrupted: asv writes an environment's results file when the environment "
              "is finished, so the files of environments finished before the interruption are "
              "complete and the environment that was running left its file as it was (git "
              "shows what changed). Run `make bench` again to measure the rest.",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(run())

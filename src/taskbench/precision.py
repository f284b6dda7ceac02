"""How far the headline figures move from one run to the next: two back-to-back asv runs.

For each named interpreter, ``asv run`` measures ``Throughput`` (tasks/s per count, the
classic table) twice, one run right after the other on the committed ``HEAD``, each into a
results directory of its own (the committed ``results/`` is not touched). Each figure of the
second run is divided by the same figure of the first; the distribution of those ratios (its
median and worst distance from 1) is the suite's run-to-run precision on this machine.

The paired values, as asv measured them, and their summary go to
``precision/<machine>-<commits>.json``; the README's precision section is generated from every
such file.

Two full runs already in ``results/`` can be paired the same way (``--from-results A B``,
two commits), for every interpreter both measured.

Usage::

    python -m taskbench.precision --python 3.13 --python 3.14-debian   # measure (minutes)
    python -m taskbench.precision --from-results 144559e9 0123abcd      # pair two runs
    python -m taskbench.precision --markdown                           # the README section
    python -m taskbench.precision --update-readme README.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence

from taskbench.anatomy import THROUGHPUT, plain
from taskbench.interpreters import ConfigError, configured_pythons, load_asv_config
from taskbench.machine import machine_details
from taskbench.render import replace_block
from taskbench.results import interpreter_order, load_results

PRECISION_DIR = Path("precision")
BENCHMARK_PATTERN = r"^bench_create_wait\.Throughput\."
# The counts the classic table is about; smaller counts are start-up scale, shown apart.
HEADLINE_COUNTS = ("100000", "500000", "1000000")
TARGET_PERCENT = 2.0
README_BEGIN, README_END = "<!-- precision:begin -->", "<!-- precision:end -->"


class PrecisionError(Exception):
    """A precision run that could not be made or read, with what to do about it."""


def _asv_run(config: dict[str, Any], results_dir: Path, python: str, machine: str,
             workdir: Path) -> None:
    run_config = {**config, "results_dir": str(results_dir.resolve()),
                  "repo": str(Path.cwd()), "env_dir": str(Path(config["env_dir"]).resolve()),
                  "benchmark_dir": str(Path(config["benchmark_dir"]).resolve()),
                  "html_dir": str(workdir / "html")}
    config_path = workdir / "asv.conf.json"
    config_path.write_text(json.dumps(run_config), encoding="utf-8")
    command = [sys.executable, "-m", "asv", "run", "HEAD^!", f"--python={python}",
               f"--machine={machine}", "--bench", BENCHMARK_PATTERN, "--show-stderr",
               "--config", str(config_path)]
    print(f"$ asv run HEAD^! --python={python} --bench {BENCHMARK_PATTERN} "
          f"(into {results_dir})", flush=True)
    if subprocess.run(command, check=False).returncode != 0:
        raise PrecisionError(f"asv run failed for {python}; its messages are above")


def _figures(results_dir: Path, commit: str = "") -> dict[tuple[str, str], float]:
    results = load_results(results_dir)
    if results.problems:
        raise PrecisionError("; ".join(results.problems))
    return {(m.environment, plain(m.params[0])): m.value for m in results.measurements
            if m.benchmark == THROUGHPUT and m.value is not None
            and m.commit.startswith(commit)}


def summarise(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and worst distance of second/first from 1, in percent, over headline counts."""
    deviations = [abs(pair["second"] / pair["first"] - 1) * 100 for pair in pairs
                  if pair["count"] in HEADLINE_COUNTS]
    if not deviations:
        return {"figures": 0, "median_percent": None, "worst_percent": None}
    return {"figures": len(deviations),
            "median_percent": round(statistics.median(deviations), 2),
            "worst_percent": round(max(deviations), 2)}


def measure(pythons: Sequence[str]) -> Path:
    """Run Throughput twice back to back on each of ``pythons``; write and return the record."""
    try:
        config = load_asv_config(Path("asv.conf.json"))
    except ConfigError as error:
        raise PrecisionError(f"{error}. Run this from the repository root.") from None
    configured = configured_pythons(config)
    unknown = [python for python in pythons if python not in configured]
    if unknown:
        raise PrecisionError(f"{', '.join(map(repr, unknown))} not in asv.conf.json's pythons; "
                             f"known: {', '.join(configured)}")
    machine = machine_details()["machine"]
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="taskbench-precision-") as temporary:
        workdir = Path(temporary)
        runs = []
        for run in ("first", "second"):
            results_dir = workdir / run
            for python in pythons:
                _asv_run(config, results_dir, python, machine, workdir)
            runs.append(_figures(results_dir))
    return _write(machine, [commit], list(pythons), *runs)


def from_results(results_dir: Path, first_commit: str, second_commit: str) -> Path:
    """Pair the Throughput figures of two runs in ``results_dir``; write and return the record."""
    first = _figures(results_dir, first_commit)
    second = _figures(results_dir, second_commit)
    pythons = sorted({env for env, _ in first} & {env for env, _ in second},
                     key=interpreter_order)
    commits = [first_commit, second_commit]
    return _write(machine_details()["machine"], commits, pythons, first, second)


def _write(machine: str, commits: list[str], pythons: list[str],
           first: dict[tuple[str, str], float], second: dict[tuple[str, str], float]) -> Path:
    pairs = [{"interpreter": env, "count": count, "first": first[(env, count)],
              "second": second[(env, count)]}
             for env, count in sorted(first, key=lambda key: (interpreter_order(key[0]),
                                                                int(key[1])))
             if (env, count) in second]
    if not pairs:
        raise PrecisionError(f"no figure was measured twice for {', '.join(pythons) or '-'}: "
                             "are they in asv.conf.json and available (make pythons)?")
    record = {"machine": machine, "commits": commits, "benchmark": THROUGHPUT,
              "pythons": pythons, "pairs": pairs, "summary": summarise(pairs)}
    PRECISION_DIR.mkdir(exist_ok=True)
    target = PRECISION_DIR / f"{machine}-{'-'.join(commit[:8] for commit in commits)}.json"
    target.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return target


def read_records(directory: Path = PRECISION_DIR) -> list[dict[str, Any]]:
    """Every machine's precision record, or PrecisionError naming a file that cannot be read."""
    records = []
    for path in sorted(directory.glob("*.json")):
        try:
            records.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            raise PrecisionError(f"{path} cannot be read ({error}); restore it from git "
                                 "or measure again") from None
    return records


def markdown(directory: Path = PRECISION_DIR) -> str:
    """The README's precision section: per machine, the ratios and their distribution."""
    parts = []
    for record in read_records(directory):
        summary = summarise(record["pairs"])
        verdict = ("within" if summary["median_percent"] is not None
                   and summary["median_percent"] <= TARGET_PERCENT else "outside")
        commits = " and ".join(f"`{commit[:8]}`" for commit in record["commits"])
        parts.append(
            f"On `{record['machine']}` (commits {commits}), two back-to-back "
            f"runs of `Throughput` on {', '.join(record['pythons'])}: over "
            f"{summary['figures']} headline figures (100K to 1M tasks), the second run's "
            f"tasks/s differ from the first's by a median of {summary['median_percent']}% and "
            f"at worst {summary['worst_percent']}%; the median is {verdict} "
            f"±{TARGET_PERCENT:.0f}%.\n")
        parts.append("Second run's tasks/s over the first's:\n")
        parts.append("| interpreter | " + " | ".join(f"{int(count):,}" for count in HEADLINE_COUNTS)
                     + " |")
        parts.append("| --- |" + " ---: |" * len(HEADLINE_COUNTS))
        ratios = {(pair["interpreter"], pair["count"]): pair["second"] / pair["first"]
                  for pair in record["pairs"]}
        for interpreter in dict.fromkeys(pair["interpreter"] for pair in record["pairs"]):
            cells = [f"{ratios[(interpreter, count)]:.3f}" if (interpreter, count) in ratios
                     else "-" for count in HEADLINE_COUNTS]
            parts.append(f"| {interpreter} | " + " | ".join(cells) + " |")
        parts.append("")
    if not parts:
        return "No precision record yet: run `python -m taskbench.precision --python ...`.\n"
    return "\n".join(parts).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.precision",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[], metavar="NAME",
                        help="an interpreter from asv.conf.json (repeat for more)")
    parser.add_argument("--from-results", nargs=2, metavar=("COMMIT_A", "COMMIT_B"),
                        help="pair two runs already in results/ instead of measuring")
    parser.add_argument("--markdown", action="store_true", help="print the README section")
    parser.add_argument("--update-readme", type=Path, default=None, metavar="README")
    args = parser.parse_args(argv)
    if not (args.python or args.from_results or args.markdown or args.update_readme):
        parser.error("name interpreters with --python, or ask for --markdown/--update-readme")
    os.environ["PATH"] = os.pathsep.join([str(Path(".pythons/bin").resolve()),
                                          os.environ.get("PATH", "")])
    try:
        if args.python:
            print(f"wrote {measure(args.python)}")
        if args.from_results:
            print(f"wrote {from_results(Path('results'), *args.from_results)}")
        if args.markdown:
            sys.stdout.write(markdown())
        if args.update_readme is not None:
            text = replace_block(args.update_readme.read_text(encoding="utf-8"),
                                 README_BEGIN, README_END, markdown())
            args.update_readme.write_text(text, encoding="utf-8")
    except PrecisionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"error: {args.update_readme}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The main job (``make bench``): the suite on every interpreter found here, then the views.

1. gathers the configured interpreters into ``.pythons/bin`` (:mod:`taskbench.interpreters`)
   and says which are missing and why, before and after the run;
2. records the machine under a stable name (:mod:`taskbench.jobs.machine`);
3. runs ``asv run HEAD^!`` through :mod:`taskbench.jobs.asvdriver` into a folder of its own:
   a full run into a fresh staging folder, a ``--quick`` or ``--bench`` try-out into a fresh
   folder under ``.asv/scratch/`` (so that what it reports missing is missing from this run);
4. after a full run, merges the staging folder into ``results/`` (:mod:`taskbench.jobs.merge`:
   validated, atomic, never going backwards), then regenerates the README's blocks and the
   site. Measuring never depends on presenting: when the README or the site cannot be made,
   the results are kept and the job says why.

An interrupted run leaves ``results/`` as it was and says where the finished part is.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from taskbench.catalogue import CATALOGUE
from taskbench.interpreters import facts
from taskbench.interpreters.config import CONFIG, ConfigError, configured_pythons, load_config
from taskbench.interpreters.provision import DEFAULT_DEST, default_cache, format_table, provision
from taskbench.jobs import machine as machines
from taskbench.jobs.asvdriver import AsvDriver
from taskbench.jobs.merge import merge

SCRATCH = Path(".asv") / "scratch"
STAGING = Path(".asv") / "staging"


def _stamp() -> str:
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S")


def _announce(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def check_patterns(patterns: Sequence[str]) -> str | None:
    """Why a ``--bench`` pattern cannot be used (bad regex, or it selects nothing), or None."""
    names = [entry.name for entry in CATALOGUE]
    calls = [f"{entry.name}({', '.join(map(repr, combo))})" for entry in CATALOGUE
             for combo in entry.combinations()]
    for pattern in patterns:
        if not pattern:
            return ("--bench '' would select every benchmark; leave --bench out for a full "
                    "run, or give a pattern")
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            return f"--bench {pattern!r} is not a regular expression ({error})"
        if not any(compiled.search(name) for name in names + calls):
            return (f"no benchmark matches --bench {pattern!r}; the benchmarks are: "
                    f"{', '.join(names)}")
    return None


def quick_patterns() -> list[str]:
    """What ``--quick`` measures: every benchmark's quick parameters (see the catalogue)."""
    return [pattern for entry in CATALOGUE if (pattern := entry.quick_pattern())]


def _uncommitted_changes() -> bool:
    status = subprocess.run(["git", "status", "--porcelain", "--", "benchmarks", "src",
                             "asv.conf.json", "pyproject.toml"],
                            capture_output=True, text=True, check=False)
    return bool(status.stdout.strip())


def _measured_pythons(results_dir: Path) -> set[str]:
    from taskbench.reports.results import load

    return {figure.python for figure in load(results_dir).figures if figure.value is not None}


def _present(results_dir: Path) -> list[str]:
    """Regenerate the README's blocks and the site; return what could not be made."""
    from taskbench.reports import readme
    from taskbench.site.build import BROWSE, build
    from taskbench.site.vendor import SiteError

    failures = []
    _announce("README")
    # Whatever goes wrong here, the results are already merged: report it and go on.
    try:
        status = readme.main(["README.md", "--results", str(results_dir)])
    except Exception as error:  # noqa: BLE001 - see above
        print(f"error: the README was not regenerated: {type(error).__name__}: {error}",
              file=sys.stderr)
        status = 1
    if status != 0:
        failures.append("the README's generated blocks (see above; `make readme` retries)")
    _announce("Site")
    try:
        html_dir = build(CONFIG)
        print(f"The site is in {html_dir}, self-contained. {BROWSE}")
    except Exception as error:  # noqa: BLE001 - see above
        # SiteError's message is written for the reader; any other names its type.
        reason = error if isinstance(error, SiteError) else f"{type(error).__name__}: {error}"
        print(f"error: the site was not built: {reason}", file=sys.stderr)
        failures.append("the site (`make site` retries)")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
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
    args = parser.parse_args(argv)
    started = time.monotonic()
    problem = check_patterns(args.bench)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        names = configured_pythons(load_config(CONFIG))
        details = machines.details()
    except (ConfigError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    _announce("Interpreters")
    outcomes = provision(names, DEFAULT_DEST, default_cache(), offline=args.offline)
    print(format_table(outcomes), flush=True)
    os.environ["PATH"] = os.pathsep.join([str(DEFAULT_DEST.resolve()),
                                          os.environ.get("PATH", "")])
    if not any(outcome.facts for outcome in outcomes):
        print("error: none of the interpreters in asv.conf.json can be run here; nothing to "
              "measure.", file=sys.stderr)
        return 1
    if _uncommitted_changes():
        print("warning: benchmarks/, src/ or the configuration have uncommitted changes; asv "
              "installs taskbench from the committed HEAD, so commit before measuring.")

    full = not args.quick and not args.bench
    run_dir = (STAGING if full else SCRATCH) / _stamp() / "results"
    with AsvDriver(CONFIG, results_dir=run_dir) as driver:
        _announce("Machine")
        if driver.machine(details).returncode != 0:
            print("error: `asv machine` failed; see its message above.", file=sys.stderr)
            return 2
        try:
            facts.update(run_dir / details["machine"] / facts.FACTS_FILE,
                         [{"python": o.name, **o.facts} for o in outcomes if o.facts])
        except (facts.FactsError, OSError) as error:
            print(f"warning: the build facts were not recorded ({error}); measuring anyway.",
                  file=sys.stderr)
        _announce("Benchmarks" + ("" if full else f" (a try-out: results go to {run_dir})"))
        bench = args.bench + (quick_patterns() if args.quick and not args.bench else [])
        try:
            status = driver.run(machine=details["machine"], bench=bench,
                                quick=args.quick).returncode
        except KeyboardInterrupt:
            print(f"\ninterrupted: results/ is unchanged; what finished is in {run_dir} "
                  "(not merged). Run `make bench` again to measure everything.",
                  file=sys.stderr)
            return 130

    measured = _measured_pythons(run_dir)
    failures: list[str] = []
    if full:
        _announce("Results")
        results_dir = AsvDriver(CONFIG).folder("results_dir", "results")
        try:
            report = merge([run_dir], results_dir)
        except (OSError, ValueError) as error:
            print(f"error: the merge into {results_dir} failed and left it as it was ({error});"
                  f" the run is kept in {run_dir}: `python -m taskbench.jobs.merge {run_dir} "
                  f"{results_dir}` retries.", file=sys.stderr)
            return 1
        print("\n".join(report.lines()))
        failures = _present(results_dir)
    else:
        print(f"\nThe try-out's results are in {run_dir}; results/, the README and the site "
              "are unchanged (only a full run changes them).")

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
        return 130


if __name__ == "__main__":
    raise SystemExit(run())

"""GitHub's runners as the benchmark workflow uses them: one per operating system, each
measuring all of its interpreters in interleaved blocks, and what the merge checks of them.

A hosted runner is a fresh virtual machine for every job, and one runner kind is handed
hosts of several CPU models; two jobs, even of one runner kind, are two hosts. So the
workflow measures every interpreter of one operating system in one job
(:mod:`taskbench.jobs.ci`), and each record of its block log says which runner measured it
(:func:`runner_identity`). From that the merge can tell, for every version step the site
shows (:func:`taskbench.reports.classic.steps`), whether its two interpreters were paired
within one runner (:func:`step_pairing`), and which interpreters a runner did not measure
(:func:`missing`).

The interpreters and runner images are the workflow's (``.github/workflows/benchmarks.yml``,
one ``actions/setup-python`` step per interpreter); ``tests/test_workflows.py`` holds the two
to each other.

Usage (the merge job, after the merge)::

    python -m taskbench.jobs.runners RESULTS [INCOMING ...]
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from taskbench import blocklog, files, host
from taskbench.asvadapter.results import Figure, latest, load
from taskbench.catalogue import FIRST_CYCLE, TASK_COST
from taskbench.interpreters.names import interpreter_order
from taskbench.jobs.preamble import annotate, step_summary
from taskbench.reports.classic import steps
from taskbench.reports.compare import DEFAULT_EXACT_FACTOR, CompareError, compare, format_rows

RUNNER_IMAGES = ("ubuntu-24.04", "macos-15", "windows-2022")
# A runner's machine is gha-<runner image>-<arch> (the bench job's run step names it).
RUNNER_PREFIX = "gha-"
# Every interpreter actions/setup-python offers on all three runner images (docs/ci.md).
CI_PYTHONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15",
              "3.13t", "3.14t", "3.15t", "pypy3.10", "pypy3.11")
FREE_THREADED = tuple(name for name in CI_PYTHONS if name.endswith("t"))
PAIRED = "paired within one runner"


def runner_identity(environ: dict[str, str] | None = None) -> str:
    """Which runner measured a run: the workflow run, its attempt and the runner's name (a
    re-run job is another host). Outside GitHub, the host name."""
    environ = dict(os.environ if environ is None else environ)
    if environ.get("GITHUB_RUN_ID"):
        return (f"run {environ['GITHUB_RUN_ID']}.{environ.get('GITHUB_RUN_ATTEMPT', '1')} "
                f"job {environ.get('GITHUB_JOB', '?')} on {environ.get('RUNNER_NAME', '?')}")
    return f"host {os.uname().nodename if hasattr(os, 'uname') else 'unknown'}"


def runner_host(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The runner's host as its run's record in the block log names it: the host as asv's
    ``cpu`` names it (its fingerprint's name, :mod:`taskbench.host`; the whole fingerprint
    is in ``runs.jsonl``), and the runner image and its version."""
    environ = dict(os.environ if environ is None else environ)
    return {"host": host.host_label(host.fingerprint()), "image": environ.get("ImageOS", ""),
            "image_version": environ.get("ImageVersion", "")}


def stamp(log: Path, missing: dict[str, str], environ: dict[str, str] | None = None) -> None:
    """Say in the block log ``log`` (this run's alone) which runner measured each record,
    and in the run's own record the runner's host and the interpreters it could not measure,
    with why."""
    records = blocklog.read(log)
    identity = runner_identity(environ)
    for (_, env), found in records.items():
        found["runner"] = identity
        if env == "":
            found.update(host=runner_host(environ), missing=dict(sorted(missing.items())))
    files.write_text(log, blocklog.render(records))


def image_of(machine: str) -> str | None:
    """The runner image a ``gha-<image>-<arch>`` machine name was made from."""
    if not machine.startswith(RUNNER_PREFIX) or "-" not in machine[len(RUNNER_PREFIX):]:
        return None
    return machine[len(RUNNER_PREFIX):].rsplit("-", 1)[0]


@dataclass(frozen=True)
class Step:
    machine: str
    a: str
    b: str
    status: str  # PAIRED, or why not


def _runner(records: dict[tuple[str, str], blocklog.Record], figure: Figure) -> str | None:
    record = records.get((figure.commit, figure.env_name))
    if record is None or record.get("run") != figure.run_started:
        return None
    return record.get("runner") or None


def _headline_figures(results: Path) -> dict[tuple[str, str], Figure]:
    """For each machine and interpreter (as the views name it), a figure of its newest run
    of the figures the steps are judged at."""
    found: dict[tuple[str, str], Figure] = {}
    for figure in latest(load(results).figures):
        if figure.benchmark in (TASK_COST.name, FIRST_CYCLE.name) and figure.value is not None:
            found.setdefault((figure.machine, figure.environment), figure)
    return found


def step_pairing(results: Path) -> list[Step]:
    """Every version step the site shows on each runner's machine, and whether its two
    interpreters were measured in blocks by one runner (:data:`PAIRED`)."""
    figures = _headline_figures(results)
    found = []
    for machine in sorted({machine for machine, _ in figures}):
        if image_of(machine) is None:
            continue
        try:
            records = blocklog.read(results / machine / blocklog.BLOCKS_FILE)
        except blocklog.BlockLogError:
            records = {}
        environments = sorted((env for m, env in figures if m == machine),
                              key=interpreter_order)
        for a, b, _ in steps(environments):
            runners = [_runner(records, figures[(machine, env)]) for env in (a, b)]
            if None in runners:
                status = "not paired: no block log names the runner of " + " and ".join(
                    env for env, runner in zip((a, b), runners) if runner is None)
            elif runners[0] != runners[1]:
                status = f"CROSS-RUNNER: {a} by {runners[0]}, {b} by {runners[1]}"
            else:
                status = PAIRED
            found.append(Step(machine, a, b, status))
    return found


def _machine_folders(incomings: Sequence[Path]) -> list[Path]:
    """Every folder under ``incomings`` holding machine folders (an artifact's root)."""
    return sorted({path.parent.parent for folder in incomings
                   for path in folder.rglob("machine.json")})


def missing(incomings: Sequence[Path]) -> list[str]:
    """One line per runner image: the interpreters it has no results for in ``incomings``
    (with the reason its block log gives), or that no results came from it at all."""
    measured: dict[str, set[str]] = {}
    reasons: dict[str, dict[str, str]] = {}
    for root in _machine_folders(incomings):
        for figure in load(root).figures:
            if figure.value is not None:
                measured.setdefault(figure.machine, set()).add(figure.python)
        for log in root.glob(f"*/{blocklog.BLOCKS_FILE}"):
            try:
                records = blocklog.read(log)
            except blocklog.BlockLogError:
                continue
            for (_, env), found in records.items():
                if env == "" and isinstance(found.get("missing"), dict):
                    reasons.setdefault(log.parent.name, {}).update(found["missing"])
    lines = []
    for image in RUNNER_IMAGES:
        machines = sorted(m for m in measured if image_of(m) == image)
        if not machines:
            lines.append(f"{image}: no results at all (its job failed before measuring "
                         "anything, or uploaded nothing: see its log)")
        for machine in machines:
            absent = [name for name in CI_PYTHONS if name not in measured[machine]]
            why = reasons.get(machine, {})
            if absent:
                lines.append(f"{machine}: no results for " + ", ".join(
                    f"{name} ({why[name]})" if name in why else name for name in absent))
    return lines


def compared(results: Path, pairing: Sequence[Step]) -> list[str]:
    """Every step compared as ``python -m taskbench compare A B --machine M`` compares it,
    printed; a line for each step where B is worse somewhere beyond the factor."""
    worse = []
    for step in pairing:
        try:
            rows, notes = compare(results, step.a, step.b, step.machine)
        except CompareError as error:
            print(f"\n{step.machine}: {step.a} → {step.b}: {error}")
            continue
        print(f"\n{step.machine}: {step.a} → {step.b}\n" + "\n".join(
            [format_rows(rows, step.a, step.b, DEFAULT_EXACT_FACTOR), *notes]))
        marked = [row for row in rows if row.mark(DEFAULT_EXACT_FACTOR).startswith("+")]
        if marked:
            worse.append(f"{step.machine}: {step.b} is worse than {step.a} in {len(marked)} of "
                         f"{len(rows)} figures (the log shows which)")
    return worse


def report(results: Path, incomings: Sequence[Path]) -> str:
    """The merge job's words on the runners: what is missing, how each step paired, and
    where a step is worse (the comparisons themselves are printed)."""
    pairing = step_pairing(results)
    lines = missing(incomings) if incomings else []
    crossed = [step for step in pairing if step.status != PAIRED]
    machines = sorted({step.machine for step in pairing})
    lines.append(f"{len(pairing) - len(crossed)} of {len(pairing)} version steps on "
                 f"{', '.join(machines) or 'no runner'} are {PAIRED}.")
    lines += [f"{step.machine}: {step.a} → {step.b} {step.status}" for step in crossed]
    return "\n".join(lines + compared(results, pairing))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.runners", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 (what is missing or unpaired is reported as a warning).")
    parser.add_argument("results", type=Path, help="the merged results folder")
    parser.add_argument("incoming", type=Path, nargs="*",
                        help="the runners' artifacts, to say which interpreters are missing")
    args = parser.parse_args(argv)
    text = report(args.results, [folder for folder in args.incoming if folder.is_dir()])
    print(text)
    for line in text.splitlines():
        if any(mark in line for mark in ("no results", "not paired", "CROSS-RUNNER", "worse")):
            annotate(line)
    step_summary(f"### The runners\n\n```\n{text}\n```\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

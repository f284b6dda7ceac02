"""Merge results folders (CI jobs, or a finished run's staging folder) into ``results/``.

**The rule**, for results files, benchmark descriptions, build facts and the block log alike:
a committed record is replaced only by a record that is strictly newer and at least as
complete; anything else is kept, and the merge says what it kept and why. For a results file,
newer is asv's commit date, then when the run was made, and as complete is measuring every
figure the committed file measured that the catalogue still declares, with samples where it
kept them; for the others see
:mod:`taskbench.jobs.descriptions` (``benchmarks.json``, merged benchmark by benchmark,
never taken whole) and :mod:`taskbench.jobs.mergelogs`.

Every incoming file is checked before anything is written: a results file must load with
asv's own reader for the machine of the folder it sits in, under the whole name asv would
give it, hold numbers a run can produce (:mod:`taskbench.jobs.checks`) and agree with itself
and its name (:mod:`taskbench.jobs.consistency`); ``machine.json`` must name that machine;
``interpreters.jsonl``, ``blocks.jsonl`` and ``runs.jsonl`` are checked line by line by
their own modules; machine names must be plain folder names, and no name may differ only by
case from one in ``results/`` (:mod:`taskbench.jobs.staging`). Symbolic links, folders where
files belong, and anything that would land outside ``results/``, are refused, one line each.
A machine new to ``results/`` comes in only with some of its results, its ``machine.json``
landing first.

A merge is one transaction (:mod:`taskbench.journal`): locked for its whole run (a
second merge names the first and exits 2), staged beside ``results/``, never inside it, and
rolled back, when killed midway, by whichever of the next merge, ``make site`` or ``make
readme`` runs first: ``results/`` is as it was, or fully merged.

Usage::

    python -m taskbench.jobs.merge INCOMING [INCOMING ...] RESULTS
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Sequence

from taskbench import arguments
from taskbench.asvadapter.results import finite, load_file, parameter, run_stamp
from taskbench.catalogue import BY_NAME
from taskbench.jobs import checks, descriptions, mergelogs
from taskbench.jobs.machine import MACHINE_NAME_RULE, valid_machine_name
from taskbench.jobs.preamble import annotate
from taskbench.jobs.staging import Plan, Report
from taskbench.journal import Transaction
from taskbench.output import run
from taskbench.validity import shown

__all__ = ["Report", "main", "merge"]


def _machine_dirs(incoming: Path, report: Report) -> list[tuple[Path, str]]:
    """Folders holding a machine.json, each with the machine it names (checked)."""
    found = []
    for root, dirs, names in os.walk(incoming, followlinks=False):
        here = Path(root)
        for name in dirs + names:
            if (here / name).is_symlink():
                report.refused.append(f"{here / name}: a symbolic link")
        dirs.sort()  # folders in one order on every system: the first of a clash wins
        if "machine.json" in names:  # its folders are refused with its files, once each
            dirs[:] = [name for name in dirs if (here / name / "machine.json").is_file()]
        else:
            orphans = sorted(name for name in names if name != "benchmarks.json" and
                             (name.endswith(".json") or name.endswith(".jsonl")))
            if orphans:
                report.refused.append(f"{here}: {', '.join(orphans)} without a machine.json "
                                      "to say whose they are; left out")
            continue
        if (here / "machine.json").is_symlink():  # refused above, with the other links
            continue
        try:
            data = json.loads((here / "machine.json").read_text(encoding="utf-8"))
            machine = data.get("machine") if isinstance(data, dict) else None
        except (OSError, ValueError) as error:
            report.refused.append(f"{here / 'machine.json'}: not JSON ({error}); its folder is "
                                  "left out")
            continue
        if not isinstance(machine, str) or not valid_machine_name(machine):
            report.refused.append(f"{here}: machine.json names {shown(machine)}, not "
                                  f"{MACHINE_NAME_RULE}; left out")
        elif machine != here.name:
            report.refused.append(f"{here}: machine.json names {machine!r}, but the folder is "
                                  f"{here.name!r}; left out")
        else:
            found.append((here, machine))
    return found


def _measured(results: Any) -> dict[str, bool]:
    """Every figure a results file measured that the catalogue still declares, by asv's
    name of it, and whether it kept its samples (a retired benchmark or count is no loss
    when a newer run lacks it)."""
    found: dict[str, bool] = {}
    for key in results.get_all_result_keys():
        entry = BY_NAME.get(key)
        if entry is None:
            continue
        declared = set(entry.combinations())
        grid = results.get_result_params(key) or []
        samples = results.get_result_samples(key, grid)
        for index, (combo, value) in enumerate(zip(itertools.product(*grid),
                                                   results.get_result_value(key, grid))):
            if finite(value) is not None and tuple(map(parameter, combo)) in declared:
                found[f"{key}({', '.join(combo)})"] = bool(
                    index < len(samples) and samples[index])
    return found


def _kept_because(incoming: Any, current: Path, machine: str) -> str | None:
    """Why the committed results file stays (None: the incoming one replaces it): only a
    run strictly newer (asv's commit date, then when it was made) that measured every
    figure the committed one did replaces it."""
    try:
        committed = load_file(current, machine)
        newer = run_stamp(incoming) > run_stamp(committed)
    except (ValueError, TypeError):
        return None  # the committed file cannot be read: any valid run is better
    if not newer:
        return "incoming run is not newer"
    has = _measured(incoming)
    lacking = [name for name, sampled in _measured(committed).items()
               if name not in has or (sampled and not has[name])]
    if lacking:
        shown = ", ".join(lacking[:3]) + (", …" if len(lacking) > 3 else "")
        return (f"the incoming run is newer but lacks {len(lacking)} of its figures (or "
                f"their samples): {shown}")
    return None


def _stage_results(plan: Plan, path: Path, machine: str, relative: str) -> None:
    results, problem = checks.checked_results(path, machine)
    if problem is not None:
        plan.report.refused.append(f"{problem}; left out")
        return
    clash = plan.clash(relative)
    if clash is not None:
        plan.report.refused.append(f"{path}: its name differs only by case from {clash} "
                                   "(one file on macOS and Windows); left out")
        return
    current = plan.current(relative)
    if os.path.lexists(current) and (current.is_dir() and not current.is_symlink()):
        plan.report.refused.append(f"{current} is a folder, not a results file: move it "
                                   f"away, then merge again; {path} left out")
        return
    if current.exists():
        reason = _kept_because(results, current, machine)
        if reason is not None:
            plan.report.kept.append(f"{relative} ({reason})")
            return
    shutil.copy2(path, plan.target(relative))


def _plan_machine(plan: Plan, source: Path, machine: str, logs: list[tuple[Path, str]]
                  ) -> None:
    """Check one incoming machine folder and stage its results; its logs go to ``logs``,
    to be merged once every results file is staged."""
    for path in sorted(source.iterdir()):
        relative = f"{machine}/{path.name}"
        if path.is_symlink():
            continue  # refused while walking
        if not path.is_file():
            if not (path / "machine.json").is_file():  # else a machine folder of its own
                plan.report.refused.append(f"{path}: a folder where a machine folder holds "
                                           "files (a results file replaced by a folder?); "
                                           "left out")
            continue
        if path.name == "machine.json":
            if not (plan.results / relative).exists() and relative not in plan.paths:
                shutil.copy2(path, plan.target(relative))
        elif path.name in mergelogs.LOGS:
            logs.append((path, relative))
        elif path.suffix != ".json":
            plan.report.refused.append(f"{path}: not a results file; left out")
        else:
            _stage_results(plan, path, machine, relative)
        plan.step("stage")


def _drop_lone_machines(plan: Plan) -> None:
    """A machine new to results/ comes in only with results: a machine.json (and build
    facts) whose every results file was refused would make an empty machine on the site."""
    machines = {relative.split("/")[0] for relative in plan.paths if "/" in relative}
    for machine in sorted(machines):
        mine = [relative for relative in plan.paths if relative.startswith(f"{machine}/")]
        if (plan.results / machine / "machine.json").exists() or any(
                relative.endswith(".json") and relative != f"{machine}/machine.json"
                for relative in mine):
            continue
        plan.paths = {relative: None for relative in plan.paths if relative not in mine}
        plan.report.refused.append(
            f"{machine}: none of its results were accepted (see above), so its "
            f"{' and '.join(sorted(Path(relative).name for relative in mine))} "
            "are not added either")


def _machine_problem(plan: Plan, source: Path, machine: str, root: Path) -> str | None:
    """Why an incoming machine folder cannot land in results/, or None."""
    target = plan.results / machine
    if target.is_symlink() or (target.exists() and target.resolve().parent != root):
        return f"{target}: a link or outside {plan.results}; {source} left out"
    clash = plan.clash(machine)
    if clash is not None:
        return (f"{source}: machine {machine!r} differs only by case from {clash} (one "
                "folder on macOS and Windows); left out")
    return None


def _landing_order(relative: str) -> tuple[int, str]:
    """machine.json before its results (asv reads a folder by it); benchmarks.json last."""
    if relative == "benchmarks.json":
        return 2, relative
    return (0 if relative.endswith("/machine.json") else 1), relative


def merge(incomings: Sequence[Path], results: Path) -> Report:
    """Merge every machine folder under ``incomings`` into ``results`` (see the docstring).

    Raises:
        MergeBusy: another merge into ``results`` is running (nothing was merged).
        OSError, ValueError: the merge could not be made; ``results`` is as it was.
    """
    report = Report()
    results.mkdir(parents=True, exist_ok=True)
    if results.is_symlink():
        raise ValueError(f"{results} is a symbolic link; refusing to write through it")
    root = results.resolve()
    with Transaction(results) as transaction:
        report.notes += transaction.notes
        plan = Plan(transaction.staging, results, report, transaction.step)
        logs: list[tuple[Path, str]] = []
        for incoming in incomings:
            for source, machine in _machine_dirs(incoming.resolve(), report):
                problem = _machine_problem(plan, source, machine, root)
                if problem:
                    report.refused.append(problem)
                    continue
                _plan_machine(plan, source, machine, logs)
        for path, relative in logs:
            mergelogs.stage_log(plan, path, relative)
            plan.step("stage")
        _drop_lone_machines(plan)
        descriptions.plan_benchmarks([path.resolve() for path in incomings], plan)
        paths = sorted(plan.paths, key=_landing_order)
        for relative in paths:
            if relative != "benchmarks.json":
                landed = os.path.lexists(results / relative)
                (report.replaced if landed else report.added).append(relative)
        transaction.commit(paths)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.merge", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the merge ran and refused nothing, 2 when it refused "
               "something (one line each: what was valid was merged) or could not start "
               "(another merge running, a closed stdout), 1 when its report could not be "
               "printed, 141 when its reader went away.")
    parser.add_argument("paths", nargs="+", type=arguments.path,
                        metavar="INCOMING... RESULTS")
    args = parser.parse_args(argv)
    if len(args.paths) < 2:
        parser.error("give at least one incoming folder and the results folder")
    *incomings, results = args.paths
    missing = [str(path) for path in incomings if not path.is_dir()]
    if missing:
        print(f"error: no such folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        report = merge(incomings, results)
    except (OSError, ValueError) as error:
        print(f"error: nothing was merged: {error}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    for reason in report.refused:
        annotate(f"merge refused {reason}")
    return 2 if report.refused else 0


if __name__ == "__main__":
    raise SystemExit(run(main, lost="; the merge itself is complete"))

"""Merge results folders (CI jobs, or a finished run's staging folder) into ``results/``.

Every incoming file is checked before anything is written: a results file must load with
asv's own reader for the machine of the folder it sits in, under the whole name asv would
give it, and hold numbers a run can produce (:mod:`taskbench.jobs.checks`); ``machine.json``
must name that machine; ``interpreters.jsonl``, ``blocks.jsonl`` and ``runs.jsonl`` must
parse, the build facts' and run records' dates too, and each keeps the newest record of every
key; machine names must be plain
folder names. Symbolic links, and anything that would land outside ``results/``,
are refused. A results file replaces a committed one only when its run is newer (asv's
commit date, then when the run was made); otherwise the committed one is kept and the
incoming one reported. A machine new to ``results/`` comes in only with some of its results,
its ``machine.json`` landing first.

A merge is one transaction (:mod:`taskbench.jobs.journal`): locked for its whole run (a
second merge names the first and exits 2), staged beside ``results/``, never inside it, and
rolled back, when killed midway, by whichever of the next merge, ``make site`` or ``make
readme`` runs first: ``results/`` is as it was, or fully merged.

Usage::

    python -m taskbench.jobs.merge INCOMING [INCOMING ...] RESULTS
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from taskbench import arguments, blocklog, runfacts
from taskbench.asvadapter.results import load_file, run_stamp
from taskbench.interpreters import facts
from taskbench.jobs import checks
from taskbench.jobs.machine import MACHINE_NAME_RULE, valid_machine_name
from taskbench.jobs.preamble import annotate
from taskbench.journal import Transaction
from taskbench.output import run


@dataclass
class Report:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # an earlier merge, rolled back first

    def lines(self) -> list[str]:
        out = [f"{len(self.added)} added, {len(self.replaced)} replaced, {len(self.kept)} kept "
               f"(the committed file is as new or newer), {len(self.refused)} refused"]
        out += [f"  added: {name}" for name in self.added]
        out += [f"  replaced: {name}" for name in self.replaced]
        out += [f"  kept: {name}" for name in self.kept]
        out += [f"  refused: {reason}" for reason in self.refused]
        if self.refused:
            out.append("What was refused is left out and results/ keeps its own files: fix "
                       "or measure it again (make bench), then merge again.")
        out += [f"note: {note}" for note in self.notes]
        return out


def _machine_dirs(incoming: Path, report: Report) -> list[tuple[Path, str]]:
    """Folders holding a machine.json, each with the machine it names (checked)."""
    found = []
    for root, dirs, names in os.walk(incoming, followlinks=False):
        here = Path(root)
        for name in dirs + names:
            if (here / name).is_symlink():
                report.refused.append(f"{here / name}: a symbolic link")
        if "machine.json" not in names:
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
            report.refused.append(f"{here}: machine.json names {machine!r}, not "
                                  f"{MACHINE_NAME_RULE}; left out")
        elif machine != here.name:
            report.refused.append(f"{here}: machine.json names {machine!r}, but the folder is "
                                  f"{here.name!r}; left out")
        else:
            found.append((here, machine))
    return found


@dataclass
class _Plan:
    """What one merge stages: files under ``staging`` at their paths relative to ``results``."""

    staging: Path
    results: Path
    report: Report
    step: Callable[[str], None]
    paths: dict[str, None] = field(default_factory=dict)  # ordered, and found in one step

    def current(self, relative: str) -> Path:
        """The copy an incoming file is compared with: one an earlier folder staged (several
        incoming folders may hold one machine: one CI job per interpreter), else the
        committed one."""
        return (self.staging / relative if relative in self.paths
                else self.results / relative)

    def target(self, relative: str) -> Path:
        (self.staging / relative).parent.mkdir(parents=True, exist_ok=True)
        self.paths[relative] = None  # staged: it lands, in landing order
        return self.staging / relative


def _stage_results(plan: _Plan, path: Path, machine: str, relative: str) -> None:
    results, problem = checks.checked_results(path, machine)
    if problem is not None:
        plan.report.refused.append(f"{problem}; left out")
        return
    current = plan.current(relative)
    if current.exists():
        try:
            committed = run_stamp(load_file(current, machine))
        except (ValueError, TypeError):
            committed = None
        if committed is not None and committed >= run_stamp(results):
            plan.report.kept.append(f"{relative} (incoming run is not newer)")
            return
    shutil.copy2(path, plan.target(relative))


# The logs beside the results: the module that reads, merges and renders each, its error,
# and what a refusal loses.
_LOGS = {facts.FACTS_FILE: (facts, facts.FactsError, "build facts left out"),
         blocklog.BLOCKS_FILE: (blocklog, blocklog.BlockLogError, "block log left out (its "
                                "runs' figures are shown unpaired)"),
         runfacts.RUNS_FILE: (runfacts, runfacts.RunFactsError, "run records left out (their "
                              "runs are shown as from an unknown host)")}


def _stage_log(plan: _Plan, path: Path, relative: str) -> None:
    """Build facts or the block log: each record kept unless the committed one is newer."""
    module, error_type, lost = _LOGS[path.name]
    try:
        incoming = module.read(path)
        existing = module.read(plan.current(relative))
    except error_type as error:
        plan.report.refused.append(f"{error}; {lost}")
        return
    merged = module.merged(existing, incoming.values())
    if merged != existing:
        plan.target(relative).write_text(module.render(merged), encoding="utf-8")


def _plan_machine(plan: _Plan, source: Path, machine: str) -> None:
    """Check one incoming machine folder and stage what should land."""
    for path in sorted(source.iterdir()):
        relative = f"{machine}/{path.name}"
        if path.is_symlink() or not path.is_file():
            continue  # links were refused while walking; folders hold no results
        if path.name == "machine.json":
            if not (plan.results / relative).exists() and relative not in plan.paths:
                shutil.copy2(path, plan.target(relative))
        elif path.name in _LOGS:
            _stage_log(plan, path, relative)
        elif path.suffix != ".json":
            plan.report.refused.append(f"{path}: not a results file; left out")
        else:
            _stage_results(plan, path, machine, relative)
        plan.step("stage")


def _drop_lone_machines(plan: _Plan) -> None:
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


def _plan_benchmarks(incomings: Sequence[Path], plan: _Plan) -> None:
    """asv's benchmarks.json: the union of every copy, incoming descriptions winning."""
    merged: dict[str, Any] = {}
    final = plan.results / "benchmarks.json"
    sources = [final] if final.is_file() and not final.is_symlink() else []
    for incoming in incomings:
        sources += sorted(path for path in incoming.rglob("benchmarks.json")
                          if not path.is_symlink())
    committed: dict[str, Any] | None = None
    for path in sources:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("version"), int):
                raise ValueError("not asv's benchmarks.json")
        except (OSError, ValueError) as error:
            plan.report.refused.append(f"{path}: {error}; left out")
            continue
        if path == final:
            committed = data
        merged.update(data)
    # Compared with the copy read above: reading the committed file again raised, and so
    # stopped the whole merge, when that file was the one refused as not JSON.
    if merged and merged != committed:
        plan.target("benchmarks.json").write_text(json.dumps(merged, indent=4, sort_keys=True),
                                                  encoding="utf-8")


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
        plan = _Plan(transaction.staging, results, report, transaction.step)
        for incoming in incomings:
            for source, machine in _machine_dirs(incoming.resolve(), report):
                target = results / machine
                if target.is_symlink() or (target.exists() and
                                           target.resolve().parent != root):
                    report.refused.append(f"{target}: a link or outside {results}; "
                                          f"{source} left out")
                    continue
                _plan_machine(plan, source, machine)
        _drop_lone_machines(plan)
        _plan_benchmarks([path.resolve() for path in incomings], plan)
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
        epilog="Exit status: 0 when the merge ran (refusals are listed), 2 when it could not "
               "start (another merge running, a closed stdout), 1 when its report could not be "
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
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, lost="; the merge itself is complete"))

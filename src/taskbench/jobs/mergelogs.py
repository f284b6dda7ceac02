"""The logs beside the results merged record by record: build facts, the block log and the
run records (which host ran each run, with every interpreter's version).

Each module keeps its own rule of which record is newer and as complete
(:func:`taskbench.interpreters.facts.kept_because`,
:func:`taskbench.blocklog.kept_because`; a run record is one per commit and host, the
strictly newer one's fingerprint with every interpreter's newest version,
:func:`taskbench.runfacts.merged`); the merge says, one line per file, which incoming records
it kept out and why. The block log says which block each sample of a results file came from,
so a record of it comes in only with that very file: an environment's record only when
``results/`` holds, after the merge, the results file of the run it describes, and a run's
own record (its blocks' order and minutes) only when some results file of that run came in
with it. A block log whose every results file was refused would otherwise describe a run
that ``results/`` does not hold; a run record comes in only for a commit ``results/`` holds
results of, after the merge, for the same reason.

The logs are merged after every incoming results file has been staged, from every folder:
which results land is known by then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from taskbench import blocklog, runfacts
from taskbench.interpreters import facts
from taskbench.jobs.staging import Plan

LOGS = (facts.FACTS_FILE, blocklog.BLOCKS_FILE, runfacts.RUNS_FILE)


def _read(module: Any, error: type[Exception], path: Path, plan: Plan, relative: str,
          lost: str) -> tuple[dict[Any, Any], dict[Any, Any]] | None:
    try:
        return module.read(path), module.read(plan.current(relative))
    except error as problem:
        plan.report.refused.append(f"{problem}; {lost}")
        return None


def _kept_line(relative: str, kept: dict[str, str]) -> str:
    return f"{relative}'s records of " + ", ".join(
        f"{name} ({reason})" for name, reason in sorted(kept.items()))


def _stage_facts(plan: Plan, path: Path, relative: str) -> None:
    read = _read(facts, facts.FactsError, path, plan, relative, "build facts left out")
    if read is None:
        return
    incoming, existing = read
    merged, kept = dict(existing), {}
    for name, record in incoming.items():
        reason = facts.kept_because(record, merged.get(name))
        if reason is None:
            merged[name] = record
        elif record != merged.get(name):
            kept[name] = reason
    if kept:
        plan.report.kept.append(_kept_line(relative, kept))
    if merged != existing:
        plan.target(relative).write_text(facts.render(merged), encoding="utf-8")


def _describes_landed(plan: Plan, machine: str, key: tuple[str, str],
                      record: blocklog.Record) -> bool:
    run: int = record["run"]
    return plan.run_of(machine, key[0], key[1]) == run


def _runs_with_results(plan: Plan, machine: str, incoming: dict[Any, blocklog.Record]
                       ) -> set[str]:
    """The commits of which some results file described in ``incoming`` is in results/
    after the merge, the very run the log describes."""
    return {key[0] for key, record in incoming.items()
            if key[1] and _describes_landed(plan, machine, key, record)}


def _stage_blocks(plan: Plan, path: Path, relative: str, machine: str) -> None:
    read = _read(blocklog, blocklog.BlockLogError, path, plan, relative,
                 "block log left out (its runs' figures are shown unpaired)")
    if read is None:
        return
    incoming, existing = read
    with_results = _runs_with_results(plan, machine, incoming)
    merged, kept, orphans = dict(existing), {}, []
    for key, record in sorted(incoming.items()):
        reason = blocklog.kept_because(record, merged.get(key))
        if reason is not None:
            if record != merged.get(key):
                kept[f"{key[1] or 'the run'} at {key[0][:8]}"] = reason
        elif (key[1] and _describes_landed(plan, machine, key, record)) or (
                not key[1] and key[0] in with_results):
            merged[key] = record
        else:
            orphans.append(f"{key[1] or 'the run itself'} at {key[0][:8]}")
    if orphans:
        plan.report.refused.append(
            f"{path}: records of {', '.join(orphans)} describe results that results/ does "
            "not hold after this merge (refused above, or older than its own); left out")
    if kept:
        plan.report.kept.append(_kept_line(relative, kept))
    if merged != existing:
        plan.target(relative).write_text(blocklog.render(merged), encoding="utf-8")


def _stage_runs(plan: Plan, path: Path, relative: str, machine: str) -> None:
    read = _read(runfacts, runfacts.RunFactsError, path, plan, relative,
                 "run records left out (their runs are shown as from an unknown host)")
    if read is None:
        return
    incoming, existing = read
    held = [record for record in incoming.values() if plan.holds_commit(machine,
                                                                        record["commit"])]
    orphans = sorted({str(record["commit"])[:8] for record in incoming.values()} -
                     {str(record["commit"])[:8] for record in held})
    if orphans:
        plan.report.refused.append(
            f"{path}: records of runs at {', '.join(orphans)}, of which results/ holds no "
            "results after this merge (refused above?); left out")
    merged = runfacts.merged(existing, held)
    if merged != existing:
        plan.target(relative).write_text(runfacts.render(merged), encoding="utf-8")


def stage_log(plan: Plan, path: Path, relative: str) -> None:
    """Stage one incoming log (build facts, block log, run records) of ``relative``'s
    machine."""
    machine = relative.split("/")[0]
    if path.name == facts.FACTS_FILE:
        _stage_facts(plan, path, relative)
    elif path.name == runfacts.RUNS_FILE:
        _stage_runs(plan, path, relative, machine)
    else:
        _stage_blocks(plan, path, relative, machine)

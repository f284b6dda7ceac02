"""What a run in blocks leaves behind: its phases and blocks combined into one results file
per environment, and its block log.

:class:`BlockRun` is what :mod:`taskbench.jobs.blocks` measured. :func:`record` combines
its folders with asv's own appending (:func:`taskbench.asvadapter.combine.combine`) and
writes the block log (:mod:`taskbench.blocklog`): which block each sample came from, and
once per run its seed, its phases' and blocks' minutes and orders, the plan of its extra
blocks and any burst made on purpose. :func:`missed` names what an interpreter did not
measure in a block where it was due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taskbench import blocklog
from taskbench.asvadapter.combine import combine
from taskbench.asvadapter.results import load_file, result_paths, run_stamp
from taskbench.jobs import blockplan
from taskbench.jobs.burst import Burst

Measured = blockplan.Measured


@dataclass
class BlockRun:
    """What a run in blocks measured: its phase and block folders, each block's order and
    minutes, the plan of its extra blocks, and every value by figure, interpreter and block.
    """

    seed: int = 0
    phases: list[tuple[str, Path]] = field(default_factory=list)
    phase_minutes: dict[str, float] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)
    orders: list[list[str]] = field(default_factory=list)
    minutes: list[float] = field(default_factory=list)
    guesses: list[float] = field(default_factory=list)  # the catalogue's, seconds
    stages: list[str] = field(default_factory=list)  # "first" or "extra", per block
    statuses: list[int] = field(default_factory=list)
    measured: Measured = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    plan: blockplan.Plan | None = None
    expected: list[set[tuple[str, str]]] = field(default_factory=list)  # per block
    references: list[float | None] = field(default_factory=list)  # per block, seconds
    burst: Burst | None = None  # interference on purpose, for a precision record
    hogs: list[Any] = field(default_factory=list)

    def spent(self) -> float:
        return sum(self.phase_minutes.values()) + sum(self.minutes)



def missed(run: BlockRun) -> list[str]:
    """Each block's figures an interpreter measured in other blocks but not in that one:
    left out of that block's comparisons, and named (asv's log says why)."""
    lines = []
    for block, expected in enumerate(run.expected):
        lost = sorted((env, call) for env, call in expected
                      if run.measured.get(call, {}).get(env) and
                      block not in run.measured[call][env])
        if lost:
            lines.append(f"block {block + 1}: " + "; ".join(
                f"{run.names.get(env, env)} {call}" for env, call in lost))
    return lines


def record(run: BlockRun, machine: str, target: Path) -> Path:
    """Combine the phases and blocks into ``target`` and log which block each sample came
    from, with the run's seed, orders, minutes and plan."""
    labelled: list[tuple[int | str, Path]] = [
        (f"{name}:{path.name}", path) for name, path in run.phases]
    labelled += [(block, folder) for block, folder in enumerate(run.folders)]
    labelled = [(label, folder) for label, folder in labelled if (folder / machine).is_dir()]
    if not labelled:
        raise ValueError(f"no block or phase measured anything on {machine}")
    contributions = combine(labelled, machine, target)
    records: list[blocklog.Record] = []
    newest = 0
    for path, _ in result_paths(target, []):
        results = load_file(path, machine)
        stamp = run_stamp(results)[1]
        newest = max(newest, stamp)
        records.append({
            "commit": results.commit_hash, "env_name": results.env_name, "run": stamp,
            "figures": {call: blocks for (env, call), blocks in sorted(contributions.items())
                        if env == results.env_name}})
    commit = records[0]["commit"] if records else ""
    plan = run.plan or blockplan.Plan()
    records.append({
        "commit": commit, "env_name": "", "run": newest, "seed": run.seed,
        "phases": [{"name": name, "minutes": round(minutes, 2)}
                   for name, minutes in run.phase_minutes.items()],
        **({"burst": {"block": run.burst.block, "seconds": run.burst.seconds}}
           if run.burst is not None else {}),
        "blocks": [{"order": order, "minutes": round(minutes, 2) or minutes, "stage": stage,
                    **({} if reference is None else {"reference": round(reference, 4)})}
                   for order, minutes, stage, reference in zip(
                       run.orders, run.minutes, run.stages,
                       run.references + [None] * (len(run.orders) - len(run.references)))],
        "plan": {"granted": sorted({n.why for n in plan.granted}),
                 "refused": sorted({n.why for n in plan.refused}),
                 "unreachable": list(plan.unreachable)}})
    log = target / machine / blocklog.BLOCKS_FILE
    blocklog.write(log, records)
    return log

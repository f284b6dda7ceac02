"""Measure in interleaved blocks: every interpreter once per block, in an order that changes
from block to block, so that each figure's samples are paired by block across interpreters.

asv runs environments one after another, and its rounds interleave only inside one
environment, so a drift of the machine over minutes lands between interpreters. Here a block
is one ``asv run`` of every environment (``-E`` in the block's own shuffled order, one
process per figure: ``-a rounds=1``, asv's forkserver so that a process costs a fork, not an
interpreter start) into a folder of its own. After each block every figure's interval is
computed again (:mod:`taskbench.reports.inference`), and a figure is in the next block while
its catalogue :class:`~taskbench.catalogue.Blocks` ask for more: its least not reached, or
its interval wider than its target on some interpreter, up to its most. The run stops when
no figure needs another block, or, once every figure has its least, before a block that
would pass the time cap. Figures measured once (exact counts, the replica) are in the first
block only.

The blocks are then combined into one results file per environment
(:func:`taskbench.asvadapter.combine.combine`, asv's own appending), with a block log
(:mod:`taskbench.blocklog`) saying which block each sample came from.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from taskbench import blocklog
from taskbench.asvadapter.combine import combine
from taskbench.asvadapter.config import CONFIG
from taskbench.asvadapter.driver import AsvDriver
from taskbench.asvadapter.results import load, load_file, result_paths, run_stamp
from taskbench.catalogue import BY_NAME, SAMPLED, Target
from taskbench.jobs import estimate
from taskbench.reports.stats import half_width_percent

# call name -> asv environment name -> block -> the process's value
Measured = dict[str, dict[str, dict[int, float]]]


def held_to_target(env_name: str) -> bool:
    """Whether an environment's intervals ask for more blocks. The targets are stated for
    CPython; PyPy's JIT warms up differently in every process, so its figures get their
    least blocks and are shown with the intervals they have, but do not prolong the run."""
    return "-pypy" not in env_name


def wanted(target: Target, block: int, measured: Measured, quick: bool = False) -> bool:
    """Whether ``target`` is measured in ``block`` (see the module docstring): the plan's own
    rule (:func:`estimate.in_block`), noisy while a CPython's interval is wider than its
    target."""
    return estimate.in_block(target, block, _wider_than_its_target(target, measured), quick)


def _wider_than_its_target(target: Target, measured: Measured) -> bool:
    percent = target.entry.blocks.percent
    widths = [half_width_percent(list(values.values()))
              for env, values in measured.get(target.call, {}).items() if held_to_target(env)]
    return percent is not None and any(width is not None and width > percent
                                       for width in widths)


def order(environments: Sequence[str], block: int) -> list[str]:
    """The environments in the order block ``block`` measures them: shuffled, reproducibly."""
    shuffled = list(environments)
    random.Random(f"taskbench block {block}").shuffle(shuffled)
    return shuffled


def pattern(targets: Sequence[Target]) -> str:
    """An ``asv run --bench`` regex selecting exactly ``targets``."""
    return "^(" + "|".join(re.escape(target.call) for target in targets) + ")$"


def read_block(folder: Path, block: int, measured: Measured) -> int:
    """Add one block's per-process values to ``measured``; how many there were."""
    found = 0
    for figure in load(folder).figures:
        entry = BY_NAME.get(figure.benchmark)
        if entry is None or entry.kind != SAMPLED or not figure.samples:
            continue
        by_env = measured.setdefault(entry.call_name(figure.params), {})
        by_env.setdefault(figure.env_name, {})[block] = figure.samples[0]
        found += 1
    return found


@dataclass
class BlockRun:
    """What a run in blocks measured: its block folders, and how long each block took."""

    folders: list[Path] = field(default_factory=list)
    orders: list[list[str]] = field(default_factory=list)
    minutes: list[float] = field(default_factory=list)
    guesses: list[float] = field(default_factory=list)  # the catalogue's, seconds
    statuses: list[int] = field(default_factory=list)
    measured: Measured = field(default_factory=dict)


def _wider_than_target(targets: Sequence[Target], measured: Measured) -> list[str]:
    lines = []
    for target in targets:
        for env, values in sorted(measured.get(target.call, {}).items()):
            if not held_to_target(env):
                continue
            width = half_width_percent(list(values.values()))
            goal = target.entry.blocks.percent
            if goal is not None and width is not None and width > goal:
                lines.append(f"{target.call} on {env}: ±{width:.1f}% (target ±{goal:g}%)")
    return lines


def _progress(run: BlockRun, targets: Sequence[Target], environments: int, values: int,
              cap: float, quick: bool) -> None:
    """After a block: what it measured, how long it took, and the time left."""
    done = len(run.minutes)
    wide = {t.call for t in targets if wanted(t, done, run.measured, quick)}
    left = estimate.time_left(targets, environments, done, run.minutes, run.guesses, cap,
                              wide=wide, quick=quick)
    print(f"Block {done}: {values} values in {run.minutes[-1]:.1f} minutes "
          f"({sum(run.minutes):.1f} so far); {left}.", flush=True)


def run_blocks(folder: Path, machine: str, environments: Sequence[str],
               targets: Sequence[Target], *, minutes: float, quick: bool = False,
               config: Path = CONFIG) -> BlockRun:
    """Measure ``targets`` on ``environments`` in blocks under ``folder``, within ``minutes``
    (a block that would end past it is not started)."""
    run = BlockRun()
    started = time.monotonic()
    for block in range(max(target.entry.blocks.most for target in targets) if not quick else 1):
        chosen = [t for t in targets if wanted(t, block, run.measured, quick)]
        elapsed = (time.monotonic() - started) / 60
        if not chosen:
            break
        if run.minutes and not estimate.owed(chosen, block) and elapsed + run.minutes[-1] > minutes:
            print(f"\nStopping before block {block + 1}: it would end past the "
                  f"{minutes:g}-minute cap.", flush=True)
            break
        run.orders.append(order(environments, block))
        run.folders.append(folder / f"block-{block + 1:02d}")
        print(f"\n=== Block {block + 1}: {len(chosen)} figures on {len(environments)} "
              f"interpreters ({elapsed:.1f} minutes so far; {estimate.ASV_PERCENT}) ===",
              flush=True)
        run.guesses.append(estimate.guess(chosen, len(environments)))
        began = time.monotonic()
        with AsvDriver(config, results_dir=run.folders[-1]) as driver:
            run.statuses.append(driver.run(
                machine=machine, environments=run.orders[-1], bench=[pattern(chosen)],
                rounds=1, launch_method="forkserver").returncode)
        run.minutes.append((time.monotonic() - began) / 60)
        _progress(run, targets, len(environments),
                  read_block(run.folders[-1], block, run.measured), minutes, quick)
    wider = _wider_than_target(targets, run.measured)
    if wider:
        print("Still wider than their targets (more blocks would narrow them):\n  "
              + "\n  ".join(wider), flush=True)
    return run


def record(run: BlockRun, machine: str, target: Path) -> Path:
    """Combine the blocks into ``target`` and log which block each sample came from."""
    folders = [(block, folder) for block, folder in enumerate(run.folders)
               if (folder / machine).is_dir()]
    if not folders:
        raise ValueError(f"no block measured anything on {machine}")
    contributions = combine(folders, machine, target)
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
    # Minutes to two decimals, but never 0: the block log refuses a block of no time.
    records.append({"commit": commit, "env_name": "", "run": newest,
                    "blocks": [{"order": order_, "minutes": round(minutes_, 2) or
                                float(f"{minutes_:.2g}")}
                               for order_, minutes_ in zip(run.orders, run.minutes)]})
    log = target / machine / blocklog.BLOCKS_FILE
    blocklog.write(log, records)
    return log


"""Measure in interleaved blocks: the block plan (:mod:`taskbench.jobs.blockplan`) carried out.

asv 0.6's ``--interleave-rounds`` runs each round over every environment, but always in the
same order, for a fixed number of rounds, and keeps no record of which round a sample came
from. The blocks add what a paired comparison needs: a random, balanced order for each block
(the seed recorded), phases that keep the untimed and one-off work out of the timed blocks,
extra blocks planned from the first ones (where a step is undecided, a value was hit by
interference, or an interval is wider than its target), a time cap, and a block log
(:mod:`taskbench.blocklog`) saying which block each sample came from.

Each block is ``asv run`` of the chosen environments (``-E`` in the block's order; one process
per figure: ``-a rounds=1``; asv's forkserver, so that a process costs a fork, not an
interpreter start) into a folder of its own; an extra block is one such run per group of
interpreters measuring the same figures. The phases and blocks are then combined into one
results file per environment (:func:`taskbench.asvadapter.combine.combine`, asv's own
appending).
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Callable, Sequence

from taskbench import host
from taskbench.asvadapter.config import CONFIG, ConfigError, environment_folders
from taskbench.asvadapter.driver import AsvDriver
from taskbench.asvadapter.results import load
from taskbench.catalogue import BLOCKS, BY_NAME, COUNTS, REPLICA_PHASE, ROUNDS, SAMPLED, Target
from taskbench.jobs import blockplan, estimate, runrecord
from taskbench.jobs.burst import Burst, stop
from taskbench.jobs.runrecord import BlockRun
from taskbench.reports.classic import STEPS_AT, steps

Measured = blockplan.Measured


def pattern(calls: Sequence[str]) -> str:
    """An ``asv run --bench`` regex selecting exactly ``calls`` (asv's names of figures)."""
    return "^(" + "|".join(re.escape(call) for call in calls) + ")$"


def read_block(folder: Path, block: int, measured: Measured, names: dict[str, str]) -> int:
    """Add one block's per-process values to ``measured`` (and each environment's name as
    views show it to ``names``); how many there were."""
    found = 0
    for figure in load(folder).figures:
        entry = BY_NAME.get(figure.benchmark)
        if entry is None or entry.kind != SAMPLED or not figure.samples:
            continue
        by_env = measured.setdefault(entry.call_name(figure.params), {})
        by_env.setdefault(figure.env_name, {})[block] = figure.samples[0]
        names[figure.env_name] = figure.environment
        found += 1
    return found


class NothingMeasured(Exception):
    """asv failed and measured nothing in the run's first block: the blocks after it would
    fail alike, so the run stops there with asv's message above."""


def _asv(folder: Path, machine: str, environments: Sequence[str], calls: Sequence[str],
         config: Path, rounds: int = 1, prefix: str | None = None) -> int:
    with AsvDriver(config, results_dir=folder) as driver:
        return driver.run(machine=machine, environments=list(environments),
                          bench=[pattern(calls)], rounds=rounds, launch_method="forkserver",
                          prefix=prefix).returncode


def halves(environments: Sequence[str], folders: dict[str, Path]) -> list[list[str]]:
    """The environments in two halves for two asv runs at once, those that share a folder
    (differing only in run-time variables, such as the JIT's) in the same half: asv installs
    taskbench into a folder when it starts measuring there, and two installs at once into
    one folder break each other."""
    groups: dict[Path | str, list[str]] = {}
    for env in environments:
        groups.setdefault(folders.get(env, env), []).append(env)
    found: list[list[str]] = [[], []]
    for members in sorted(groups.values(), key=len, reverse=True):
        min(found, key=len).extend(members)
    return found


def _counts(folder: Path, machine: str, environments: Sequence[str], calls: Sequence[str],
            config: Path, run: BlockRun) -> None:
    """The counts phase: the interpreters in two halves measured at once, one per core,
    once every environment exists (creating two at once can break both)."""
    with AsvDriver(config, results_dir=folder) as driver:
        driver.setup(environments)
    try:
        folders = environment_folders(config)
    except ConfigError:
        folders = {}
    split = halves(environments, folders)
    statuses: list[int] = []

    def measure(number: int, half: list[str]) -> None:
        target = folder.parent / f"{folder.name}-{number}"
        run.phases.append((COUNTS, target))
        statuses.append(_asv(target, machine, half, calls, config, prefix=f"[counts {number}]"))

    threads = [threading.Thread(target=measure, args=(number, half))
               for number, half in enumerate(split, 1) if half]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.statuses += statuses


def run_phases(folder: Path, machine: str, environments: Sequence[str],
               targets: Sequence[Target], run: BlockRun, config: Path = CONFIG) -> None:
    """Every phase with targets, before the blocks (see :mod:`taskbench.jobs.blockplan`)."""
    for phase in blockplan.PHASES:
        chosen = [t.call for t in blockplan.in_phase(targets, phase)]
        if not chosen:
            continue
        print(f"\n=== Phase: {phase}, {len(chosen)} figures on {len(environments)} "
              f"interpreters ===", flush=True)
        began = time.monotonic()
        if phase == COUNTS:
            _counts(folder / phase, machine, environments, chosen, config, run)
        else:
            run.phases.append((phase, folder / phase))
            run.statuses.append(_asv(folder / phase, machine, environments, chosen, config,
                                     rounds=1 if phase == REPLICA_PHASE else ROUNDS))
        run.phase_minutes[phase] = (time.monotonic() - began) / 60
        print(f"Phase {phase}: {run.phase_minutes[phase]:.1f} minutes ({run.spent():.1f} "
              "so far).", flush=True)


def _block(folder: Path, machine: str, groups: Sequence[tuple[list[str], list[str]]],
           run: BlockRun, stage: str, guess: float, config: Path) -> int:
    """One block: each group (interpreters, figures) measured in turn into one folder."""
    block = len(run.folders)
    run.folders.append(folder / f"block-{block + 1:02d}")
    run.orders.append([env for envs, _ in groups for env in envs])
    run.stages.append(stage)
    run.guesses.append(guess)
    run.references.append(_reference())
    began = time.monotonic()
    status = 0
    for envs, calls in groups:
        status = max(status, _asv(run.folders[-1], machine, envs, calls, config))
    run.expected.append({(env, call) for envs, calls in groups for env in envs
                         for call in calls})
    run.statuses.append(status)
    run.minutes.append((time.monotonic() - began) / 60)
    return read_block(run.folders[-1], block, run.measured, run.names)


def _reference() -> float | None:
    """The reference workload's CPU seconds at the start of a block: a fixed workload on a
    fixed interpreter (:func:`taskbench.host.reference_seconds`), so that a change of host or
    a block slowed as a whole shows in the data; None, said, when it cannot run."""
    try:
        return host.reference_seconds()
    except host.HostError as error:
        print(f"warning: the reference workload did not run ({error}); the block goes on.",
              flush=True)
        return None


def _first_blocks(folder: Path, machine: str, environments: Sequence[str],
                  targets: Sequence[Target], run: BlockRun, minutes: float, quick: bool,
                  config: Path) -> None:
    count = blockplan.first_blocks(targets, quick)
    orders = blockplan.orders(environments, count, run.seed)
    guesses = estimate.first_blocks(targets, len(environments), quick)
    for block in range(count):
        chosen = [t.call for t in targets if blockplan.in_first_block(t, block, quick)]
        print(f"\n=== Block {block + 1} of the first {count}: {len(chosen)} figures on "
              f"{len(environments)} interpreters ({run.spent():.1f} minutes so far; "
              f"{estimate.ASV_PERCENT}) ===", flush=True)
        if run.burst is not None and run.burst.block == block + 1:
            run.hogs += run.burst.start()
        values = _block(folder, machine, [(orders[block], chosen)], run, "first",
                        guesses[block], config)
        if block == 0 and not run.measured and run.statuses[-1] != 0:
            raise NothingMeasured(
                f"asv failed (status {run.statuses[-1]}) and measured nothing in block 1; "
                "its message above says why")
        scale = estimate.pace(run.minutes, run.guesses)
        left = estimate.time_left(guesses[block + 1:], run.spent(), minutes, scale,
                                  extra_possible=not quick)
        reference = run.references[-1]
        print(f"Block {block + 1}: {values} values in {run.minutes[-1]:.1f} minutes "
              f"({run.spent():.1f} so far"
              + ("" if reference is None else f"; the reference took {reference:.3f} s")
              + f"); {left}.", flush=True)


def _say_plan(plan: blockplan.Plan) -> None:
    print(f"\n=== The extra blocks: {len(plan.blocks)}, planned from the first ones ===")
    for reason in blockplan.PRIORITY:
        granted = sorted({n.why for n in plan.granted if n.reason == reason})
        refused = sorted({n.why for n in plan.refused if n.reason == reason})
        for why in granted:
            print(f"  {reason}: {why}")
        for why in refused:
            print(f"  {reason}, past the time cap (not measured): {why}")
    for why in plan.unreachable:
        print(f"  undecided, beyond the blocks allowed: {why}")
    if not plan.blocks:
        print("  none needed.")


def _extra_blocks(folder: Path, machine: str, targets: Sequence[Target], run: BlockRun,
                  minutes: float, config: Path) -> None:
    seconds_of = {t.call: t.entry.seconds for t in targets}
    scale = estimate.pace(run.minutes, run.guesses)
    judged = [Target(entry, (count,)) for entry, count in STEPS_AT]
    unreachable: list[str] = []
    candidates = blockplan.needs(run.measured, run.names, targets, judged, steps, unreachable)
    run.plan = blockplan.plan(candidates, lambda blocks: estimate.price(blocks, seconds_of,
                                                                        scale),
                              max(minutes - run.spent(), 0) * 60)
    run.plan.unreachable = unreachable
    _say_plan(run.plan)
    for number, block in enumerate(run.plan.blocks, 1):
        order = blockplan.extra_order(list(block), run.seed, len(run.folders))
        groups: dict[tuple[str, ...], list[str]] = {}
        for env in order:
            groups.setdefault(tuple(block[env]), []).append(env)
        guess = estimate.price([block], seconds_of)
        expected = estimate.price([block], seconds_of,
                                  estimate.pace(run.minutes, run.guesses)) / 60
        if run.stages[-1] == "extra" and run.guesses[-1] > 0:
            # The last extra block's own pace is the nearest guess of the next one's.
            expected = max(expected, guess / 60 * run.minutes[-1] * 60 / run.guesses[-1])
        if run.spent() + expected > minutes:
            dropped = (f"Extra block {number} is" if number == len(run.plan.blocks) else
                    f"Extra blocks {number} to {len(run.plan.blocks)} are")
            print(f"\n{dropped} left out: the "
                  f"blocks ran slower than planned, and the next would end past the "
                  f"{minutes:g}-minute cap ({run.spent():.1f} minutes so far).", flush=True)
            break
        print(f"\n=== Extra block {number} of {len(run.plan.blocks)}: {len(order)} "
              f"interpreters ({run.spent():.1f} minutes so far) ===", flush=True)
        values = _block(folder, machine, [(envs, list(calls)) for calls, envs in
                                          groups.items()], run, "extra", guess, config)
        left = estimate.price(run.plan.blocks[number:], seconds_of,
                              estimate.pace(run.minutes, run.guesses))
        print(f"Extra block {number}: {values} values in {run.minutes[-1]:.1f} minutes "
              f"({run.spent():.1f} so far); {estimate.range_text(left, left)} left.",
              flush=True)


def run_blocks(folder: Path, machine: str, environments: Sequence[str],
               targets: Sequence[Target], *, minutes: float, quick: bool = False,
               config: Path = CONFIG, seed: int | None = None,
               seed_source: Callable[[], int] = blockplan.draw_seed,
               burst: Burst | None = None) -> BlockRun:
    """Measure ``targets`` on ``environments`` under ``folder``: the phases, the first
    blocks, then the extra blocks the plan asks for within ``minutes`` of measuring; with
    ``burst``, interference on purpose during one first block."""
    run = BlockRun(seed=seed_source() if seed is None else seed, burst=burst)
    print(f"Block orders drawn from seed {run.seed} (recorded in the block log).", flush=True)
    try:
        if not quick:
            run_phases(folder, machine, environments, targets, run, config)
        if quick or any(t.entry.measured_in == BLOCKS for t in targets):
            _first_blocks(folder, machine, environments, targets, run, minutes, quick, config)
            if not quick:
                _extra_blocks(folder, machine, targets, run, minutes, config)
    finally:
        stop(run.hogs)
    lost = runrecord.missed(run)
    if lost:
        print("Not measured in a block where they were due (left out of that block's "
              "comparisons; asv's log above says why):\n  " + "\n  ".join(lost), flush=True)
    return run

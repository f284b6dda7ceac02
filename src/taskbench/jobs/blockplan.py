"""The block plan: what a run measures, where, and in what order.

A run (:mod:`taskbench.jobs.blocks` carries it out) has two parts:

1. **Phases**, before any timed block, each measuring its figures once per interpreter
   (the catalogue's :attr:`~taskbench.entries.Benchmark.measured_in`): the exact counts
   (valgrind, tracemalloc: they do not depend on time, so the interpreters are split in two
   halves measured at once, one per core), the clients (real programs, each in
   :data:`~taskbench.catalogue.ROUNDS` processes), and the replica (only when asked for).
   Nothing of theirs runs inside a timed block, so every block is the same condition.
2. **Blocks**, every timed figure on every interpreter once per block, interleaved. The
   first blocks give each figure its least (:class:`~taskbench.entries.Blocks`), in orders
   drawn at random for this run (the seed is in the block log) and balanced: block b runs
   row b·n/B of a Williams design over a random arrangement of the n interpreters, so each
   interpreter takes each part of the order about equally often and has other neighbours
   in each block. From what they measured, the run's model
   (:mod:`taskbench.reports.runmodel`) plans the **extra blocks**, once, before any of them
   runs (so that the decisions are taken once, at the end, on a plan fixed in advance):

   * every value set aside as interference is measured again (that interpreter and figure,
     one more block, with the interpreter it is compared with: a value alone in a block
     adds nothing to a model with a term for each block);
   * every version step still undecided at the figures it is judged at
     (:data:`taskbench.reports.classic.STEPS_AT`) gets, on both its interpreters, the blocks
     that would decide it 80% of the time (:func:`taskbench.reports.inference.blocks_to_decide`),
     where that is within the figure's most blocks (the cap written in the catalogue);
   * every CPython headline figure (the catalogue's ``headline`` values) wider than its
     target interval gets the blocks that should bring it there, within its most.

   These are granted in that order of priority while the run's time cap allows; an extra
   block measures only the interpreters and figures that need it.

The plan's own rule is written here; the statistics are the model's."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from taskbench.catalogue import BLOCKS, CLIENTS, COUNTS, REPLICA_PHASE, SAMPLED, Target
from taskbench.interpreters.names import held_to_precision, noise_group
from taskbench.reports import inference
from taskbench.reports.runmodel import ModelError, RunModel, Value, fit

# call name -> asv environment name -> block -> the process's value
Measured = dict[str, dict[str, dict[int, float]]]
PHASES = (COUNTS, CLIENTS, REPLICA_PHASE)
REMEASURE, DECIDE, PRECISION = "re-measure", "decide", "precision"
PRIORITY = (REMEASURE, DECIDE, PRECISION)


def draw_seed() -> int:
    """A fresh seed for one run's orders, from the system's randomness."""
    return random.SystemRandom().getrandbits(32)


def in_phase(targets: Sequence[Target], phase: str) -> list[Target]:
    """The targets a phase measures (:data:`BLOCKS` for the timed blocks)."""
    return [target for target in targets if target.entry.measured_in == phase]


def first_blocks(targets: Sequence[Target], quick: bool = False) -> int:
    """How many blocks give every timed figure its least; a quick try-out is one block
    holding every figure it measures, phases and all (one asv run: a try-out compares
    nothing, and each asv run costs every environment its start)."""
    if quick:
        return 1 if targets else 0
    timed = in_phase(targets, BLOCKS)
    return max((target.entry.blocks.least for target in timed), default=0)


def in_first_block(target: Target, block: int, quick: bool = False) -> bool:
    """Whether a target is measured in first block ``block`` (0-based): a timed one up to
    its least; in a quick try-out, every one in the one block."""
    if quick:
        return block == 0
    return target.entry.measured_in == BLOCKS and block < target.entry.blocks.least


def williams_sequence(size: int) -> list[int]:
    """0, 1, n-1, 2, n-2, ...: the first row of a Williams design. Its rows (each shifted
    by r, mod n) put every item at every place once, and the steps between neighbours
    differ along the row, so two rows seldom share a neighbour pair."""
    return [0 if place == 0 else (place + 1) // 2 if place % 2 else size - place // 2
            for place in range(size)]


def orders(environments: Sequence[str], blocks: int, seed: int) -> list[list[str]]:
    """The order of the first ``blocks`` blocks: rows of a Williams design over a random
    arrangement of the interpreters (from ``seed``), rows b·n/``blocks`` apart, so that
    each interpreter takes each part of the order about equally often and meets other
    neighbours from block to block (a slow stretch of the host then falls on other pairs
    each time)."""
    base = list(environments)
    random.Random(seed).shuffle(base)
    size = len(base)
    sequence = williams_sequence(size)
    return [[base[(item + block * size // blocks) % size] for item in sequence]
            for block in range(blocks)]


def extra_order(environments: Sequence[str], seed: int, block: int) -> list[str]:
    """The order of extra block ``block`` (its number in the run): drawn from the seed."""
    shuffled = sorted(environments)
    random.Random(f"{seed}-{block}").shuffle(shuffled)
    return shuffled


@dataclass(frozen=True)
class Need:
    """More values of one figure on one interpreter, and why."""

    env_name: str
    call: str
    more: int
    reason: str  # REMEASURE, DECIDE or PRECISION
    why: str
    # Interpreters it is compared with (asv names), nearest first: a value alone in a block
    # adds nothing to a model with a term for each block, so a block never holds it alone.
    partners: tuple[str, ...] = ()


@dataclass
class Plan:
    """The extra blocks: for each, the figures each interpreter measures in it; with the
    needs granted and those left out (over the time cap)."""

    blocks: list[dict[str, list[str]]] = field(default_factory=list)
    granted: list[Need] = field(default_factory=list)
    refused: list[Need] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # steps no allowed blocks decide


def model_of(measured: Measured, call: str, names: Mapping[str, str],
             positions: Mapping[tuple[str, int], float] | None = None) -> RunModel | None:
    """The run's model of one figure from what the blocks measured so far (``names``: asv's
    environment name -> the interpreter as views show it); None with fewer than two."""
    values = [Value(names.get(env, env), block, seconds, (positions or {}).get((env, block)))
              for env, by_block in measured.get(call, {}).items()
              for block, seconds in by_block.items()]
    series = {value.series for value in values}
    if len(series) < 2:
        return None
    try:
        return fit(values, {name: noise_group(name) for name in series})
    except ModelError:
        return None  # too few values yet; the reports will name a value that is not a time


def _partners(series: str, model: RunModel, envs: Mapping[str, str],
              steps: Callable[[Sequence[str]], Sequence[tuple[str, str, str]]]
              ) -> tuple[str, ...]:
    """The interpreters ``series`` is compared with in its version steps, then the rest of
    the model's, as asv names."""
    near = [b if a == series else a for a, b, _ in steps(list(model.series))
            if series in (a, b)]
    others = near + [name for name in model.series if name != series and name not in near]
    return tuple(envs.get(name, name) for name in others)


def _remeasure(measured: Measured, names: Mapping[str, str],
               steps: Callable[[Sequence[str]], Sequence[tuple[str, str, str]]]
               ) -> list[Need]:
    found = []
    envs = {display: env for env, display in names.items()}
    for call in sorted(measured):
        model = model_of(measured, call, names)
        if model is None:
            continue
        for aside in model.set_aside:
            found.append(Need(envs.get(aside.series, aside.series), call, 1, REMEASURE,
                              f"{aside.series} {call} in block {aside.block + 1}: "
                              f"{100 * aside.excess:+.0f}% (p = {aside.p:.1g})",
                              _partners(aside.series, model, envs, steps)))
    return found


def _decide(measured: Measured, names: Mapping[str, str], judged: Sequence[Target],
            steps: Callable[[Sequence[str]], Sequence[tuple[str, str, str]]],
            unreachable: list[str]) -> list[Need]:
    found = []
    envs = {display: env for env, display in names.items()}
    for target in judged:
        model = model_of(measured, target.call, names)
        if model is None:
            continue
        pairs = [(a, b) for a, b, _ in steps(list(model.series))]
        for verdict in inference.judge_in_model(model, pairs):
            if verdict.decided:
                continue
            have = min(model.used[verdict.a], model.used[verdict.b])
            wanted = verdict.blocks_to_decide
            if wanted is None or wanted > target.entry.blocks.most:
                unreachable.append(f"{verdict.a} → {verdict.b} at {target.call}: "
                                   + ("out of reach" if wanted is None else
                                      f"about {wanted} blocks, past its most "
                                      f"({target.entry.blocks.most})"))
                continue
            for side in (verdict.a, verdict.b):
                found.append(Need(envs.get(side, side), target.call, max(wanted - have, 1),
                                  DECIDE, f"{verdict.a} → {verdict.b} at {target.call}: "
                                  f"undecided, about {wanted} blocks decide"))
    return found


def _precision(measured: Measured, names: Mapping[str, str], targets: Sequence[Target],
               steps: Callable[[Sequence[str]], Sequence[tuple[str, str, str]]]
               ) -> list[Need]:
    found = []
    envs = {display: env for env, display in names.items()}
    for target in targets:
        goal = target.entry.blocks.percent
        if goal is None or target.combo not in set(target.entry.combinations(
                target.entry.headline)) or not target.entry.headline:
            continue
        model = model_of(measured, target.call, names)
        if goal is None or model is None:
            continue
        for series in model.series:
            width = model.half_width_percent(series)
            have = model.used[series]
            if not held_to_precision(series) or width <= goal:
                continue
            wanted = min(math.ceil(have * (width / goal) ** 2), target.entry.blocks.most)
            if wanted > have:
                found.append(Need(envs.get(series, series), target.call, wanted - have,
                                  PRECISION, f"{series} {target.call}: ±{width:.1f}% "
                                  f"(target ±{goal:g}%)",
                                  _partners(series, model, envs, steps)))
    return found


def needs(measured: Measured, names: Mapping[str, str], targets: Sequence[Target],
          judged: Sequence[Target],
          steps: Callable[[Sequence[str]], Sequence[tuple[str, str, str]]],
          unreachable: list[str]) -> list[Need]:
    """Every need the first blocks leave (see the module docstring), in priority order."""
    timed = [t for t in targets if t.entry.measured_in == BLOCKS and t.entry.kind == SAMPLED]
    calls = {t.call for t in timed}
    return (_remeasure({c: v for c, v in measured.items() if c in calls}, names, steps)
            + _decide(measured, names, [t for t in judged if t.call in calls], steps,
                      unreachable)
            + _precision(measured, names, timed, steps))


def layout(granted: Sequence[Need]) -> list[dict[str, list[str]]]:
    """Extra blocks from needs: block k holds every (interpreter, figure) that needs k or
    more values. Needs of one interpreter and figure for different reasons do not add up
    (each was sized from the values kept, so a value set aside is already counted as
    missing): the largest counts; only values set aside add up, one block each. A figure
    that would be alone in a block on one interpreter takes its nearest partner along."""
    more: dict[tuple[str, str], int] = {}
    remeasured: dict[tuple[str, str], int] = {}
    partners: dict[tuple[str, str], tuple[str, ...]] = {}
    for need in granted:
        key = (need.env_name, need.call)
        partners[key] = partners.get(key) or need.partners
        if need.reason == REMEASURE:
            remeasured[key] = remeasured.get(key, 0) + need.more
        else:
            more[key] = max(more.get(key, 0), need.more)
    total = {key: max(more.get(key, 0), remeasured.get(key, 0))
             for key in set(more) | set(remeasured)}
    blocks = []
    for k in range(1, max(total.values(), default=0) + 1):
        by_call: dict[str, list[str]] = {}
        for (env, call), wanted in sorted(total.items()):
            if wanted >= k:
                by_call.setdefault(call, []).append(env)
        for call, envs in by_call.items():
            if len(envs) == 1 and partners.get((envs[0], call)):
                envs.append(partners[(envs[0], call)][0])
        block: dict[str, list[str]] = {}
        for call, envs in sorted(by_call.items()):
            for env in envs:
                block.setdefault(env, []).append(call)
        blocks.append({env: block[env] for env in sorted(block)})
    return blocks


def plan(candidates: Sequence[Need], price: Callable[[Sequence[dict[str, list[str]]]], float],
         seconds_left: float) -> Plan:
    """Grant the needs in priority order while the extra blocks they make fit in
    ``seconds_left`` (``price``: the seconds a list of blocks should take); the granted
    ones' blocks. A need of a step comes with its partner (both sides, or neither)."""
    result = Plan()
    groups: dict[tuple[str, str], list[Need]] = {}
    for need in sorted(candidates, key=lambda n: PRIORITY.index(n.reason)):
        groups.setdefault((need.reason, need.why), []).append(need)
    for members in groups.values():
        trial = layout(result.granted + members)
        if price(trial) <= seconds_left:
            result.granted += members
        else:
            result.refused += members
    result.blocks = layout(result.granted)
    return result

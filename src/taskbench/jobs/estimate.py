"""How long ``make bench`` expects to take, said before it starts, and the time left as it goes.

The block plan (:mod:`taskbench.jobs.blockplan`) is priced here: each phase, each of the first
blocks, and the extra blocks, from the catalogue's rough guess of each figure
(:attr:`~taskbench.entries.Benchmark.seconds`) and asv's own work on an environment
(:data:`ENV_SECONDS`): the estimate of a first run. Where the block log of this machine holds
a full run, its phases' and blocks' minutes are the expectation instead. The set-up steps are
added: asv environments not built yet (:data:`BUILD_SECONDS` each), and the merge, the README
and the site (:data:`PRESENT_SECONDS`). The extra blocks cannot be known before the first ones
have measured, so the first estimate is a range: none, up to the time cap.

As it goes, after each block, what is left is priced the same way and scaled by how the
finished blocks compared with their price (:func:`pace`), so that a machine slower than the
guess is soon allowed for. asv's ``[NN%]`` counts the benchmarks of one block, not time, and
is said to be so.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Mapping, Sequence

from taskbench import blocklog
from taskbench.asvadapter.config import CONFIG, environment_count, environment_folders
from taskbench.catalogue import CLIENTS, COUNTS, ROUNDS, Target
from taskbench.interpreters.provision import DEFAULT_DEST
from taskbench.jobs import blockplan
from taskbench.jobs.preamble import use_provisioned
from taskbench.units import duration_text

# asv's own work on an environment in each block or phase: starting it, checking taskbench
# is installed, finding the benchmarks (seconds, on this project's machine).
ENV_SECONDS = 4.0
# An asv environment built the first time: the virtualenv, the clients at their pins and
# taskbench's wheel.
BUILD_SECONDS = 45.0
# After the blocks: combining them, the merge, the README's blocks and the site.
PRESENT_SECONDS = 60.0
ASV_PERCENT = "asv's [NN%] counts this block's benchmarks, not time"


def guess(chosen: Sequence[Target], environments: int) -> float:
    """The catalogue's guess of one block (or phase round) measuring ``chosen`` on
    ``environments`` interpreters, in seconds."""
    return environments * (ENV_SECONDS + sum(t.entry.seconds for t in chosen)) if chosen else 0.0


def phase_guess(targets: Sequence[Target], phase: str, environments: int,
                quick: bool = False) -> float:
    """A phase's guess: the counts on two cores at once (the larger half), the clients in
    :data:`ROUNDS` processes each; none in a quick try-out, which has no phases."""
    chosen = [] if quick else blockplan.in_phase(targets, phase)
    if phase == COUNTS:
        return guess(chosen, math.ceil(environments / 2))
    if phase == CLIENTS and chosen:
        return environments * (ENV_SECONDS + ROUNDS * sum(t.entry.seconds for t in chosen))
    return guess(chosen, environments)


def first_blocks(targets: Sequence[Target], environments: int, quick: bool = False
                 ) -> list[float]:
    """The guess of each first block."""
    return [guess([t for t in targets if blockplan.in_first_block(t, block, quick)],
                  environments) for block in range(blockplan.first_blocks(targets, quick))]


def price(blocks: Sequence[Mapping[str, Sequence[str]]], seconds_of: Mapping[str, float],
          pace_so_far: float = 1.0) -> float:
    """Extra blocks' guess (each: the figures each interpreter measures in it), scaled by
    the pace of the blocks done."""
    return pace_so_far * sum(ENV_SECONDS + sum(seconds_of.get(call, 0.0) for call in calls)
                             for block in blocks for calls in block.values())


def pace(actual_minutes: Sequence[float], guessed_seconds: Sequence[float]) -> float:
    """How the finished blocks compared with their guess (1: as guessed)."""
    guessed = sum(guessed_seconds)
    return sum(actual_minutes) * 60 / guessed if actual_minutes and guessed > 0 else 1.0


def last_run(log: Path) -> list[float] | None:
    """The minutes of each phase and block of the last full run in the block log ``log``,
    or None."""
    try:
        records = blocklog.read(log)
    except blocklog.BlockLogError:
        return None
    newest = blocklog.newest_run(records)
    if newest is None:
        return None
    try:
        return [float(part["minutes"]) for part in
                list(newest.get("phases") or []) + list(newest["blocks"])]
    except (KeyError, TypeError, ValueError):  # not a run's own record: no expectation
        return None


def range_text(low: float, high: float) -> str:
    """``about 40 minutes``, or ``about 35 to 60 minutes`` where the two differ."""
    if duration_text(low) == duration_text(high) or high < 90:
        return duration_text(high)
    return f"about {round(low / 60)} to {round(high / 60)} minutes"


def _setup(unbuilt: int, present: bool) -> tuple[float, str]:
    """The set-up steps' guess, and the words naming them."""
    steps = []
    if unbuilt:
        steps.append(f"{unbuilt} asv environment{'s' if unbuilt > 1 else ''} to build first")
    if present:
        steps.append("the merge, the README and the site after")
    seconds = unbuilt * BUILD_SECONDS + (PRESENT_SECONDS if present else 0)
    return seconds, (f" ({' and '.join(steps)}: {duration_text(seconds)} of it)"
                     if steps else "")


def up_front(targets: Sequence[Target], environments: int, unbuilt: int, *, quick: bool,
             present: bool, cap_minutes: float, last: Sequence[float] | None,
             machine: str) -> str:
    """What the run expects to take, said before it starts, set-up steps included (``unbuilt``
    environments to build, and with ``present`` the merge and the views): by the last full
    run's phases and blocks where ``last`` has them, else by the catalogue's guess."""
    setup, steps = _setup(unbuilt, present)
    if last:
        return (f"Expect {duration_text(sum(last) * 60 + setup)}{steps}: the last full run "
                f"on {machine} measured in {sum(last):.0f} minutes.")
    phases = sum(phase_guess(targets, phase, environments, quick)
                 for phase in blockplan.PHASES)
    low = phases + sum(first_blocks(targets, environments, quick))
    high = low if quick else max(low, cap_minutes * 60)
    bounds = "" if quick else (" (the extra blocks, planned from the first ones, take "
                               f"what they need within the {cap_minutes:g}-minute cap)")
    plural = "s" if environments != 1 else ""
    return (f"Expect {range_text(low + setup, high + setup)} for {environments} "
            f"environment{plural}{steps}: a rough first-run guess from the catalogue{bounds}; "
            "later runs go by the last one's durations.")


def expect(targets: Sequence[Target], full: bool, quick: bool, minutes: float,
           machine: str, results: Path | None, folders: dict[str, Path] | None = None) -> str:
    """How long a run of ``make bench`` should take (:func:`up_front`; by the last full run
    in ``results``, where given) on the environments of ``folders`` (asv's names, and where
    asv builds each); up front (None), before the interpreters are gathered, on those found
    so far, or if none, on every one configured."""
    if folders is None:
        use_provisioned()
        folders = environment_folders(CONFIG) if DEFAULT_DEST.is_dir() else {}
    count = len(folders) or environment_count(CONFIG)
    unbuilt = len({path for path in folders.values() if not path.is_dir()}) + (
        0 if folders else count)
    last = None if results is None else last_run(results / machine / blocklog.BLOCKS_FILE)
    return up_front(targets, count, unbuilt, quick=quick, present=full, cap_minutes=minutes,
                    last=last, machine=machine)


def time_left(first_left: Sequence[float], spent_minutes: float, cap_minutes: float,
              scale: float, *, extra_possible: bool) -> str:
    """After a block: the first blocks left (their guesses, seconds) at the pace ``scale``,
    and, where extra blocks may follow, up to the cap."""
    low = sum(first_left) * scale
    high = max(low, (cap_minutes - spent_minutes) * 60) if extra_possible else low
    if not first_left and not extra_possible:
        return "no more blocks"
    blocks = (f"{len(first_left)} more first block{'s' if len(first_left) != 1 else ''}"
              if first_left else "no more first blocks")
    extra = ", then the extra blocks the plan asks for" if extra_possible else ""
    return f"{blocks}{extra}, {range_text(low, high)} left"


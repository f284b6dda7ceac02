"""How long ``make bench`` expects to take, said before it starts, and the time left as it goes.

**Before the run**, the blocks (:mod:`taskbench.jobs.blocks`) are priced twice: as if every
figure were quiet enough to stop at its least blocks, and as if every one needed its most,
within the time cap (blocks every figure is owed are run whatever the cap). A block costs, on
each interpreter, asv's own work (:data:`ENV_SECONDS`) and each chosen figure's
:attr:`~taskbench.entries.Benchmark.seconds`, the catalogue's rough guess: the estimate of a
first run. Where the block log of this machine holds a full run, its blocks' minutes are the
expectation instead. The set-up steps are added: asv environments not built yet
(:data:`BUILD_SECONDS` each), and the merge, the README and the site
(:data:`PRESENT_SECONDS`).

**As it goes**, after each block, the blocks left are priced the same way and scaled by how
the finished blocks compared with their price, so that a machine slower than the guess is
soon allowed for. asv's ``[NN%]`` counts the benchmarks of one block, not time, and is said to
be so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Collection, Sequence

from taskbench import blocklog
from taskbench.asvadapter.config import CONFIG, environment_count, environment_folders
from taskbench.catalogue import SAMPLED, Target
from taskbench.interpreters.provision import DEFAULT_DEST
from taskbench.jobs.preamble import use_provisioned
from taskbench.units import duration_text

# asv's own work on an environment in each block: starting it, checking taskbench is
# installed, finding the benchmarks (seconds, on this project's machine).
ENV_SECONDS = 4.0
# An asv environment built the first time: the virtualenv, the clients at their pins and
# taskbench's wheel.
BUILD_SECONDS = 45.0
# After the blocks: combining them, the merge, the README's blocks and the site.
PRESENT_SECONDS = 60.0
ASV_PERCENT = "asv's [NN%] counts this block's benchmarks, not time"
EVERY = None  # every figure may need its most blocks


def in_block(target: Target, block: int, noisy: bool, quick: bool = False) -> bool:
    """Whether ``target`` is measured in ``block`` if it stops at its least blocks (quiet)
    or goes on to its most (``noisy``, as long as it stays wider than its target)."""
    policy = target.entry.blocks
    if quick or target.entry.kind != SAMPLED:
        return block == 0
    return block < (policy.most if noisy and policy.percent is not None else policy.least)


def guess(chosen: Sequence[Target], environments: int) -> float:
    """The catalogue's guess of a block measuring ``chosen``, in seconds."""
    return environments * (ENV_SECONDS + sum(t.entry.seconds for t in chosen)) if chosen else 0.0


def owed(targets: Sequence[Target], block: int) -> bool:
    """Whether a figure of ``targets`` has not had its least blocks by ``block``: that block
    runs whatever the cap."""
    return any(t.entry.kind == SAMPLED and block < t.entry.blocks.least for t in targets)


def plan(targets: Sequence[Target], environments: int, *, start: int = 0, quick: bool = False,
         cap: float | None = None, noisy: Collection[str] | None = ()) -> list[float]:
    """The guess for each block from ``start`` on, none started past ``cap`` seconds (from
    ``start``) unless a figure is owed it. The figures ``noisy`` names (:data:`EVERY`: all)
    go on to their most blocks, the others stop at their least. As in the blocks' own loop,
    only the run's first block (``start`` 0) is never held to the cap: mid-run, the cap left
    can already be spent, and then no block but an owed one follows."""
    seconds: list[float] = []
    block = start
    while True:
        chosen = [t for t in targets
                  if in_block(t, block, noisy is None or t.call in noisy, quick)]
        cost = guess(chosen, environments)
        if not cost or (cap is not None and (seconds or block > 0)
                        and not owed(targets, block) and sum(seconds) + cost > cap):
            return seconds
        seconds.append(cost)
        block += 1


def pace(actual_minutes: Sequence[float], guessed_seconds: Sequence[float]) -> float:
    """How the finished blocks compared with their guess (1: as guessed)."""
    guessed = sum(guessed_seconds)
    return sum(actual_minutes) * 60 / guessed if actual_minutes and guessed > 0 else 1.0


def last_run(log: Path) -> list[float] | None:
    """The minutes of each block of the last full run in the block log ``log``, or None."""
    try:
        records = blocklog.read(log)
    except blocklog.BlockLogError:
        return None
    newest = blocklog.newest_run(records)
    if newest is None:
        return None
    try:
        return [float(block["minutes"]) for block in newest["blocks"]]
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
    run's blocks where ``last`` has them, else by the catalogue's guess."""
    setup, steps = _setup(unbuilt, present)
    if last:
        return (f"Expect {duration_text(sum(last) * 60 + setup)}{steps}: the last full run "
                f"on {machine} measured {len(last)} blocks in {sum(last):.0f} minutes.")
    cap = cap_minutes * 60
    low = sum(plan(targets, environments, quick=quick, cap=cap))
    high = sum(plan(targets, environments, quick=quick, cap=cap, noisy=EVERY))
    bounds = ("" if quick else " (quiet figures stop at their least blocks, noisy ones go on "
              f"to their most, within the {cap_minutes:g}-minute cap)")
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


def time_left(targets: Sequence[Target], environments: int, done: int,
              minutes: Sequence[float], guessed: Sequence[float], cap_minutes: float, *,
              wide: Collection[str], quick: bool = False) -> str:
    """After ``done`` blocks that took ``minutes`` against ``guessed`` seconds, the figures
    ``wide`` naming those still wider than their targets: the blocks left, at least and at
    most, and how long they should take at the pace so far."""
    scale = pace(minutes, guessed)
    cap = max(cap_minutes - sum(minutes), 0) * 60 / scale if scale > 0 else None
    low = plan(targets, environments, start=done, quick=quick, cap=cap)
    high = plan(targets, environments, start=done, quick=quick, cap=cap, noisy=wide)
    if not high:
        return "no more blocks"
    blocks = (f"{len(high)} more block{'s' if len(high) > 1 else ''}" if len(low) == len(high)
              else f"{len(low)} to {len(high)} more blocks")
    return f"{blocks}, {range_text(sum(low) * scale, sum(high) * scale)} left"

"""Interference made on purpose: a CPU hog on every core for a while, during one block.

A precision record of a run with a burst (``make bench ARGS="--burst 2:30"``: 30 seconds from
the start of block 2) shows whether the verdicts survive the kind of interference a host
brings (the noise study here saw single values 19–56% slow). One busy process per core, so
that whichever core measures is taken: the scheduler cannot move the measurement out of the
way. The processes end on their own when the time is up, and are killed if the run ends
first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from taskbench.catalogue import Target

# A busy loop that stops itself: it never outlives its time, even if this process dies.
_HOG = ("import time\n"
        "end = time.monotonic() + {seconds}\n"
        "while time.monotonic() < end:\n"
        "    pass\n")


@dataclass(frozen=True)
class Burst:
    """``seconds`` of a hog on every core from the start of block ``block`` (1-based)."""

    block: int
    seconds: float

    def start(self) -> list[subprocess.Popen[bytes]]:
        """Start one hog per core; they stop by themselves."""
        print(f"Interference on purpose: {os.cpu_count() or 1} busy processes for "
              f"{self.seconds:g} seconds from the start of block {self.block}.", flush=True)
        return [subprocess.Popen([sys.executable, "-c", _HOG.format(seconds=self.seconds)])
                for _ in range(os.cpu_count() or 1)]


def parse(text: str) -> Burst:
    """``BLOCK:SECONDS`` as a :class:`Burst` (ValueError saying what is wrong)."""
    block, _, seconds = text.partition(":")
    try:
        found = Burst(int(block), float(seconds))
    except ValueError:
        raise ValueError(f"--burst {text!r}: give BLOCK:SECONDS, such as 2:30") from None
    if found.block < 1 or not 0 < found.seconds <= 600:
        raise ValueError(f"--burst {text!r}: the block counts from 1, the seconds are above "
                         "0 and at most 600")
    return found


def beyond(burst: Burst | None, targets: Sequence[Target], quick: bool) -> str:
    """Why ``burst`` cannot happen in a run of ``targets`` (its block is not among the first
    blocks, where it would start), or "" when it can."""
    from taskbench.jobs.blockplan import first_blocks

    count = first_blocks(targets, quick)
    if burst is None or burst.block <= count:
        return ""
    return (f"--burst {burst.block}:{burst.seconds:g}: this run has {count} first "
            f"block{'s' if count != 1 else ''}, and a burst starts with one of them")


def argument(text: str) -> Burst:
    """An argparse type: ``BLOCK:SECONDS``."""
    import argparse

    try:
        return parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def stop(hogs: list[subprocess.Popen[bytes]]) -> None:
    """End any hog still running (the run is over)."""
    for hog in hogs:
        if hog.poll() is None:
            hog.kill()
        hog.wait()

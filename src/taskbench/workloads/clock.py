"""The CPU clock every timed figure reads, and how finely it really measures.

Every timed figure is CPU time read with ``time.process_time``. How finely that clock
counts depends on the platform: on Linux it reads ``clock_gettime`` in nanoseconds, on
Windows ``GetProcessTimes``, which advances in ticks of the scheduler's timer, about 15.6 ms.
What ``time.get_clock_info`` reports as the resolution is not always what the clock does
(it says 100 ns on Windows), so :func:`measure_tick` observes it: it reads the clock until
the value changes, several times, and keeps the smallest step seen. On a fine clock that
step is the cost of reading the clock (well under a microsecond); on a coarse one it is the
tick.

A figure read from a clock carries up to one tick of error per reading, so a batch of runs
(:mod:`taskbench.workloads.timing`) lasts at least :data:`TICKS_PER_BATCH` ticks: the tick is
then under 1% of what is measured. Where the runs of a batch are each timed alone, each
reading errs, and the errors add up as a random walk; so on a clock too coarse for that
(:attr:`Clock.times_each_run`) the batch is timed as one interval. The clock's name and its
measured tick are recorded with each interpreter's build facts
(:mod:`taskbench.workloads.buildinfo`), beside the results.

Standard library only: it runs inside every measured interpreter (3.8, PyPy).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

Reading = Callable[[], float]
# A batch lasts at least this many ticks of its clock, so that the tick is under 1% of it.
TICKS_PER_BATCH = 100
# Runs timed one by one each err by up to a tick, at random, so that over a batch of T
# seconds their sum errs by about sqrt(tick * T): under 1% of a 50 ms batch (the shortest,
# taskbench.workloads.timing.MIN_BATCH_SECONDS) while the tick is at most 5 µs. On a coarser
# clock a batch is timed as one interval instead.
FINE_TICK = 5e-6
# Steps of the clock observed to find its tick: the smallest is kept, since a step can span
# several ticks when the process is interrupted between two readings.
STEPS_OBSERVED = 5
# Wall-clock seconds after which a clock that has not moved is given up on: a coarse CPU
# clock still moves at least once every 20 ms of busy work, so this is a broken clock.
GIVE_UP_SECONDS = 5.0


class ClockError(RuntimeError):
    """A clock that does not move, so that it cannot time anything."""


@dataclass(frozen=True)
class Clock:
    """A CPU clock: its name, how to read it, and its tick as observed (seconds)."""

    name: str
    read: Reading
    tick: float

    @property
    def shortest_batch(self) -> float:
        """The least CPU time a batch may last on this clock (the tick under 1% of it)."""
        return TICKS_PER_BATCH * self.tick

    @property
    def times_each_run(self) -> bool:
        """Whether runs timed one by one add up to within 1% over a batch (see
        :data:`FINE_TICK`)."""
        return self.tick <= FINE_TICK

    def describe(self) -> str:
        """The clock's name and its tick in words, as the build facts show them."""
        return f"{self.name}, tick {_seconds_in_words(self.tick)} (measured)"


def _seconds_in_words(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def measure_tick(read: Reading, *, steps: int = STEPS_OBSERVED,
                 give_up_after: float = GIVE_UP_SECONDS,
                 wall: Reading = time.perf_counter) -> float:
    """The smallest nonzero step of the clock ``read``, observed over ``steps`` steps.

    Raises:
        ClockError: when the clock does not move for ``give_up_after`` seconds of ``wall``.
    """
    smallest = float("inf")
    deadline = wall() + give_up_after
    for _ in range(steps):
        start = read()
        now = read()
        while now <= start:
            if wall() > deadline:
                raise ClockError(f"the clock did not move in {give_up_after:g} seconds "
                                 f"(it read {start!r} throughout): it cannot time anything")
            now = read()
        smallest = min(smallest, now - start)
    return smallest


_PROCESS_CLOCK: list[Clock] = []


def process_clock() -> Clock:
    """``time.process_time`` with its tick, measured once per process."""
    if not _PROCESS_CLOCK:
        _PROCESS_CLOCK.append(Clock("process_time", time.process_time,
                                    measure_tick(time.process_time)))
    return _PROCESS_CLOCK[0]


def clock_facts() -> dict[str, str | float]:
    """What the build facts record of the CPU clock: its name and tick in words, how the
    platform implements it, the tick in seconds, and the resolution the platform claims."""
    clock = process_clock()
    info = time.get_clock_info("process_time")
    return {"clock": clock.describe(), "clock_implementation": info.implementation,
            "clock_tick_seconds": clock.tick, "clock_claimed_resolution_seconds": info.resolution}

"""A CPU clock the tests drive: time passes only when a test spends it (and a little at each
reading), and is read in whole ticks, as Windows counts ``process_time``."""

from __future__ import annotations

import math

from taskbench.workloads.clock import Clock


class VirtualClock:
    """CPU time that advances by ``per_read`` at every reading and by what :meth:`spend`
    is given, read in whole ticks of ``tick`` seconds."""

    def __init__(self, tick: float = 1e-9, per_read: float = 1e-6) -> None:
        self.tick, self.per_read, self.now = tick, per_read, 0.0

    def read(self) -> float:
        self.now += self.per_read
        return math.floor(self.now / self.tick) * self.tick

    def spend(self, seconds: float) -> None:
        self.now += seconds

    def clock(self) -> Clock:
        """This clock as the timing reads it, its tick given as the true one."""
        return Clock("virtual", self.read, self.tick)

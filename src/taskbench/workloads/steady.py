"""When a process's cycles are steady: the warm-up rule every warm figure is taken after.

A warm figure (:data:`taskbench.workloads.timing.WARM`) is the cost a program pays once its
heap, caches and any JIT have settled. How long that takes depends on the interpreter, so it
is not a fixed number of discarded cycles but a rule, the same on every interpreter:

    cycles (or batches of cycles) run, untimed for the figure, until the last
    :data:`SETTLE_CYCLES` of them agree within :data:`SETTLE_PERCENT` (the slowest at most
    that much slower than the fastest), or, for cycles too noisy to agree one by one, until
    the mean of the last :data:`SETTLE_CYCLES` agrees as closely with the mean of the
    :data:`SETTLE_CYCLES` before them; the figure is then the mean of the runs after them.

Measured on this project's 2-core machine while others used it (docs/method.md has the
table): CPython settles after 2 cycles at 100,000 tasks in 55 of 60 processes (3 or 4 in
the others) and after 2 batches of 50 ms at 1,000 in 45 of 60 (3 to 6 in the others).
PyPy's first cycle at 100,000 tasks is 35-103% slower than its steady cost, the second
already steady: it settles after 3 or 4. At 1,000 tasks its first batch is 10-15 times
slower and the next ones up to 61% (the JIT compiles as it goes): it settles after 3 to 16
batches, where one discarded batch left the figure up to 54% too slow. Its settled 50 ms
batches still differ by 10-50%, often slow and fast in turn (most likely a collection in
every other batch), which the second half of the rule accepts; two cycles in a row within 5%
alone kept one process warming up for 41 batches. A wider limit would let a JIT's last steps
of 5-10% through; a longer window would cost every CPython a cycle more at 100,000 tasks,
where it is steady from the first.

A warm-up that has not settled after :data:`MAX_WARMUP_CYCLES` cycles or
:data:`MAX_WARMUP_SECONDS` CPU seconds stops with :class:`NotSteady`, which names the cap and
the last cycles' times: a figure that never settled is not a warm figure, so none is given.

Standard library only: it runs inside every measured interpreter (3.8, PyPy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

# The rule (see the module docstring for the measurements behind the constants).
SETTLE_CYCLES = 2
SETTLE_PERCENT = 5.0
# The caps on a warm-up: three times what any interpreter here needed (16 batches of 50 ms),
# and short enough that a process that never settles fails in under half a minute.
MAX_WARMUP_CYCLES = 50
MAX_WARMUP_SECONDS = 20.0


class NotSteady(RuntimeError):
    """A warm-up that hit its cap before the cycles settled; the message says which cap and
    how far apart the last cycles were."""


@dataclass(frozen=True)
class WarmUp:
    """The discarded cycles of a warm-up that settled: each one's CPU seconds per unit."""

    times: tuple[float, ...]
    cpu_seconds: float

    @property
    def cycles(self) -> int:
        return len(self.times)


def spread_percent(times: Sequence[float]) -> float:
    """How much slower the slowest of ``times`` is than the fastest, in percent."""
    fastest = min(times)
    if fastest <= 0:
        return float("inf")
    return 100 * (max(times) / fastest - 1)


def settled(times: Sequence[float], *, cycles: int = SETTLE_CYCLES,
            percent: float = SETTLE_PERCENT) -> bool:
    """Whether the last ``cycles`` of ``times`` (seconds per unit) agree within ``percent``,
    or, for cycles too noisy to agree one by one, the mean of the last ``cycles`` agrees
    within ``percent`` with the mean of the ``cycles`` before them."""
    if len(times) < cycles:
        return False
    if spread_percent(times[-cycles:]) <= percent:
        return True
    if len(times) < 2 * cycles:
        return False
    last, before = times[-cycles:], times[-2 * cycles:-cycles]
    return spread_percent([sum(last) / cycles, sum(before) / cycles]) <= percent


def warm_up(cycle: Callable[[], tuple[int, float]], *, cycles: int = SETTLE_CYCLES,
            percent: float = SETTLE_PERCENT, max_cycles: int = MAX_WARMUP_CYCLES,
            max_seconds: float = MAX_WARMUP_SECONDS) -> WarmUp:
    """Run ``cycle`` (it returns units finished and CPU seconds) until :func:`settled`.

    Raises:
        NotSteady: when ``max_cycles`` cycles or ``max_seconds`` CPU seconds have run and the
            cycles have not settled.
        ValueError: for a rule that cannot be met (fewer than 2 cycles, a negative limit, a
            cap below the window).
    """
    if cycles < 2 or percent < 0 or max_cycles < cycles or max_seconds <= 0:
        raise ValueError(f"a warm-up rule needs at least 2 cycles to compare, a limit of 0% "
                         f"or more and caps that allow the window; not {cycles} cycles "
                         f"within {percent}%, at most {max_cycles} cycles and "
                         f"{max_seconds} s")
    times: list[float] = []
    spent = 0.0
    while True:
        units, seconds = cycle()
        times.append(seconds / units)
        spent += seconds
        if settled(times, cycles=cycles, percent=percent):
            return WarmUp(tuple(times), spent)
        if len(times) >= max_cycles or spent >= max_seconds:
            raise NotSteady(_not_steady(times, spent, cycles, percent, max_cycles,
                                        max_seconds))


def _not_steady(times: Sequence[float], spent: float, cycles: int, percent: float,
                max_cycles: int, max_seconds: float) -> str:
    cap = (f"{max_cycles} cycles" if len(times) >= max_cycles
           else f"{max_seconds:g} CPU seconds")
    last = ", ".join(f"{time * 1e6:.3g}" for time in times[-max(cycles, 5):])
    spread = (f"differ by {spread_percent(times[-cycles:]):.1f}%" if len(times) >= cycles
              else "are too few to compare")
    return (f"the cycles did not settle: the warm-up reached its cap of {cap} "
            f"({len(times)} cycle{'s' if len(times) > 1 else ''}, {spent:.1f} CPU seconds), "
            f"and its last {cycles} cycles "
            f"{spread} (the rule: {cycles} within {percent:g}%). Microseconds per unit of "
            f"the last cycles: {last}. No warm figure is given for a process that never "
            "settled.")


def main(argv: Sequence[str]) -> int:
    """Print, for each count, the classic cycle's warm-up in this process: each discarded
    cycle's microseconds per task, how many cycles it took, and the warm figure after it."""
    import argparse
    import json

    from taskbench.workloads.cycle import create_and_wait
    from taskbench.workloads.timing import measure

    parser = argparse.ArgumentParser(
        prog="python -m taskbench.workloads.steady",
        description="How many cycles the classic cycle takes to settle in this process.")
    parser.add_argument("counts", nargs="+", type=int, metavar="COUNT")
    args = parser.parse_args(argv)
    failed = 0
    for count in args.counts:
        try:
            figure = measure(create_and_wait, count)
        except (NotSteady, ValueError) as error:
            print(json.dumps({"count": count, "error": str(error)}), flush=True)
            failed += 1
            continue
        assert figure.warm_up is not None
        print(json.dumps({"count": count, "cycles": figure.warm_up.cycles,
                          "warm_up_us": [round(t * 1e6, 4) for t in figure.warm_up.times],
                          "figure_us": round(figure.seconds_per_unit * 1e6, 4)}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))

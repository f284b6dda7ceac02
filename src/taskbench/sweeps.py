"""The task counts the suite measures, in one place so the CLI and the benchmarks agree."""

from __future__ import annotations

# The classic measurement's table: 100,000 to 1,000,000 tasks in steps of 100,000.
ORIGINAL_SWEEP: list[int] = [n * 100_000 for n in range(1, 11)]

# The rows of the classic table the suite measures: its first, middle and last show the shape
# of the curve; the other seven would triple the cost, and neighbouring rows differ by less
# than their noise.
TIMED_SWEEP: list[int] = [100_000, 500_000, 1_000_000]

# Start-up scale: what an application pays when it starts a handful to thousands of tasks.
STARTUP_COUNTS: list[int] = [1, 10, 100, 1_000, 10_000]

# Bytes per task barely depend on the count; two points show that it is flat.
MEMORY_COUNTS: list[int] = [1_000, 100_000]


# The secondary axes (spawn API, event loop, floor) at start-up scale and at the classic
# table's first row: enough to rank them, at a cost the run-time budget allows.
SECONDARY_COUNTS: list[int] = [1_000, 100_000]

# The collector's share may grow with the number of live objects, so its axis reaches the
# classic table's middle row (1M would cost a third of the run-time budget again); each
# count is also a row of Throughput, which measures the cycle with the collector on.
GC_COUNTS: list[int] = [1_000, 100_000, 500_000]

# A UI with a thousand widgets, and a very large one: each widget costs a task and a queue.
PUMP_COUNTS: list[int] = [1_000, 10_000]


def parse_counts(text: str) -> list[int]:
    """Parse ``"100000,200_000"`` into counts, or raise ValueError naming the bad entry."""
    counts = []
    for entry in text.split(","):
        entry = entry.strip()
        try:
            count = int(entry.replace("_", ""))
        except ValueError:
            raise ValueError(f"{entry!r} is not a whole number of tasks") from None
        if count < 1:
            raise ValueError(f"a task count must be at least 1, not {count}")
        counts.append(count)
    return counts

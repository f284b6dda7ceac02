"""taskbench: what an asyncio task costs, measured across Python versions."""

from taskbench.cycle import (
    CycleTiming,
    Throughput,
    create_and_wait,
    measure_throughput,
    nop_task,
    run_on_fresh_loop,
    time_cycle,
)
from taskbench.memory import bytes_per_pending_task, memory_is_traceable

__all__ = [
    "CycleTiming",
    "Throughput",
    "bytes_per_pending_task",
    "create_and_wait",
    "measure_throughput",
    "memory_is_traceable",
    "nop_task",
    "run_on_fresh_loop",
    "time_cycle",
]

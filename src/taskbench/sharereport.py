"""What ``python -m taskbench share`` measured, checked, and printed side by side.

One :class:`Measured` per process of the program: its tasks, its CPU time, the loops that
ran, and the classic cycle's cost per task measured after it on the same interpreter. A
figure over processes is their geometric mean with its 95% interval, a t interval on
logarithms (:func:`taskbench.reports.stats.log_interval`, as every figure of the suite), shown
only from three processes on: fewer (an interrupted run) are marked as having none.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from taskbench.workloads.shareboot import MAX_CALIBRATION

MIN_FOR_INTERVAL = 3


class NothingToMeasure(Exception):
    """The program ran but gives no share to measure; ``status`` is its exit status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass
class Measured:
    tasks: int
    cpu_seconds: float
    status: int
    asyncio: bool
    loops: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    task_seconds: float | None = None  # one task of the classic cycle, this interpreter
    hook_seconds: float | None = None  # what counting adds to one task of that cycle
    calibration_count: int | None = None  # the cycle's count: the tasks, up to a limit

    @classmethod
    def from_report(cls, data: dict[str, Any], *, interrupted: bool) -> Measured:
        return cls(int(data["tasks"]), float(data["cpu_seconds"]), int(data["status"]),
                   bool(data["asyncio"]), dict(data["loops"]), list(data["notes"]),
                   interrupted or data.get("ended") == "interrupted")

    @property
    def share(self) -> float | None:
        if self.task_seconds is None or self.cpu_seconds <= 0:
            return None
        return self.tasks * self.task_seconds / self.cpu_seconds

    @property
    def hook_share(self) -> float | None:
        if self.hook_seconds is None or self.cpu_seconds <= 0:
            return None
        return self.tasks * self.hook_seconds / self.cpu_seconds

    def check(self) -> None:
        """Raise :class:`NothingToMeasure` for a run that failed or made no task."""
        if self.interrupted:
            return
        if self.status != 0:
            raise NothingToMeasure(f"the program exited with status {self.status}; share "
                                   "measures a program that runs to its end", self.status)
        if not self.asyncio:
            raise NothingToMeasure("the program never imported asyncio: it is not an asyncio "
                                   "program, so it has no tasks to count", self.status)
        if not self.loops:
            raise NothingToMeasure("the program imported asyncio but never ran an event loop",
                                   self.status)
        if self.tasks == 0:
            raise NothingToMeasure(f"the program ran {sum(self.loops.values())} event "
                                   "loop(s) but created no task", self.status)


def summary(values: Sequence[float]) -> tuple[float, float | None, float | None]:
    """The geometric mean with its 95% interval, as every figure of the suite has
    (:func:`taskbench.reports.stats.log_interval`); the median alone, without an interval,
    below :data:`MIN_FOR_INTERVAL` values or where a value is not positive."""
    from taskbench.reports.stats import log_interval

    found = log_interval(values) if len(values) >= MIN_FOR_INTERVAL and min(values) > 0 \
        else None
    if found is None or found.low is None or found.high is None:
        return float(statistics.median(values)), None, None
    return found.value, found.low, found.high


def _figure(values: Sequence[float | None], fmt: Callable[[float], str], unit: str = "") -> str:
    present = [value for value in values if value is not None]
    if not present:
        return "n/a"
    value, low, high = summary(present)
    if low is None or high is None:
        return f"{fmt(value)}{unit} (no interval: {_processes(len(present))})"
    return f"{fmt(value)}{unit} ({fmt(low)}–{fmt(high)})"


def _processes(count: int) -> str:
    return f"{count} process{'es' if count > 1 else ''}"


def _tasks(runs: list[Measured]) -> str:
    counts = sorted(run.tasks for run in runs)
    if len(counts) == 1:
        return f"{counts[0]:,} (1 process)"
    if counts[0] == counts[-1]:
        return f"{counts[0]:,} (every process)"
    return f"{_figure(counts, lambda v: f'{v:,.0f}')}, from {counts[0]:,} to {counts[-1]:,}"


def _loops(runs: list[Measured]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in runs[-1].loops.items()) or "none"


def _calibration(runs: list[Measured]) -> str:
    cost = _figure([r.task_seconds for r in runs], lambda v: f"{v * 1e6:.2f}", " µs")
    counts = sorted({r.calibration_count for r in runs if r.calibration_count})
    at = f" at {', '.join(f'{count:,}' for count in counts)} tasks" if counts else ""
    return "n/a" if cost == "n/a" else f"{cost}{at}"


def _hooks(runs: list[Measured]) -> str:
    """The median only: a difference of two timings of the same cycle, it has no interval
    worth showing (it straddles zero where the hooks cost less than the noise)."""
    shares = sorted(r.hook_share for r in runs if r.hook_share is not None)
    per_task = sorted(r.hook_seconds for r in runs if r.hook_seconds is not None)
    if not shares or not per_task:
        return "n/a"
    return (f"{shares[len(shares) // 2] * 100:.2f}% of CPU time "
            f"({per_task[len(per_task) // 2] * 1e6:.2f} µs a task)")


ROWS: list[tuple[str, Callable[[list[Measured]], str]]] = [
    ("processes", lambda runs: str(len(runs)) + (" (interrupted)" if any(
        r.interrupted for r in runs) else "")),
    ("tasks created", _tasks),
    ("CPU seconds", lambda runs: _figure([r.cpu_seconds for r in runs], lambda v: f"{v:.3g}")),
    ("tasks per CPU second", lambda runs: _figure(
        [r.tasks / r.cpu_seconds if r.cpu_seconds > 0 else None for r in runs],
        lambda v: f"{v:,.0f}")),
    ("one task of the classic cycle", _calibration),
    ("task share of CPU time", lambda runs: _figure([r.share for r in runs],
                                                    lambda v: f"{v * 100:.1f}%")),
    ("the counting hooks' own cost", _hooks),
    ("event loops (last process)", _loops),
]


def render(measured: dict[str, list[Measured]], failed: dict[str, str], command: str) -> str:
    """The figures of every interpreter side by side, as a plain-text table with notes."""
    header = ["", *measured]
    rows = [[label, *(function(runs) if runs else "n/a" for runs in measured.values())]
            for label, function in ROWS]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [f"share of CPU time the task machinery explains: {command}"]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
              for row in [header, *rows]]
    lines.append("The geometric mean of the processes, its 95% interval in brackets. The "
                 "share is tasks × one task of the classic create_task + wait cycle (at the "
                 f"program's task count, up to {MAX_CALIBRATION:,}) / the program's CPU time; "
                 "the hooks' cost is tasks × what counting adds to one task of that cycle / "
                 "the program's CPU time.")
    notes = {note for runs in measured.values() for run in runs for note in run.notes}
    lines += [f"note: {note}" for note in sorted(notes)]
    lines += [f"n/a on {label}: {reason}" for label, reason in failed.items()]
    return "\n".join(lines)

"""The findings: sentences that sum up the anatomy, claiming only what the intervals allow.

Each sentence gives a range over the interpreters that have the figure, and says on how many
of them the effect is real (a paired verdict of faster or slower, corrected for every pair;
or, unpaired, an interval that excludes no effect) and on which it is not. A share or a cost
whose interval holds zero is reported as within noise, not as a signed percentage.
"""

from __future__ import annotations

from typing import Callable, Sequence

from taskbench.catalogue import ANATOMY_COUNT, CLASSIC_SPAWN, FRAMEWORK_COUNT, GC_COUNTS
from taskbench.reports.anatomy import SOURCES, Anatomy, Speedup
from taskbench.reports.inference import FASTER, MARGIN_PERCENT, SAME, SLOWER
from taskbench.reports.stats import Estimate
from taskbench.reports.views import ranged
from taskbench.workloads.frameworks import IN_GROUP

SAME_WORDS, UNDECIDED = f"the same within ±{MARGIN_PERCENT:g}%", "undecided"
# What is said of the interpreters where a difference is not real, in this order.
_NOT_REAL = {SAME_WORDS: SAME_WORDS, UNDECIDED: UNDECIDED, "within noise": "within noise",
             "no interval": "no interval (measured without samples)"}


def _span(values: Sequence[float], fmt: Callable[[float], str]) -> str:
    low, high = fmt(min(values)), fmt(max(values))
    return low if low == high else f"{low} to {high}"


def _speedup_sentence(found: dict[str, Anatomy], key: tuple[str, str], subject: str
                      ) -> str | None:
    measured: list[tuple[str, Speedup]] = [(env, a.speedups[key]) for env, a in found.items()
                                            if key in a.speedups]
    if not measured:
        return None
    span = _span([s.estimate.value for _, s in measured], lambda v: f"{v:.2f}")
    return (f"{subject} at {span} times the tasks/s of `create_task` + `wait` "
            f"({_tally({env: _speedup_verdict(s) for env, s in measured})}).")


def _speedup_verdict(speedup: Speedup) -> str:
    if speedup.verdict is None:
        return classify(speedup.estimate, 1.0)
    if speedup.verdict.outcome in (FASTER, SLOWER):
        return "real"
    return SAME_WORDS if speedup.verdict.outcome == SAME else UNDECIDED


def _tally(verdicts: dict[str, str]) -> str:
    """``real on 3 of 5 interpreters; undecided on a, b`` (and which had no interval)."""
    real = [env for env, verdict in verdicts.items() if verdict == "real"]
    parts = [f"real on {len(real)} of {len(verdicts)} interpreters"]
    for verdict, said in _NOT_REAL.items():
        found = [env for env, given in verdicts.items() if given == verdict]
        if found:
            parts.append(f"{said} on {', '.join(found)}")
    return "; ".join(parts)


def classify(est: Estimate, zero: float = 0.0) -> str:
    """``real`` when the interval excludes ``zero``, ``within noise`` when it holds it."""
    if not est.has_interval:
        return "no interval"
    return "within noise" if est.includes(zero) else "real"


def _signed_sentence(estimates: dict[str, Estimate], subject: str,
                     fmt: Callable[[Estimate], str]) -> str | None:
    if not estimates:
        return None
    verdicts = {env: classify(est) for env, est in estimates.items()}
    clear = [f"{env} {fmt(est)}" for env, est in estimates.items() if verdicts[env] == "real"]
    if clear:
        return f"{subject}: {', '.join(clear)} ({_tally(verdicts)})."
    return f"{subject} is not distinguishable from zero ({_tally(verdicts)})."


# What each spawn API or loop is said to do, in the order the findings give them. Every key
# must be a combination the catalogue measures (checked below), so that a renamed API fails
# loudly instead of dropping its sentence.
SPEEDUP_SUBJECTS: dict[tuple[str, str], str] = {
    (CLASSIC_SPAWN[0], "uvloop"): "uvloop runs the classic cycle",
    ("eager_task_factory", CLASSIC_SPAWN[1]):
        "`eager_task_factory` runs it (a do-nothing task finishes inside `create_task`)",
    ("eager_start", CLASSIC_SPAWN[1]): "`create_task(eager_start=True)` runs it",
    ("gather", CLASSIC_SPAWN[1]): "`gather` makes tasks",
    ("TaskGroup", CLASSIC_SPAWN[1]): "`TaskGroup` makes tasks",
    (CLASSIC_SPAWN[0], "rloop"): "rloop runs the classic cycle",
    (IN_GROUP, "trio"): f"At {FRAMEWORK_COUNT:,} tasks, Trio's nursery (`start_soon`) makes "
                        "tasks",
    (IN_GROUP, "anyio-asyncio"): f"At {FRAMEWORK_COUNT:,} tasks, AnyIO's task group makes "
                                 "tasks on asyncio",
    (IN_GROUP, "anyio-trio"): f"At {FRAMEWORK_COUNT:,} tasks, AnyIO's task group makes tasks "
                              "on Trio",
}
_UNKNOWN = set(SPEEDUP_SUBJECTS) - set(SOURCES)
if _UNKNOWN:
    raise ValueError(f"findings name spawn combinations the catalogue lacks: {sorted(_UNKNOWN)}")


def sentences(found: dict[str, Anatomy]) -> list[str]:
    """The findings as plain sentences, each a range over the interpreters that have it."""
    lines: list[str | None] = [_speedup_sentence(found, key, subject)
                               for key, subject in SPEEDUP_SUBJECTS.items()]
    overheads = {env: a.overhead_us for env, a in found.items() if a.overhead_us is not None}
    if overheads:
        values = [est.value for est in overheads.values()]
        verdicts = {env: classify(est) for env, est in overheads.items()}
        lines.append(f"A task costs {_span(values, lambda v: f'{v:.2f}')} µs of CPU time "
                     f"more than awaiting its coroutine directly, at {ANATOMY_COUNT:,} tasks "
                     f"({_tally(verdicts)}).")
    largest = GC_COUNTS[-1]
    lines.append(_signed_sentence(
        {env: a.gc_share[largest] for env, a in found.items() if largest in a.gc_share},
        f"The garbage collector's share of the cycle's CPU time at {largest:,} tasks",
        lambda est: ranged(est, scale=0.01, suffix="%")))
    memory = [a.bytes_per_task.value for a in found.values() if a.bytes_per_task]
    if memory:
        lines.append(f"A pending task holds {_span(memory, lambda v: f'{v:,.0f}')} bytes "
                     "(CPython; tracemalloc, exact).")
    # Textual's tasks and their share: the clients' sentence says them, with the others.
    return [line for line in lines if line]


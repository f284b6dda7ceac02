"""The answer in plain words: three sentences above the answer table, and what the figures
say of why a version step reverses between the two settings.

1. **What a task costs**: the cheapest and the dearest interpreter steady at the headline count,
   and the cheapest of the other implementation where there is one (PyPy or CPython), then
   the range in the post's setting;
2. **Which version steps are real**: every step between versions of one build family,
   grouped by what the verdict engine says of it in the two settings (faster in both,
   slower in both, reversed, decided in one only, ...);
3. **Is the task machinery what makes real programs slow**: yes where some program's task
   share lies above half of its CPU time, no where every one lies below half, with the
   largest share and where; not decided otherwise.

Every figure and verdict is the tables' own (the same model, the same family of verdicts,
the engine's words), so a sentence cannot say what the tables below it do not. Why a step
reverses is said only from what the anatomy measured of what grows with N
(:func:`taskbench.reports.growth.scale`); where none of it grows more on the interpreter
that falls more, the sentence says that it is not known.
"""

from __future__ import annotations

from typing import Callable, Sequence

from taskbench import units
from taskbench.catalogue import FIRST_CYCLE, INSTRUCTION_COUNTS, TASK_COST, Benchmark
from taskbench.interpreters.names import parse_environment
from taskbench.reports import inference
from taskbench.reports.anatomy_tables import noise_aware
from taskbench.reports.answer import POST_AT, VERSION_STEP, interpreter_steps
from taskbench.reports.cells import ranged
from taskbench.reports.classic import STEPS_AT, kind_of
from taskbench.reports.clients import CLIENTS, shares
from taskbench.reports.growth import COLLECTOR_AT, LARGE, SMALL, Scale, scale
from taskbench.reports.stats import Estimate
from taskbench.reports.views import Index

FASTER, SLOWER, SAME, UNDECIDED = (inference.FASTER, inference.SLOWER, inference.SAME,
                                   inference.UNDECIDED)
# Half of a program's CPU time: above it, the task machinery is what makes it slow.
MOST = 50.0
Step = tuple[str, str, list[inference.Verdict | None]]  # A, B, each setting's verdict
# How the steps are grouped, in the order the sentence gives them.
GROUPS: tuple[tuple[str, Callable[[str, str], bool]], ...] = (
    ("faster in both settings", lambda warm, post: warm == post == FASTER),
    ("slower in both", lambda warm, post: warm == post == SLOWER),
    ("**reversed**", lambda warm, post: {warm, post} == {FASTER, SLOWER}),
    ("the same within ±3% in both", lambda warm, post: warm == post == SAME),
    ("undecided in both", lambda warm, post: warm == post == UNDECIDED),
    ("decided in one setting only", lambda warm, post: UNDECIDED in (warm, post)),
    ("the same in one setting, changed in the other", lambda warm, post: True),
)


def _implementation(env: str) -> str:
    wanted, _ = parse_environment(env)
    return wanted.record.implementation if wanted is not None else "CPython"


def _costs(index: Index, machine: str, entry: Benchmark, count: int) -> dict[str, Estimate]:
    return {env: found for env in index.environments(machine, [entry])
            if (found := index.estimate(machine, env, entry, count)) is not None}


def _listed_costs(costs: dict[str, Estimate]) -> str:
    """The cheapest and the dearest interpreter, and the cheapest of the other implementation
    where there is one: ``4.04 µs of CPU time on pypy3.11, 4.84 µs on 3.15-debian (the
    cheapest CPython) and 16.04 µs on 3.9``."""
    cheapest = min(costs, key=lambda env: costs[env].value)
    dearest = max(costs, key=lambda env: costs[env].value)
    named = [f"{units.cost_text(costs[cheapest].value)} of CPU time on {cheapest}"]
    other = [env for env in costs if _implementation(env) != _implementation(cheapest)]
    if other:
        best = min(other, key=lambda env: costs[env].value)
        named.append(f"{units.cost_text(costs[best].value)} on {best} (the cheapest "
                     f"{_implementation(best)})")
    if dearest != cheapest:
        named.append(f"{units.cost_text(costs[dearest].value)} on {dearest}")
    return _listed(named)


def setting_words(entry: Benchmark, count: int) -> str:
    """``steady at 100,000 tasks``, ``in the post's setting, a fresh process's first cycle at
    1,000,000 tasks``."""
    if (entry, count) == POST_AT:
        return f"in the post's setting, a fresh process's first cycle at {count:,} tasks"
    return f"{kind_of(entry, count)} at {count:,} tasks"


def cost_sentence(index: Index, machine: str) -> str:
    """What one task costs in each setting measured, on named interpreters."""
    found = [(setting, costs) for setting in STEPS_AT
             if (costs := _costs(index, machine, *setting))]
    if not found:
        return ""
    (setting, costs), rest = found[0], found[1:]
    said = (f"**What a task costs** on `{machine}`: {_listed_costs(costs)}, "
            f"{setting_words(*setting)}")
    for setting, costs in rest:
        low = min(costs, key=lambda env: costs[env].value)
        high = max(costs, key=lambda env: costs[env].value)
        said += (f"; {units.cost_text(costs[low].value)} ({low}) to "
                 f"{units.cost_text(costs[high].value)} ({high}) {setting_words(*setting)}")
    missing = [setting for setting in STEPS_AT if setting not in dict(found)]
    said += "".join(f"; the figure {setting_words(*setting)} awaits a run of its benchmark's "
                    f"present version, `{setting[0].version}`" for setting in missing)
    return said + "."


def version_steps(index: Index, machine: str) -> list[Step]:
    """Every version step with its verdict in each setting (None where not judged), as the
    answer table judges it."""
    environments = index.environments(machine, [TASK_COST, FIRST_CYCLE])
    found = interpreter_steps(index, machine, environments)
    return [(a, b, list(verdicts)) for b, (a, kind, verdicts) in found.items()
            if kind == VERSION_STEP and any(v is not None for v in verdicts)]


def _step_text(step: Step, with_words: bool) -> str:
    a, b, verdicts = step
    said = [inference.brief(v) if v is not None else "n/a" for v in verdicts]
    return f"{a} → {b}" + (f" ({'; '.join(said)})" if with_words else "")


def _grouped(found: list[Step], judged: list[int]) -> dict[str, list[Step]]:
    """The steps by what the engine says in the settings judged (both: :data:`GROUPS`)."""
    grouped: dict[str, list[Step]] = {}
    for a, b, verdicts in found:
        outcomes = [verdict.outcome if (verdict := verdicts[place]) is not None else ""
                    for place in judged]
        if len(judged) == 1:
            name = {FASTER: "faster", SLOWER: "slower", SAME: "the same within ±3%",
                    UNDECIDED: "undecided", "": "not judged"}[outcomes[0]]
        elif "" in outcomes:
            name = "judged in one setting only"
        else:
            name = next(name for name, test in GROUPS if test(*outcomes))
        grouped.setdefault(name, []).append((a, b, [verdicts[place] for place in judged]))
    return grouped


def steps_sentence(index: Index, machine: str) -> str:
    """Which version steps are real, grouped by what the engine says in the settings."""
    found = version_steps(index, machine)
    judged = [place for place in range(len(STEPS_AT))
              if any(step[2][place] is not None for step in found)]
    if not found or not judged:
        return ""
    parts = []
    for name, members in _grouped(found, judged).items():
        words = name not in ("undecided in both", "the same within ±3% in both", "undecided")
        parts.append(f"{name}, {_listed([_step_text(step, words) for step in members])}")
    where = "; ".join("in the post's setting" if STEPS_AT[place] == POST_AT
                      else kind_of(*STEPS_AT[place]) for place in judged)
    return (f"**Which version steps are real** ({where}): {'; '.join(parts)} (versions of "
            "one build family; the table below also holds each build against pyenv's and the "
            "JIT against its absence).")


def clients_sentence(index: Index, machine: str) -> str:
    """Whether the task machinery is what makes the real programs slow: yes, no or not
    decided, with the largest share and where."""
    found = shares(index, machine)
    if not found:
        earlier = [client.share.version for client in CLIENTS
                   if index.environments(machine, [client.share])]
        return ("**Is the task machinery what makes real programs slow?** Not said here: "
                "the real programs' task shares await a run of their benchmarks' present "
                f"versions ({', '.join(f'`{v}`' for v in earlier)})") + "." if earlier else ""
    client, env, largest = max(found, key=lambda item: item[2].value)
    question = "**Is the task machinery what makes real programs slow?**"
    where = (f"{ranged(largest, digits=1, suffix='%')} of {client.whose} CPU time, on {env} "
             f"({client.work})")
    count = len({item[0].name for item in found})
    programs = "the one real program" if count == 1 else f"the {count} real programs"
    if any((share.low if share.low is not None else share.value) > MOST
           for _, _, share in found):
        return (f"{question} Yes: it explains more than half of a real program's CPU time, "
                f"{where}.")
    if all((share.high if share.high is not None else share.value) < MOST
           for _, _, share in found):
        return (f"{question} No: in {programs} measured it explains less than half of the "
                f"CPU time on every interpreter, at most {where}.")
    return (f"{question} Not decided: the largest share, {where}, may lie either side of "
            "half of it.")


def sentences(index: Index, machine: str) -> list[str]:
    """The three sentences above the answer table (those the results allow)."""
    return [said for said in (cost_sentence(index, machine), steps_sentence(index, machine),
                              clients_sentence(index, machine)) if said]


def _percent(value: Estimate | None) -> str:
    return noise_aware(value, zero=0, scale=0.01, suffix="%").text


def _pointers(falls_more: str, other: str, found: dict[str, Scale]) -> list[tuple[str, bool]]:
    """Each thing measured that grows with N, said for the two, and whether it is larger on
    the interpreter whose tasks/s fall more."""
    more, less = found[falls_more], found[other]
    said = []
    if more.instructions is not None and less.instructions is not None:
        said.append((f"a task's instructions up to {INSTRUCTION_COUNTS[-1]:,} tasks "
                     f"({100 * more.instructions:+.1f}% on {falls_more}, "
                     f"{100 * less.instructions:+.1f}% on {other})",
                     more.instructions > less.instructions + 0.01))
    if more.collector is not None and less.collector is not None:
        said.append((f"the collector's share at {COLLECTOR_AT:,} tasks "
                     f"({_percent(more.collector)}, {_percent(less.collector)})",
                     _above(more.collector, less.collector)))
    if more.faults is not None and less.faults is not None:
        said.append((f"page faults per task at {LARGE:,} ({more.faults:.2f}, "
                     f"{less.faults:.2f})", more.faults > 1.1 * less.faults))
    return said


def _above(a: Estimate, b: Estimate) -> bool:
    """Whether ``a`` lies above ``b``, their intervals apart."""
    return a.low is not None and b.high is not None and a.low > b.high


def reversal_sentence(index: Index, machine: str, a: str, b: str) -> str:
    """What the anatomy's figures say of why the step from ``a`` to ``b`` reverses between
    the settings: what grows with N, for the two; "not known" where none of it is larger on
    the interpreter that falls more."""
    found = {env: scale(index, machine, env) for env in (a, b)}
    if any(found[env].fall is None for env in (a, b)):
        return f"Why {a} → {b} reverses is not known: its fall with N was not measured."
    falls_more, other = sorted((a, b), key=lambda env: -found[env].fall.value)  # type: ignore
    fall = (f"from {SMALL:,} to {LARGE:,} tasks {falls_more} loses "
            f"{_percent(found[falls_more].fall)} of its tasks/s and {other} "
            f"{_percent(found[other].fall)}")
    said = _pointers(falls_more, other, found)
    larger = [text for text, points in said if points]
    if larger:
        return (f"Why {a} → {b} reverses, as far as these figures say: {fall}, and on "
                f"{falls_more} {_listed(larger)} {'is' if len(larger) == 1 else 'are'} larger.")
    checked = f"; yet none of {_listed([text for text, _ in said], 'or')} is larger on " \
              f"{falls_more}" if said else "; nothing that grows with N was measured"
    return f"Why {a} → {b} reverses is not known from these figures: {fall}{checked}."


def _listed(items: Sequence[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def reversals(index: Index, machine: str) -> list[str]:
    """One sentence for every version step that reverses between the two settings."""
    return [reversal_sentence(index, machine, a, b) for a, b, verdicts in
            version_steps(index, machine) if None not in verdicts
            and {verdict.outcome for verdict in verdicts} == {FASTER, SLOWER}]  # type: ignore

"""Ready-made views of asv's graphs, linked from the front page: asv's graph page keeps its
whole state in the address's fragment (``asv.html#BENCHMARK?KEY=VALUE&…``), so a view is a
link. The keys are asv's own (``graphdisplay.js``): ``p-<parameter>`` selects parameter values
by the ``repr`` asv stores, ``x-axis`` names the parameter drawn along x (else commits), and
any of ``index.json``'s parameters (``python``, ``machine``, ``env-<VARIABLE>``) selects
interpreters. Views are made only from what the index holds: a benchmark or a value asv did
not publish gets no link, so that no view opens empty.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence
from urllib.parse import quote

from taskbench.asvadapter.results import parameter
from taskbench.catalogue import TASK_COST
from taskbench.interpreters.names import interpreter_order, parse_name
from taskbench.site.asvpages import ASV_PAGE


@dataclass(frozen=True)
class View:
    title: str
    href: str
    note: str


def asv_link(benchmark: str, state: Mapping[str, Sequence[str]] | None = None) -> str:
    """The address of asv's graph of ``benchmark`` in the state ``state``, as asv writes it
    (``format_hash_string``: each key once per value, values percent-encoded)."""
    pairs = [f"{quote(key, safe='')}={quote(value, safe='')}"
             for key, values in (state or {}).items() for value in values]
    return f"{ASV_PAGE}#{benchmark}" + (f"?{'&'.join(pairs)}" if pairs else "")


def stored_value(info: Mapping[str, Any], axis: str, value: Any) -> str | None:
    """asv's stored ``repr`` of ``value`` on the parameter ``axis``, or None if it has none."""
    names = info.get("param_names") or []
    if axis not in names:
        return None
    for stored in info["params"][names.index(axis)]:
        if parameter(stored) == value:
            return str(stored)
    return None


def side_by_side(pythons: Sequence[str]) -> tuple[str, str] | None:
    """The two newest interpreters of the build family with the most of them."""
    by_family: dict[str, list[str]] = defaultdict(list)
    for name in pythons:
        try:
            by_family[parse_name(name).family].append(name)
        except ValueError:
            continue
    families = [names for names in by_family.values() if len(names) >= 2]
    if not families:
        return None
    largest = max(families, key=len)
    older, newer = sorted(largest, key=interpreter_order)[-2:]
    return older, newer


def ready_made(index: Mapping[str, Any]) -> list[View]:
    """The views of the headline benchmark that asv's published ``index`` can show."""
    info = index.get("benchmarks", {}).get(TASK_COST.name)
    if not isinstance(info, dict):
        return []
    axis = TASK_COST.axes[0].name
    views: list[View] = []
    headline = TASK_COST.headline[axis][0]
    stored = stored_value(info, axis, headline)
    if stored is not None:
        views.append(View(
            f"µs per task at {headline:,} tasks, one line per interpreter",
            asv_link(TASK_COST.name, {f"p-{axis}": [stored]}),
            "over the commits measured: how each interpreter's figure moved"))
    # Both axes on a log scale: the counts span decades, and so do the costs (a first task
    # costs many times a task among 100,000, PyPy's before its JIT warms up most of all).
    by_count = {"x-axis": [axis], "y-axis-scale": ["log"]}
    views.append(View(f"µs per task by {axis} (log axes), one line per interpreter",
                      asv_link(TASK_COST.name, by_count),
                      f"the newest commit, {axis} from start-up scale to the headline's"))
    params = index.get("params", {})
    pair = side_by_side(params.get("python", []))
    if pair is not None:
        # Matrix variables unset (asv's "[none]"), where some environments leave them so:
        # each interpreter as built, one line each.
        unset = {key: ["[none]"] for key, values in params.items()
                 if key.startswith("env-") and None in values}
        views.append(View(f"{pair[0]} and {pair[1]} side by side",
                          asv_link(TASK_COST.name, {**by_count, "python": list(pair), **unset}),
                          "the two newest interpreters of one build family, by count"))
    return views

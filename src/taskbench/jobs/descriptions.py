"""asv's ``benchmarks.json`` merged benchmark by benchmark, never taken whole from outside.

asv's site draws a benchmark only as ``results/benchmarks.json`` describes it: a description
lost, or replaced by one of another version, drops the benchmark's graphs (a CI artifact from
an old branch was enough to do it). So the committed file stays as it is, and an incoming
description comes in only when it is newer and as complete, the merge's one rule:

* for a benchmark the catalogue declares, the newest description is the catalogue's own
  (:func:`current`: its version, its parameters). An incoming one replaces the committed
  one only when it is current and the committed one is not;
* for a benchmark the catalogue no longer declares, nothing says which of two descriptions
  is newer: an incoming one comes in only where ``results/`` has none;
* a description that is not asv's (not an object, or naming another benchmark, or a version
  that is not text) is refused, one line each, and the rest of the file is read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Sequence

from taskbench.catalogue import BY_NAME
from taskbench.jobs.staging import Plan
from taskbench.validity import shown

FILE = "benchmarks.json"


def current(name: str, description: Any) -> bool:
    """Whether ``description`` is the catalogue's own of benchmark ``name``."""
    entry = BY_NAME.get(name)
    return entry is not None and isinstance(description, dict) and (
        description.get("version") == entry.version
        and description.get("params") == [[repr(v) for v in axis.values] for axis in entry.axes]
        and description.get("param_names", list(entry.param_names)) == list(entry.param_names))


def _description_problem(name: str, description: Any) -> str | None:
    if not isinstance(description, dict):
        return f"{name}'s description is {shown(description)}, not asv's"
    if description.get("name", name) != name:
        return f"{name}'s description names {shown(description.get('name'))}"
    if not isinstance(description.get("version", ""), str):
        return f"{name}'s version {shown(description.get('version'))} is not text"
    return None


def _read(path: Path, plan: Plan) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("version"), int) or \
                isinstance(data.get("version"), bool):
            raise ValueError("not asv's benchmarks.json")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        plan.report.refused.append(f"{path}: {error}; left out")
        return None
    return data


def _why_kept(name: str, incoming: Any, committed: Any) -> str | None:
    """Why the committed description of ``name`` stays; None when the incoming one lands."""
    if committed is None:
        return None
    if incoming == committed:
        return ""  # the same: nothing to say
    if name not in BY_NAME:
        return "no longer in the catalogue: the committed description stays"
    if current(name, incoming) and not current(name, committed):
        return None
    version = incoming.get("version")
    return (f"the incoming one is of version {shown(version)}, the committed one is as "
            f"current (the catalogue's is {BY_NAME[name].version!r})")


def _merge_one(merged: dict[str, Any], path: Path, data: dict[str, Any], plan: Plan) -> None:
    for name, description in sorted(data.items()):
        if name == "version":
            merged.setdefault(name, description)
            continue
        problem = _description_problem(name, description)
        if problem:
            plan.report.refused.append(f"{path}: {problem}; left out")
            continue
        reason = _why_kept(name, description, merged.get(name))
        if reason is None:
            merged[name] = description
        elif reason:
            plan.report.kept.append(f"{FILE}'s description of {name} ({reason})")


def plan_benchmarks(incomings: Sequence[Path], plan: Plan) -> None:
    """Stage ``benchmarks.json``: the committed file with what each incoming copy adds."""
    final = plan.results / FILE
    if os.path.lexists(final) and (final.is_symlink() or not final.is_file()):
        plan.report.refused.append(f"{final} is not a file: move it away, then merge again; "
                                   "no description was merged")
        return
    committed = _read(final, plan) if final.is_file() else None
    merged: dict[str, Any] = dict(committed or {})
    for incoming in incomings:
        for path in sorted(path for path in incoming.rglob(FILE) if not path.is_symlink()):
            data = _read(path, plan)
            if data is not None:
                _merge_one(merged, path, data, plan)
    # Compared with the copy read above: reading the committed file again raised, and so
    # stopped the whole merge, when that file was the one refused as not JSON.
    if merged and merged != committed:
        plan.target(FILE).write_text(json.dumps(merged, indent=4, sort_keys=True),
                                     encoding="utf-8")

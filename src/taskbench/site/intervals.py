"""asv's graphs with intervals: every point's 99% confidence interval drawn as an error bar.

asv 0.6 computes and stores each figure's confidence interval of the median, and its graph
files keep only the value. After ``asv publish``, this appends the interval's bounds to every
point of every graph file, read from the same results through asv's own modules and mapped
to graphs the way asv maps them (``asvadapter.results.graph_file`` over the graph parameters
asv wrote to ``index.json``). ``intervals.js`` then hands them to flot's error-bar plugin,
which draws them. asv offers no hook for this, hence the few lines here; the statistics are asv's.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any, Tuple

from taskbench import files
from taskbench.asvadapter.results import graph_file, load, parameter

SCRIPT = Path(__file__).with_name("intervals.js")
SCRIPT_NAME = "taskbench-intervals.js"
# machine, python, matrix settings, commit, benchmark, parameters
Key = Tuple[str, str, Tuple[Tuple[str, str], ...], str, str, Tuple[Any, ...]]


def _intervals(results_dir: Path) -> dict[Key, tuple[float, float] | None]:
    """Every figure's interval, found as a graph point names it."""
    return {(f.machine, f.python, f.env_vars, f.commit, f.benchmark, f.params): f.interval
            for f in load(results_dir).figures}


def _bounds(intervals: dict[Key, tuple[float, float] | None], run: tuple[Any, ...],
            benchmark: str, grid: list[list[str]]) -> tuple[Any, Any]:
    """The low and high bounds of one graph point (lists, for a parameterized benchmark)."""
    keys = [(*run, benchmark, tuple(parameter(p) for p in combo))
            for combo in itertools.product(*grid)]
    if not any(key in intervals for key in keys):
        return None, None  # the run did not measure this benchmark
    found = [intervals.get(key) for key in keys]
    lows = [interval[0] if interval else None for interval in found]
    highs = [interval[1] if interval else None for interval in found]
    return (lows, highs) if grid else (lows[0], highs[0])


def add_intervals(html_dir: Path, results_dir: Path) -> int:
    """Append the intervals to asv's graph files in ``html_dir``; return how many changed."""
    index = json.loads((html_dir / "index.json").read_text(encoding="utf-8"))
    commit_of = {int(revision): commit for revision, commit in
                 index["revision_to_hash"].items()}
    intervals = _intervals(results_dir)
    changed = 0
    for params in index["graph_param_list"]:
        env = tuple(sorted((key[len("env-"):], str(value)) for key, value in params.items()
                           if key.startswith("env-") and value not in (None, "")))
        for benchmark, info in index["benchmarks"].items():
            path = graph_file(html_dir, params, benchmark)
            if not path.is_file():
                continue
            points = json.loads(path.read_text(encoding="utf-8"))
            extended = []
            for point in points:
                run = (str(params.get("machine")), str(params.get("python")), env,
                       commit_of.get(point[0], ""))
                extended.append([point[0], point[1],
                                 *_bounds(intervals, run, benchmark, info.get("params") or [])])
            files.write_text(path, json.dumps(extended))
            changed += 1
    return changed

"""asv's graphs with intervals: every point's 99% confidence interval drawn as an error bar.

asv 0.6 computes and stores each figure's confidence interval of the median, and its graph
files keep only the value. After ``asv publish``, this appends the interval's bounds to every
point of every graph file, read from the same results through asv's own modules and mapped
to graphs the way asv maps them (``Graph.get_file_path`` over the graph parameters asv wrote
to ``index.json``). ``intervals.js`` then hands them to flot's error-bar plugin, which draws
them. asv offers no hook for this, hence the few lines here; the statistics are asv's.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Tuple

from taskbench import files
from taskbench.reports.results import load_file

SCRIPT = Path(__file__).with_name("intervals.js")
SCRIPT_NAME = "taskbench-intervals.js"
Key = Tuple[str, str, Tuple[Tuple[str, str], ...], str]


def _results_by_key(results_dir: Path) -> dict[Key, Any]:
    found: dict[Key, Any] = {}
    for machine_dir in sorted(p for p in results_dir.iterdir() if p.is_dir()):
        for path in sorted(machine_dir.glob("*.json")):
            if path.name == "machine.json":
                continue
            try:
                results = load_file(path, machine_dir.name)
            except ValueError:
                continue  # named by the page's list of problems
            env = tuple(sorted((str(k), str(v)) for k, v in results.env_vars.items()))
            found[(machine_dir.name, str(results.params.get("python")), env,
                   results.commit_hash)] = results
    return found


def _finite(value: Any) -> Any:
    return value if isinstance(value, (int, float)) and math.isfinite(value) else None


def _bounds(results: Any, benchmark: str, params: list[Any]) -> tuple[Any, Any]:
    if benchmark not in results.get_all_result_keys():
        return None, None
    stats = results.get_result_stats(benchmark, params)
    if not params:
        stats = [stats]
    # Only finite bounds: asv's interval of one sample is (-inf, inf), and JSON has no
    # Infinity (the browser would refuse the whole graph file).
    lows = [_finite(s.get("ci_99_a")) if s else None for s in stats]
    highs = [_finite(s.get("ci_99_b")) if s else None for s in stats]
    return (lows, highs) if params else (lows[0], highs[0])


def add_intervals(html_dir: Path, results_dir: Path) -> int:
    """Append the intervals to asv's graph files in ``html_dir``; return how many changed."""
    from asv.graph import Graph

    index = json.loads((html_dir / "index.json").read_text(encoding="utf-8"))
    commit_of = {int(revision): commit for revision, commit in
                 index["revision_to_hash"].items()}
    results = _results_by_key(results_dir)
    changed = 0
    for params in index["graph_param_list"]:
        env = tuple(sorted((key[len("env-"):], str(value)) for key, value in params.items()
                           if key.startswith("env-") and value not in (None, "")))
        for benchmark, info in index["benchmarks"].items():
            path = html_dir / (Graph.get_file_path(params, benchmark) + ".json")
            if not path.is_file():
                continue
            points = json.loads(path.read_text(encoding="utf-8"))
            extended = []
            for point in points:
                found = results.get((str(params.get("machine")), str(params.get("python")),
                                     env, commit_of.get(point[0], "")))
                low, high = _bounds(found, benchmark, info.get("params") or []) \
                    if found is not None else (None, None)
                extended.append([point[0], point[1], low, high])
            files.write_text(path, json.dumps(extended))
            changed += 1
    return changed


def install_script(html_dir: Path, errorbars_local: str) -> None:
    """Load the error-bar plugin and ``intervals.js`` after asv's own scripts."""
    files.write_text(html_dir / SCRIPT_NAME, SCRIPT.read_text(encoding="utf-8"))
    index = html_dir / "index.html"
    page = index.read_text(encoding="utf-8")
    anchor = page.find('src="regressions.js">')
    anchor = page.find("</script>", anchor)
    if anchor < 0:
        raise ValueError("asv's index.html does not load regressions.js where expected")
    tags = (f'\n    <script type="text/javascript" src="{SCRIPT_NAME}"></script>'
            f'\n    <script type="text/javascript" src="{errorbars_local}"></script>')
    if SCRIPT_NAME not in page:
        end = anchor + len("</script>")
        files.write_text(index, page[:end] + tags + page[end:])

"""A copy of a results folder holding only the benchmarks that are costs, for asv's compare.

asv 0.6.6 judges every benchmark the same way: a rise is worse (``asv compare`` marks it
``+``, ``asv continuous`` reports "PERFORMANCE DECREASED" and exits 1). Every cost of this
suite is lower-is-better, so asv's rule is right for them; a task share or a count of tasks
is not a cost (its :attr:`~taskbench.entries.Benchmark.better` is None), and a rise of it is
no regression. asv has no setting for that, so ``python -m taskbench.asv compare`` hands asv a
copy of the results without them, written by asv's own ``Results`` (load, remove, save).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable


def costs_only(results_dir: Path, target: Path, costs: Iterable[str]) -> list[str]:
    """Copy the asv files of ``results_dir`` into ``target`` with every benchmark whose name
    is not in ``costs`` removed; return the names removed, sorted."""
    from asv.results import Results, iter_results_paths

    keep = set(costs)
    removed: set[str] = set()
    target.mkdir(parents=True, exist_ok=True)
    if (results_dir / "benchmarks.json").is_file():
        shutil.copy2(results_dir / "benchmarks.json", target / "benchmarks.json")
    for machine_json in results_dir.glob("*/machine.json"):
        (target / machine_json.parent.name).mkdir(exist_ok=True)
        shutil.copy2(machine_json, target / machine_json.parent.name / "machine.json")
    for root, filename, machine in iter_results_paths(str(results_dir)):
        results = Results.load(str(Path(root) / filename), machine_name=machine)
        for key in list(results.get_all_result_keys()):
            if key not in keep:
                results.remove_result(key)
                removed.add(key)
        results.save(str(target))
    return sorted(removed)

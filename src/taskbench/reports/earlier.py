"""Which figures come from an earlier run than their machine's newest, so that every view
marks them (◊) instead of showing them beside the newest run's as if measured together.

The views show, for each interpreter and benchmark, its newest figures
(:func:`taskbench.asvadapter.results.latest`), so an interpreter missing from the newest run
keeps the figures of an earlier one. A figure is of an earlier run when its commit is older
than the newest on its machine, or when, at that commit, the newest run in blocks did not
measure its environment (the block log's orders say which it measured): a file left there by
an earlier run at the same commit.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from taskbench import blocklog
from taskbench.asvadapter.results import Figure


def earlier_runs(figures: list[Figure],
                 block_logs: Mapping[str, dict[tuple[str, str], blocklog.Record]]
                 ) -> list[Figure]:
    """``figures``, each marked (``earlier_run``) when its run is not the newest of its
    machine: an older commit, or, at the newest commit, an environment the newest run in
    blocks did not measure (a file left there by an earlier run)."""
    newest: dict[str, tuple[int, str]] = {}
    for f in figures:
        newest[f.machine] = max(newest.get(f.machine, (f.date, f.commit)), (f.date, f.commit))
    measured: dict[str, set[str]] = {}
    for machine, (_, commit) in newest.items():
        run = blocklog.newest_run(dict(block_logs.get(machine, {})))
        if run is not None and run["commit"] == commit:
            measured[machine] = {env for block in run["blocks"] for env in block.get("order", [])}
    return [replace(f, earlier_run=True) if (f.date, f.commit) != newest[f.machine] or (
        measured.get(f.machine) and f.env_name not in measured[f.machine]) else f
        for f in figures]

"""Where a full run's time goes: the budget of the newest run in blocks on each machine.

From the block log (:mod:`taskbench.blocklog`: how long each block took) and asv's own
durations in the run's results files (asv records each benchmark's, each ``setup_cache``'s
and each environment's build; :mod:`taskbench.asvadapter.combine` adds them over the
blocks), summed over the interpreters. What neither accounts for (starting ``asv run``
once per block, discovering the benchmarks, asv's bookkeeping) is shown as the rest, so the
parts add up to the run.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from taskbench import blocklog
from taskbench.asvadapter.results import expected_name, load_file, setup_cache_owners
from taskbench.catalogue import BY_NAME
from taskbench.reports import markdown
from taskbench.reports.views import Cell, Table, label

BUILD = "<build>"
SETUP_CACHE = "<setup_cache"


def _part(key: str, owners: dict[str, list[str]]) -> str:
    """What a duration of asv's is spent on, as the budget groups it; a ``setup_cache`` is
    named by the classes it serves (``owners``, from asv's description of the suite)."""
    if key == BUILD:
        return "installing taskbench into the environments"
    if key.startswith(SETUP_CACHE):
        where = key[len(SETUP_CACHE):].strip(" >")
        classes = owners.get(where)
        return (f"setup_cache of {' and '.join(f'`{name}`' for name in classes)} ({where})"
                if classes else f"setup_cache at {where}")
    entry = BY_NAME.get(key)
    return f"`{entry.class_name}`" if entry else f"`{key}` (not in the catalogue)"


def durations(results_dir: Path, machine: str, commit: str, envs: list[str]
              ) -> dict[str, float]:
    """asv's durations by part, in seconds, summed over the run's environments."""
    totals: dict[str, float] = defaultdict(float)
    owners = setup_cache_owners(results_dir)
    for env_name in envs:
        path = results_dir / expected_name(machine, commit, env_name)
        try:
            results = load_file(path, machine)
        except ValueError:
            continue  # the views name unreadable files; the budget shows what it can
        for key, seconds in results.duration.items():
            if isinstance(seconds, (int, float)):
                totals[_part(key, owners)] += float(seconds)
    return dict(totals)


def budget_table(results_dir: Path, machine: str) -> tuple[str, Table] | None:
    """A sentence on the newest run in blocks, and its minutes by part; None without one."""
    try:
        records = blocklog.read(results_dir / machine / blocklog.BLOCKS_FILE)
    except blocklog.BlockLogError:
        return None
    run = blocklog.newest_run(records)
    if run is None:
        return None
    minutes = [float(block.get("minutes", 0)) for block in run["blocks"]]
    phases = {str(p.get("name")): float(p.get("minutes", 0)) for p in run.get("phases") or []}
    envs = sorted(env for (commit, env) in records if commit == run["commit"] and env)
    parts = durations(results_dir, machine, run["commit"], envs)
    total = sum(minutes) + sum(phases.values())
    rest = total - sum(parts.values()) / 60
    rows = [[label(part), Cell(f"{seconds / 60:.1f}")]
            for part, seconds in sorted(parts.items(), key=lambda item: -item[1])]
    rows.append([label("the rest: starting asv for every block, discovery, bookkeeping"
                       + ("; less the counts' two halves measured at once" if "counts" in
                          phases else "")), Cell(f"{rest:.1f}")])
    sentence = (f"The newest full run on `{machine}` (commit `{run['commit'][:8]}`) measured "
                f"{len(envs)} interpreters in {total:.1f} minutes: "
                + "".join(f"the {name} phase {value:.1f}, " for name, value in phases.items())
                + _blocks_text(run["blocks"]) + "." + reference_text(run["blocks"]))
    return sentence, Table("budget", f"Where that run's {total:.0f} minutes went (asv's own "
                                     "durations, summed over interpreters and blocks)",
                           ["part", "minutes"], rows)


def reference_text(blocks: list[blocklog.Record]) -> str:
    """The reference workload's readings over the run's blocks: how far they spread is the
    simplest monitor of the host (a block slowed as a whole, a change of host)."""
    found = [float(b["reference"]) for b in blocks
             if isinstance(b.get("reference"), (int, float)) and b["reference"] > 0]
    if len(found) < 2:
        return ""
    middle = sorted(found)[len(found) // 2]
    return (f" The reference workload, timed at the start of each of {len(found)} blocks, took "
            f"{middle:.3f} s (median), from {100 * (min(found) / middle - 1):+.1f}% to "
            f"{100 * (max(found) / middle - 1):+.1f}%.")


def _blocks_text(blocks: list[blocklog.Record]) -> str:
    """``5 first blocks (2.1 to 6.3 minutes each) and 4 extra ones (0.4 to 1.2)``."""
    said = []
    for stage, words in (("first", "first blocks"), ("extra", "extra ones")):
        mine = [float(b.get("minutes", 0)) for b in blocks if b.get("stage", "first") == stage]
        if mine:
            said.append(f"{len(mine)} {words} ({min(mine):.1f} to {max(mine):.1f} minutes "
                        "each)")
    return " and ".join(said) or "no block"


def markdown_section(results_dir: Path, machines: list[str]) -> str:
    parts: list[str] = []
    for machine in machines:
        found = budget_table(results_dir, machine)
        if found is not None:
            parts += [found[0], markdown.table(found[1])]
    return markdown.document(parts) if parts else "No full run in blocks yet: run `make bench`.\n"

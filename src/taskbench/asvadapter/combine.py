"""Runs of one commit combined into one results file per environment, with asv's own code.

A measurement in interleaved blocks (:mod:`taskbench.jobs.blocks`) makes one asv results
folder per block. :func:`combine` appends them, block by block, into one folder as asv's
``--append-samples`` would: through ``Results.add_result(..., append_samples=True)``, which
concatenates the samples and recomputes asv's statistics. Unlike ``--append-samples`` into
one folder, a figure that failed or was not measured in a block only lacks that block's
sample: asv replaces the samples of a benchmark that fails with nothing. It returns, for
every environment and figure, the blocks its samples come from, in order.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path
from typing import Any, Sequence

from taskbench.asvadapter.results import finite, load_file
from taskbench.entries import call_name

# (environment name, asv's name for one parameter combination) -> the blocks its samples
# come from, in the order they are stored.
Contributions = dict[tuple[str, str], list[int]]


def _benchmarks(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / "benchmarks.json").read_text(encoding="utf-8"))
    return {name: info for name, info in data.items() if isinstance(info, dict)}


def _block_result(results: Any, key: str, params: list[list[str]]) -> tuple[Any, set[int]]:
    """One block's values of one benchmark as asv's BenchmarkResult, and the indices of the
    parameter combinations it measured."""
    from asv.runner import BenchmarkResult

    values = results.get_result_value(key, params)
    samples = results.get_result_samples(key, params)
    stats = results.get_result_stats(key, params)
    measured = {index for index, value in enumerate(values) if finite(value) is not None}
    numbers = [(stat or {}).get("number") if samples[index] else None
               for index, stat in enumerate(stats)]
    return BenchmarkResult(values, samples, numbers, 0, "", None), measured


def _started(results: Any, key: str) -> datetime.datetime | None:
    stamp = results.started_at.get(key)
    if not isinstance(stamp, int):
        return None
    return datetime.datetime.fromtimestamp(stamp / 1000, datetime.timezone.utc)


def _measured(results: Any, key: str, params: list[list[str]]) -> list[int]:
    return [index for index, value in enumerate(results.get_result_value(key, params))
            if finite(value) is not None]


def _combine_environment(paths: list[tuple[int | str, Path]], machine: str,
                         benchmarks: dict[str, Any], contributions: Contributions) -> Any:
    """The first block's results with every later block's appended, figure by figure."""
    (first_block, first_path), *later = paths
    combined = load_file(first_path, machine)
    durations = {key: value for key, value in combined.duration.items()
                 if finite(value) is not None}
    for block, results in [(first_block, combined)] + [
            (block, load_file(path, machine)) for block, path in later]:
        for key in results.get_all_result_keys():
            if key not in benchmarks:
                continue
            params = benchmarks[key].get("params") or []
            combos = _combos(params)
            if results is not combined:
                outcome, measured = _block_result(results, key, params)
                if not measured:
                    continue
                durations[key] = (durations.get(key) or 0.0) + (
                    finite(results.duration.get(key)) or 0.0)
                combined.add_result(benchmarks[key], outcome, selected_idx=measured,
                                    started_at=_started(results, key),
                                    duration=durations[key], record_samples=True,
                                    append_samples=True)
            if not isinstance(block, int):  # a phase: its samples are not paired by block
                continue
            for index in sorted(_measured(results, key, params)):
                contributions.setdefault((results.env_name, call_name(key, combos[index])),
                                         []).append(block)
    return combined


def _combos(params: list[list[str]]) -> list[tuple[str, ...]]:
    import itertools

    return list(itertools.product(*params)) if params else [()]


def combine(blocks: Sequence[tuple[int | str, Path]], machine: str, target: Path
            ) -> Contributions:
    """Append the results of ``blocks`` (each a block's number, or a phase's name, and its
    folder of asv results, phases first, then blocks in order) for ``machine`` into
    ``target``; return where each figure's samples come from (blocks only: a phase's samples
    are not paired)."""
    catalogued = [folder for _, folder in blocks if (folder / "benchmarks.json").is_file()]
    if not catalogued:
        raise ValueError("asv wrote no benchmarks.json in any block: it measured nothing")
    benchmarks = _benchmarks(catalogued[-1])
    by_environment: dict[str, list[tuple[int | str, Path]]] = {}
    for block, folder in blocks:
        for path in sorted((folder / machine).glob("*.json")):
            if path.name != "machine.json":
                by_environment.setdefault(path.name, []).append((block, path))
    contributions: Contributions = {}
    (target / machine).mkdir(parents=True, exist_ok=True)
    for paths in by_environment.values():
        _combine_environment(paths, machine, benchmarks, contributions).save(str(target))
    shutil.copy2(catalogued[-1] / "benchmarks.json", target / "benchmarks.json")
    shutil.copy2(blocks[0][1] / machine / "machine.json", target / machine / "machine.json")
    return contributions

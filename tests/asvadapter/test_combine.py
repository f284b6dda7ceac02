"""Blocks of one run combined with asv's own appending: samples in block order, a failure in
one block losing only that block's sample, and where each sample came from."""

from __future__ import annotations

from pathlib import Path

from conftest import write_benchmarks_json, write_results
from taskbench.asvadapter.combine import combine
from taskbench.asvadapter.results import load
from taskbench.catalogue import MEMORY, TASK_COST


def _block(folder: Path, values: dict[int, float], started: int, memory: bool = False) -> Path:
    figures = {TASK_COST: {(count,): [value] for count, value in values.items()}}
    if memory:
        figures[MEMORY] = {(1_000,): 700.0}
    write_results(folder, figures, python="3.12", started=started)
    write_benchmarks_json(folder)
    return folder


def test_samples_are_appended_in_block_order_and_a_missed_block_loses_only_itself(
        tmp_path: Path) -> None:
    blocks = [
        (0, _block(tmp_path / "b0", {1: 1.0, 10: 10.0}, 1_000, memory=True)),
        (1, _block(tmp_path / "b1", {1: 2.0}, 2_000)),  # 10 tasks failed in this block
        (2, _block(tmp_path / "b2", {1: 3.0, 10: 30.0}, 3_000)),
    ]
    contributions = combine(blocks, "box", tmp_path / "combined")
    figures = {f.params: f for f in load(tmp_path / "combined").figures
               if f.benchmark == TASK_COST.name and f.value is not None}
    assert figures[(1,)].samples == (1.0, 2.0, 3.0)
    assert figures[(10,)].samples == (10.0, 30.0)
    assert figures[(1,)].value == 2.0  # asv's median of the combined samples
    env = "virtualenv-py3.12"
    assert contributions[(env, f"{TASK_COST.name}(1)")] == [0, 1, 2]
    assert contributions[(env, f"{TASK_COST.name}(10)")] == [0, 2]
    assert contributions[(env, f"{MEMORY.name}(1000)")] == [0]
    exact = [f for f in load(tmp_path / "combined").figures if f.benchmark == MEMORY.name
             and f.params == (1_000,)]
    assert exact and exact[0].value == 700.0
    assert (tmp_path / "combined" / "box" / "machine.json").is_file()
    assert (tmp_path / "combined" / "benchmarks.json").is_file()

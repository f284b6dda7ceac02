"""The budget: where the newest full run's minutes went, adding up to the run."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write_results
from taskbench import blocklog
from taskbench.catalogue import FIRST_CYCLE, TASK_COST
from taskbench.reports.budget import budget_table, markdown_section


def _run(folder: Path, minutes: list[float], commit: str = "a" * 40, run: int = 5) -> None:
    log = folder / "box" / blocklog.BLOCKS_FILE
    existing = list(blocklog.read(log).values())
    envs = [{"commit": commit, "env_name": f"virtualenv-py{python}", "run": run, "figures": {}}
            for python in ("3.12", "3.13")]
    blocklog.write(log, existing + envs + [
        {"commit": commit, "env_name": "", "run": run,
         "blocks": [{"order": ["x"], "minutes": value} for value in minutes]}])


def test_the_parts_come_from_asvs_durations_and_the_rest_makes_up_the_run(
        tmp_path: Path) -> None:
    folder = tmp_path / "results"
    for python in ("3.12", "3.13"):
        write_results(folder, {TASK_COST: {(100_000,): [1e-5, 1e-5]},
                               FIRST_CYCLE: {(100_000,): [1e-5]}}, python=python,
                      durations={TASK_COST.name: 300.0, FIRST_CYCLE.name: 120.0,
                                 "<build>": 30.0})
    _run(folder, [6.0, 4.0, 5.0])
    found = budget_table(folder, "box")
    assert found is not None
    sentence, table = found
    assert "2 interpreters in 15.0 minutes: 3 first blocks (4.0 to 6.0 minutes each)" in sentence
    minutes = {row[0].text: float(row[1].text) for row in table.rows}
    assert minutes["`TaskCost`"] == 10.0 and minutes["`FirstCycle`"] == 4.0
    assert minutes["installing taskbench into the environments"] == 1.0
    assert sum(minutes.values()) == 15.0  # the rest makes up the run
    assert [row[0].text for row in table.rows][0] == "`TaskCost`"  # dearest first


def test_the_newest_run_is_the_one_shown(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    write_results(folder, {TASK_COST: {(100_000,): [1e-5, 1e-5]}}, python="3.12")
    _run(folder, [50.0], commit="b" * 40, run=1)
    _run(folder, [7.0, 3.0], run=9)
    found = budget_table(folder, "box")
    assert found is not None and "in 10.0 minutes: 2 first blocks" in found[0]


def test_without_a_run_in_blocks_it_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    write_results(folder, {TASK_COST: {(100_000,): [1e-5, 1e-5]}}, python="3.12")
    assert budget_table(folder, "box") is None
    assert "No full run in blocks yet" in markdown_section(folder, ["box"])
    (folder / "box" / blocklog.BLOCKS_FILE).write_text("not json\n")
    assert budget_table(folder, "box") is None



def test_a_setup_cache_is_named_by_the_classes_it_serves(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    write_results(folder, {TASK_COST: {(100_000,): [1e-5, 1e-5]}}, python="3.12",
                  durations={"<setup_cache bench_create_wait:43>": 600.0,
                             "<setup_cache bench_gone:7>": 60.0})
    suite = {f"bench_create_wait.Replica.{method}": {"setup_cache_key": "bench_create_wait:43"}
             for method in ("track_seconds_per_task", "track_minor_faults_per_task")}
    (folder / "benchmarks.json").write_text(json.dumps({**suite, "version": 2}))
    _run(folder, [12.0])
    found = budget_table(folder, "box")
    assert found is not None
    minutes = {row[0].text: float(row[1].text) for row in found[1].rows}
    assert minutes["setup_cache of `Replica` (bench_create_wait:43)"] == 10.0
    assert minutes["setup_cache at bench_gone:7"] == 1.0  # no longer described: where it was


def test_the_phases_and_extra_blocks_are_named_and_add_up(tmp_path: Path) -> None:
    from taskbench import blocklog
    from taskbench.reports.budget import budget_table

    log = tmp_path / "box" / blocklog.BLOCKS_FILE
    blocklog.write(log, [{"commit": "a" * 40, "env_name": "", "run": 5,
                          "phases": [{"name": "counts", "minutes": 4.5},
                                     {"name": "clients", "minutes": 2.0}],
                          "blocks": [{"order": ["x"], "minutes": 6.0, "stage": "first",
                                      "reference": 1.0},
                                     {"order": ["x"], "minutes": 0.5, "stage": "extra",
                                      "reference": 1.1},
                                     {"order": ["x"], "minutes": 1.0, "stage": "extra",
                                      "reference": 0.99}]}])
    found = budget_table(tmp_path, "box")
    assert found is not None
    assert found[0].endswith("in 14.0 minutes: the counts phase 4.5, the clients phase 2.0, "
                             "1 first blocks (6.0 to 6.0 minutes each) and 2 extra ones (0.5 "
                             "to 1.0 minutes each). The reference workload, timed at the start "
                             "of each of 3 blocks, took 1.000 s (median), from -1.0% to "
                             "+10.0%.")
    assert "less the counts' two halves measured at once" in found[1].rows[-1][0].text

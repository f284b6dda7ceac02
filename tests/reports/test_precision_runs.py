"""A precision record of two runs in blocks: written from two runs in results/, then read
back and summarised by ``make readme``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import write_results
from taskbench.catalogue import CLASSIC_SPAWN, INSTRUCTIONS, TASK_COST
from taskbench.jobs.precision import write_record
from taskbench.reports.precision import markdown_section
from taskbench.reports.precision_runs import count_prediction


def _run(results: Path, commit: str, date: int, scale: float) -> None:
    for python, seconds in (("3.12", 4e-6), ("3.13", 5e-6)):
        samples = [seconds * scale * factor for factor in (0.99, 1.0, 1.01, 1.0, 1.005)]
        write_results(results, {TASK_COST: {(100_000,): samples},
                                INSTRUCTIONS: {CLASSIC_SPAWN: seconds * 1e10}}, python=python,
                      commit=commit * 40, date=date)


def test_a_record_of_two_runs_in_blocks_is_read_back_and_summarised(tmp_path: Path) -> None:
    results, records = tmp_path / "results", tmp_path / "precision"
    records.mkdir()
    _run(results, "a", 1, 1.0)
    _run(results, "b", 2, 1.002)

    written = write_record(results, "box", ["aaaa", "bbbb"], records)

    assert written.name == "box-aaaaaaaa-bbbbbbbb.json"
    text = markdown_section(records)
    assert "two full runs in blocks (commits `aaaaaaaa` and `bbbbbbbb`" in text
    assert "Calibration: 2 of 2 (100%) figures of the two runs differ by less" in text
    assert "| 3.12 |" in text and "| 3.13 |" in text
    # Beside the headline timing, the record holds each interpreter's instructions per task.
    run = json.loads(written.read_text())["runs"][0]
    assert run["cost_model"]["3.12"] == {"instructions": 40_000.0,
                                         "seconds": pytest.approx(4e-6, rel=0.01)}


def _record_run(counted: str) -> dict[str, Any]:
    """One run of a record: three CPythons and PyPy, what it holds beside their timing, and
    the steps at the headline figure."""
    headline = TASK_COST.call_name((100_000,))
    seconds = {"3.12": 8.0, "3.13": 4.0, "3.14": 3.0, "pypy3.11": 1.0}
    counts = {"3.12": 200.0, "3.13": 100.0, "3.14": 100.0}
    steps = [("3.12", "3.13", [2.0, 1.9, 2.1]), ("3.13", "3.14", [1.33, 1.3, 1.36]),
             ("pypy3.9", "pypy3.11", [1.1, 1.0, 1.2])]
    return {"steps": [{"pair": f"{a} → {b}", "figure": headline, "outcome": "faster",
                       "speedup": speedup} for a, b, speedup in steps],
            "cost_model": {env: {counted: counts.get(env, 50.0), "seconds": value}
                           for env, value in seconds.items()}}


@pytest.mark.parametrize(("counted", "words"), [
    ("instructions", "instructions per task"),
    ("estimated_cycles", "the weighted sum of instructions and cache misses (retired)")])
def test_a_record_says_what_it_holds_beside_the_timing_and_how_well_it_predicts(
        counted: str, words: str) -> None:
    found = count_prediction(_record_run(counted))
    assert found is not None
    name, prediction = found
    assert name == words
    # PyPy is left out; 3.13 and 3.14 have the same count, so the ranks are not perfect, and
    # only the first step's ratio (2.0) lies in its interval (3.13 → 3.14 predicts 1.0).
    assert prediction.interpreters == 3 and prediction.tau == pytest.approx(0.816, abs=1e-3)
    assert (prediction.inside, prediction.steps) == (1, 2)
    assert count_prediction({"steps": [], "cost_model": {}}) is None

"""A precision record of two runs in blocks: written from two runs in results/, then read
back and summarised by ``make readme``."""

from __future__ import annotations

from pathlib import Path

from conftest import write_results
from taskbench.catalogue import TASK_COST
from taskbench.jobs.precision import write_record
from taskbench.reports.precision import markdown_section


def _run(results: Path, commit: str, date: int, scale: float) -> None:
    for python, seconds in (("3.12", 4e-6), ("3.13", 5e-6)):
        samples = [seconds * scale * factor for factor in (0.99, 1.0, 1.01, 1.0, 1.005)]
        write_results(results, {TASK_COST: {(100_000,): samples}}, python=python,
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

"""Interference on purpose: ``--burst BLOCK:SECONDS`` parsed with words for bad input, one busy
process per core that stops by itself, started at the start of the block asked for, and
recorded in the block log."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_python
from taskbench.jobs import blocks
from taskbench.jobs.burst import Burst, parse, stop
from taskbench.jobs.runrecord import record


def test_a_burst_is_a_block_and_seconds() -> None:
    assert parse("2:30") == Burst(2, 30.0)
    for bad in ("2", "x:30", "0:30", "2:0", "2:601", "2:-1"):
        with pytest.raises(ValueError, match="--burst"):
            parse(bad)


def test_bad_input_is_refused_by_the_main_job_with_words() -> None:
    result = run_python("-m", "taskbench.jobs.main", "--burst", "0:30")
    assert result.returncode == 2 and "the block counts from 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_hogs_take_every_core_and_stop_by_themselves() -> None:
    hogs = Burst(1, 0.3).start()
    assert len(hogs) == (os.cpu_count() or 1)
    for hog in hogs:
        assert hog.wait(timeout=30) == 0
    stopped = Burst(1, 60).start()
    stop(stopped)  # the run ended first: none is left running
    assert all(hog.poll() is not None for hog in stopped)


def test_the_burst_starts_with_its_block_and_is_recorded(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from test_blocks import ENVIRONMENTS, FakeAsv

    from taskbench import blocklog
    from taskbench.catalogue import select

    FakeAsv.calls, FakeAsv.setups = [], []
    started: list[int] = []
    monkeypatch.setattr(blocks, "AsvDriver", FakeAsv)
    monkeypatch.setattr(blocks.host, "reference_seconds", lambda: 1.0)
    monkeypatch.setattr(Burst, "start", lambda self: started.append(len(FakeAsv.calls)) or [])
    run = blocks.run_blocks(tmp_path / "blocks", "box", ENVIRONMENTS,
                            select([r"TaskCost.*\(1000\)$"]), minutes=60, seed=1,
                            burst=Burst(3, 30))
    assert started == [2]  # after two blocks' runs, before the third's
    log = record(run, "box", tmp_path / "results")
    (found,) = [r for (_, env), r in blocklog.read(log).items() if env == ""]
    assert found["burst"] == {"block": 3, "seconds": 30.0}


def test_a_burst_past_the_first_blocks_is_refused_before_anything_runs() -> None:
    from taskbench.catalogue import select
    from taskbench.jobs.blockplan import first_blocks
    from taskbench.jobs.burst import beyond

    count = first_blocks(select())
    assert beyond(Burst(count, 30), select(), False) == beyond(None, select(), False) == ""
    assert f"this run has {count} first blocks" in beyond(Burst(count + 1, 30), select(), False)
    assert "this run has 1 first block," in beyond(Burst(2, 30), select(quick=True), True)
    result = run_python("-m", "taskbench.jobs.main", "--quick", "--burst", "2:30")
    assert result.returncode == 2 and "--burst 2:30: this run has 1 first block" in result.stderr
    assert "Traceback" not in result.stderr and "Interpreters" not in result.stdout

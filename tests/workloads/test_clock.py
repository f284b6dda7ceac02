"""The CPU clock's tick is observed, not taken from what the platform claims, and a clock
that never moves is refused by name."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from taskbench.interpreters.provision import BUILDINFO
from taskbench.workloads.clock import (
    TICKS_PER_BATCH,
    Clock,
    ClockError,
    clock_facts,
    measure_tick,
    process_clock,
)
from virtualclock import VirtualClock


def test_a_coarse_clock_shows_its_tick_whatever_the_platform_claims() -> None:
    coarse = VirtualClock(tick=0.015625)
    assert measure_tick(coarse.read) == pytest.approx(0.015625)
    # Reading it for the five steps took about five ticks of (virtual) CPU time.
    assert 4 * 0.015625 < coarse.now < 6 * 0.015625


def test_the_smallest_step_is_kept_when_a_step_spans_several_ticks() -> None:
    values = iter([0.0, 0.0, 0.03, 0.03, 0.04, 0.04, 0.05, 0.05, 0.07, 0.07, 0.08])
    assert measure_tick(lambda: next(values), steps=5) == pytest.approx(0.01)


def test_a_clock_that_never_moves_is_refused() -> None:
    walls = iter([0.0, 0.5, 1.5, 2.5])
    with pytest.raises(ClockError, match="did not move in 2 seconds"):
        measure_tick(lambda: 42.0, give_up_after=2.0, wall=lambda: next(walls))


def test_a_batch_on_a_clock_lasts_a_hundred_ticks() -> None:
    assert TICKS_PER_BATCH == 100
    assert Clock("coarse", time.process_time, 0.015625).shortest_batch == pytest.approx(1.5625)
    assert Clock("coarse", time.process_time, 0.015625).describe() == (
        "coarse, tick 15.6 ms (measured)")
    assert Clock("fine", time.process_time, 2.5e-7).describe() == "fine, tick 250 ns (measured)"


def test_only_a_fine_clock_times_the_runs_of_a_batch_one_by_one() -> None:
    # Runs timed one by one err by about sqrt(tick x batch) in all: under 1% of 50 ms up to
    # a 5 µs tick (Linux and macOS read much finer; Windows ticks at 15.6 ms).
    assert Clock("linux", time.process_time, 6e-7).times_each_run
    assert Clock("limit", time.process_time, 5e-6).times_each_run
    assert not Clock("windows", time.process_time, 0.015625).times_each_run


def test_this_process_clock_is_process_time_with_a_tick_it_observed() -> None:
    clock = process_clock()
    assert clock is process_clock()  # measured once per process
    assert clock.read is time.process_time
    assert clock.name == "process_time"
    assert 0 < clock.tick < 0.05  # the coarsest clock known (Windows) ticks at 15.6 ms
    facts = clock_facts()
    assert facts["clock_tick_seconds"] == clock.tick
    assert facts["clock"] == clock.describe()
    assert str(facts["clock"]).startswith("process_time, tick ")
    assert facts["clock_implementation"] == time.get_clock_info("process_time").implementation
    assert facts["clock_claimed_resolution_seconds"] == time.get_clock_info(
        "process_time").resolution


def test_the_build_facts_probe_names_the_clock_where_taskbench_is_not_installed(
        tmp_path: Path) -> None:
    # -I -S: no site-packages and no PYTHONPATH, as an interpreter of .pythons/bin runs it.
    probe = subprocess.run([sys.executable, "-I", "-S", str(BUILDINFO)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120, check=False)
    assert probe.returncode == 0, probe.stderr
    facts = json.loads(probe.stdout)
    assert facts["clock"].startswith("process_time, tick ") and facts["clock_tick_seconds"] > 0

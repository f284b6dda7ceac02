"""Instruction counts: they repeat exactly, per task is a difference of two phases, and where
valgrind cannot count the reason says what to do."""

from __future__ import annotations

import shutil
import sys

import pytest

from conftest import needs
from taskbench.workloads import instructions
from taskbench.workloads.instructions import (
    available,
    count_phases,
    per_task,
    run_phases,
    why_not_counted,
)


def test_without_valgrind_the_reason_says_to_install_it(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    assert "install valgrind" in (why_not_counted() or "")


def test_off_linux_the_reason_names_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(instructions.sys, "platform", "darwin")
    assert "Linux only" in (why_not_counted() or "")


def test_a_missing_api_is_named_and_the_baseline_is_always_there() -> None:
    assert available("create_task+wait", "asyncio") is None
    if sys.version_info < (3, 14):
        assert "eager_start" in (available("eager_start", "asyncio") or "")


def test_per_task_is_the_difference_over_the_difference_of_counts() -> None:
    cost = per_task({"Ir": 1_000_000}, {"Ir": 10_000_000}, 1_000, 10_000)
    assert cost.instructions == 1_000


def test_the_phases_run_in_children_and_a_failed_phase_is_named() -> None:
    reply = run_phases([("create_task+wait", "asyncio", 10, "on")])
    assert len(reply["pids"]) == 2  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown spawn API"):
        run_phases([("no-such-api", "asyncio", 10, "on")])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason=needs("valgrind"))
def test_two_counts_are_identical_and_per_task_grows_with_the_count() -> None:
    phases = [("create_task+wait", "asyncio", count, "on") for count in (500, 1_000, 3_000)]
    first, second = count_phases(phases), count_phases(phases)
    assert first == second  # not close: identical
    small = per_task(first[0], first[1], 500, 1_000)
    large = per_task(first[1], first[2], 1_000, 3_000)
    # Thousands of instructions per task (a task, its step, its completion), the same order
    # of magnitude at both counts.
    assert 5_000 < small.instructions < 200_000
    assert 0.5 < large.instructions / small.instructions < 2
